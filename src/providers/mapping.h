// The Hub's inference provider mapping of a model
// (GET {hub}/api/models/{id}?expand[]=inferenceProviderMapping), and the choice of a provider from
// it for a task: `auto` takes the first usable entry in the server's order (which follows the
// user's preferences when the call carries their token), where the official clients take the
// first entry whatever it is (../shared/research/hf-clients.md §C.1–C.2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::providers {

struct MappingEntry {
  std::string provider;     // "together"
  std::string provider_id;  // the model's id at that provider
  std::string status;       // "live", "staging" or "error"
  std::string task;         // as the Hub names it: "conversational" for chat
  std::string adapter;      // "lora" for LoRA adapters, else empty
  std::string adapter_weights_path;
};

// Parses the model info document (the mapping as an object keyed by provider) or a bare list of
// entries ([{provider, providerId, ...}]). Entries keep the server's order; an entry without a
// provider or providerId is dropped. False, with `error`, for a body that is neither. Never throws.
bool parse_mapping(std::string_view body, std::vector<MappingEntry>& out, std::string& error);

// Whether a mapping entry's task serves `task` (an HF task id of the catalog).
bool mapping_serves(const MappingEntry& entry, std::string_view task);

// `auto`: the first entry that serves `task`, is not in error status and names a provider hfi
// can reach through the router. nullptr, with `why` listing what each entry lacked, when none.
const MappingEntry* choose_auto(const std::vector<MappingEntry>& entries, std::string_view task, std::string& why);

// An explicit provider: its entry, if it serves `task`; else nullptr with the reason in `why`.
const MappingEntry* choose_provider(const std::vector<MappingEntry>& entries, std::string_view provider,
                                    std::string_view task, std::string& why);

}  // namespace hfi::providers
