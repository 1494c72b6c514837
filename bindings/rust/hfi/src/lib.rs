//! Hugging Face inference from Rust: chat (blocking and streamed) and every inference task on
//! the Hugging Face router, its providers, or any OpenAI-compatible server, over libhfi's stable
//! C ABI (see the `hfi-sys` crate), with hfi's retries, failover and timeouts.
//!
//! ```no_run
//! # fn main() -> hfi::Result<()> {
//! let client = hfi::Client::new()?; // the token comes from HF_TOKEN or the token file
//! let answer = client.chat(&hfi::ChatRequest::new("meta-llama/Llama-3.1-8B-Instruct", "Hello!"))?;
//! println!("{}", answer.content);
//! # Ok(()) }
//! ```
//!
//! A [`Client`] is `Send + Sync` and cheap to clone. Calls block the calling thread; cancel them
//! from another thread with a [`CancelToken`]. A [`Stream`] is an iterator of [`Event`]s whose
//! request is cancelled when it is dropped. Every failure is an [`Error`] with an [`ErrorKind`],
//! the HTTP status, the provider's message and the `Retry-After`.
#![deny(missing_docs, missing_debug_implementations, warnings)]

mod chat;
mod client;
mod error;
mod ffi;
mod stream;
mod tasks;

pub use chat::{ChatRequest, ChatResponse, Message, ToolCall, Usage};
pub use client::{CallOptions, CancelToken, Client, ClientBuilder};
pub use error::{Error, ErrorKind, Result};
pub use stream::{Event, Stream};
pub use tasks::{
    data_url, Answer, AudioOutput, BoundingBox, Classification, Detection, Fill, GeneratedText, Media, Progress,
    Segment, Summary, TableAnswer, TaskOutput, Token, Transcript, Translation,
};

/// The loaded libhfi's version, e.g. `"0.2.0"`.
pub fn version() -> String {
    // SAFETY: a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(hfi_sys::hfi_version_str()) }.to_string_lossy().into_owned()
}
