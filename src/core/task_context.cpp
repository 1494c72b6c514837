#include "core/task_context.h"


namespace hfi {
namespace {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

TaskContext::TaskContext(const ClientOptions& opts, const Secret& token_in, bool explicit_token, std::string ua)
    : token(token_in), token_explicit(explicit_token), user_agent(std::move(ua)) {
  std::string ignored;
  router_base = without_trailing_slash(opts.router_url);
  parse_http_url(router_base, router, ignored);
  // The router's own query (rare) would end up in the middle of task paths.
  if (!router.query.empty()) router_base = router_base.substr(0, router_base.find('?'));
  hub_base = without_trailing_slash(opts.hub_url);
  parse_http_url(hub_base, hub, ignored);
  if (!opts.base_url.empty()) has_base = parse_http_url(opts.base_url, base, ignored);
  client_headers = opts.headers;
  bill_to = opts.bill_to;
  default_provider = opts.provider;
  allow_insecure_http = opts.allow_insecure_http;
  timeout_ms = opts.timeout_ms;
  stall_timeout_ms = opts.stall_timeout_ms;
  first_byte_timeout_ms = opts.first_byte_timeout_ms;
  provider_keys = opts.provider_keys;
  provider_urls = opts.provider_urls;
  if (opts.mapping_ttl_ms > 0)
    mappings = std::make_unique<providers::MappingCache>(std::chrono::milliseconds(opts.mapping_ttl_ms), 1024);
}

const Secret* TaskContext::provider_key(std::string_view provider) const {
  for (const auto& [name, key] : provider_keys)
    if (name == provider) return &key;
  return nullptr;
}

std::string TaskContext::configured_base(const providers::ProviderInfo& provider) const {
  for (const auto& [name, url] : provider_urls)
    if (name == provider.name) return without_trailing_slash(url);
  return {};
}

bool TaskContext::may_send_token_to(const UrlParts& target) const {
  return token_explicit || is_hugging_face_host(target.host);
}

bool TaskContext::check_fetch_url(std::string_view url, UrlParts& parts, std::string& error) const {
  if (!parse_http_url(url, parts, error)) {
    error = "the provider gave a URL hfi will not fetch: " + error;
    return false;
  }
  if (parts.scheme == "http" && !allow_insecure_http && !is_loopback_host(parts.host)) {
    error = "the provider gave a plain http URL to " + parts.host +
            "; set HFI_OPT_ALLOW_INSECURE_HTTP to 1 to fetch it anyway";
    return false;
  }
  return true;
}

std::vector<std::string> TaskContext::header_lines(const std::vector<std::string>& extra,
                                                   std::string_view authorization, std::string_view content_type,
                                                   std::string_view accept,
                                                   const std::vector<std::string>& provider_headers, bool bill,
                                                   bool bare) const {
  std::vector<std::string> lines;
  std::vector<std::string> user;
  if (!bare) {
    user = extra;
    for (const std::string& line : client_headers)
      if (!has_header(extra, header_name(line))) user.push_back(line);
  }
  auto add = [&](std::string_view name, std::string_view value) {
    if (has_header(user, name) || has_header(lines, name)) return;
    std::string line(name);
    line += value.empty() ? ":" : ": ";  // "Name:" makes libcurl drop a header it would add
    line += value;
    lines.push_back(std::move(line));
  };
  add("User-Agent", user_agent);
  if (bare) return lines;
  if (!content_type.empty()) add("Content-Type", content_type);
  if (!accept.empty()) add("Accept", accept);
  if (!authorization.empty()) add("Authorization", authorization);
  if (bill && !bill_to.empty()) add("X-HF-Bill-To", bill_to);
  for (const std::string& line : provider_headers) {
    std::string_view name = header_name(line);
    std::string_view value = std::string_view(line).substr(std::min(line.size(), name.size() + 1));
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    add(name, value);
  }
  add("Expect", "");  // libcurl would wait for "100 Continue" before sending a large body
  lines.insert(lines.end(), user.begin(), user.end());
  return lines;
}

}  // namespace hfi
