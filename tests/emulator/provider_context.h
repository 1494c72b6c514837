// Which provider a request reached and how: through the router
// (/{provider}/...) or directly (/direct/{provider}/...), and the origin the
// client used to reach the emulator, so URLs handed back lead to it.
#pragma once

#include <string>

#include "http_request.h"
#include "provider_catalog.h"

namespace hfi::emu {

struct ProviderContext {
  const ProviderSpec* provider = nullptr;
  bool direct = false;
  bool queue_host = false;  // direct call on fal-ai's queue host (/direct/fal-ai-queue): every submit is queued
  std::string self_origin;  // "http://127.0.0.1:41287", from the Host header

  // Where a job's own URLs point: the provider's real host through the router
  // (clients map it back to {router}/{provider}), the emulator itself when direct.
  std::string job_base() const {
    if (direct) return self_origin + "/direct/" + provider->name + (queue_host ? "-queue" : "");
    return provider->queue_host.empty() ? provider->host : provider->queue_host;
  }
};

inline std::string self_origin(const std::string& scheme, const HttpRequest& request) {
  std::string host = request.header("host");
  return scheme + "://" + (host.empty() ? std::string("127.0.0.1") : host);
}

}  // namespace hfi::emu
