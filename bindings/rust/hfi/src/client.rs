//! The client, its builder, per-call options and cancellation.

use std::os::raw::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use hfi_sys as sys;

use crate::error::{Error, Result};
use crate::ffi;

/// A connection pool, a token and settings, shared by any number of threads (`Send + Sync`, as
/// hfi.h promises for `hfi_client`). Cloning is cheap and shares the client. It is released when
/// the last clone and the last stream made from it are gone, or at once by [`Client::close`].
///
/// hfi drives the network on its own I/O thread; each call's events are delivered on the thread
/// that made it.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    // Calls hold the read lock while they start a request; close() takes the write lock.
    raw: RwLock<*mut sys::hfi_client>,
}

// SAFETY: hfi_client may be used from many threads at once (hfi.h); closing is serialised by the
// RwLock, which calls hold while they start requests.
unsafe impl Send for Inner {}
unsafe impl Sync for Inner {}

impl Drop for Inner {
    fn drop(&mut self) {
        let raw = *self.raw.get_mut().unwrap_or_else(|e| e.into_inner());
        // SAFETY: the client is live or NULL (closed); hfi_client_free(NULL) is a no-op.
        unsafe { sys::hfi_client_free(raw) };
    }
}

impl Client {
    /// A client with the defaults: the Hugging Face router, the token from `HF_TOKEN` or the
    /// huggingface_hub token file.
    pub fn new() -> Result<Client> {
        ClientBuilder::new().build()
    }

    /// A builder for a client with other settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// Cancels the client's running calls, closes its connections and wipes its token. Calls
    /// made afterwards, from any clone, fail with [`crate::ErrorKind::Closed`]. Idempotent.
    pub fn close(&self) {
        let mut raw = self.inner.raw.write().unwrap_or_else(|e| e.into_inner());
        // SAFETY: live or NULL; after this it is NULL for everyone.
        unsafe { sys::hfi_client_free(*raw) };
        *raw = ptr::null_mut();
    }

    /// Runs `f` with the live C client, the read lock held (so that close() waits for it).
    pub(crate) fn with_raw<T>(&self, f: impl FnOnce(*mut sys::hfi_client) -> Result<T>) -> Result<T> {
        let raw = self.inner.raw.read().unwrap_or_else(|e| e.into_inner());
        if raw.is_null() {
            return Err(Error::closed("client"));
        }
        f(*raw)
    }
}

