// What every task call of a client shares: where the router, the Hub and each provider are, the
// credentials and which host may see each of them, the headers hfi sends, and the cache of Hub
// provider mappings. Built once by the client, immutable afterwards (the cache locks itself).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/options.h"
#include "core/secret.h"
#include "core/url.h"
#include "providers/mapping_cache.h"
#include "providers/table.h"

namespace hfi {

struct TaskContext {
  TaskContext(const ClientOptions& opts, const Secret& token, bool token_explicit, std::string user_agent);

  // Where a routed provider lives: "{router}/{provider}" without a trailing slash.
  std::string router_base;  // the router's origin and path, without a trailing slash
  UrlParts router;
  std::string hub_base;
  UrlParts hub;
  UrlParts base;  // HFI_OPT_BASE_URL, when has_base
  bool has_base = false;
  Secret token;
  bool token_explicit = false;
  std::string user_agent;
  std::vector<std::string> client_headers;
  std::string bill_to;
  std::string default_provider;  // HFI_OPT_PROVIDER; empty: auto
  bool allow_insecure_http = false;
  int64_t timeout_ms = 0;
  int64_t stall_timeout_ms = 0;
  int64_t first_byte_timeout_ms = 0;
  std::vector<std::pair<std::string, Secret>> provider_keys;
  std::vector<std::pair<std::string, std::string>> provider_urls;
  std::unique_ptr<providers::MappingCache> mappings;  // null: no caching (TTL 0)

  // The provider's own key, or null: a provider with a key is called directly.
  const Secret* provider_key(std::string_view provider) const;
  // The URL HFI_OPT_PROVIDER_URL gives for `provider`, or empty.
  std::string configured_base(const providers::ProviderInfo& provider) const;
  // Whether the HF token may go to `host` (a token from the environment goes to HF hosts only).
  bool may_send_token_to(const UrlParts& target) const;
  // Whether `url` may be fetched: http(s), and plain http only to loopback unless allowed.
  bool check_fetch_url(std::string_view url, UrlParts& parts, std::string& error) const;

  // Header lines of one exchange. `authorization` is the whole value ("Bearer ..."), or empty for
  // none; `extra` are the request's own headers, which win over the client's, which win over
  // hfi's and the provider's. A download (`bare`) sends only the User-Agent: the caller's headers
  // may carry credentials, and result URLs point anywhere.
  std::vector<std::string> header_lines(const std::vector<std::string>& extra, std::string_view authorization,
                                        std::string_view content_type, std::string_view accept,
                                        const std::vector<std::string>& provider_headers, bool bill,
                                        bool bare) const;
};

}  // namespace hfi
