// The deterministic answer of each hf-inference task, computed from its input
// so that a client's test can predict it (the rules are in README.md), shaped
// like the task's output spec and the recorded real answers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "reply.h"

namespace hfi::emu {

struct TaskInput {
  std::string task;     // catalog name
  nlohmann::json body;  // the JSON body; null when the body was raw bytes
  std::string binary;   // the image or audio: the raw body, or base64-decoded from the JSON
};

// 422 {"error": ...} when a required member is missing or of the wrong type.
Reply task_answer(const TaskInput& input);

// For providers other than hf-inference that answer the same questions.
std::string transcript_of(const std::string& audio);
std::vector<double> embedding_of(const std::string& text, std::size_t dimensions);
std::string generated_text_of(const std::string& prompt);

}  // namespace hfi::emu
