// The inference tasks the emulator answers, with where hf-inference serves each
// and what kind of answer it gives. A copy of facts from the client's catalog
// (src/tasks/catalog.cpp), kept here so the emulator builds without hfi.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::emu {

struct TaskSpec {
  std::string name;         // HF task id: "text-classification"
  bool hf_inference;        // served by the hf-inference provider
  std::string hf_route;     // appended to /hf-inference/models/{model}
  bool binary_input;        // takes image or audio bytes (raw body or base64 in JSON)
  std::string media_type;   // the answer is a file of this type; empty = JSON
};

const std::vector<TaskSpec>& all_task_specs();
const TaskSpec* find_task_spec(std::string_view name);

// The Hub spells chat "conversational" in mappings; the catalog says "chat-completion".
std::string hub_task_name(std::string_view catalog_task);
std::string catalog_task_name(std::string_view hub_task);

}  // namespace hfi::emu
