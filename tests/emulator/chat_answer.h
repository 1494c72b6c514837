// The emulator's deterministic chat answer: "Hello! You said: <last user text>",
// or a forced tool call, as one chat.completion JSON or as an SSE stream.
#pragma once

#include <string>

#include "chat_request.h"
#include "reply.h"

namespace hfi::emu {

inline constexpr const char* kToolCallId = "call_emu_1";
inline constexpr const char* kToolArguments = R"({"location": "Paris", "unit": "celsius"})";

std::string chat_answer_text(const ChatQuery& query);
Reply chat_answer_reply(const ChatQuery& query, const std::string& completion_id, bool stream);

}  // namespace hfi::emu
