#include "core/url.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace hfi {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

bool get_part(CURLU* u, CURLUPart part, std::string& out) {
  char* value = nullptr;
  CURLUcode rc = curl_url_get(u, part, &value, 0);
  if (rc != CURLUE_OK) {
    out.clear();
    return false;
  }
  out = value;
  curl_free(value);
  return true;
}

std::string with_query(std::string url, const std::string& query) {
  if (!query.empty()) url += "?" + query;
  return url;
}

std::string trimmed_path(const UrlParts& u) {
  std::string path = u.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

bool parse_http_url(std::string_view url, UrlParts& out, std::string& error) {
  if (url.empty()) {
    error = "URL is empty";
    return false;
  }
  std::unique_ptr<CURLU, CurlUrlDeleter> u(curl_url());
  if (!u) {
    error = "out of memory";
    return false;
  }
  std::string text(url);
  // libcurl forgives "https:///x" and "http:/host"; an authority must follow "scheme://" here.
  size_t colon = text.find(':');
  if (colon == std::string::npos || text.compare(colon, 3, "://") != 0 || text.size() <= colon + 3 ||
      text[colon + 3] == '/') {
    error = "not a valid absolute URL: " + text;
    return false;
  }
  // No CURLU_GUESS_SCHEME: a URL without a scheme is a mistake worth reporting.
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    error = "not a valid absolute URL: " + text;
    return false;
  }
  std::string scheme, ignored;
  get_part(u.get(), CURLUPART_SCHEME, scheme);
  scheme = lower(scheme);
  if (scheme != "http" && scheme != "https") {
    error = "only http and https URLs are supported: " + text;
    return false;
  }
  if (get_part(u.get(), CURLUPART_USER, ignored) || get_part(u.get(), CURLUPART_PASSWORD, ignored)) {
    error = "URLs must not carry credentials; set HFI_OPT_TOKEN or HFI_OPT_HEADER instead";
    return false;
  }
  if (get_part(u.get(), CURLUPART_FRAGMENT, ignored)) {
    error = "URLs must not have a fragment: " + text;
    return false;
  }
  out.scheme = scheme;
  get_part(u.get(), CURLUPART_HOST, out.host);
  out.host = lower(out.host);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (out.host.empty()) {
    error = "URL has no host: " + text;
    return false;
  }
  get_part(u.get(), CURLUPART_PORT, out.port);
  get_part(u.get(), CURLUPART_PATH, out.path);
  if (out.path == "/") out.path.clear();
  get_part(u.get(), CURLUPART_QUERY, out.query);
  return true;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || ends_with(host, ".localhost") || host == "::1") return true;
  // 127.0.0.0/8 written as a dotted quad: four decimal octets of at most 255, the first 127.
  int octets = 0;
  size_t pos = 0;
  while (pos <= host.size()) {
    size_t dot = host.find('.', pos);
    std::string_view part = host.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    if (part.empty() || part.size() > 3) return false;
    int value = 0;
    for (char c : part) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || (octets == 0 && value != 127)) return false;
    ++octets;
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return octets == 4;
}

bool is_hugging_face_host(std::string_view host) {
  for (std::string_view domain : {"huggingface.co", "hf.co", "huggingface.cloud", "hf.space"}) {
    if (host == domain) return true;
    if (host.size() > domain.size() && ends_with(host, domain) &&
        host[host.size() - domain.size() - 1] == '.')
      return true;
  }
  return false;
}

std::string origin_of(const UrlParts& u) {
  bool v6 = u.host.find(':') != std::string::npos;
  std::string out = u.scheme + "://" + (v6 ? "[" + u.host + "]" : u.host);
  if (!u.port.empty()) out += ":" + u.port;
  return out;
}

bool chat_url_names_model(const UrlParts& base) {
  return base.host == "gateway.ai.cloudflare.com" && ends_with(trimmed_path(base), "/huggingface");
}

std::string chat_url_for_base(const UrlParts& base, std::string_view model) {
  std::string path = trimmed_path(base);
  if (chat_url_names_model(base)) {
    path += "/";
    path += model;
    path += "/v1/chat/completions";
  } else if (ends_with(path, "/chat/completions")) {
    // Already the full endpoint.
  } else if (ends_with(path, "/v1")) {
    path += "/chat/completions";
  } else {
    path += "/v1/chat/completions";
  }
  return with_query(origin_of(base) + path, base.query);
}

std::string chat_url_for_router(const UrlParts& router) {
  return with_query(origin_of(router) + trimmed_path(router) + "/v1/chat/completions", router.query);
}

}  // namespace hfi
