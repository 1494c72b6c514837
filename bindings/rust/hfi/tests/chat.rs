//! Blocking and streamed chat, errors, cancellation and drop while in flight.
mod common;

use std::time::{Duration, Instant};

use common::*;
use hfi::{CallOptions, CancelToken, ErrorKind, Event};
use serde_json::json;

#[test]
fn blocking_chat_returns_the_whole_completion() {
    let resp = client().chat(&ask("ping")).unwrap();
    assert_eq!(resp.content, "Hello! You said: ping");
    assert_eq!(resp.finish_reason, "stop");
    assert_eq!(resp.attempts, 1);
    let usage = resp.usage;
    assert!(usage.prompt_tokens.unwrap() > 0);
    assert_eq!(usage.total_tokens, Some(usage.prompt_tokens.unwrap() + usage.completion_tokens.unwrap()));
    let doc: serde_json::Value = serde_json::from_str(&resp.json).unwrap();
    assert_eq!(doc["object"], "chat.completion");
    assert_eq!(doc["choices"][0]["message"]["content"], resp.content);
}

#[test]
fn extra_members_are_sent() {
    let (base, path) = route("extra_members_are_sent");
    let client = builder().base_url(&base).build().unwrap();
    let mut req = ask("extra");
    req.extra.insert("top_k".into(), json!(7));
    client.chat(&req).unwrap();
    let seen: serde_json::Value = serde_json::from_str(&emu().get("/_emulator/requests")).unwrap();
    let body = seen.as_array().unwrap().iter().rev().find(|r| r["path"] == path.as_str()).unwrap()["body"].as_str().unwrap().to_string();
    assert!(body.contains("\"top_k\":7"), "{body}");
}

#[test]
fn stream_delivers_every_delta_then_the_response() {
    let prompt = words(40);
    let mut stream = client().stream(&ask(&prompt)).unwrap();
    let (mut text, mut deltas, mut finished) = (String::new(), 0, false);
    for event in &mut stream {
        match event.unwrap() {
            Event::Delta(t) => {
                deltas += 1;
                text.push_str(&t);
            }
            Event::Finish(reason) => finished = reason == "stop",
            _ => {}
        }
    }
    let want = format!("Hello! You said: {prompt}");
    assert_eq!(text, want);
    assert!(deltas >= 40 && finished);
    let resp = stream.response().unwrap();
    assert_eq!(resp.content, want);
    assert!(stream.next().is_none());
}

#[test]
fn a_slow_reader_gets_every_event() {
    let prompt = words(6000); // more than the stream queues
    let mut stream = client().stream(&ask(&prompt)).unwrap();
    let first = stream.next().unwrap().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut text = match first {
        Event::Delta(t) => t,
        _ => String::new(),
    };
    for event in stream {
        if let Event::Delta(t) = event.unwrap() {
            text.push_str(&t);
        }
    }
    assert_eq!(text, format!("Hello! You said: {prompt}"));
}

#[test]
fn http_errors_carry_their_detail() {
    let (base, path) = route("http_errors_carry_their_detail");
    let client = builder().base_url(&base).build().unwrap();
    emu().script(&path, json!({"status": 429, "headers": {"Retry-After": "7"},
        "body": "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}"}));
    let e = client.chat_with(&ask("x"), &CallOptions::new().max_retries(0)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.http_status(), Some(429));
    assert_eq!(e.message(), "slow down");
    assert_eq!(e.error_type(), Some("rate_limit"));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(e.to_string(), "hfi: rate limited (HTTP 429): slow down");
}

#[test]
fn an_auth_failure_ends_a_stream_with_its_error() {
    let (base, path) = route("an_auth_failure_ends_a_stream");
    let client = builder().base_url(&base).build().unwrap();
    emu().script(&path, json!({"status": 401, "body": "{\"error\":\"Invalid credentials in Authorization header\"}"}));
    let items: Vec<_> = client.stream(&ask("x")).unwrap().collect();
    assert_eq!(items.len(), 1, "{items:?}");
    let e = items[0].as_ref().unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Auth, Some(401)));
    assert_eq!(e.message(), "Invalid credentials in Authorization header");
}

