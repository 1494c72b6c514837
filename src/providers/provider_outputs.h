// The answers providers give in their own shapes, turned into the task's output
// (../shared/research/hf-clients.md §B.1, §B.3): OpenAI completions and transcriptions, fal-ai
// results (ASR text, image/video/audio URLs, segmentation masks), replicate `output` forms,
// base64 images inside JSON, zai-org layout parsing, raw media bodies; everything else is
// hf-inference's shape and goes through tasks::normalize_output.
#pragma once

#include <string_view>

#include <simdjson.h>

#include "providers/task_response.h"

namespace hfi::providers {

// The answer of a synchronous call: done, a download of a result URL, or failed.
void sync_answer(JobState& job, const TaskHttpResponse& response, TaskStep& out);

// fal-ai's result object, answered synchronously by fal.run or fetched from the queue.
void fal_result(JobState& job, std::string_view body, TaskStep& out);

// The `output` of a succeeded replicate prediction.
void replicate_output(JobState& job, const simdjson::dom::element& output, TaskStep& out);

// A JSON task whose result was a URL (segmentation masks, replicate's ASR `txt_file`), once the
// download came back with `body`.
void downloaded_json_result(const JobState& job, const TaskHttpResponse& response, TaskStep& out);

}  // namespace hfi::providers
