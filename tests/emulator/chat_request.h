// Reads an OpenAI-style chat-completions request body into the few facts the
// emulator's deterministic answer depends on, or the error reply it deserves.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "reply.h"

namespace hfi::emu {

struct ChatQuery {
  std::string model;
  std::string last_user_text;    // text of the last "user" message; text parts concatenated
  std::size_t prompt_words = 0;  // whitespace-separated words over all message texts
  bool stream = false;
  bool include_usage = false;           // stream_options.include_usage
  std::optional<std::string> tool_name;  // set when tools + tool_choice force a call
};

// False when the body is not acceptable; *error is then the reply to send
// (400 for bad JSON or missing model, 422 for missing or empty messages).
bool parse_chat_request(const std::string& body, ChatQuery* query, Reply* error);

Reply openai_error_reply(int status, const std::string& message);

}  // namespace hfi::emu
