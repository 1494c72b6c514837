// Normalising the JSON answer of an HF inference task to the task's output
// schema (../shared/fixtures/task-specs/<task>/output.json).
//
// Real servers do not follow those schemas (fixtures/README.md, "Schema
// mismatches with live responses"): they wrap single results in lists
// (summarization `[{summary_text}]`), nest lists (text-classification
// `[[{label,score}]]`), answer lists with one object (question-answering) or
// use older shapes (zero-shot `{labels[],scores[]}`, OpenAI completions and
// embeddings). normalize_output() undoes all of that so that callers see one
// shape per task. The rules per task are the rows of task_table.cpp.
//
// What comes out:
// * exactly the members the task's schema declares, in its order; unknown
//   members are dropped (the raw body is still there for callers that want
//   them). A value whose schema has no inner structure (TGI `details`) is kept
//   whole;
// * numbers and strings byte for byte as received (raw tokens, no
//   re-formatting); the JSON is compact;
// * `null` counts as absent; an optional member of the wrong type is dropped,
//   a required member that is missing or of the wrong type fails the call;
// * a batch (a list of N > 1 results for N inputs) stays a list of results:
//   translation of two sentences gives [{translation_text},{translation_text}],
//   text-classification of two texts [[{label,score}..],[..]]. A batch of one
//   is unwrapped.
#pragma once

#include <string>
#include <string_view>

namespace hfi::tasks {

// Turns `body`, the body of a successful (HTTP 2xx) JSON response of `task`
// (an HF task id such as "text-classification"), into the task's normalised
// output JSON in `out`. On failure returns false, leaves `out` empty and puts
// a message in `error`, for example
// "text-classification: expected an array of {label, score}, got a string".
// Fails for tasks without a JSON output here (media outputs, chat-completion,
// unknown ids). Never throws: running out of memory is a failure too.
bool normalize_output(std::string_view task, std::string_view body, std::string& out, std::string& error) noexcept;

// Whether normalize_output() knows `task`.
bool has_output_normalization(std::string_view task) noexcept;

}  // namespace hfi::tasks
