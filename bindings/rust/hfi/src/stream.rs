//! Streamed chat: an [`Iterator`] of [`Event`]s.

use std::collections::VecDeque;
use std::os::raw::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, Mutex, MutexGuard};

use hfi_sys as sys;

use crate::chat::{ChatRequest, ChatResponse, ToolCall, Usage};
use crate::client::{CallOptions, CancelToken, Client, Response};
use crate::error::{Error, Result};
use crate::ffi;

/// One event of a chat stream.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A piece of the answer's text.
    Delta(String),
    /// A piece of the model's reasoning.
    Reasoning(String),
    /// A piece of a tool call (the arguments arrive in pieces; `index` tells the calls apart).
    ToolCall {
        /// Which call of the answer this piece belongs to.
        index: i32,
        /// The piece: id and name on the first piece, then argument text.
        call: ToolCall,
    },
    /// Token counts.
    Usage(Usage),
    /// A choice finished, with its reason.
    Finish(String),
}

/// What the callback fills and the iterator empties. The callback runs on the iterator's thread
/// (inside hfi_request_dispatch), so the lock is never contended; it is there because hfi
/// releases the user data, possibly on another thread.
#[derive(Default)]
struct Queue {
    events: Mutex<VecDeque<Event>>,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Event>> {
        self.events.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Copies what the stream shows of one event; None for RAW, DONE and ERROR (the end is read from
/// the response).
///
/// # Safety
/// `ev` is the live event of a callback.
unsafe fn read_event(ev: *const sys::hfi_event) -> Option<Event> {
    let text = || ffi::text(|p, n| sys::hfi_event_text(ev, p, n));
    match sys::hfi_event_type(ev) as u32 {
        sys::HFI_EVENT_DELTA => Some(Event::Delta(text())),
        sys::HFI_EVENT_REASONING => Some(Event::Reasoning(text())),
        sys::HFI_EVENT_FINISH => Some(Event::Finish(text())),
        sys::HFI_EVENT_TOOL_CALL => Some(Event::ToolCall {
            index: sys::hfi_event_tool_call_index(ev),
            call: ToolCall {
                id: ffi::text(|p, n| sys::hfi_event_tool_call_id(ev, p, n)),
                name: ffi::text(|p, n| sys::hfi_event_tool_call_name(ev, p, n)),
                arguments: ffi::text(|p, n| sys::hfi_event_tool_call_arguments(ev, p, n)),
            },
        }),
        sys::HFI_EVENT_USAGE => {
            let (mut prompt, mut completion, mut total) = (-1, -1, -1);
            sys::hfi_event_usage(ev, &mut prompt, &mut completion, &mut total);
            Some(Event::Usage(Usage::from_raw(prompt, completion, total)))
        }
        _ => None,
    }
}

unsafe extern "C" fn on_event(ev: *const sys::hfi_event, user_data: *mut c_void) -> i32 {
    // SAFETY: user_data is an Arc<Queue> reference that hfi holds until on_release.
    let queue = &*(user_data as *const Queue);
    // A panic may not unwind into C: it stops the request instead.
    let pushed = catch_unwind(AssertUnwindSafe(|| {
        if let Some(event) = read_event(ev) {
            queue.lock().push_back(event);
        }
    }));
    i32::from(pushed.is_err())
}

unsafe extern "C" fn on_release(user_data: *mut c_void) {
    // SAFETY: the reference given with the callback, released once.
    drop(Arc::from_raw(user_data as *const Queue));
}

/// A request pointer owned by one [`Stream`].
struct Request(*mut sys::hfi_request);

// SAFETY: a request may be used from any thread as long as one thread at a time waits on it
// (hfi.h); the Stream that owns it is used by one thread at a time, and cancelling goes through
// the CancelToken, which may run on any thread.
unsafe impl Send for Request {}

/// A streamed chat: iterate it for [`Event`]s. An item is an `Err` once, at the end, when the
/// request failed; then [`Stream::response`] still has what arrived.
///
/// ```no_run
/// # fn main() -> hfi::Result<()> {
/// let client = hfi::Client::new()?;
/// let mut stream = client.stream(&hfi::ChatRequest::new("meta-llama/Llama-3.1-8B-Instruct", "Hi"))?;
/// for event in &mut stream {
///     if let hfi::Event::Delta(text) = event? {
///         print!("{text}");
///     }
/// }
/// # Ok(()) }
/// ```
///
/// Each `next()` that finds no event waiting asks hfi for the request's next events
/// (`hfi_request_dispatch`), on the iterating thread: no thread per stream, and a reader that
/// falls behind leaves the events inside hfi. Dropping the stream (or [`Stream::close`]) cancels
/// the request; [`Stream::cancel_token`] cancels it from another thread.
pub struct Stream {
    _client: Client, // keeps the C client alive while the request lives
    request: Request,
    queue: Arc<Queue>,
    tokens: Vec<CancelToken>,
    batch: VecDeque<Event>,
    outcome: Option<(ChatResponse, Option<Error>)>,
    ended: bool,
    closed: bool,
}

impl Client {
    /// Starts a streamed chat.
    pub fn stream(&self, request: &ChatRequest) -> Result<Stream> {
        self.stream_with(request, &CallOptions::new())
    }

    /// [`Client::stream`] with per-call options.
    pub fn stream_with(&self, request: &ChatRequest, options: &CallOptions) -> Result<Stream> {
        self.stream_json(&request.body()?, options)
    }

    /// A streamed chat with the request body as JSON, passed through as it is.
    pub fn stream_json(&self, body: &str, options: &CallOptions) -> Result<Stream> {
        if serde_json::from_str::<serde::de::IgnoredAny>(body).is_err() {
            return Err(Error::invalid("the chat request body is not JSON"));
        }
        let mut tokens: Vec<CancelToken> = options.cancel.iter().cloned().collect();
        if tokens.iter().any(|t| t.is_cancelled()) {
            return Err(Error::new(sys::HFI_E_CANCELLED, "the call was cancelled before it started"));
        }
        let queue = Arc::new(Queue::default());
        let user_data = Arc::into_raw(queue.clone()) as *mut c_void;
        let raw = options.raw(Some(on_event), user_data, Some(on_release))?;
        let mut req: *mut sys::hfi_request = ptr::null_mut();
        self.with_raw(|client| {
            ffi::checked(|| unsafe {
                sys::hfi_request_start(client, sys::HFI_TASK_CHAT_STREAM as i32, body.as_ptr().cast(), body.len(), raw.0, &mut req)
            })
        })?;
        drop(raw);
        tokens.push(CancelToken::new());
        for token in &tokens {
            token.attach(req);
        }
        Ok(Stream {
            _client: self.clone(),
            request: Request(req),
            queue,
            tokens,
            batch: VecDeque::new(),
            outcome: None,
            ended: false,
            closed: false,
        })
    }
}

impl Stream {
    /// A token that cancels this stream's request from any thread.
    pub fn cancel_token(&self) -> CancelToken {
        self.tokens.last().expect("a stream has its own token").clone()
    }

    /// The whole answer once the stream ended (also after a failure, with what arrived).
    pub fn response(&self) -> Option<ChatResponse> {
        self.outcome.as_ref().map(|(r, _)| r.clone())
    }

    /// Cancels the request (if still running) and releases it. Reading afterwards gives one
    /// [`crate::ErrorKind::Closed`] error. Idempotent.
    pub fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        self.release();
    }

    fn release(&mut self) {
        if self.request.0.is_null() {
            return;
        }
        for token in &self.tokens {
            token.detach(self.request.0);
        }
        // SAFETY: freed once, by its owner, after no token can cancel it; a running request is
        // cancelled first, and hfi releases the queue's reference when it is done with it.
        unsafe { sys::hfi_request_free(self.request.0) };
        self.request.0 = ptr::null_mut();
    }

    /// The request ended: read its response and error, then release it.
    fn finish(&mut self, code: i32) {
        let mut resp: *mut sys::hfi_response = ptr::null_mut();
        // SAFETY: the request is live; it has ended, so this does not wait.
        unsafe { sys::hfi_request_wait(self.request.0, 0, &mut resp) };
        let resp = Response(resp);
        let error = (code != sys::HFI_OK).then(|| {
            if resp.0.is_null() {
                Error::new(code, "")
            } else {
                // SAFETY: the response is live.
                unsafe { Error::from_hfi(code, sys::hfi_response_error(resp.0)) }
            }
        });
        let response = if resp.0.is_null() { ChatResponse::default() } else { ChatResponse::from_response(&resp) };
        self.outcome = Some((response, error));
        self.release();
    }
}

impl Iterator for Stream {
    type Item = Result<Event>;

    fn next(&mut self) -> Option<Result<Event>> {
        if self.ended {
            return None;
        }
        if self.closed {
            self.ended = true;
            return Some(Err(Error::closed("stream")));
        }
        loop {
            if let Some(event) = self.batch.pop_front() {
                return Some(Ok(event));
            }
            std::mem::swap(&mut *self.queue.lock(), &mut self.batch);
            if !self.batch.is_empty() {
                continue;
            }
            if let Some((_, error)) = &self.outcome {
                self.ended = true;
                return error.clone().map(Err);
            }
            // SAFETY: the request is live until finish() releases it; this thread owns it.
            let code = unsafe { sys::hfi_request_dispatch(self.request.0, -1) };
            if code != sys::HFI_PENDING {
                self.finish(code);
            }
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.release();
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream").field("ended", &self.ended).field("closed", &self.closed).finish()
    }
}
