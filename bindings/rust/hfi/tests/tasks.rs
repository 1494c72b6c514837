//! Every task family through its typed method, against the emulator's model emu/<task>.
mod common;

use std::time::Duration;

use common::*;
use hfi::{CallOptions, ErrorKind};
use serde_json::{json, Value};

#[test]
fn text_tasks() {
    let c = client();
    let o = CallOptions::new();
    assert!(!c.text_generation("emu/text-generation", "The fox", &o).unwrap().generated_text.is_empty());
    assert!(!c.summarization("emu/summarization", "One thing. Two things.", &o).unwrap().summary_text.is_empty());
    assert!(!c.translation("emu/translation", "hello", &o).unwrap().translation_text.is_empty());
    let cls = c.text_classification("emu/text-classification", "I like it", &o).unwrap();
    assert!(!cls.is_empty() && !cls[0].label.is_empty() && cls[0].score > 0.0);
    assert_eq!(c.zero_shot_classification("emu/zero-shot-classification", "a cat", &["cat", "dog"], &o).unwrap().len(), 2);
    assert!(!c.token_classification("emu/token-classification", "Emu lives in Paris", &o).unwrap()[0].word.is_empty());
    assert!(!c.question_answering("emu/question-answering", "Who?", "It was Emu", &o).unwrap()[0].answer.is_empty());
    let table = json!({"a": ["x", "y"]});
    assert!(!c.table_question_answering("emu/table-question-answering", "x", &table, &o).unwrap()[0].answer.is_empty());
    assert!(!c.fill_mask("emu/fill-mask", "Paris is [MASK] capital.", &o).unwrap()[0].token_str.is_empty());
    let emb = c.feature_extraction("emu/feature-extraction", &["a b", "c"], &o).unwrap();
    assert!(emb.len() == 2 && !emb[0].is_empty());
    assert_eq!(c.sentence_similarity("emu/sentence-similarity", "a b", &["a b", "c d"], &o).unwrap().len(), 2);
    let columns = json!({"a": ["1", "2"]});
    assert_eq!(c.tabular_classification("emu/tabular-classification", &columns, &o).unwrap().len(), 2);
    assert_eq!(c.tabular_regression("emu/tabular-regression", &columns, &o).unwrap().len(), 2);
}

#[test]
fn media_output_tasks() {
    let c = client();
    let o = CallOptions::new();
    let cases: Vec<(&str, &str, hfi::Result<hfi::Media>)> = vec![
        ("text-to-image", "image/", c.text_to_image("emu/text-to-image", "a red fox", &Value::Null, &o)),
        ("image-to-image", "image/", c.image_to_image("emu/image-to-image", &png(), &json!({"prompt": "blue"}), &o)),
        ("text-to-speech", "audio/", c.text_to_speech("emu/text-to-speech", "hello there", &Value::Null, &o)),
        ("text-to-video", "video/", c.text_to_video("emu/text-to-video", "a fox running", &Value::Null, &o)),
        ("image-to-video", "video/", c.image_to_video("emu/image-to-video", &png(), &json!({"prompt": "move"}), &o)),
    ];
    for (task, prefix, result) in cases {
        let media = result.unwrap_or_else(|e| panic!("{task}: {e}"));
        assert!(!media.bytes.is_empty() && media.media_type.starts_with(prefix) && !media.provider.is_empty(), "{task}: {media:?}");
    }
}

#[test]
fn image_and_audio_input_tasks() {
    let c = client();
    let o = CallOptions::new();
    assert!(!c.image_classification("emu/image-classification", &png(), &o).unwrap()[0].label.is_empty());
    assert_eq!(c.zero_shot_image_classification("emu/zero-shot-image-classification", &png(), &["png", "jpeg"], &o).unwrap().len(), 2);
    let det = c.object_detection("emu/object-detection", &png(), &o).unwrap();
    assert!(!det[0].label.is_empty() && det[0].bounding_box.xmax >= det[0].bounding_box.xmin);
    assert!(!c.image_segmentation("emu/image-segmentation", &png(), &o).unwrap()[0].mask.is_empty());
    assert!(!c.image_to_text("emu/image-to-text", &png(), &o).unwrap().generated_text.is_empty());
    assert!(!c.visual_question_answering("emu/visual-question-answering", &png(), "What colour?", &o).unwrap()[0].answer.is_empty());
    assert!(!c.document_question_answering("emu/document-question-answering", &png(), "Total?", &o).unwrap()[0].answer.is_empty());
    assert!(!c.automatic_speech_recognition("emu/automatic-speech-recognition", &wav(), &o).unwrap().text.is_empty());
    assert!(!c.audio_classification("emu/audio-classification", &wav(), &o).unwrap()[0].label.is_empty());
    assert!(!c.audio_to_audio("emu/audio-to-audio", &wav(), &o).unwrap()[0].blob.is_empty());
}

#[test]
fn generic_task_on_a_named_provider_and_chat_through_a_task() {
    let c = client();
    let out = c.task("text-to-image", "emu/text-to-image", &json!({"inputs": "a fox"}), &CallOptions::new().providers(&["together"])).unwrap();
    assert_eq!(out.provider, "together");
    assert!(out.media_type.starts_with("image/") && !out.bytes.is_empty());
    let chat = c.task("chat-completion", "emu/chat-completion", &json!({"messages": [{"role": "user", "content": "via task"}]}), &CallOptions::new()).unwrap();
    assert_eq!(chat.text, "Hello! You said: via task");
}

#[test]
fn job_progress_is_reported_and_a_panic_in_it_is_raised_here() {
    let c = client();
    let o = CallOptions::new().providers(&["fal-ai"]).poll_interval(Duration::from_millis(10));
    let mut seen = Vec::new();
    let out = c.task_with_progress("text-to-video", "emu/text-to-video", &json!({"inputs": "a fox"}), &o, &mut |p| seen.push(p)).unwrap();
    assert!(!out.bytes.is_empty() && !seen.is_empty() && !seen[0].status.is_empty());

    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = c.task_with_progress("text-to-video", "emu/text-to-video", &json!({"inputs": "a fox"}), &o, &mut |_| panic!("boom"));
    }));
    assert_eq!(*caught.unwrap_err().downcast::<&str>().unwrap(), "boom");
    assert_eq!(c.chat(&ask("still fine")).unwrap().content, "Hello! You said: still fine");
}

#[test]
fn listing_data_urls_and_a_vision_chat() {
    let c = client();
    assert!(c.list_models(None).unwrap()["data"].is_array());
    let url = hfi::data_url(&png(), "").unwrap();
    assert!(url.starts_with("data:image/png;base64,"), "{url}");
    let mut req = ask("");
    req.messages[0].content = json!([{"type": "text", "text": "what is it"}, {"type": "image_url", "image_url": {"url": url}}]);
    assert!(c.chat(&req).unwrap().content.contains("what is it"));
}

#[test]
fn an_unknown_model_of_a_task_is_not_found() {
    let e = client().summarization("nobody/nothing", "text", &CallOptions::new()).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
}
