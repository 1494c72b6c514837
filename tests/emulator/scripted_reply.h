// Applies one script step to a request: picks the body source (tape, raw SSE,
// raw body, emulated error, or the default answer) and attaches the faults.
#pragma once

#include "emulator_state.h"
#include "http_request.h"
#include "reply.h"
#include "script_step.h"

namespace hfi::emu {

Reply scripted_reply(EmulatorState& state, const ScriptStep& step, const HttpRequest& request);

}  // namespace hfi::emu
