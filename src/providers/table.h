// The inference providers hfi can reach, as data: where each one lives, how a direct call
// authenticates, and which path serves each task (../shared/research/hf-clients.md §B.1, checked
// against the recorded traffic in ../shared/fixtures/hfjs-tapes). Through the router every
// provider is at {router}/{name}{path}; called directly it is at {direct base}{path}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::providers {

// How a direct call (with the provider's own key) sends the key; through the router it is always
// "Authorization: Bearer <HF token>".
enum class DirectAuth { bearer, key };  // key: fal-ai's "Authorization: Key <key>"

struct TaskRoute {
  std::string_view task;  // HF task id
  // "{id}" stands for the provider's model id; replicate's versioned ids ("owner/name:version")
  // go to /v1/predictions instead (see route_path).
  std::string_view path;
  bool queued = false;  // fal-ai: the queue host, whose jobs are polled
};

struct ProviderInfo {
  std::string_view name;         // as the router and the Hub mapping spell it
  std::string_view direct_base;  // empty: reachable only through the router
  std::string_view queue_base;   // fal-ai's queue host, else empty
  DirectAuth direct_auth = DirectAuth::bearer;
  bool routed = true;            // false: direct calls only (openai)
  std::vector<TaskRoute> routes;
  std::vector<std::string_view> headers;  // sent on every call ("Name: value")
};

const std::vector<ProviderInfo>& all_providers();
const ProviderInfo* find_provider(std::string_view name);
const TaskRoute* find_route(const ProviderInfo& provider, std::string_view task);

// The path of `route` for a provider model id, "{id}" filled in.
std::string route_path(const ProviderInfo& provider, const TaskRoute& route, std::string_view provider_model);

}  // namespace hfi::providers
