#include "providers/target.h"

namespace hfi::providers {

hfi_status make_path_target(const ProviderInfo& provider, std::string_view path, bool queued,
                            std::string_view router_base, bool routed, std::string_view key,
                            std::string_view direct_base, Target& out, std::string& error) {
  try {
    out = Target{};
    const std::string name(provider.name);
    if (key.empty()) {
      error = routed ? "calls through the router need an HF token" : name + " needs its own API key";
      return HFI_E_INVALID_ARG;
    }
    if (routed) {
      if (!provider.routed) {
        error = name + " is not reached through the router: give its own key (an HF token is never sent there)";
        return HFI_E_UNSUPPORTED;
      }
      out.url = std::string(router_base) + "/" + name + std::string(path);
      if (queued) out.url += "?_subdomain=queue";  // the router's way to fal-ai's queue host
      out.headers.push_back("Authorization: Bearer " + std::string(key));
    } else {
      std::string_view base = direct_base;
      if (base.empty()) base = queued ? provider.queue_base : provider.direct_base;
      if (base.empty()) {
        error = name + " is reached only through the router, with an HF token";
        return HFI_E_UNSUPPORTED;
      }
      out.url = std::string(base) + std::string(path);
      const char* scheme = provider.direct_auth == DirectAuth::key ? "Key " : "Bearer ";
      out.headers.push_back("Authorization: " + std::string(scheme) + std::string(key));
    }
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

hfi_status make_target(const ProviderInfo& provider, const TaskRoute& route, std::string_view provider_model,
                       std::string_view router_base, bool routed, std::string_view key, Target& out,
                       std::string& error) {
  try {
    const std::string path = route_path(provider, route, provider_model);
    hfi_status st = make_path_target(provider, path, route.queued, router_base, routed, key, {}, out, error);
    if (st != HFI_OK) return st;
    for (std::string_view header : provider.headers) out.headers.emplace_back(header);
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
