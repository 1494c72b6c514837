#include "core/retry_policy.h"

#include <gtest/gtest.h>

namespace hfi {
namespace {

AttemptFacts http(long status) {
  AttemptFacts f;
  f.http_status = status;
  return f;
}

TEST(RetryPolicyTest, RetriedStatusesAndTransportFailures) {
  const RetryPolicy policy;
  for (long status : {408L, 409L, 429L, 500L, 502L, 503L, 504L, 599L})
    EXPECT_GE(decide_retry(policy, http(status), 0).delay_ms, 0) << status;
  for (long status : {400L, 401L, 402L, 403L, 404L, 413L, 422L})
    EXPECT_EQ(decide_retry(policy, http(status), 0).delay_ms, -1) << status;
  for (CURLcode code : {CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR,
                        CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE}) {
    AttemptFacts f;
    f.curl = code;
    EXPECT_GE(decide_retry(policy, f, 0).delay_ms, 0) << code;
  }
  for (CURLcode code : {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_URL_MALFORMAT}) {
    AttemptFacts f;
    f.curl = code;
    EXPECT_EQ(decide_retry(policy, f, 0).delay_ms, -1) << code;
  }
  AttemptFacts stalled;
  stalled.stopped = HFI_E_STALL_TIMEOUT;
  EXPECT_GE(decide_retry(policy, stalled, 0).delay_ms, 0);
  for (hfi_status stop : {HFI_E_CANCELLED, HFI_E_ABORTED_BY_CALLBACK, HFI_E_TIMEOUT, HFI_E_TOO_LARGE}) {
    AttemptFacts f = http(500);
    f.stopped = stop;
    EXPECT_EQ(decide_retry(policy, f, 0).delay_ms, -1) << stop;
  }
}

TEST(RetryPolicyTest, BackoffDoublesFromHalfASecondToEightWithUpToAQuarterOff) {
  const RetryPolicy policy{100, 60000, 0};
  AttemptFacts f = http(500);
  const int64_t nominal[] = {500, 1000, 2000, 4000, 8000, 8000, 8000};
  for (int64_t n = 0; n < 7; ++n) {
    f.retries_done = n;
    EXPECT_EQ(decide_retry(policy, f, 0).delay_ms, nominal[n]) << n;
    EXPECT_EQ(decide_retry(policy, f, 0.999999).delay_ms, nominal[n] * 3 / 4) << n;
  }
  f.retries_done = 100;
  EXPECT_EQ(decide_retry(policy, f, 0).delay_ms, -1) << "out of retries";
}

TEST(RetryPolicyTest, TheServerDecidesWhenItSays) {
  const RetryPolicy policy;
  AttemptFacts f = http(429);
  f.retry_after_ms = 1500;
  EXPECT_EQ(decide_retry(policy, f, 0.5).delay_ms, 1500);
  f.retry_after_ms = 0;
  EXPECT_EQ(decide_retry(policy, f, 0.5).delay_ms, 0);
  f.retry_after_ms = 60001;
  EXPECT_EQ(decide_retry(policy, f, 0.5).delay_ms, -1) << "longer than the cap: the caller gets the error";
  AttemptFacts forbid = http(500);
  forbid.should_retry = "false";
  EXPECT_EQ(decide_retry(policy, forbid, 0).delay_ms, -1);
  AttemptFacts force = http(400);
  force.should_retry = "true";
  EXPECT_GE(decide_retry(policy, force, 0).delay_ms, 0);
  AttemptFacts delivered = http(500);
  delivered.delivered = true;
  delivered.should_retry = "true";
  EXPECT_EQ(decide_retry(policy, delivered, 0).delay_ms, -1) << "never after stream events reached the caller";
}

TEST(RetryPolicyTest, LoadingModelsAreWaitedForWithinTheirOwnBudget) {
  AttemptFacts f = http(503);
  f.model_loading_s = 20;
  EXPECT_EQ(decide_retry(RetryPolicy{}, f, 0).delay_ms, -1) << "off by default";
  const RetryPolicy patient{2, 60000, 45000};
  RetryDecision d = decide_retry(patient, f, 0);
  EXPECT_EQ(d.delay_ms, 20000);
  EXPECT_TRUE(d.model_wait);
  f.model_loading_s = 2315;  // observed: capped per wait
  EXPECT_EQ(decide_retry(patient, f, 0).delay_ms, 30000);
  f.model_waited_ms = 40000;
  EXPECT_EQ(decide_retry(patient, f, 0).delay_ms, 5000) << "what is left of the budget";
  f.model_waited_ms = 45000;
  EXPECT_EQ(decide_retry(patient, f, 0).delay_ms, -1);
  f.model_loading_s = 0.01;
  f.model_waited_ms = 0;
  EXPECT_EQ(decide_retry(patient, f, 0).delay_ms, 1000) << "at least a second";
  f.retries_done = 99;
  EXPECT_GE(decide_retry(patient, f, 0).delay_ms, 0) << "model waits do not use up retries";
}

}  // namespace
}  // namespace hfi
