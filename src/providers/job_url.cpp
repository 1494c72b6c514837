// job_url() of task_response.h: where the polls and fetches of a job go, and the guard that keeps
// a key on its own host.
#include <new>
#include <string>

#include "providers/task_response.h"

namespace hfi::providers {
namespace {

struct UrlParts {
  std::string scheme;     // lower-case: "http" or "https"
  std::string host;       // lower-case
  std::string port;       // explicit or the scheme's default
  std::string_view rest;  // path and query, without the fragment; "" or starting with '/' or '?'
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Absolute http(s) URLs only; userinfo is refused (it would hide the real host from a reader).
bool split_url(std::string_view url, UrlParts& out) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return false;
  out.scheme = lower(url.substr(0, colon));
  if (out.scheme != "http" && out.scheme != "https") return false;
  std::string_view tail = url.substr(colon + 3);
  const size_t fragment = tail.find('#');
  if (fragment != std::string_view::npos) tail = tail.substr(0, fragment);
  const size_t end = tail.find_first_of("/?");
  const std::string_view authority = tail.substr(0, end);
  out.rest = end == std::string_view::npos ? std::string_view() : tail.substr(end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  const size_t port = authority.rfind(':');
  const bool has_port = port != std::string_view::npos && authority.find(']', port) == std::string_view::npos;
  out.host = lower(has_port ? authority.substr(0, port) : authority);
  out.port = has_port ? std::string(authority.substr(port + 1)) : (out.scheme == "https" ? "443" : "80");
  if (out.host.empty() || out.port.empty()) return false;
  for (char c : out.port) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool same_origin(const UrlParts& a, std::string_view base) {
  UrlParts b;
  return !base.empty() && split_url(base, b) && a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

// Bytes that would let a provider's answer add headers or split the request line.
bool has_unsafe_bytes(std::string_view url) {
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string_view trim_slash(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return base;
}

// fal-ai's queue through the router is the same path with `_subdomain=queue` in the query.
std::string with_queue_subdomain(std::string_view rest) {
  std::string out(rest);
  const size_t query = out.find('?');
  if (query == std::string::npos) return out + "?_subdomain=queue";
  const std::string_view params = std::string_view(out).substr(query + 1);
  for (size_t at = 0; at <= params.size();) {
    const size_t amp = params.find('&', at);
    const std::string_view param = params.substr(at, amp == std::string_view::npos ? amp : amp - at);
    if (param.rfind("_subdomain=", 0) == 0) return out;  // the provider already said where
    if (amp == std::string_view::npos) break;
    at = amp + 1;
  }
  if (out.back() != '?' && out.back() != '&') out += '&';
  return out + "_subdomain=queue";
}

hfi_status resolve(const ProviderInfo& provider, std::string_view provider_url, bool routed,
                   std::string_view router_base, std::string_view direct_base, std::string& out, std::string& error) {
  const std::string name(provider.name);
  if (provider_url.empty() || has_unsafe_bytes(provider_url)) {
    error = name + ": a job URL that is empty or holds spaces or control characters";
    return HFI_E_PROTOCOL;
  }
  UrlParts parts;
  const bool is_path = provider_url.front() == '/' && provider_url.rfind("//", 0) != 0;
  if (is_path) {
    const size_t fragment = provider_url.find('#');
    parts.rest = provider_url.substr(0, fragment);
  } else if (!split_url(provider_url, parts)) {
    error = name + ": a job URL that is not an absolute http(s) URL: \"" + std::string(provider_url.substr(0, 80)) +
            "\"";
    return HFI_E_PROTOCOL;
  }
  std::string rest = parts.rest.empty() || parts.rest.front() == '?' ? "/" + std::string(parts.rest)
                                                                        : std::string(parts.rest);
  if (routed) {
    // Through the router the HF token goes to the router whatever host the provider named; an
    // answer that already points at the router keeps its path.
    const std::string prefix = "/" + name + "/";
    if (!is_path && same_origin(parts, router_base) && rest.rfind(prefix, 0) == 0) {
      out = std::string(trim_slash(router_base)) + rest;
    } else {
      out = std::string(trim_slash(router_base)) + "/" + name + rest;
    }
    if (!provider.queue_base.empty()) out = with_queue_subdomain(out);
    return HFI_OK;
  }
  if (is_path) {
    if (direct_base.empty()) {
      error = name + " is reached only through the router";
      return HFI_E_UNSUPPORTED;
    }
    out = std::string(trim_slash(direct_base)) + rest;
    return HFI_OK;
  }
  if (!same_origin(parts, direct_base) && !same_origin(parts, provider.queue_base)) {
    error = name + ": a job URL on another host (" + parts.host + "): a key is never sent there";
    return HFI_E_PROTOCOL;
  }
  out = std::string(provider_url.substr(0, provider_url.find('#')));
  return HFI_OK;
}

}  // namespace

hfi_status job_url(const ProviderInfo& provider, std::string_view provider_url, bool routed,
                   std::string_view router_base, std::string_view direct_base, std::string& out,
                   std::string& error) {
  try {
    out.clear();
    error.clear();
    const hfi_status status = resolve(provider, provider_url, routed, router_base, direct_base, out, error);
    if (status != HFI_OK) out.clear();
    return status;
  } catch (const std::bad_alloc&) {
    out.clear();
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
