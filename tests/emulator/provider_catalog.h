// The providers behind the router: their real hosts, how a direct call
// authenticates, and the route of each task they serve. Facts copied from the
// client's table (src/providers/table.cpp) so the emulator builds on its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::emu {

struct ProviderRouteSpec {
  std::string task;  // catalog name
  std::string path;  // may hold "{id}", the provider's model id
};

struct ProviderSpec {
  std::string name;        // as in the router path: "fal-ai"
  std::string host;        // "https://fal.run": job URLs handed out through the router use it
  std::string queue_host;  // fal-ai's queue host; empty elsewhere
  bool key_auth;           // direct calls authenticate with "Key <k>" instead of "Bearer <k>"
  std::vector<ProviderRouteSpec> routes;
};

const std::vector<ProviderSpec>& all_provider_specs();
const ProviderSpec* find_provider_spec(std::string_view name);

// Matches `path` against the provider's routes; sets *task and *id ({id}'s
// value, empty when the route has none). Routes without {id} win over those with.
bool match_provider_route(const ProviderSpec& provider, const std::string& path, std::string* task, std::string* id);

}  // namespace hfi::emu
