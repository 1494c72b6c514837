//! 32 threads share one client; Close while calls run.
mod common;

use std::sync::Arc;

use common::*;
use hfi::{ErrorKind, Event};
use serde_json::json;

#[test]
fn thirty_two_threads_share_one_client() {
    let c = client();
    let handles: Vec<_> = (0..32)
        .map(|t| {
            let c = c.clone();
            std::thread::spawn(move || {
                for i in 0..4 {
                    let prompt = format!("thread {t} call {i} {}", words(t % 7));
                    let want = format!("Hello! You said: {prompt}");
                    match (t + i) % 3 {
                        0 => assert_eq!(c.chat(&ask(&prompt)).unwrap().content, want),
                        1 => {
                            let text: String = c
                                .stream(&ask(&prompt))
                                .unwrap()
                                .filter_map(|e| match e.unwrap() {
                                    Event::Delta(t) => Some(t),
                                    _ => None,
                                })
                                .collect();
                            assert_eq!(text, want);
                        }
                        _ => {
                            let s = c.summarization("emu/summarization", &format!("{prompt}. More."), &hfi::CallOptions::new()).unwrap();
                            assert!(!s.summary_text.is_empty());
                        }
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn closing_a_client_while_calls_run_ends_them() {
    let (base, path) = route("close_while_running");
    let c = builder().base_url(&base).build().unwrap();
    emu().script(&path, json!({"default_sse": true, "chunk_delay_ms": 20, "repeat": 16}));
    let c = Arc::new(c);
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || match c.stream(&ask(&words(100))) {
                Err(e) => assert_eq!(e.kind(), ErrorKind::Closed),
                Ok(stream) => {
                    for event in stream {
                        if let Err(e) = event {
                            assert!(matches!(e.kind(), ErrorKind::Cancelled | ErrorKind::Closed), "{e}");
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(100));
    c.close();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(c.chat(&ask("late")).unwrap_err().kind(), ErrorKind::Closed);
}
