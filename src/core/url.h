// URL rules: validation of configured URLs, where chat requests go, and which hosts may see a token.
#pragma once

#include <string>
#include <string_view>

namespace hfi {

struct UrlParts {
  std::string scheme;  // lower-case "http" or "https"
  std::string host;    // lower-case, without brackets for IPv6
  std::string port;    // empty when default
  std::string path;    // "" or starting with '/'
  std::string query;   // without '?'
};

// Parses an absolute http(s) URL. Rejects other schemes, user:password@ (credentials never
// travel in URLs here: they would end up in logs) and fragments-only oddities. false + reason.
bool parse_http_url(std::string_view url, UrlParts& out, std::string& error);

// localhost, *.localhost, 127.0.0.0/8 and ::1: the only hosts plain http is allowed to by default.
bool is_loopback_host(std::string_view host);

// Hosts run by Hugging Face, which may receive a token found in the environment.
bool is_hugging_face_host(std::string_view host);

// Chat endpoint of an OpenAI-compatible base URL (huggingface_hub's rules, plus Cloudflare AI
// Gateway's `/huggingface` form, which expects the model in the path).
std::string chat_url_for_base(const UrlParts& base, std::string_view model);
// Whether chat_url_for_base() puts the model in the URL (otherwise one URL serves every model).
bool chat_url_names_model(const UrlParts& base);

// Chat endpoint of the router.
std::string chat_url_for_router(const UrlParts& router);

// scheme://host[:port] — for messages that say which server answered without the path.
std::string origin_of(const UrlParts& url);

}  // namespace hfi
