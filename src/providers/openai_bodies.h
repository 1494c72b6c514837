// HF task bodies turned into the OpenAI-style bodies providers take for text generation
// (/v1/completions) and feature extraction (/v1/embeddings) (../shared/research/hf-clients.md §B.1):
//   {"inputs": P, "parameters": {"max_new_tokens": N, ...}, ...}  ->  {"model", "prompt": P, "max_tokens": N, ...}
//   {"inputs": X, ...}                                            ->  {"model", "input": X, ...}
// Values are copied as written. Unlike the JS client, "inputs" is not sent along.
#pragma once

#include <string>
#include <string_view>

#include "hfi/hfi.h"

namespace hfi::providers {

// HFI_OK, or HFI_E_INVALID_ARG (not a JSON object, no "inputs", "parameters" not an object, or a
// prompt that is not a string). Never throws.
hfi_status completions_body(std::string_view provider_model, std::string_view hf_body, std::string& out,
                            std::string& error);
hfi_status embeddings_body(std::string_view provider_model, std::string_view hf_body, std::string& out,
                           std::string& error);

}  // namespace hfi::providers
