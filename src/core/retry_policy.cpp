#include "core/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace hfi {
namespace {

// The transport failed before a response could be used: worth another connection.
bool transient_transport_failure(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool retryable_status(long status) { return status == 408 || status == 409 || status == 429 || status >= 500; }

}  // namespace

bool retryable_failure(const AttemptFacts& f) {
  const bool slow_server = f.stopped == HFI_E_STALL_TIMEOUT || f.stopped == HFI_E_FIRST_BYTE_TIMEOUT;
  if (f.stopped != HFI_OK && !slow_server) return false;  // the caller's own ends
  if (f.should_retry == "false") return false;
  if (f.should_retry == "true" || slow_server) return true;
  if (f.http_status > 0) return retryable_status(f.http_status) || (f.http_status < 300 && transient_transport_failure(f.curl));
  return transient_transport_failure(f.curl);
}

RetryDecision decide_retry(const RetryPolicy& policy, const AttemptFacts& f, double random01) {
  RetryDecision no;
  // Text already handed to the caller cannot be taken back.
  if (f.delivered || !retryable_failure(f)) return no;

  if (f.model_loading_s >= 0 && f.should_retry != "true") {
    const int64_t left = policy.wait_for_model_ms - f.model_waited_ms;
    if (left <= 0) return no;
    const double estimate_ms = std::clamp(f.model_loading_s * 1000.0, 1000.0, 30000.0);
    RetryDecision wait;
    wait.delay_ms = std::min<int64_t>(left, static_cast<int64_t>(estimate_ms));
    wait.model_wait = true;
    return wait;
  }
  if (f.retries_done >= policy.max_retries) return no;

  RetryDecision yes;
  if (f.retry_after_ms >= 0) {
    if (f.retry_after_ms > policy.max_retry_after_ms) return no;  // the caller gets the wait in the error
    yes.delay_ms = f.retry_after_ms;
    return yes;
  }
  const double nominal = std::min(500.0 * std::pow(2.0, static_cast<double>(std::min<int64_t>(f.retries_done, 30))), 8000.0);
  yes.delay_ms = static_cast<int64_t>(nominal * (1.0 - 0.25 * std::clamp(random01, 0.0, 1.0)));
  return yes;
}

}  // namespace hfi
