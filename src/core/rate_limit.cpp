#include "core/rate_limit.h"

#include <strings.h>

#include <charconv>
#include <cmath>

namespace hfi {
namespace {

bool same_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A whole non-negative integer, or -1.
int64_t count_of(std::string_view text) {
  text = trim(text);
  int64_t value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value >= 0 ? value : -1;
}

// "30" (seconds), or a Go-style duration as OpenAI-style providers send it: "1s", "6m0s", "20ms",
// "1h2m3.5s". Milliseconds, or -1.
int64_t duration_ms(std::string_view text) {
  text = trim(text);
  if (text.empty()) return -1;
  const int64_t plain = count_of(text);
  // Past 9e15 ms (as for durations below) the wait means nothing; the product would overflow.
  if (plain >= 0) return plain <= 9'000'000'000'000 ? plain * 1000 : -1;
  double total = 0;
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() && ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.')) ++digits;
    if (digits == 0) return -1;
    double number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + digits, number);
    if (ec != std::errc() || end != text.data() + digits) return -1;
    text.remove_prefix(digits);
    double unit = 0;
    if (text.rfind("ms", 0) == 0) unit = 1, text.remove_prefix(2);
    else if (text.rfind("h", 0) == 0) unit = 3600000, text.remove_prefix(1);
    else if (text.rfind("m", 0) == 0) unit = 60000, text.remove_prefix(1);
    else if (text.rfind("s", 0) == 0) unit = 1000, text.remove_prefix(1);
    else return -1;
    total += number * unit;
  }
  return total > 9e15 ? -1 : static_cast<int64_t>(std::llround(total));
}

// `RateLimit: limit=100, remaining=0, reset=30` or `RateLimit: "default";r=0;t=30` (the first
// item when several policies are listed).
void read_combined(std::string_view value, RateLimit& out) {
  value = trim(value);
  if (!value.empty() && value.front() == '"') {
    const size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    size_t at = item.find(';');
    while (at != std::string_view::npos) {
      const size_t next = item.find(';', at + 1);
      std::string_view param = trim(item.substr(at + 1, next == std::string_view::npos ? next : next - at - 1));
      if (param.rfind("r=", 0) == 0) out.remaining = count_of(param.substr(2));
      else if (param.rfind("t=", 0) == 0) out.reset_ms = duration_ms(param.substr(2));
      at = next;
    }
    return;
  }
  size_t at = 0;
  while (at <= value.size()) {
    const size_t next = value.find_first_of(",;", at);
    std::string_view member = trim(value.substr(at, next == std::string_view::npos ? next : next - at));
    const size_t eq = member.find('=');
    if (eq != std::string_view::npos) {
      const std::string_view key = trim(member.substr(0, eq)), number = member.substr(eq + 1);
      if (same_ci(key, "limit")) out.limit = count_of(number);
      else if (same_ci(key, "remaining")) out.remaining = count_of(number);
      else if (same_ci(key, "reset")) out.reset_ms = duration_ms(number);
    }
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
}

// The quota of the first `RateLimit-Policy` item (`"default";q=100;w=60`, or `100;w=60`).
int64_t policy_quota(std::string_view value) {
  value = trim(value.substr(0, value.find(',')));
  const size_t q = value.find(";q=");
  if (q != std::string_view::npos) return count_of(value.substr(q + 3, value.find(';', q + 3) - q - 3));
  return count_of(value.substr(0, value.find(';')));
}

}  // namespace

void read_rate_limit_header(std::string_view name, std::string_view value, RateLimit& out) {
  if (same_ci(name, "ratelimit")) {
    read_combined(value, out);
  } else if (same_ci(name, "ratelimit-policy")) {
    out.policy.assign(trim(value));
    if (out.limit < 0) out.limit = policy_quota(value);
  } else if (same_ci(name, "ratelimit-limit") || same_ci(name, "x-ratelimit-limit-requests") ||
             same_ci(name, "x-ratelimit-limit")) {
    out.limit = count_of(value.substr(0, value.find_first_of(",;")));
  } else if (same_ci(name, "ratelimit-remaining") || same_ci(name, "x-ratelimit-remaining-requests") ||
             same_ci(name, "x-ratelimit-remaining")) {
    out.remaining = count_of(value);
  } else if (same_ci(name, "ratelimit-reset") || same_ci(name, "x-ratelimit-reset-requests") ||
             same_ci(name, "x-ratelimit-reset")) {
    out.reset_ms = duration_ms(value);
  }
}

}  // namespace hfi
