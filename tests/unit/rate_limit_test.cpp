#include "core/rate_limit.h"

#include <gtest/gtest.h>

namespace hfi {
namespace {

RateLimit read(std::initializer_list<std::pair<std::string_view, std::string_view>> headers) {
  RateLimit out;
  for (const auto& [name, value] : headers) read_rate_limit_header(name, value, out);
  return out;
}

TEST(RateLimitTest, IetfDraftForms) {
  RateLimit a = read({{"RateLimit", "limit=100, remaining=0, reset=30"}});
  EXPECT_EQ(a.limit, 100);
  EXPECT_EQ(a.remaining, 0);
  EXPECT_EQ(a.reset_ms, 30000);
  RateLimit b = read({{"ratelimit", "\"api\";r=0;t=55"}, {"RateLimit-Policy", "\"api\";q=500;w=300"}});
  EXPECT_EQ(b.remaining, 0);
  EXPECT_EQ(b.reset_ms, 55000);
  EXPECT_EQ(b.limit, 500);
  EXPECT_EQ(b.policy, "\"api\";q=500;w=300");
  RateLimit c = read({{"RateLimit-Limit", "60"}, {"RateLimit-Remaining", "7"}, {"RateLimit-Reset", "12"}});
  EXPECT_EQ(c.limit, 60);
  EXPECT_EQ(c.remaining, 7);
  EXPECT_EQ(c.reset_ms, 12000);
}

TEST(RateLimitTest, OpenAiStyleHeadersWithDurations) {
  RateLimit r = read({{"x-ratelimit-limit-requests", "14400"},
                      {"x-ratelimit-remaining-requests", "14399"},
                      {"x-ratelimit-reset-requests", "6m0.5s"},
                      {"x-ratelimit-limit-tokens", "18000"}});
  EXPECT_EQ(r.limit, 14400);
  EXPECT_EQ(r.remaining, 14399);
  EXPECT_EQ(r.reset_ms, 360500);
  EXPECT_EQ(read({{"x-ratelimit-reset-requests", "20ms"}}).reset_ms, 20);
  EXPECT_EQ(read({{"x-ratelimit-reset-requests", "1h2m3s"}}).reset_ms, 3723000);
}

// Found by fuzz_headers: seconds beyond INT64_MAX / 1000 overflowed the conversion to milliseconds
// (undefined behaviour; in practice a negative or arbitrary wait).
TEST(RateLimitTest, ResetsTooLongToCountInMillisecondsAreUnknown) {
  EXPECT_EQ(read({{"x-ratelimit-reset-requests", "99999999999999999"}}).reset_ms, -1);
  EXPECT_EQ(read({{"RateLimit-Reset", "9223372036854775807"}}).reset_ms, -1);
  EXPECT_EQ(read({{"RateLimit", "limit=1, remaining=0, reset=9223372036854776"}}).reset_ms, -1);
  EXPECT_EQ(read({{"RateLimit", "\"api\";r=0;t=9223372036854776"}}).reset_ms, -1);
  EXPECT_EQ(read({{"RateLimit-Reset", "9000000000000"}}).reset_ms, 9'000'000'000'000'000);
}

TEST(RateLimitTest, GarbageLeavesTheValuesUnknown) {
  RateLimit r = read({{"RateLimit", "limit=abc, remaining=-3, reset=soon"},
                      {"x-ratelimit-reset-requests", "5 parsecs"},
                      {"RateLimit-Policy", ""},
                      {"Content-Type", "text/plain"}});
  EXPECT_EQ(r.limit, -1);
  EXPECT_EQ(r.remaining, -1);
  EXPECT_EQ(r.reset_ms, -1);
  for (std::string_view junk : {"", ";", "\"", "\";r=", "=,=,=", "limit=99999999999999999999999"}) {
    RateLimit any = read({{"RateLimit", junk}});
    EXPECT_EQ(any.limit, -1) << junk;
  }
  EXPECT_EQ(read({{"x-ratelimit-reset", "9999999999999h"}}).reset_ms, -1);
}

}  // namespace
}  // namespace hfi
