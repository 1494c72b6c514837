// Bodies of the OpenAI-style audio routes: speech synthesis as JSON ({model, input, voice?}) and
// transcription as multipart/form-data with the audio as the `file` part, for deepinfra and
// together (../shared/research/hf-clients.md §B.1).
#pragma once

#include <string>

#include "hfi/hfi.h"
#include "providers/task_body.h"
#include "providers/task_request.h"

namespace hfi::providers {

hfi_status openai_audio_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out,
                             std::string& error);

}  // namespace hfi::providers
