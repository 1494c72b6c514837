// Whether a failed attempt is tried again, and after how long: the OpenAI SDKs' policy
// (../shared/research/reliability-perf.md §1.1, §1.6), plus HF's opt-in wait for loading models.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <string_view>

#include "hfi/hfi.h"

namespace hfi {

struct RetryPolicy {
  int64_t max_retries = 2;
  int64_t max_retry_after_ms = 60000;  // a server asking for a longer wait gets its error instead
  int64_t wait_for_model_ms = 0;       // 0: a 503 "model is loading" is an error at once
  int64_t max_retry_time_ms = 0;       // no retry or failover begins later than this after the start; 0: none
};

// What one attempt ended with.
struct AttemptFacts {
  hfi_status stopped = HFI_OK;  // why the engine ended it early, or OK
  CURLcode curl = CURLE_OK;
  long http_status = 0;
  bool delivered = false;            // stream events already reached the caller
  double model_loading_s = -1;       // a 503 with estimated_time: the estimate, in seconds
  std::string_view should_retry;     // the x-should-retry header, if any
  int64_t retry_after_ms = -1;       // retry-after-ms / Retry-After, -1 when absent
  int64_t retries_done = 0;          // attempts retried so far (model waits not included)
  int64_t model_waited_ms = 0;
};

struct RetryDecision {
  int64_t delay_ms = -1;  // -1: do not retry
  bool model_wait = false;  // a wait for a loading model, counted against wait_for_model_ms only
};

// Whether the attempt failed in a way another try may cure (a retry, or another target): the
// transport, a slow server, 408, 409, 429, 5xx, `x-should-retry: true`. Whether the caller already
// saw stream events is not its concern (a target that broke a stream still failed).
bool retryable_failure(const AttemptFacts& facts);

// `random01` in [0, 1) gives the jitter. Never throws.
RetryDecision decide_retry(const RetryPolicy& policy, const AttemptFacts& facts, double random01);

}  // namespace hfi
