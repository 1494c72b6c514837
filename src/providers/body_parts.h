// Pieces the per-provider body builders share: the prompt, the LoRA adapter of the mapping, and
// the error they all give for a task a provider's builder does not know.
#pragma once

#include <string>
#include <string_view>

#include "hfi/hfi.h"
#include "providers/task_body.h"
#include "providers/task_request.h"

namespace hfi::providers {

// The raw "inputs" string of a text-in task (the prompt or the text to speak).
hfi_status prompt_of(const TaskCallInput& in, const TaskBody& body, std::string& raw, std::string& error);

// Whether the chosen mapping entry is a LoRA adapter; HFI_E_INVALID_ARG when it is one without
// its weights path.
hfi_status lora_of(const TaskCallInput& in, bool& is_lora, std::string& error);

// "{hub}/{hf_id}/resolve/main/{adapterWeightsPath}": where the adapter's weights are downloaded.
std::string lora_weights_url(const TaskCallInput& in);

// The image or audio input as the JSON string of a URL (the caller's, or a data URL of the bytes).
hfi_status media_url_json(const TaskCallInput& in, const TaskBody& body, std::string& url, std::string& error);

hfi_status unsupported(const TaskCallInput& in, std::string& error);

}  // namespace hfi::providers
