// What the emulator answers when no script step applies: the chat-completions
// routes, /v1/models, and 404 for anything else.
#pragma once

#include "emulator_state.h"
#include "http_request.h"
#include "reply.h"

namespace hfi::emu {

// force_stream: answer a valid chat request with a stream even if it did not ask for one.
Reply default_reply(EmulatorState& state, const HttpRequest& request, bool force_stream);

}  // namespace hfi::emu
