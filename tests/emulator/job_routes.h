// The asynchronous job protocols of the media providers, each as its service
// speaks it: fal-ai's queue, Together's /v2/videos, WaveSpeed, Z.ai, Novita
// and Replicate. Submits create a JobStore job; polls advance it.
#pragma once

#include <string>

#include "emulator_state.h"
#include "http_request.h"
#include "provider_context.h"
#include "reply.h"

namespace hfi::emu {

// A submit for `task` on the provider's model `provider_model`.
Reply job_submit_reply(EmulatorState& state, const HttpRequest& request, const ProviderContext& context,
                       const std::string& task, const std::string& provider_model);

// Status polls, result fetches and cancels. False when `rest` (the path after
// the provider prefix) is none of the provider's job routes.
bool job_followup_reply(EmulatorState& state, const HttpRequest& request, const ProviderContext& context,
                        const std::string& rest, Reply* reply);

// fal-ai's answer for a finished request of `task` (also its synchronous answer).
nlohmann::ordered_json fal_result(const std::string& task, const std::string& file_url, const std::string& transcript);

}  // namespace hfi::emu
