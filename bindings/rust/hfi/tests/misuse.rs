//! Misuse gets an error, never a crash or a hang.
mod common;

use std::time::Duration;

use common::*;
use hfi::{CallOptions, ChatRequest, ErrorKind};
use serde_json::Value;

fn invalid<T: std::fmt::Debug>(what: &str, result: hfi::Result<T>) {
    let e = result.expect_err(what);
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{what}: {e}");
    assert!(!e.message().is_empty(), "{what}: no reason given");
}

#[test]
fn bad_settings_fail_build_with_the_reason() {
    invalid("ftp base URL", hfi::Client::builder().base_url("ftp://example.com").build());
    invalid("CR/LF header", hfi::Client::builder().header("Bad\r\nName", "x").build());
    invalid("NUL in a URL", hfi::Client::builder().base_url("http://a\0b").build());
    let e = hfi::Client::builder().option_int(2999, 1).build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownOption);
    assert!(hfi::Client::builder().target("https://a.example/v1").base_url("https://b.example/v1").build().is_err());
}

#[test]
fn empty_and_invalid_arguments() {
    let c = client();
    let o = CallOptions::new();
    invalid("no model", c.chat(&ChatRequest { messages: vec![hfi::Message::user("x")], ..Default::default() }));
    invalid("no messages", c.chat(&ChatRequest { model: "m".into(), ..Default::default() }));
    invalid("empty body", c.chat_json("", &o));
    invalid("body without a model", c.chat_json(r#"{"messages":[]}"#, &o));
    invalid("stream body not JSON", c.stream_json("not json", &o));
    invalid("empty task", c.task("", "m", &Value::Null, &o));
    invalid("empty model", c.task("text-to-image", "", &Value::Null, &o));
    invalid("NUL in the task", c.task("text\0to", "m", &Value::Null, &o));
    assert!(c.task("no-such-task", "emu/x", &serde_json::json!({"inputs": "x"}), &o).is_err());
    invalid("empty binary input", c.summarization("emu/summarization", "x", &o.clone().input(&[], "")));
    invalid("no image", c.image_classification("emu/image-classification", &[], &o));
    invalid("no texts", c.feature_extraction("emu/feature-extraction", &[], &o));
    invalid("data_url of nothing", hfi::data_url(&[], ""));
    invalid("NUL in a header", c.chat_with(&ask("x"), &CallOptions::new().header("X-A", "a\0b")));
}

#[test]
fn a_closed_client_refuses_every_call() {
    let c = client();
    let clone = c.clone();
    c.close();
    c.close();
    let o = CallOptions::new();
    assert_eq!(clone.chat(&ask("x")).unwrap_err().kind(), ErrorKind::Closed);
    assert_eq!(clone.stream(&ask("x")).err().unwrap().kind(), ErrorKind::Closed);
    assert_eq!(clone.summarization("emu/summarization", "x", &o).unwrap_err().kind(), ErrorKind::Closed);
    assert_eq!(clone.list_models(None).unwrap_err().kind(), ErrorKind::Closed);
}

#[test]
fn a_request_timeout_ends_a_slow_call() {
    let (base, path) = route("request_timeout");
    let c = builder().base_url(&base).build().unwrap();
    emu().script(&path, serde_json::json!({"delay_ms": 10000}));
    let e = c.chat_with(&ask("slow"), &CallOptions::new().timeout(Duration::from_millis(200)).max_retries(0)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Timeout | ErrorKind::FirstByteTimeout), "{e}");
}

#[test]
fn the_client_is_send_and_sync_and_the_stream_is_send() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<hfi::Client>();
    send_sync::<hfi::CancelToken>();
    send::<hfi::Stream>();
    send_sync::<hfi::Error>();
}
