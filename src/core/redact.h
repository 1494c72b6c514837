// What must never leave hfi in text meant for people (log lines, error messages): credentials in
// headers, signatures in URLs, and the secret values the client holds wherever they turn up.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace hfi {

// Header names that carry credentials: Authorization, Proxy-Authorization, api-key, x-api-key,
// Cookie, Set-Cookie, and any name mentioning a key, token, secret, signature or auth.
bool is_credential_header(std::string_view name);

// "Name: value" as it may be shown: the value replaced by "[redacted]" for credential headers.
std::string shown_header_line(std::string_view line);

// A URL as it may be shown: its query string (signed result URLs, keys in `?key=`) replaced.
std::string shown_url(std::string_view url);

// Replaces every occurrence of the given secrets, and anything shaped like a Hugging Face token,
// with "[redacted]". Immutable once built; any thread.
class SecretScrubber {
 public:
  SecretScrubber() = default;
  explicit SecretScrubber(std::vector<Secret> secrets);
  void scrub(std::string& text) const;

 private:
  std::vector<Secret> secrets_;
};

}  // namespace hfi
