// How long a server asked to wait: `retry-after-ms` first, then `Retry-After` in seconds or as an
// HTTP date, compared with a fixed "now" so the tests do not depend on the clock.
#include "core/retry_after.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>

namespace {

// Sun, 06 Nov 1994 08:49:37 GMT — RFC 9110's example date.
constexpr std::time_t kNow = 784111777;

int64_t wait_ms(std::string_view ms, std::string_view seconds_or_date) {
  return hfi::parse_retry_after_ms(ms, seconds_or_date, kNow);
}

// ---- nothing usable --------------------------------------------------------------------------

TEST(RetryAfter, NothingGiven) { EXPECT_EQ(wait_ms("", ""), -1); }

TEST(RetryAfter, Garbage) {
  EXPECT_EQ(wait_ms("", "soon"), -1);
  EXPECT_EQ(wait_ms("", "later please"), -1);
  EXPECT_EQ(wait_ms("", "12abc"), -1);
  EXPECT_EQ(wait_ms("", "1 2"), -1);
  EXPECT_EQ(wait_ms("", " "), -1);
  EXPECT_EQ(wait_ms("", "."), -1);
  EXPECT_EQ(wait_ms("", "nan"), -1);
  EXPECT_EQ(wait_ms("", "inf"), -1);
  EXPECT_EQ(wait_ms("", "infinity"), -1);
  EXPECT_EQ(wait_ms("abc", ""), -1);
  EXPECT_EQ(wait_ms("abc", "xyz"), -1);
}

// delta-seconds is decimal digits: strtod's hexadecimal notation is not a number of seconds.
TEST(RetryAfter, HexadecimalIsGarbage) {
  EXPECT_EQ(wait_ms("", "0x10"), -1);
  EXPECT_EQ(wait_ms("", "0x1p4"), -1);
  EXPECT_EQ(wait_ms("0x10", ""), -1);
}

TEST(RetryAfter, Negative) {
  EXPECT_EQ(wait_ms("", "-1"), -1);
  EXPECT_EQ(wait_ms("", "-120"), -1);
  EXPECT_EQ(wait_ms("", "-0.5"), -1);
  EXPECT_EQ(wait_ms("-5", ""), -1);
  EXPECT_EQ(wait_ms("+5", ""), -1);
  EXPECT_EQ(wait_ms("", "+5"), -1);
}

// ---- retry-after-ms --------------------------------------------------------------------------

TEST(RetryAfter, MillisecondsHeader) {
  EXPECT_EQ(wait_ms("1500", ""), 1500);
  EXPECT_EQ(wait_ms("0", ""), 0);
  EXPECT_EQ(wait_ms(" 250 ", ""), 250);
  EXPECT_EQ(wait_ms("12.6", ""), 13);
}

TEST(RetryAfter, MillisecondsHeaderWins) {
  EXPECT_EQ(wait_ms("1500", "30"), 1500);
  EXPECT_EQ(wait_ms("0", "30"), 0);
  EXPECT_EQ(wait_ms("1500", "Sun, 06 Nov 1994 08:50:37 GMT"), 1500);
}

TEST(RetryAfter, UnusableMillisecondsHeaderFallsBackToRetryAfter) {
  EXPECT_EQ(wait_ms("soon", "3"), 3000);
  EXPECT_EQ(wait_ms("-1", "3"), 3000);
}

// ---- Retry-After in seconds ------------------------------------------------------------------

TEST(RetryAfter, IntegerSeconds) {
  EXPECT_EQ(wait_ms("", "0"), 0);
  EXPECT_EQ(wait_ms("", "1"), 1000);
  EXPECT_EQ(wait_ms("", "120"), 120000);
  EXPECT_EQ(wait_ms("", "  7\t"), 7000);
  EXPECT_EQ(wait_ms("", "86400"), int64_t{86400} * 1000);
}

TEST(RetryAfter, FractionalSeconds) {
  EXPECT_EQ(wait_ms("", "1.5"), 1500);
  EXPECT_EQ(wait_ms("", "0.25"), 250);
  EXPECT_EQ(wait_ms("", "0.0004"), 0);
  EXPECT_EQ(wait_ms("", "2.0"), 2000);
}

// A number too large for the result must not wrap around into a negative wait (only -1 may be
// negative, and it means "not said").
TEST(RetryAfter, HugeNumbersDoNotTurnNegative) {
  for (const char* huge : {"99999999999999999999", "1e300", "9223372036854775807"}) {
    int64_t seconds = wait_ms("", huge);
    EXPECT_TRUE(seconds == -1 || seconds > 0) << huge << " seconds gave " << seconds;
    int64_t millis = wait_ms(huge, "");
    EXPECT_TRUE(millis == -1 || millis > 0) << huge << " ms gave " << millis;
  }
}

// ---- Retry-After as an HTTP date -------------------------------------------------------------

TEST(RetryAfter, DateInTheFuture) {
  EXPECT_EQ(wait_ms("", "Sun, 06 Nov 1994 08:49:47 GMT"), 10000);
  EXPECT_EQ(wait_ms("", "Sun, 06 Nov 1994 09:49:37 GMT"), 3600 * 1000);
  EXPECT_EQ(wait_ms("", "Mon, 07 Nov 1994 08:49:37 GMT"), 86400 * 1000);
}

TEST(RetryAfter, ObsoleteDateFormats) {
  // RFC 850 and asctime forms, which recipients must still accept.
  EXPECT_EQ(wait_ms("", "Sunday, 06-Nov-94 08:50:37 GMT"), 60000);
  EXPECT_EQ(wait_ms("", "Sun Nov  6 08:50:37 1994"), 60000);
}

TEST(RetryAfter, DateNowIsZero) { EXPECT_EQ(wait_ms("", "Sun, 06 Nov 1994 08:49:37 GMT"), 0); }

TEST(RetryAfter, DateInThePastIsZero) {
  EXPECT_EQ(wait_ms("", "Sun, 06 Nov 1994 08:49:36 GMT"), 0);
  EXPECT_EQ(wait_ms("", "Thu, 01 Jan 1970 00:00:01 GMT"), 0);
}

TEST(RetryAfter, DateUsesTheGivenNow) {
  EXPECT_EQ(hfi::parse_retry_after_ms("", "Sun, 06 Nov 1994 08:49:47 GMT", kNow + 5), 5000);
  EXPECT_EQ(hfi::parse_retry_after_ms("", "Sun, 06 Nov 1994 08:49:47 GMT", kNow + 60), 0);
}

TEST(RetryAfter, DateInTheMillisecondsHeaderIsNotUsable) {
  EXPECT_EQ(wait_ms("Sun, 06 Nov 1994 08:49:47 GMT", ""), -1);
}

}  // namespace
