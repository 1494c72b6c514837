// Every provider's routes under /{provider}/... (through the router) and
// /direct/{provider}/... (the provider's own API): chat, completions,
// embeddings, images, speech, transcription, and the media job flows.
#pragma once

#include <string>

#include "emulator_state.h"
#include "http_request.h"
#include "reply.h"

namespace hfi::emu {

// fal-ai's queue host (queue.fal.run) in direct mode: a client whose fal queue
// base URL is {emulator}/direct/fal-ai-queue gets every submit queued there.
inline constexpr const char* kFalQueueHost = "fal-ai-queue";

// Splits "/direct/{provider}/rest" or "/{provider}/rest" for a known provider
// (or /direct/fal-ai-queue); false for other paths.
bool split_provider_path(const std::string& path, std::string* provider, bool* direct, std::string* rest);

Reply provider_reply(EmulatorState& state, const HttpRequest& request, const std::string& provider, bool direct,
                     const std::string& rest, bool force_stream);

}  // namespace hfi::emu
