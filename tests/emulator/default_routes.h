// What the emulator answers when no script step applies: tape replay (when
// asked for), the Hub and router metadata, result files, every provider's
// routes, the router's own chat route, and 404 for anything else.
#pragma once

#include "emulator_state.h"
#include "http_request.h"
#include "reply.h"

namespace hfi::emu {

// force_stream: answer a valid chat request with a stream even if it did not ask for one.
Reply default_reply(EmulatorState& state, const HttpRequest& request, bool force_stream);

// The OpenAI-compatible chat answer, wherever a chat route lands.
Reply chat_route_reply(EmulatorState& state, const HttpRequest& request, bool force_stream);

}  // namespace hfi::emu