/// Settings for a [`Client`]; each method maps to an `HFI_OPT_*` option of hfi.h.
#[derive(Default)]
pub struct ClientBuilder {
    strings: Vec<(i32, String)>,
    ints: Vec<(i32, i64)>,
    problem: Option<Error>,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl ClientBuilder {
    /// The defaults.
    pub fn new() -> ClientBuilder {
        ClientBuilder::default()
    }
    fn string(mut self, key: i32, value: impl Into<String>) -> Self {
        self.strings.push((key, value.into()));
        self
    }
    fn int(mut self, key: i32, value: i64) -> Self {
        self.ints.push((key, value));
        self
    }
    /// The access token (an `hf_` token or a provider's key).
    pub fn token(self, token: &str) -> Self {
        self.string(sys::HFI_OPT_TOKEN as i32, token)
    }
    /// Whether to look for a token in the environment and token files (default true).
    pub fn token_from_env(self, on: bool) -> Self {
        self.int(sys::HFI_OPT_TOKEN_FROM_ENV as i32, on as i64)
    }
    /// Replaces `https://router.huggingface.co`.
    pub fn router_url(self, url: &str) -> Self {
        self.string(sys::HFI_OPT_ROUTER_URL as i32, url)
    }
    /// An OpenAI-compatible server (TGI, vLLM, llama.cpp, a gateway) instead of the router.
    pub fn base_url(self, url: &str) -> Self {
        self.string(sys::HFI_OPT_BASE_URL as i32, url)
    }
    /// Replaces `https://huggingface.co` for provider mappings.
    pub fn hub_url(self, url: &str) -> Self {
        self.string(sys::HFI_OPT_HUB_URL as i32, url)
    }
    /// The provider policy: a provider name, `fastest`, `cheapest` or `auto`.
    pub fn provider(self, provider: &str) -> Self {
        self.string(sys::HFI_OPT_PROVIDER as i32, provider)
    }
    /// Calls `provider` directly with its own key (tasks).
    pub fn provider_key(self, provider: &str, key: &str) -> Self {
        self.string(sys::HFI_OPT_PROVIDER_KEY as i32, format!("{provider}={key}"))
    }
    /// Adds one failover tier: `url-or-provider[; key=K][; weight=W][; model=M] | ...`.
    pub fn target(self, tier: &str) -> Self {
        self.string(sys::HFI_OPT_TARGET as i32, tier)
    }
    /// Adds a header to every request.
    pub fn header(self, name: &str, value: &str) -> Self {
        self.string(sys::HFI_OPT_HEADER as i32, format!("{name}: {value}"))
    }
    /// Bills an organisation (`X-HF-Bill-To`).
    pub fn bill_to(self, org: &str) -> Self {
        self.string(sys::HFI_OPT_BILL_TO as i32, org)
    }
    /// Bounds every request as a whole (default: none).
    pub fn timeout(self, d: Duration) -> Self {
        self.int(sys::HFI_OPT_TIMEOUT_MS as i32, millis(d))
    }
    /// Bounds DNS, TCP and TLS (default 10 s).
    pub fn connect_timeout(self, d: Duration) -> Self {
        self.int(sys::HFI_OPT_CONNECT_TIMEOUT_MS as i32, millis(d))
    }
    /// Fails a request that receives nothing for `d` (default 120 s).
    pub fn stall_timeout(self, d: Duration) -> Self {
        self.int(sys::HFI_OPT_STALL_TIMEOUT_MS as i32, millis(d))
    }
    /// Retries of a retryable failure (default 2).
    pub fn max_retries(self, n: u32) -> Self {
        self.int(sys::HFI_OPT_MAX_RETRIES as i32, i64::from(n))
    }
    /// Allows plain `http://` to hosts other than loopback.
    pub fn allow_insecure_http(self, on: bool) -> Self {
        self.int(sys::HFI_OPT_ALLOW_INSECURE_HTTP as i32, on as i64)
    }
    /// Any string option by its `HFI_OPT_*` number, for options newer than this crate.
    pub fn option_str(self, key: i32, value: &str) -> Self {
        self.string(key, value)
    }
    /// Any integer option by its `HFI_OPT_*` number.
    pub fn option_int(self, key: i32, value: i64) -> Self {
        self.int(key, value)
    }

    /// Creates the client. A value hfi refuses (a malformed URL, an unknown option) fails here,
    /// with hfi's reason.
    pub fn build(mut self) -> Result<Client> {
        if let Some(problem) = self.problem.take() {
            return Err(problem);
        }
        // SAFETY: hfi_abi_version has no preconditions.
        let abi = unsafe { sys::hfi_abi_version() };
        if abi != sys::ABI_VERSION {
            return Err(Error::new(
                sys::HFI_E_ABI_MISMATCH,
                format!("libhfi is ABI {abi}, this crate was built for ABI {}", sys::ABI_VERSION),
            ));
        }
        let mut opts: *mut sys::hfi_client_options = ptr::null_mut();
        ffi::checked(|| unsafe { sys::hfi_client_options_new(&mut opts) })?;
        struct Guard(*mut sys::hfi_client_options);
        impl Drop for Guard {
            fn drop(&mut self) {
                // SAFETY: created above, freed once.
                unsafe { sys::hfi_client_options_free(self.0) }
            }
        }
        let guard = Guard(opts);
        self.ints.push((sys::HFI_OPT_IO_MODE as i32, i64::from(sys::HFI_IO_THREAD)));
        for (key, value) in &self.strings {
            ffi::checked(|| unsafe {
                sys::hfi_client_options_set_str(guard.0, *key, value.as_ptr().cast(), value.len())
            })?;
        }
        for (key, value) in &self.ints {
            ffi::checked(|| unsafe { sys::hfi_client_options_set_int(guard.0, *key, *value) })?;
        }
        let mut raw: *mut sys::hfi_client = ptr::null_mut();
        ffi::checked(|| unsafe { sys::hfi_client_new(&mut raw, guard.0) })?;
        Ok(Client { inner: Arc::new(Inner { raw: RwLock::new(raw) }) })
    }
}

/// Cancels a call from another thread: give a clone to [`CallOptions::cancel_token`], then call
/// [`CancelToken::cancel`]. A token cancelled before the call starts makes it fail at once.
#[derive(Clone, Default)]
pub struct CancelToken {
    state: Arc<Mutex<CancelState>>,
}

#[derive(Default)]
struct CancelState {
    cancelled: bool,
    running: Vec<usize>, // hfi_request pointers of the calls it may cancel now
}

impl CancelToken {
    /// A token not cancelled yet.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }
    /// Cancels the calls running with this token, and every later one.
    pub fn cancel(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.cancelled = true;
        for &req in &state.running {
            // SAFETY: a request is listed only between its start and its free (see attach).
            unsafe { sys::hfi_request_cancel(req as *mut sys::hfi_request) };
        }
    }
    /// Whether [`CancelToken::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).cancelled
    }
    pub(crate) fn attach(&self, req: *mut sys::hfi_request) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.cancelled {
            // SAFETY: the request is live (it was just started).
            unsafe { sys::hfi_request_cancel(req) };
        }
        state.running.push(req as usize);
    }
    pub(crate) fn detach(&self, req: *mut sys::hfi_request) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.running.retain(|&r| r != req as usize);
    }
}

