//! Chat completions: request and response types, the blocking call.

use std::collections::BTreeMap;
use std::ptr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use hfi_sys as sys;

use crate::client::{CallOptions, Client, Response};
use crate::error::{Error, Result};
use crate::ffi;

/// One chat message. `content` is a string, or a list of parts for text with images.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Message {
    /// `system`, `user`, `assistant` or `tool`.
    pub role: String,
    /// A string, or `[{"type":"text",...},{"type":"image_url",...}]`.
    #[serde(skip_serializing_if = "Value::is_null", default)]
    pub content: Value,
    /// The tool calls of an assistant message.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tool_calls: Vec<ToolCall>,
    /// The call a `tool` message answers.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tool_call_id: Option<String>,
}

impl Message {
    /// A message with text content.
    pub fn new(role: &str, text: &str) -> Message {
        Message { role: role.into(), content: Value::String(text.into()), ..Default::default() }
    }
    /// A user message with text.
    pub fn user(text: &str) -> Message {
        Message::new("user", text)
    }
    /// A system message.
    pub fn system(text: &str) -> Message {
        Message::new("system", text)
    }
}

/// A tool call made by the model; `arguments` is JSON text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ToolCall {
    /// The call's id.
    #[serde(default)]
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// The arguments, as JSON text.
    pub arguments: String,
}

/// An OpenAI chat-completions request. `extra` members are sent as they are.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChatRequest {
    /// The model id.
    pub model: String,
    /// The conversation.
    pub messages: Vec<Message>,
    /// Upper bound on generated tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    /// Sampling temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Tools the model may call (OpenAI `tools` JSON).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Value>,
    /// Any other member of the API (`top_p`, `seed`, `response_format`, ...).
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl ChatRequest {
    /// A request for `model` with one user message.
    pub fn new(model: &str, prompt: &str) -> ChatRequest {
        ChatRequest { model: model.into(), messages: vec![Message::user(prompt)], ..Default::default() }
    }
    pub(crate) fn body(&self) -> Result<String> {
        if self.model.is_empty() {
            return Err(Error::invalid("the chat request has no model"));
        }
        if self.messages.is_empty() {
            return Err(Error::invalid("the chat request has no messages"));
        }
        serde_json::to_string(self).map_err(|e| Error::invalid(format!("the chat request is not JSON: {e}")))
    }
}

/// Token counts; `None` where the server did not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Tokens of the prompt.
    pub prompt_tokens: Option<u64>,
    /// Tokens generated.
    pub completion_tokens: Option<u64>,
    /// Their sum.
    pub total_tokens: Option<u64>,
}

impl Usage {
    pub(crate) fn from_raw(prompt: i64, completion: i64, total: i64) -> Usage {
        let known = |v: i64| u64::try_from(v).ok();
        Usage { prompt_tokens: known(prompt), completion_tokens: known(completion), total_tokens: known(total) }
    }
}

/// A finished chat.
#[derive(Debug, Clone, Default)]
pub struct ChatResponse {
    /// The answer's text.
    pub content: String,
    /// The model's reasoning text, when it sent one.
    pub reasoning: String,
    /// Why it stopped (`stop`, `length`, `tool_calls`, ...).
    pub finish_reason: String,
    /// The model that answered.
    pub model: String,
    /// The tool calls of the answer.
    pub tool_calls: Vec<ToolCall>,
    /// Token counts.
    pub usage: Usage,
    /// The failover target that answered, when targets are set.
    pub target: String,
    /// Attempts made, retries and failovers included.
    pub attempts: u32,
    /// The `chat.completion` JSON (assembled from the stream for streams).
    pub json: String,
}

impl ChatResponse {
    pub(crate) fn from_response(r: &Response) -> ChatResponse {
        let (mut prompt, mut completion, mut total) = (-1i64, -1i64, -1i64);
        let mut count: usize = 0;
        // SAFETY: the response is live while `r` is; out-pointers are valid.
        let attempts = unsafe {
            sys::hfi_response_usage(r.0, &mut prompt, &mut completion, &mut total);
            sys::hfi_response_tool_call_count(r.0, &mut count);
            sys::hfi_response_attempts(r.0)
        };
        let tool_calls = (0..count)
            .map(|i| ToolCall {
                id: ffi::text(|p, n| unsafe { sys::hfi_response_tool_call_id(r.0, i, p, n) }),
                name: ffi::text(|p, n| unsafe { sys::hfi_response_tool_call_name(r.0, i, p, n) }),
                arguments: ffi::text(|p, n| unsafe { sys::hfi_response_tool_call_arguments(r.0, i, p, n) }),
            })
            .collect();
        ChatResponse {
            content: r.text(sys::hfi_response_content),
            reasoning: r.text(sys::hfi_response_reasoning),
            finish_reason: r.text(sys::hfi_response_finish_reason),
            model: r.text(sys::hfi_response_model),
            tool_calls,
            usage: Usage::from_raw(prompt, completion, total),
            target: r.text(sys::hfi_response_target),
            attempts: u32::try_from(attempts).unwrap_or(0),
            json: r.text(sys::hfi_response_json),
        }
    }
}

impl Client {
    /// Sends a chat completion and waits for the whole answer.
    pub fn chat(&self, request: &ChatRequest) -> Result<ChatResponse> {
        self.chat_with(request, &CallOptions::new())
    }

    /// [`Client::chat`] with per-call options (timeout, headers, cancellation).
    pub fn chat_with(&self, request: &ChatRequest, options: &CallOptions) -> Result<ChatResponse> {
        self.chat_json(&request.body()?, options)
    }

    /// A chat with the request body as JSON, passed through as it is.
    pub fn chat_json(&self, body: &str, options: &CallOptions) -> Result<ChatResponse> {
        if body.is_empty() {
            return Err(Error::invalid("the chat request body is empty"));
        }
        let response = self.run(options, None, ptr::null_mut(), |client, o, out| unsafe {
            sys::hfi_request_start(client, sys::HFI_TASK_CHAT as i32, body.as_ptr().cast(), body.len(), o, out)
        })?;
        Ok(ChatResponse::from_response(&response))
    }
}
