// Turns a recorded interaction back into a Reply: its status, content type,
// the headers that are safe to repeat, and its body (a stream cut into events).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reply.h"

namespace hfi::emu {

Reply tape_reply(const nlohmann::json& record);

// Cuts an SSE body after each blank line ("\n\n", "\r\n\r\n", "\r\r"); the
// pieces concatenate back to the input exactly.
std::vector<std::string> split_sse_events(const std::string& body);

}  // namespace hfi::emu
