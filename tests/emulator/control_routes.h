// The /_emulator/* routes through which tests (and other processes) script the
// emulator and read back what it recorded. Never recorded, never scripted.
#pragma once

#include <string>

#include "emulator_state.h"
#include "http_request.h"
#include "reply.h"

namespace hfi::emu {

inline constexpr const char* kControlPrefix = "/_emulator/";

bool is_control_path(const std::string& path);
Reply control_reply(EmulatorState& state, const HttpRequest& request);

// Back to a fresh emulator: no steps, no recordings, the default registry and
// job knobs, replay off.
void reset_state(EmulatorState& state);

// Queues the steps in json_text; throws ScriptError if it is malformed.
std::size_t queue_script(EmulatorState& state, const std::string& json_text);

}  // namespace hfi::emu
