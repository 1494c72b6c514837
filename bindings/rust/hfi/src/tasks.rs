//! Every inference task: a generic call and one typed method per task.

use std::ffi::CString;
use std::os::raw::c_void;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use hfi_sys as sys;

use crate::client::{CallOptions, Client, Panic};
use crate::error::{Error, Result};
use crate::ffi;

/// The output of any task: JSON in the shape of the task's spec, or media bytes.
#[derive(Debug, Clone, Default)]
pub struct TaskOutput {
    /// The output normalised to the task spec's shape (empty for media).
    pub json: String,
    /// The bytes of an image, audio or video task.
    pub bytes: Vec<u8>,
    /// The MIME type of `bytes`.
    pub media_type: String,
    /// The main text of text outputs (generated text, summary, transcript).
    pub text: String,
    /// The provider that served it.
    pub provider: String,
}

/// The state of a running job, as its provider reports it.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The provider's status word (`IN_QUEUE`, `processing`, ...).
    pub status: String,
    /// From 0 to 1, or `None` when the provider does not say.
    pub fraction: Option<f64>,
    /// The provider's status answer.
    pub json: String,
}

/// An image, audio clip or video.
#[derive(Debug, Clone, Default)]
pub struct Media {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Their MIME type (`image/png`, `audio/wav`, `video/mp4`, ...).
    pub media_type: String,
    /// The provider that made it.
    pub provider: String,
}

struct ProgressSink<'a> {
    f: &'a mut dyn FnMut(Progress),
    panic: Panic,
}