#[test]
fn a_cut_stream_is_truncated_and_keeps_the_partial_text() {
    let (base, path) = route("a_cut_stream_is_truncated");
    let client = builder().base_url(&base).build().unwrap();
    emu().script(&path, json!({"default_sse": true, "drop_after": 4}));
    let mut stream = client.stream(&ask(&words(30))).unwrap();
    let items: Vec<_> = (&mut stream).collect();
    assert!(items.len() > 1);
    assert_eq!(items.last().unwrap().as_ref().unwrap_err().kind(), ErrorKind::StreamTruncated);
    assert!(!stream.response().unwrap().content.is_empty());
}

#[test]
fn the_network_down_is_a_connect_error() {
    let client = hfi::Client::builder().base_url("http://127.0.0.1:9/v1").max_retries(0).token_from_env(false).build().unwrap();
    let kind = client.chat(&ask("x")).unwrap_err().kind();
    assert!(matches!(kind, ErrorKind::Connect | ErrorKind::Network), "{kind:?}");
}

#[test]
fn a_token_cancelled_before_the_call_sends_nothing() {
    let (base, path) = route("cancelled_before");
    let client = builder().base_url(&base).build().unwrap();
    let token = CancelToken::new();
    token.cancel();
    let e = client.chat_with(&ask("never"), &CallOptions::new().cancel_token(&token)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(emu().requests_to(&path), 0);
}

#[test]
fn a_token_cancels_a_call_waiting_for_its_first_byte() {
    let (base, path) = route("cancel_first_byte");
    let client = builder().base_url(&base).build().unwrap();
    emu().script(&path, json!({"delay_ms": 10000}));
    let token = CancelToken::new();
    let canceller = token.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(150));
        canceller.cancel();
    });
    let started = Instant::now();
    let e = client.chat_with(&ask("slow"), &CallOptions::new().cancel_token(&token)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn cancelling_mid_stream_keeps_the_partial_text() {
    let (base, path) = route("cancel_mid_stream");
    let client = builder().base_url(&base).build().unwrap();
    emu().script(&path, json!({"default_sse": true, "chunk_delay_ms": 30}));
    let prompt = words(200);
    let mut stream = client.stream(&ask(&prompt)).unwrap();
    let token = stream.cancel_token();
    let mut text = String::new();
    let mut last = None;
    for event in &mut stream {
        match event {
            Ok(Event::Delta(t)) => {
                text.push_str(&t);
                token.cancel();
            }
            Ok(_) => {}
            Err(e) => last = Some(e.kind()),
        }
    }
    assert_eq!(last, Some(ErrorKind::Cancelled));
    let full = format!("Hello! You said: {prompt}");
    assert!(!text.is_empty() && text.len() < full.len() && full.starts_with(&text), "{text}");
}

#[test]
fn dropping_a_stream_in_flight_cancels_it_promptly() {
    let (base, path) = route("drop_in_flight");
    let client = builder().base_url(&base).build().unwrap();
    emu().script(&path, json!({"default_sse": true, "chunk_delay_ms": 50}));
    let mut stream = client.stream(&ask(&words(400))).unwrap();
    assert!(matches!(stream.next(), Some(Ok(_))));
    let started = Instant::now();
    drop(stream);
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // The client is still fine.
    assert_eq!(client.chat(&ask("after")).unwrap().content, "Hello! You said: after");
}

#[test]
fn a_stream_read_after_close_is_an_error_once() {
    let mut stream = client().stream(&ask("close me")).unwrap();
    stream.close();
    stream.close();
    assert_eq!(stream.next().unwrap().unwrap_err().kind(), ErrorKind::Closed);
    assert!(stream.next().is_none());
}
