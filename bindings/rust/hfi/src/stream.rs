//! Streamed chat: an [`Iterator`] of [`Event`]s.

use std::collections::VecDeque;
use std::os::raw::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use hfi_sys as sys;

use crate::chat::{ChatRequest, ChatResponse, ToolCall, Usage};
use crate::client::{CallOptions, CancelToken, Client};
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

/// Events waiting for a slow reader, at most; beyond it the request waits for the reader.
const MAX_QUEUED: usize = 4096;

struct Shared {
    state: Mutex<State>,
    readable: Condvar,
    writable: Condvar,
}

#[derive(Default)]
struct State {
    events: VecDeque<Event>,
    closed: bool,
    // Set once the request ended: the response (what arrived) and its error, if it failed.
    outcome: Option<(ChatResponse, Option<Error>)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues an event for the reader, waiting while the queue is full; false once closed.
    fn push(&self, event: Event) -> bool {
        let mut state = self.lock();
        while !state.closed && state.events.len() >= MAX_QUEUED {
            state = self.writable.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        if state.closed {
            return false;
        }
        state.events.push_back(event);
        self.readable.notify_one();
        true
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
    // SAFETY: user_data is the Arc<Shared> the pump thread holds for the whole request.
    let shared = &*(user_data as *const Shared);
    // A panic may not unwind into C: it stops the request instead.
    match catch_unwind(AssertUnwindSafe(|| read_event(ev).is_none_or(|event| shared.push(event)))) {
        Ok(true) => 0,
        _ => 1,
    }
}

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
/// The request runs on a thread of its own, which queues the events; dropping the stream (or
/// [`Stream::close`]) cancels the request and waits for that thread. [`Stream::cancel_token`]
/// cancels it from another thread.
pub struct Stream {
    shared: Arc<Shared>,
    token: CancelToken,
    pump: Option<JoinHandle<()>>,
    batch: VecDeque<Event>,
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
        self.with_raw(|_| Ok(()))?;
        let shared = Arc::new(Shared { state: Mutex::default(), readable: Condvar::new(), writable: Condvar::new() });
        let token = CancelToken::new();
        let (client, options, body, pump_shared, pump_token) =
            (self.clone(), options.clone(), body.to_string(), shared.clone(), token.clone());
        let pump = std::thread::Builder::new()
            .name("hfi-stream".into())
            .spawn(move || {
                let user_data = Arc::as_ptr(&pump_shared) as *mut c_void;
                let outcome = client.run_keep(&options, Some(&pump_token), Some(on_event), user_data, |c, o, out| unsafe {
                    sys::hfi_request_start(c, sys::HFI_TASK_CHAT_STREAM as i32, body.as_ptr().cast(), body.len(), o, out)
                });
                let outcome = match outcome {
                    Ok((resp, error)) => (ChatResponse::from_response(&resp), error),
                    Err(error) => (ChatResponse::default(), Some(error)),
                };
                pump_shared.lock().outcome = Some(outcome);
                pump_shared.readable.notify_all();
            })
            .map_err(|e| Error::new(sys::HFI_E_NOMEM, format!("cannot start the stream's thread: {e}")))?;
        Ok(Stream { shared, token, pump: Some(pump), batch: VecDeque::new(), ended: false, closed: false })
    }
}

impl Stream {
    /// A token that cancels this stream's request from any thread.
    pub fn cancel_token(&self) -> CancelToken {
        self.token.clone()
    }

    /// The whole answer once the stream ended (also after a failure, with what arrived).
    pub fn response(&self) -> Option<ChatResponse> {
        self.shared.lock().outcome.as_ref().map(|(r, _)| r.clone())
    }

    /// Cancels the request (if still running) and waits for its thread. Reading afterwards
    /// gives one [`crate::ErrorKind::Closed`] error. Idempotent.
    pub fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        {
            let mut state = self.shared.lock();
            state.closed = true;
            self.shared.writable.notify_all();
        }
        self.token.cancel();
        if let Some(pump) = self.pump.take() {
            let _ = pump.join();
        }
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
        if let Some(event) = self.batch.pop_front() {
            return Some(Ok(event));
        }
        let mut state = self.shared.lock();
        loop {
            if !state.events.is_empty() {
                std::mem::swap(&mut state.events, &mut self.batch);
                self.shared.writable.notify_one();
                drop(state);
                return self.batch.pop_front().map(Ok);
            }
            if let Some((_, error)) = &state.outcome {
                self.ended = true;
                return error.clone().map(Err);
            }
            state = self.shared.readable.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.close();
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream").field("ended", &self.ended).field("closed", &self.closed).finish()
    }
}