unsafe extern "C" fn on_progress(ev: *const sys::hfi_event, user_data: *mut c_void) -> i32 {
    // SAFETY: user_data is the ProgressSink on the stack of the call dispatching this event.
    let sink = &mut *(user_data as *mut ProgressSink<'_>);
    if sys::hfi_event_type(ev) as u32 != sys::HFI_EVENT_PROGRESS {
        return 0;
    }
    let fraction = sys::hfi_event_progress(ev);
    let progress = Progress {
        status: ffi::text(|p, n| sys::hfi_event_text(ev, p, n)),
        fraction: (fraction >= 0.0).then_some(fraction),
        json: ffi::text(|p, n| sys::hfi_event_json(ev, p, n)),
    };
    let f = &mut sink.f;
    if sink.panic.catch(|| f(progress)) {
        0
    } else {
        1
    }
}

impl Client {
    /// Runs any Hugging Face task (`text-to-image`, `summarization`, ...) on `model` and waits
    /// for its output. `body` is the task-spec request (`{"inputs": ..., "parameters": ...}`), or
    /// `Value::Null` when a binary input ([`CallOptions::input`]) is all there is. Jobs are polled
    /// to the end and their files downloaded.
    pub fn task(&self, task: &str, model: &str, body: &Value, options: &CallOptions) -> Result<TaskOutput> {
        self.task_with_progress(task, model, body, options, &mut |_| {})
    }

    /// [`Client::task`], with `progress` receiving the job's PROGRESS events on this thread. A
    /// panic in it stops the call and is raised again from here.
    pub fn task_with_progress(
        &self,
        task: &str,
        model: &str,
        body: &Value,
        options: &CallOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<TaskOutput> {
        if task.is_empty() {
            return Err(Error::invalid("the task is empty"));
        }
        if model.is_empty() {
            return Err(Error::invalid("the model is empty"));
        }
        let (c_task, c_model): (CString, CString) = (ffi::c_string(task, "the task")?, ffi::c_string(model, "the model")?);
        let payload = if body.is_null() { String::new() } else { body.to_string() };
        let mut sink = ProgressSink { f: progress, panic: Panic::default() };
        let user_data = &mut sink as *mut ProgressSink<'_> as *mut c_void;
        let result = self.run(options, Some(on_progress), user_data, |client, o, out| unsafe {
            sys::hfi_task_start(client, c_task.as_ptr(), c_model.as_ptr(), payload.as_ptr().cast(), payload.len(), o, out)
        });
        sink.panic.resume();
        let response = result?;
        Ok(TaskOutput {
            json: response.text(sys::hfi_response_json),
            // SAFETY: the response is live while `response` is.
            bytes: ffi::bytes(|p, n| unsafe { sys::hfi_response_bytes(response.0, p, n) }),
            media_type: response.text(sys::hfi_response_media_type),
            text: response.text(sys::hfi_response_content),
            provider: response.text(sys::hfi_response_provider),
        })
    }

    fn task_json<T: DeserializeOwned>(&self, task: &str, model: &str, body: Value, options: &CallOptions) -> Result<T> {
        let output = self.task(task, model, &body, options)?;
        serde_json::from_str(&output.json)
            .map_err(|e| Error::new(sys::HFI_E_PROTOCOL, format!("the {task} output does not have the task's shape: {e}")))
    }

    fn task_media(&self, task: &str, model: &str, body: Value, options: &CallOptions) -> Result<Media> {
        let output = self.task(task, model, &body, options)?;
        if output.bytes.is_empty() {
            return Err(Error::new(sys::HFI_E_PROTOCOL, format!("the {task} answer has no media")));
        }
        Ok(Media { bytes: output.bytes, media_type: output.media_type, provider: output.provider })
    }

    /// The router's chat models, or one of them, with the providers serving each (the router's
    /// JSON: status, pricing, context length, latency).
    pub fn list_models(&self, model: Option<&str>) -> Result<Value> {
        let c_model = model.map(|m| ffi::c_string(m, "the model")).transpose()?;
        let response = self.with_raw(|client| {
            let mut out = std::ptr::null_mut();
            let model_ptr = c_model.as_ref().map_or(std::ptr::null(), |m| m.as_ptr());
            // SAFETY: the client is live under the read lock; out is valid.
            let code = unsafe { sys::hfi_list_models(client, model_ptr, &mut out) };
            let response = crate::client::Response(out);
            if code != sys::HFI_OK {
                // SAFETY: NULL or live.
                return Err(unsafe { Error::from_hfi(code, if out.is_null() { std::ptr::null() } else { sys::hfi_response_error(out) }) });
            }
            Ok(response)
        })?;
        serde_json::from_str(&response.text(sys::hfi_response_json))
            .map_err(|e| Error::new(sys::HFI_E_PROTOCOL, format!("the model listing is not JSON: {e}")))
    }
}

/// Writes bytes as a `data:` URL (`data:image/png;base64,...`), as chat messages take images;
/// an empty `media_type` has hfi tell it from the bytes.
pub fn data_url(data: &[u8], media_type: &str) -> Result<String> {
    if data.is_empty() {
        return Err(Error::invalid("data_url: no bytes"));
    }
    let c_type = (!media_type.is_empty()).then(|| ffi::c_string(media_type, "the media type")).transpose()?;
    let type_ptr = c_type.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
    let mut needed = 0usize;
    // SAFETY: sizing call: no buffer.
    unsafe { sys::hfi_data_url(data.as_ptr().cast(), data.len(), type_ptr, std::ptr::null_mut(), 0, &mut needed) };
    let mut buf = vec![0u8; needed];
    ffi::checked(|| unsafe {
        sys::hfi_data_url(data.as_ptr().cast(), data.len(), type_ptr, buf.as_mut_ptr().cast(), buf.len(), &mut needed)
    })?;
    buf.truncate(needed.saturating_sub(1));
    String::from_utf8(buf).map_err(|_| Error::new(sys::HFI_E_INTERNAL, "data_url: not UTF-8"))
}

// ---- typed outputs ------------------------------------------------------------------------------

/// A label and its score (text, image, audio and zero-shot classification).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Classification {
    /// The label.
    pub label: String,
    /// Its score.
    pub score: f64,
}

/// Generated text (text-generation, image-to-text).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct GeneratedText {
    /// The text.
    pub generated_text: String,
}

/// A summary.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Summary {
    /// The summary.
    pub summary_text: String,
}

/// A translation.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Translation {
    /// The translated text.
    pub translation_text: String,
}

/// An entity of token-classification.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Token {
    /// The entity's group (`PER`, `LOC`, ...).
    #[serde(default)]
    pub entity_group: String,
    /// Its score.
    pub score: f64,
    /// The words.
    pub word: String,
    /// Where it starts in the text.
    pub start: Option<u64>,
    /// Where it ends.
    pub end: Option<u64>,
}

/// An answer (question answering over text, images or documents).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Answer {
    /// The answer.
    pub answer: String,
    /// Its score.
    #[serde(default)]
    pub score: f64,
    /// Where it starts in the context, when it comes from one.
    pub start: Option<u64>,
    /// Where it ends.
    pub end: Option<u64>,
}

