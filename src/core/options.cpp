#include "core/options.h"

#include <simdjson.h>
#include <strings.h>

#include <cctype>

#include "core/chat_targets.h"
#include "core/url.h"

namespace hfi {
namespace {

bool is_token_char(unsigned char c) {
  // RFC 9110 tchar: the characters allowed in a header name.
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

bool check_text(std::string_view value, std::string& error) {
  for (char c : value) {
    if (c == '\0' || c == '\r' || c == '\n') {
      error = "value must not contain NUL, CR or LF";
      return false;
    }
  }
  if (!simdjson::validate_utf8(value.data(), value.size())) {
    error = "value is not valid UTF-8";
    return false;
  }
  return true;
}

hfi_status set_url(std::string& field, std::string_view value, const char* fallback,
                   std::string& error) {
  if (value.empty()) {
    field = fallback;
    return HFI_OK;
  }
  UrlParts parts;
  if (!parse_http_url(value, parts, error)) return HFI_E_INVALID_ARG;
  field = std::string(value);
  return HFI_OK;
}

hfi_status add_header(std::vector<std::string>& headers, std::string_view line, std::string& error) {
  if (line.empty()) {
    headers.clear();
    return HFI_OK;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    error = "a header must be written \"Name: value\"";
    return HFI_E_INVALID_ARG;
  }
  for (char c : line.substr(0, colon)) {
    if (!is_token_char(static_cast<unsigned char>(c))) {
      error = "invalid character in header name";
      return HFI_E_INVALID_ARG;
    }
  }
  headers.emplace_back(line);
  return HFI_OK;
}

hfi_status set_provider(std::string& field, std::string_view value, std::string& error) {
  if (!value.empty() && !valid_provider_name(value, error)) return HFI_E_INVALID_ARG;
  field = value == "auto" ? std::string() : std::string(value);
  return HFI_OK;
}

// "provider=value" into a list where a provider appears once; empty clears the list.
template <typename Value>
hfi_status set_per_provider(std::vector<std::pair<std::string, Value>>& list, std::string_view text,
                            bool is_url, std::string& error) {
  if (text.empty()) {
    list.clear();
    return HFI_OK;
  }
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq + 1 == text.size()) {
    error = is_url ? "write it provider=url" : "write it provider=key";
    return HFI_E_INVALID_ARG;
  }
  std::string_view name = text.substr(0, eq), value = text.substr(eq + 1);
  if (!valid_provider_name(name, error)) return HFI_E_INVALID_ARG;
  if (is_url) {
    UrlParts parts;
    if (!parse_http_url(value, parts, error)) return HFI_E_INVALID_ARG;
  }
  for (auto& [provider, existing] : list) {
    if (provider == name) {
      existing = Value(std::string(value));
      return HFI_OK;
    }
  }
  list.emplace_back(std::string(name), Value(std::string(value)));
  return HFI_OK;
}

hfi_status add_target_tier(std::vector<Secret>& tiers, std::string_view value, std::string& error) {
  if (value.empty()) {
    tiers.clear();
    return HFI_OK;
  }
  std::vector<ChatTarget> checked;
  if (!parse_target_tier(value, static_cast<uint32_t>(tiers.size()), checked, error)) return HFI_E_INVALID_ARG;
  tiers.emplace_back(std::string(value));
  return HFI_OK;
}

hfi_status set_non_negative(int64_t& field, int64_t value, std::string& error) {
  if (value < 0) {
    error = "value must not be negative";
    return HFI_E_INVALID_ARG;
  }
  field = value;
  return HFI_OK;
}

hfi_status set_flag(bool& field, int64_t value, std::string& error) {
  if (value != 0 && value != 1) {
    error = "value must be 0 or 1";
    return HFI_E_INVALID_ARG;
  }
  field = value == 1;
  return HFI_OK;
}

}  // namespace

bool valid_provider_name(std::string_view name, std::string& error) {
  bool ok = !name.empty();
  for (char c : name) {
    ok = ok && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                c == '-' || c == '_' || c == '.');
  }
  if (!ok) error = "a provider name is lower-case letters, digits, '-', '_' or '.'";
  return ok;
}

std::string_view header_name(std::string_view line) {
  size_t colon = line.find(':');
  return colon == std::string_view::npos ? line : line.substr(0, colon);
}

bool has_header(const std::vector<std::string>& lines, std::string_view name) {
  for (const std::string& line : lines) {
    std::string_view n = header_name(line);
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), name.size()) == 0) return true;
  }
  return false;
}

