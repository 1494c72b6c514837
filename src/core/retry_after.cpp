#include "core/retry_after.h"

#include <curl/curl.h>

#include <cmath>
#include <cstdlib>
#include <string>

namespace hfi {
namespace {

// A non-negative decimal number and nothing else (surrounding spaces allowed).
bool parse_number(std::string_view text, double& out) {
  std::string s(text);
  const char* begin = s.c_str();
  while (*begin == ' ' || *begin == '\t') ++begin;
  if (*begin == '\0' || *begin == '-' || *begin == '+') return false;
  char* end = nullptr;
  double v = std::strtod(begin, &end);
  while (end && (*end == ' ' || *end == '\t')) ++end;
  if (!end || *end != '\0' || !std::isfinite(v) || v < 0) return false;
  out = v;
  return true;
}

}  // namespace

int64_t parse_retry_after_ms(std::string_view retry_after_ms, std::string_view retry_after,
                             std::time_t now) {
  double value = 0;
  if (!retry_after_ms.empty() && parse_number(retry_after_ms, value))
    return static_cast<int64_t>(std::llround(value));
  if (retry_after.empty()) return -1;
  if (parse_number(retry_after, value)) return static_cast<int64_t>(std::llround(value * 1000.0));
  std::string date(retry_after);
  std::time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return -1;
  return when <= now ? 0 : static_cast<int64_t>(when - now) * 1000;
}

}  // namespace hfi
