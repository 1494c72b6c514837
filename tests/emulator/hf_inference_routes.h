// The hf-inference provider: POST /hf-inference/models/{model}[route suffix]
// (and the older /hf-inference/pipeline/{task}/{model}). The task is the one
// the model's registry entry names; the answer is task_answers.h's.
#pragma once

#include "emulator_state.h"
#include "http_request.h"
#include "reply.h"

namespace hfi::emu {

// `rest` is the path after "/hf-inference" (or "/direct/hf-inference").
Reply hf_inference_reply(EmulatorState& state, const HttpRequest& request, const std::string& rest, bool force_stream);

}  // namespace hfi::emu
