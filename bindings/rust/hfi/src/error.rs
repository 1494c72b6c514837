//! Errors: every failure is an [`Error`] with its [`ErrorKind`] and what the server said.

use std::fmt;
use std::time::Duration;

use hfi_sys as sys;

/// What went wrong, from hfi's stable status codes. New kinds may be added.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An argument was refused (NULL, empty, malformed JSON, a bad option value).
    InvalidArgument,
    /// Out of memory.
    OutOfMemory,
    /// An option key unknown to this libhfi.
    UnknownOption,
    /// The call is not allowed now: the client or stream is closed.
    Closed,
    /// Not supported by this build or this server.
    Unsupported,
    /// The binding and the library disagree on the ABI generation.
    AbiMismatch,
    /// The connection failed or broke.
    Network,
    /// The total timeout expired.
    Timeout,
    /// TLS handshake or certificate verification failed.
    Tls,
    /// The request was cancelled (a [`crate::CancelToken`], a dropped stream, a closed client).
    Cancelled,
    /// A callback asked to stop the request.
    AbortedByCallback,
    /// Connecting took longer than the connect timeout.
    ConnectTimeout,
    /// No byte arrived for the stall timeout.
    StallTimeout,
    /// The host name could not be resolved.
    Resolve,
    /// The server refused the connection or could not be reached.
    Connect,
    /// No response began within the first-byte timeout.
    FirstByteTimeout,
    /// An HTTP error without a more specific kind.
    Http,
    /// HTTP 400.
    BadRequest,
    /// HTTP 401: missing or invalid token.
    Auth,
    /// HTTP 403.
    Forbidden,
    /// HTTP 404: unknown model, route or provider.
    NotFound,
    /// HTTP 422.
    Unprocessable,
    /// HTTP 429: see [`Error::retry_after`].
    RateLimited,
    /// HTTP 5xx.
    Server,
    /// HTTP 503.
    Unavailable,
    /// HTTP 503 with an estimated loading time.
    ModelLoading,
    /// HTTP 402: credits exhausted.
    PaymentRequired,
    /// The response broke the protocol (bad JSON, bad SSE), or a task's output had another shape.
    Protocol,
    /// The server reported an error inside a stream.
    StreamError,
    /// The stream ended before its end marker; the partial text is kept.
    StreamTruncated,
    /// A response or an event exceeded its size limit.
    TooLarge,
    /// A bug in hfi.
    Internal,
    /// A code this binding does not know (see [`Error::code`]).
    Other,
}

impl ErrorKind {
    fn from_code(code: i32) -> ErrorKind {
        use ErrorKind::*;
        match code {
            sys::HFI_E_INVALID_ARG => InvalidArgument,
            sys::HFI_E_NOMEM => OutOfMemory,
            sys::HFI_E_UNKNOWN_OPTION => UnknownOption,
            sys::HFI_E_BAD_STATE => Closed,
            sys::HFI_E_UNSUPPORTED => Unsupported,
            sys::HFI_E_ABI_MISMATCH => AbiMismatch,
            sys::HFI_E_NETWORK => Network,
            sys::HFI_E_TIMEOUT => Timeout,
            sys::HFI_E_TLS => Tls,
            sys::HFI_E_CANCELLED => Cancelled,
            sys::HFI_E_ABORTED_BY_CALLBACK => AbortedByCallback,
            sys::HFI_E_CONNECT_TIMEOUT => ConnectTimeout,
            sys::HFI_E_STALL_TIMEOUT => StallTimeout,
            sys::HFI_E_RESOLVE => Resolve,
            sys::HFI_E_CONNECT => Connect,
            sys::HFI_E_FIRST_BYTE_TIMEOUT => FirstByteTimeout,
            sys::HFI_E_HTTP => Http,
            sys::HFI_E_BAD_REQUEST => BadRequest,
            sys::HFI_E_AUTH => Auth,
            sys::HFI_E_FORBIDDEN => Forbidden,
            sys::HFI_E_NOT_FOUND => NotFound,
            sys::HFI_E_UNPROCESSABLE => Unprocessable,
            sys::HFI_E_RATE_LIMITED => RateLimited,
            sys::HFI_E_SERVER => Server,
            sys::HFI_E_UNAVAILABLE => Unavailable,
            sys::HFI_E_MODEL_LOADING => ModelLoading,
            sys::HFI_E_PAYMENT_REQUIRED => PaymentRequired,
            sys::HFI_E_PROTOCOL => Protocol,
            sys::HFI_E_STREAM_ERROR => StreamError,
            sys::HFI_E_STREAM_TRUNCATED => StreamTruncated,
            sys::HFI_E_TOO_LARGE => TooLarge,
            sys::HFI_E_INTERNAL => Internal,
            _ => Other,
        }
    }
}

