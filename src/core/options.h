// Client settings and their validation, key by key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/logger.h"
#include "core/secret.h"
#include "hfi/hfi.h"

namespace hfi {

inline constexpr const char* kDefaultRouterUrl = "https://router.huggingface.co";
inline constexpr const char* kDefaultHubUrl = "https://huggingface.co";

struct ClientOptions {
  Secret token;
  std::string router_url = kDefaultRouterUrl;
  std::string base_url;
  std::string provider;
  std::string user_agent_suffix;
  std::vector<std::string> headers;  // "Name: value", validated
  std::string bill_to;
  std::string ca_bundle;
  std::string proxy;
  std::string hub_url = kDefaultHubUrl;
  std::vector<std::pair<std::string, Secret>> provider_keys;  // (provider, key)
  std::vector<std::pair<std::string, std::string>> provider_urls;  // (provider, base URL)
  std::vector<Secret> target_tiers;  // HFI_OPT_TARGET values, checked; they may hold keys

  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 0;
  int64_t stall_timeout_ms = 120000;
  int64_t io_mode = HFI_IO_CALLER;
  int64_t max_response_bytes = int64_t{64} << 20;
  int64_t max_event_bytes = int64_t{64} << 20;
  bool token_from_env = true;
  bool allow_insecure_http = false;
  int64_t mapping_ttl_ms = 300000;
  int64_t max_retries = 2;
  int64_t max_retry_after_ms = 60000;
  int64_t wait_for_model_ms = 0;
  int64_t first_byte_timeout_ms = 0;
  int64_t breaker_failures = 3;
  int64_t breaker_cooldown_ms = 30000;
  int64_t max_retry_time_ms = 0;
  LogSink log;
};

// Each returns HFI_OK, HFI_E_UNKNOWN_OPTION or HFI_E_INVALID_ARG (with `error` explaining).
hfi_status set_option(ClientOptions& opts, int32_t key, std::string_view value, std::string& error);
hfi_status set_option(ClientOptions& opts, int32_t key, int64_t value, std::string& error);

// Checks a provider name: lower-case letters, digits, '-', '_', '.'; non-empty.
bool valid_provider_name(std::string_view name, std::string& error);

// Name of a header line ("Name: value" -> "Name").
std::string_view header_name(std::string_view line);
// Whether one of `lines` is a header named `name` (names compare without case).
bool has_header(const std::vector<std::string>& lines, std::string_view name);

}  // namespace hfi
