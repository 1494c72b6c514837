// Where a provider call goes and how it authenticates: through the router with an HF token, or
// straight to the provider with its own key (../shared/research/hf-clients.md §B.0, §C.4).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfi/hfi.h"
#include "providers/table.h"

namespace hfi::providers {

struct Target {
  std::string url;
  std::vector<std::string> headers;  // the authorization line first, then the provider's own
};

// `router_base` without a trailing slash ("https://router.huggingface.co"); `routed` says whether
// `key` is an HF token for the router or the provider's own key. HFI_E_UNSUPPORTED when the
// provider cannot be reached that way, HFI_E_INVALID_ARG for an empty key. Never throws.
hfi_status make_target(const ProviderInfo& provider, const TaskRoute& route, std::string_view provider_model,
                       std::string_view router_base, bool routed, std::string_view key, Target& out,
                       std::string& error);

// Where a call goes for a path already built (TaskHttpRequest.path, after the provider's prefix):
// the same routing as make_target, but `out.headers` holds only the authorization line, since the
// request builder already carries the provider's fixed headers. A non-empty `direct_base` (no
// trailing slash) replaces the provider's own hosts, queue host included, for direct calls: a
// proxy or a local emulator can stand in for any provider, hf-inference too.
hfi_status make_path_target(const ProviderInfo& provider, std::string_view path, bool queued,
                            std::string_view router_base, bool routed, std::string_view key,
                            std::string_view direct_base, Target& out, std::string& error);

}  // namespace hfi::providers