/// A failure: an argument hfi refused, or a request that failed. (Boxed: a `Result` stays two
/// words wide.)
#[derive(Debug, Clone)]
pub struct Error(Box<Detail>);

#[derive(Debug, Clone)]
struct Detail {
    kind: ErrorKind,
    code: i32,
    http_status: Option<u16>,
    message: String,
    error_type: Option<String>,
    retry_after: Option<Duration>,
    body: Option<String>,
    provider: Option<String>,
}

impl Error {
    pub(crate) fn new(code: i32, message: impl Into<String>) -> Error {
        Error(Box::new(Detail {
            kind: ErrorKind::from_code(code),
            code,
            http_status: None,
            message: message.into(),
            error_type: None,
            retry_after: None,
            body: None,
            provider: None,
        }))
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::new(sys::HFI_E_INVALID_ARG, message)
    }

    pub(crate) fn closed(what: &str) -> Error {
        Error::new(sys::HFI_E_BAD_STATE, format!("the {what} is closed"))
    }

    /// Reads an `hfi_error` (of a response or an ERROR event).
    ///
    /// # Safety
    /// `e` is NULL or a live `hfi_error`.
    pub(crate) unsafe fn from_hfi(code: i32, e: *const sys::hfi_error) -> Error {
        let mut error = Error::new(code, "");
        let out = &mut error.0;
        if e.is_null() {
            out.message = status_text(code);
            return error;
        }
        out.code = sys::hfi_error_code(e);
        out.kind = ErrorKind::from_code(out.code);
        let status = sys::hfi_error_http_status(e);
        out.http_status = if status > 0 { u16::try_from(status).ok() } else { None };
        out.message = crate::ffi::text(|p, n| sys::hfi_error_message(e, p, n));
        let error_type = crate::ffi::text(|p, n| sys::hfi_error_type(e, p, n));
        out.error_type = (!error_type.is_empty()).then_some(error_type);
        let body = crate::ffi::text(|p, n| sys::hfi_error_body(e, p, n));
        out.body = (!body.is_empty()).then_some(body);
        let ms = sys::hfi_error_retry_after_ms(e);
        out.retry_after = (ms >= 0).then(|| Duration::from_millis(ms as u64));
        error
    }

    pub(crate) fn with_provider(mut self, provider: String) -> Error {
        self.0.provider = (!provider.is_empty()).then_some(provider);
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// hfi's numeric status code (stable; see `HFI_E_*` in hfi.h).
    pub fn code(&self) -> i32 {
        self.0.code
    }
    /// The HTTP status, when the failure was an HTTP answer.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }
    /// The provider's message, or hfi's explanation.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The provider's error type or code, when it gave one.
    pub fn error_type(&self) -> Option<&str> {
        self.0.error_type.as_deref()
    }
    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
    /// The raw error body, with secrets scrubbed.
    pub fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
    /// The provider that failed (tasks), when known.
    pub fn provider(&self) -> Option<&str> {
        self.0.provider.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = status_text(self.0.code);
        if self.0.message.is_empty() || self.0.message == status {
            write!(f, "hfi: {status}")
        } else {
            write!(f, "hfi: {status}: {}", self.0.message)
        }
    }
}

impl std::error::Error for Error {}

/// A `Result` whose error is [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

fn status_text(code: i32) -> String {
    // SAFETY: hfi_status_str returns a static NUL-terminated string for any code.
    unsafe { std::ffi::CStr::from_ptr(sys::hfi_status_str(code)) }.to_string_lossy().into_owned()
}
