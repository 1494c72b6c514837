// The chat completion body a provider gets from the caller's OpenAI-style body: the provider's own
// model id, first (the router reads it from the start of the body), and the few members some
// providers take differently (../shared/research/hf-clients.md §B.1): cerebras rejects `store`;
// cohere and fireworks-ai want a JSON schema as {"type":"json_object","schema"}, together as
// {"type":"json_schema","schema"}, hf-inference (TGI) as {"type":"json_object","value"}. Everything
// else passes through byte for byte.
#pragma once

#include <string>
#include <string_view>

#include "hfi/hfi.h"

namespace hfi::providers {

// HFI_OK, or HFI_E_INVALID_ARG when `body` is not a JSON object. Never throws.
hfi_status provider_chat_body(std::string_view provider, std::string_view provider_model, std::string_view body,
                              std::string& out, std::string& error);

}  // namespace hfi::providers
