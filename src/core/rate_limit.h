// Rate-limit headers of an answer, in the forms servers send them: the IETF drafts' `RateLimit`
// (`limit=100, remaining=0, reset=30` and the later `"default";r=0;t=30`), `RateLimit-Limit`,
// `-Remaining`, `-Reset` and `RateLimit-Policy`, and the `x-ratelimit-*-requests` headers of
// OpenAI-style providers (resets written as durations: `1s`, `6m0s`, `20ms`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hfi {

struct RateLimit {
  int64_t limit = -1;      // requests allowed in the window
  int64_t remaining = -1;  // requests left in it
  int64_t reset_ms = -1;   // until the window resets
  std::string policy;      // `RateLimit-Policy` as sent
};

// Reads one header into `out` if it is a rate-limit header (names compare without case); other
// headers leave it alone. Never throws on any input.
void read_rate_limit_header(std::string_view name, std::string_view value, RateLimit& out);

}  // namespace hfi