/// An answer about a table.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct TableAnswer {
    /// The answer.
    pub answer: String,
    /// The cells it comes from.
    #[serde(default)]
    pub cells: Vec<String>,
    /// Their coordinates.
    #[serde(default)]
    pub coordinates: Vec<Vec<u64>>,
    /// The aggregation applied.
    #[serde(default)]
    pub aggregator: Option<String>,
}

/// A candidate of fill-mask.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Fill {
    /// The text with the mask filled.
    pub sequence: String,
    /// Its score.
    pub score: f64,
    /// The token id.
    pub token: i64,
    /// The token.
    pub token_str: String,
}

/// A transcript.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Transcript {
    /// The text.
    pub text: String,
}

/// An object found in an image, with its box in pixels.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Detection {
    /// The object's label.
    pub label: String,
    /// Its score.
    pub score: f64,
    /// Where it is.
    #[serde(rename = "box")]
    pub bounding_box: BoundingBox,
}

/// A box in pixels.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
pub struct BoundingBox {
    /// Left.
    pub xmin: i64,
    /// Top.
    pub ymin: i64,
    /// Right.
    pub xmax: i64,
    /// Bottom.
    pub ymax: i64,
}

/// A region of image-segmentation; `mask` is a base64 image.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Segment {
    /// The region's label.
    pub label: String,
    /// Its score, when the model gives one.
    pub score: Option<f64>,
    /// The mask, base64.
    pub mask: String,
}

/// An audio of audio-to-audio; `blob` is base64.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct AudioOutput {
    /// Its label.
    pub label: String,
    /// The audio, base64.
    pub blob: String,
    /// Its MIME type.
    #[serde(rename = "content-type", default)]
    pub content_type: String,
}

fn with_input(options: &CallOptions, data: &[u8]) -> CallOptions {
    options.clone().input(data, "")
}