/// Options of one call (chat, stream or task).
#[derive(Default, Clone)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: Vec<String>,
    pub(crate) providers: Vec<String>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) poll_interval: Option<Duration>,
    pub(crate) input: Option<(Vec<u8>, String)>,
    pub(crate) cancel: Option<CancelToken>,
}

impl CallOptions {
    /// No options: the client's settings.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }
    /// Bounds this call as a whole (job polls included).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }
    /// Adds a header to this call.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(format!("{name}: {value}"));
        self
    }
    /// Who serves a task, tried in this order against the model's mapping (default `auto`).
    pub fn providers(mut self, providers: &[&str]) -> Self {
        self.providers.extend(providers.iter().map(|p| p.to_string()));
        self
    }
    /// Retries of this call (overrides the client's).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
    /// The interval between two polls of an asynchronous job.
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = Some(d);
        self
    }
    /// A task's binary input (an image, an audio clip); `media_type` may be empty.
    pub fn input(mut self, data: &[u8], media_type: &str) -> Self {
        self.input = Some((data.to_vec(), media_type.to_string()));
        self
    }
    /// Cancels the call when the token is cancelled.
    pub fn cancel_token(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }

    /// Builds the C request options; `callback` (with its user data, which `release` frees once
    /// hfi is done with it, also when this fails) receives the events.
    pub(crate) fn raw(&self, callback: sys::hfi_event_cb, user_data: *mut c_void, release: sys::hfi_release_fn) -> Result<RawOptions> {
        let mut o: *mut sys::hfi_request_options = ptr::null_mut();
        if let Err(e) = ffi::checked(|| unsafe { sys::hfi_request_options_new(&mut o) }) {
            if let Some(release) = release {
                // SAFETY: hfi never saw the user data; this is its only release.
                unsafe { release(user_data) };
            }
            return Err(e);
        }
        let raw = RawOptions(o);
        if callback.is_some() {
            // First, so that the builder owns the user data from here on (freed with it on failure).
            ffi::checked(|| unsafe { sys::hfi_request_options_set_callback(raw.0, callback, user_data, release) })?;
        }
        let durations = [
            (sys::HFI_REQ_TIMEOUT_MS as i32, self.timeout),
            (sys::HFI_REQ_POLL_INTERVAL_MS as i32, self.poll_interval),
        ];
        for (key, d) in durations {
            if let Some(d) = d {
                let ms = millis(d).max(1);
                ffi::checked(|| unsafe { sys::hfi_request_options_set_int(raw.0, key, ms) })?;
            }
        }
        if let Some(n) = self.max_retries {
            ffi::checked(|| unsafe { sys::hfi_request_options_set_int(raw.0, sys::HFI_REQ_MAX_RETRIES as i32, i64::from(n)) })?;
        }
        let mut strings: Vec<(i32, String)> = self.headers.iter().map(|h| (sys::HFI_REQ_HEADER as i32, h.clone())).collect();
        if !self.providers.is_empty() {
            strings.push((sys::HFI_REQ_PROVIDER as i32, self.providers.join(",")));
        }
        for (key, value) in &strings {
            ffi::checked(|| unsafe { sys::hfi_request_options_set_str(raw.0, *key, value.as_ptr().cast(), value.len()) })?;
        }
        if let Some((data, media_type)) = &self.input {
            if data.is_empty() {
                return Err(Error::invalid("the binary input is empty"));
            }
            let media_type = (!media_type.is_empty()).then(|| ffi::c_string(media_type, "the media type")).transpose()?;
            let type_ptr = media_type.as_ref().map_or(ptr::null(), |t| t.as_ptr());
            ffi::checked(|| unsafe { sys::hfi_request_options_set_input(raw.0, data.as_ptr().cast(), data.len(), type_ptr) })?;
        }
        Ok(raw)
    }
}

pub(crate) struct RawOptions(pub(crate) *mut sys::hfi_request_options);

impl Drop for RawOptions {
    fn drop(&mut self) {
        // SAFETY: created by hfi_request_options_new, freed once.
        unsafe { sys::hfi_request_options_free(self.0) }
    }
}

