// The inference tasks hfi knows, and what each needs on the wire: how it takes its input, what it
// gives back, and where the hf-inference provider serves it. One table, so that adding a task is a
// line, not a branch in every layer.
#pragma once

#include <string_view>
#include <vector>

namespace hfi::tasks {

// Where an image or audio input goes.
enum class BinaryInput {
  none,          // the task takes only JSON
  body_or_json,  // the raw bytes are the whole body, or base64 in "inputs" next to "parameters"
  json_inputs,   // always JSON: base64 in "inputs"
  json_image,    // always JSON: base64 in "inputs"."image", beside the question
};

enum class Output { json, media };

struct TaskInfo {
  std::string_view name;  // HF task id, as in the task specs: "text-classification"
  BinaryInput binary;
  Output output;
  bool hf_inference;          // served by the hf-inference provider
  std::string_view hf_route;  // appended to /hf-inference/models/{model}
  std::string_view accept;    // an Accept header the server needs, or empty
};

// nullptr for a name hfi does not know.
const TaskInfo* find_task(std::string_view name);
const std::vector<TaskInfo>& all_tasks();

}  // namespace hfi::tasks
