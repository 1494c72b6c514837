#include "core/retry_after.h"

#include <curl/curl.h>

#include <cmath>
#include <cstdlib>
#include <string>

namespace hfi {
namespace {

// A non-negative decimal number (digits, at most one '.') and nothing else; spaces around allowed.
bool parse_number(std::string_view text, double& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return false;
  int dots = 0;
  for (char c : text) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  if (dots > 1 || text == ".") return false;
  out = std::strtod(std::string(text).c_str(), nullptr);
  return std::isfinite(out);
}

// Milliseconds as an int64 that never overflows into a negative value.
int64_t clamp_ms(double ms) {
  constexpr double kMax = 1e15;  // about 31,700 years: "far too long" is all a caller needs to know
  return static_cast<int64_t>(std::llround(ms > kMax ? kMax : ms));
}

}  // namespace

int64_t parse_retry_after_ms(std::string_view retry_after_ms, std::string_view retry_after,
                             std::time_t now) {
  double value = 0;
  if (!retry_after_ms.empty() && parse_number(retry_after_ms, value))
    return clamp_ms(value);
  if (retry_after.empty()) return -1;
  if (parse_number(retry_after, value)) return clamp_ms(value * 1000.0);
  std::string date(retry_after);
  std::time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return -1;
  return when <= now ? 0 : static_cast<int64_t>(when - now) * 1000;
}

}  // namespace hfi