hfi_status set_option(ClientOptions& o, int32_t key, std::string_view value, std::string& error) {
  if (key < 1000 || key > 1999) {
    error = "key " + std::to_string(key) + " is not a string option";
    return HFI_E_UNKNOWN_OPTION;
  }
  switch (key) {
    case HFI_OPT_TOKEN:
    case HFI_OPT_ROUTER_URL:
    case HFI_OPT_BASE_URL:
    case HFI_OPT_PROVIDER:
    case HFI_OPT_USER_AGENT:
    case HFI_OPT_HEADER:
    case HFI_OPT_BILL_TO:
    case HFI_OPT_CA_BUNDLE:
    case HFI_OPT_PROXY:
    case HFI_OPT_HUB_URL:
    case HFI_OPT_PROVIDER_KEY:
    case HFI_OPT_PROVIDER_URL:
    case HFI_OPT_TARGET:
      break;
    default:
      error = "unknown string option " + std::to_string(key);
      return HFI_E_UNKNOWN_OPTION;
  }
  if (!check_text(value, error)) return HFI_E_INVALID_ARG;
  switch (key) {
    case HFI_OPT_TOKEN:
      o.token = Secret(std::string(value));
      return HFI_OK;
    case HFI_OPT_ROUTER_URL: return set_url(o.router_url, value, kDefaultRouterUrl, error);
    case HFI_OPT_BASE_URL: return set_url(o.base_url, value, "", error);
    case HFI_OPT_PROVIDER: return set_provider(o.provider, value, error);
    case HFI_OPT_USER_AGENT: o.user_agent_suffix = std::string(value); return HFI_OK;
    case HFI_OPT_HEADER: return add_header(o.headers, value, error);
    case HFI_OPT_BILL_TO: o.bill_to = std::string(value); return HFI_OK;
    case HFI_OPT_CA_BUNDLE: o.ca_bundle = std::string(value); return HFI_OK;
    case HFI_OPT_HUB_URL: return set_url(o.hub_url, value, kDefaultHubUrl, error);
    case HFI_OPT_PROVIDER_KEY: return set_per_provider(o.provider_keys, value, false, error);
    case HFI_OPT_PROVIDER_URL: return set_per_provider(o.provider_urls, value, true, error);
    case HFI_OPT_TARGET: return add_target_tier(o.target_tiers, value, error);
    default: o.proxy = std::string(value); return HFI_OK;  // HFI_OPT_PROXY
  }
}

hfi_status set_option(ClientOptions& o, int32_t key, int64_t value, std::string& error) {
  switch (key) {
    case HFI_OPT_CONNECT_TIMEOUT_MS: return set_non_negative(o.connect_timeout_ms, value, error);
    case HFI_OPT_TIMEOUT_MS: return set_non_negative(o.timeout_ms, value, error);
    case HFI_OPT_STALL_TIMEOUT_MS: return set_non_negative(o.stall_timeout_ms, value, error);
    case HFI_OPT_IO_MODE:
      if (value != HFI_IO_CALLER && value != HFI_IO_THREAD) {
        error = "I/O mode must be HFI_IO_CALLER or HFI_IO_THREAD";
        return HFI_E_INVALID_ARG;
      }
      o.io_mode = value;
      return HFI_OK;
    case HFI_OPT_MAX_RESPONSE_BYTES:
    case HFI_OPT_MAX_EVENT_BYTES:
      if (value < 1024) {
        error = "size limits must be at least 1024 bytes";
        return HFI_E_INVALID_ARG;
      }
      (key == HFI_OPT_MAX_RESPONSE_BYTES ? o.max_response_bytes : o.max_event_bytes) = value;
      return HFI_OK;
    case HFI_OPT_TOKEN_FROM_ENV: return set_flag(o.token_from_env, value, error);
    case HFI_OPT_ALLOW_INSECURE_HTTP: return set_flag(o.allow_insecure_http, value, error);
    case HFI_OPT_MAPPING_TTL_MS: return set_non_negative(o.mapping_ttl_ms, value, error);
    case HFI_OPT_MAX_RETRIES:
      if (value > 100) {
        error = "at most 100 retries";
        return HFI_E_INVALID_ARG;
      }
      return set_non_negative(o.max_retries, value, error);
    case HFI_OPT_MAX_RETRY_AFTER_MS: return set_non_negative(o.max_retry_after_ms, value, error);
    case HFI_OPT_WAIT_FOR_MODEL_MS: return set_non_negative(o.wait_for_model_ms, value, error);
    case HFI_OPT_FIRST_BYTE_TIMEOUT_MS: return set_non_negative(o.first_byte_timeout_ms, value, error);
    case HFI_OPT_BREAKER_FAILURES: return set_non_negative(o.breaker_failures, value, error);
    case HFI_OPT_BREAKER_COOLDOWN_MS: return set_non_negative(o.breaker_cooldown_ms, value, error);
    case HFI_OPT_MAX_RETRY_TIME_MS: return set_non_negative(o.max_retry_time_ms, value, error);
    default:
      error = "unknown integer option " + std::to_string(key);
      return HFI_E_UNKNOWN_OPTION;
  }
}

}  // namespace hfi