macro_rules! text_task {
    ($(#[$doc:meta])* $name:ident, $task:literal, $out:ty) => {
        $(#[$doc])*
        pub fn $name(&self, model: &str, text: &str, options: &CallOptions) -> Result<$out> {
            self.task_json($task, model, json!({ "inputs": text }), options)
        }
    };
}

macro_rules! input_task {
    ($(#[$doc:meta])* $name:ident, $task:literal, $out:ty) => {
        $(#[$doc])*
        pub fn $name(&self, model: &str, data: &[u8], options: &CallOptions) -> Result<$out> {
            if data.is_empty() {
                return Err(Error::invalid(concat!($task, ": the input is empty")));
            }
            self.task_json($task, model, Value::Null, &with_input(options, data))
        }
    };
}

impl Client {
    text_task!(/// Continues a prompt (text-generation).
        text_generation, "text-generation", GeneratedText);
    text_task!(/// Summarises a text.
        summarization, "summarization", Summary);
    text_task!(/// Translates a text.
        translation, "translation", Translation);
    text_task!(/// Classifies a text.
        text_classification, "text-classification", Vec<Classification>);
    text_task!(/// Finds the entities of a text.
        token_classification, "token-classification", Vec<Token>);
    text_task!(/// Fills the mask token of a text.
        fill_mask, "fill-mask", Vec<Fill>);
    input_task!(/// Transcribes an audio clip.
        automatic_speech_recognition, "automatic-speech-recognition", Transcript);
    input_task!(/// Classifies an audio clip.
        audio_classification, "audio-classification", Vec<Classification>);
    input_task!(/// Transforms an audio clip (separation, enhancement).
        audio_to_audio, "audio-to-audio", Vec<AudioOutput>);
    input_task!(/// Classifies an image.
        image_classification, "image-classification", Vec<Classification>);
    input_task!(/// Finds the objects of an image.
        object_detection, "object-detection", Vec<Detection>);
    input_task!(/// Splits an image into labelled regions.
        image_segmentation, "image-segmentation", Vec<Segment>);
    input_task!(/// Describes an image.
        image_to_text, "image-to-text", GeneratedText);

    /// Scores a text against labels chosen at call time.
    pub fn zero_shot_classification(&self, model: &str, text: &str, labels: &[&str], options: &CallOptions) -> Result<Vec<Classification>> {
        self.task_json("zero-shot-classification", model, json!({ "inputs": text, "parameters": { "candidate_labels": labels } }), options)
    }

    /// Answers a question from a context text, the best answers first.
    pub fn question_answering(&self, model: &str, question: &str, context: &str, options: &CallOptions) -> Result<Vec<Answer>> {
        self.task_json("question-answering", model, json!({ "inputs": { "question": question, "context": context } }), options)
    }

    /// Answers a question about a table given as columns.
    pub fn table_question_answering(&self, model: &str, query: &str, table: &Value, options: &CallOptions) -> Result<Vec<TableAnswer>> {
        self.task_json("table-question-answering", model, json!({ "inputs": { "query": query, "table": table } }), options)
    }

    /// Embeds each text as a vector.
    pub fn feature_extraction(&self, model: &str, texts: &[&str], options: &CallOptions) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Err(Error::invalid("feature-extraction needs at least one text"));
        }
        self.task_json("feature-extraction", model, json!({ "inputs": texts }), options)
    }

    /// Scores each sentence against the source sentence.
    pub fn sentence_similarity(&self, model: &str, source: &str, sentences: &[&str], options: &CallOptions) -> Result<Vec<f64>> {
        self.task_json("sentence-similarity", model, json!({ "inputs": { "source_sentence": source, "sentences": sentences } }), options)
    }

    /// Classifies each row of a table given as columns.
    pub fn tabular_classification(&self, model: &str, columns: &Value, options: &CallOptions) -> Result<Vec<Value>> {
        self.task_json("tabular-classification", model, json!({ "inputs": { "data": columns } }), options)
    }

    /// Predicts a number for each row of a table given as columns.
    pub fn tabular_regression(&self, model: &str, columns: &Value, options: &CallOptions) -> Result<Vec<f64>> {
        self.task_json("tabular-regression", model, json!({ "inputs": { "data": columns } }), options)
    }

    /// Scores an image against labels chosen at call time.
    pub fn zero_shot_image_classification(&self, model: &str, image: &[u8], labels: &[&str], options: &CallOptions) -> Result<Vec<Classification>> {
        self.task_json("zero-shot-image-classification", model, json!({ "parameters": { "candidate_labels": labels } }), &with_input(options, image))
    }

    /// Answers a question about an image.
    pub fn visual_question_answering(&self, model: &str, image: &[u8], question: &str, options: &CallOptions) -> Result<Vec<Answer>> {
        self.task_json("visual-question-answering", model, json!({ "inputs": { "question": question } }), &with_input(options, image))
    }

    /// Answers a question about a document image.
    pub fn document_question_answering(&self, model: &str, image: &[u8], question: &str, options: &CallOptions) -> Result<Vec<Answer>> {
        self.task_json("document-question-answering", model, json!({ "inputs": { "question": question } }), &with_input(options, image))
    }

    /// Generates an image from a prompt; `parameters` may be `Value::Null`.
    pub fn text_to_image(&self, model: &str, prompt: &str, parameters: &Value, options: &CallOptions) -> Result<Media> {
        self.task_media("text-to-image", model, inputs(prompt, parameters), options)
    }

    /// Transforms an image (`parameters` usually hold a `prompt`).
    pub fn image_to_image(&self, model: &str, image: &[u8], parameters: &Value, options: &CallOptions) -> Result<Media> {
        self.task_media("image-to-image", model, json!({ "parameters": parameters }), &with_input(options, image))
    }

    /// Generates a video from a prompt.
    pub fn text_to_video(&self, model: &str, prompt: &str, parameters: &Value, options: &CallOptions) -> Result<Media> {
        self.task_media("text-to-video", model, inputs(prompt, parameters), options)
    }

    /// Animates an image (`parameters` usually hold a `prompt`).
    pub fn image_to_video(&self, model: &str, image: &[u8], parameters: &Value, options: &CallOptions) -> Result<Media> {
        self.task_media("image-to-video", model, json!({ "parameters": parameters }), &with_input(options, image))
    }

    /// Speaks a text.
    pub fn text_to_speech(&self, model: &str, text: &str, parameters: &Value, options: &CallOptions) -> Result<Media> {
        self.task_media("text-to-speech", model, inputs(text, parameters), options)
    }
}

fn inputs(text: &str, parameters: &Value) -> Value {
    if parameters.is_null() {
        json!({ "inputs": text })
    } else {
        json!({ "inputs": text, "parameters": parameters })
    }
}