/// A finished request's response, freed on drop.
pub(crate) struct Response(pub(crate) *mut sys::hfi_response);

impl Drop for Response {
    fn drop(&mut self) {
        // SAFETY: NULL or a response we own.
        unsafe { sys::hfi_response_free(self.0) }
    }
}

impl Response {
    pub(crate) fn text(&self, get: unsafe extern "C" fn(*const sys::hfi_response, *mut *const std::ffi::c_char, *mut usize) -> i32) -> String {
        // SAFETY: the response is live while self is.
        ffi::text(|p, n| unsafe { get(self.0, p, n) })
    }
}

/// A user callback's panic, caught at the C boundary and raised again on the calling thread.
#[derive(Default)]
pub(crate) struct Panic(Option<Box<dyn std::any::Any + Send>>);

impl Panic {
    /// Runs `f`, keeping a panic for later; false when it panicked (the request should stop).
    pub(crate) fn catch(&mut self, f: impl FnOnce()) -> bool {
        if self.0.is_some() {
            return false;
        }
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(()) => true,
            Err(payload) => {
                self.0 = Some(payload);
                false
            }
        }
    }
    pub(crate) fn resume(self) {
        if let Some(payload) = self.0 {
            std::panic::resume_unwind(payload);
        }
    }
}

impl Client {
    /// Starts a request with `start`, waits for its end on this thread (its callback events are
    /// dispatched here) and returns its response, also when it failed (with what arrived).
    /// `also` is a second token that cancels it (a stream's own).
    pub(crate) fn run_keep(
        &self,
        options: &CallOptions,
        also: Option<&CancelToken>,
        callback: sys::hfi_event_cb,
        user_data: *mut c_void,
        start: impl FnOnce(*mut sys::hfi_client, *mut sys::hfi_request_options, *mut *mut sys::hfi_request) -> i32,
    ) -> Result<(Response, Option<Error>)> {
        let tokens: Vec<&CancelToken> = options.cancel.iter().chain(also).collect();
        if tokens.iter().any(|t| t.is_cancelled()) {
            return Err(Error::new(sys::HFI_E_CANCELLED, "the call was cancelled before it started"));
        }
        let raw = options.raw(callback, user_data, None)?;
        let mut req: *mut sys::hfi_request = ptr::null_mut();
        self.with_raw(|client| ffi::checked(|| start(client, raw.0, &mut req)))?;
        drop(raw);
        for token in &tokens {
            token.attach(req);
        }
        let mut resp: *mut sys::hfi_response = ptr::null_mut();
        // SAFETY: req is live until freed below; wait is called on one thread only.
        let code = unsafe { sys::hfi_request_wait(req, -1, &mut resp) };
        for token in &tokens {
            token.detach(req);
        }
        // SAFETY: freed once, after no token can cancel it any more.
        unsafe { sys::hfi_request_free(req) };
        let resp = Response(resp);
        if code == sys::HFI_OK {
            return Ok((resp, None));
        }
        let error = if resp.0.is_null() {
            Error::new(code, "")
        } else {
            // SAFETY: the response is live.
            unsafe { Error::from_hfi(code, sys::hfi_response_error(resp.0)) }.with_provider(resp.text(sys::hfi_response_provider))
        };
        Ok((resp, Some(error)))
    }

    /// [`Client::run_keep`] for calls that want the response only when they succeeded.
    pub(crate) fn run(
        &self,
        options: &CallOptions,
        callback: sys::hfi_event_cb,
        user_data: *mut c_void,
        start: impl FnOnce(*mut sys::hfi_client, *mut sys::hfi_request_options, *mut *mut sys::hfi_request) -> i32,
    ) -> Result<Response> {
        match self.run_keep(options, None, callback, user_data, start)? {
            (resp, None) => Ok(resp),
            (_, Some(error)) => Err(error),
        }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = !self.inner.raw.read().unwrap_or_else(|e| e.into_inner()).is_null();
        f.debug_struct("Client").field("open", &open).finish()
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The values may hold a token: only the keys are shown.
        let keys: Vec<i32> = self.strings.iter().map(|(k, _)| *k).chain(self.ints.iter().map(|(k, _)| *k)).collect();
        f.debug_struct("ClientBuilder").field("option_keys", &keys).finish()
    }
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken").field("cancelled", &self.is_cancelled()).finish()
    }
}

impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &self.headers.len())
            .field("providers", &self.providers)
            .field("max_retries", &self.max_retries)
            .field("poll_interval", &self.poll_interval)
            .field("input_bytes", &self.input.as_ref().map(|(d, _)| d.len()))
            .finish()
    }
}
