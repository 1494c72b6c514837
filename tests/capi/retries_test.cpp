// Retries through the public C ABI against scripted emulator failures: the default policy (two
// retries of connection failures, stalls before any byte, 408/409/429/5xx), the server's
// Retry-After and x-should-retry, the cap on a requested wait, no retry once stream events reached
// the caller, the opt-in wait for loading models, per-request settings, and cancellation during a
// backoff. The attempts are counted by the emulator's request log and hfi_response_attempts().
#include <hfi/hfi.h>

#include <chrono>
#include <string>
#include <thread>

#include "support.h"

namespace {

using namespace hfi_test;

class RetriesTest : public EmulatorTest, public ::testing::WithParamInterface<int32_t> {
 protected:
  // A client with the library's default retry policy, unless `more` changes it.
  ClientPtr client(const std::vector<std::pair<int32_t, int64_t>>& more = {}, const std::string& router = "") {
    hfi_client_options* raw = nullptr;
    EXPECT_EQ(hfi_client_options_new(&raw), HFI_OK);
    OptionsPtr o(raw);
    set_str(o.get(), HFI_OPT_ROUTER_URL, router.empty() ? emu_.base_url() : router);
    set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
    set_int(o.get(), HFI_OPT_IO_MODE, GetParam());
    for (const auto& [key, value] : more) set_int(o.get(), key, value);
    return client_with(o.get());
  }
  size_t chat_requests() {
    size_t n = 0;
    for (const auto& r : emu_.requests()) n += r.path == "/v1/chat/completions";
    return n;
  }
};

const hfi_error* error_of(const hfi_response* r) { return hfi_response_error(r); }

TEST_P(RetriesTest, ServerErrorsAreRetriedTwiceByDefault) {
  emu_.script(R"({"status":500,"repeat":2})");
  ClientPtr c = client();
  BlockingResult r = chat(c.get(), chat_body("again"));
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(text(r.response.get(), hfi_response_content), "Hello! You said: again");
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 3);
  EXPECT_EQ(chat_requests(), 3u);
}

TEST_P(RetriesTest, TheLastFailureIsReportedWhenRetriesRunOut) {
  emu_.script(R"({"status":502,"repeat":3})");
  ClientPtr c = client();
  BlockingResult r = chat(c.get(), chat_body("no luck"));
  EXPECT_EQ(r.status, HFI_E_SERVER);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 3);
  EXPECT_EQ(chat_requests(), 3u);
}

TEST_P(RetriesTest, RequestErrorsAreNotRetried) {
  for (int status : {400, 401, 403, 404, 422}) {
    SCOPED_TRACE(status);
    emu_.reset();
    emu_.script(R"({"status":)" + std::to_string(status) + "}");
    ClientPtr c = client();
    BlockingResult r = chat(c.get(), chat_body("once"));
    EXPECT_NE(r.status, HFI_OK);
    EXPECT_EQ(hfi_response_attempts(r.response.get()), 1);
    EXPECT_EQ(chat_requests(), 1u);
  }
}

TEST_P(RetriesTest, RetryAfterIsHonouredAndALongerOneThanTheCapIsReturned) {
  emu_.script(R"({"status":429,"headers":{"retry-after-ms":"20"}})");
  ClientPtr c = client();
  BlockingResult ok = chat(c.get(), chat_body("soon"));
  ASSERT_EQ(ok.status, HFI_OK);
  EXPECT_EQ(hfi_response_attempts(ok.response.get()), 2);

  emu_.reset();
  emu_.script(R"({"status":429,"headers":{"Retry-After":"5"},"body":"{\"error\":\"slow down\"}"})");
  ClientPtr capped = client({{HFI_OPT_MAX_RETRY_AFTER_MS, 1000}});
  BlockingResult r = chat(capped.get(), chat_body("later"));
  EXPECT_EQ(r.status, HFI_E_RATE_LIMITED);
  EXPECT_EQ(hfi_error_retry_after_ms(error_of(r.response.get())), 5000);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 1);
  EXPECT_EQ(chat_requests(), 1u);
}

TEST_P(RetriesTest, RateLimitHeadersReachTheErrorDetail) {
  emu_.script(R"({"status":429,"headers":{"Retry-After":"90","RateLimit":"\"api\";r=0;t=55",)"
              R"("RateLimit-Policy":"\"api\";q=500;w=300"}})");
  ClientPtr c = client();
  BlockingResult r = chat(c.get(), chat_body("busy"));
  ASSERT_EQ(r.status, HFI_E_RATE_LIMITED);
  const hfi_error* e = error_of(r.response.get());
  int64_t limit = 0, remaining = 0, reset = 0;
  ASSERT_EQ(hfi_error_rate_limit(e, &limit, &remaining, &reset), HFI_OK);
  EXPECT_EQ(limit, 500);
  EXPECT_EQ(remaining, 0);
  EXPECT_EQ(reset, 55000);
  EXPECT_EQ(text(e, hfi_error_rate_limit_policy), "\"api\";q=500;w=300");
  EXPECT_EQ(hfi_error_rate_limit(nullptr, &limit, nullptr, nullptr), HFI_E_INVALID_ARG);
  const char* p = nullptr;
  size_t n = 0;
  EXPECT_EQ(hfi_error_rate_limit_policy(nullptr, &p, &n), HFI_E_INVALID_ARG);

  emu_.reset();
  emu_.script(R"({"status":500,"headers":{"x-should-retry":"false","x-ratelimit-limit-requests":"60",)"
              R"("x-ratelimit-remaining-requests":"59","x-ratelimit-reset-requests":"1s"}})");
  BlockingResult openai_style = chat(c.get(), chat_body("busy"));
  ASSERT_EQ(hfi_error_rate_limit(error_of(openai_style.response.get()), &limit, &remaining, &reset), HFI_OK);
  EXPECT_EQ(limit, 60);
  EXPECT_EQ(remaining, 59);
  EXPECT_EQ(reset, 1000);
}

TEST_P(RetriesTest, TheServersShouldRetryHeaderDecides) {
  emu_.script(R"({"status":500,"headers":{"x-should-retry":"false"}})");
  ClientPtr c = client();
  BlockingResult no = chat(c.get(), chat_body("no"));
  EXPECT_EQ(no.status, HFI_E_SERVER);
  EXPECT_EQ(hfi_response_attempts(no.response.get()), 1);

  emu_.reset();
  emu_.script(R"({"status":400,"headers":{"x-should-retry":"true"}})");
  BlockingResult yes = chat(c.get(), chat_body("yes"));
  EXPECT_EQ(yes.status, HFI_OK);
  EXPECT_EQ(hfi_response_attempts(yes.response.get()), 2);
}

TEST_P(RetriesTest, AStreamIsNeverRetriedOnceEventsReachedTheCaller) {
  emu_.script(R"({"default_sse":true,"drop_after":3})");
  ClientPtr c = client();
  StreamResult r = stream_chat(c.get(), chat_body("one two three four five six"));
  EXPECT_EQ(r.status, HFI_E_STREAM_TRUNCATED);
  EXPECT_FALSE(r.recording.deltas().empty()) << "the partial answer is kept";
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 1);
  EXPECT_EQ(chat_requests(), 1u);
}

TEST_P(RetriesTest, AStreamThatBrokeBeforeItsFirstEventIsRetried) {
  emu_.script(R"({"default_sse":true,"close_after_headers":true})");
  ClientPtr c = client();
  StreamResult r = stream_chat(c.get(), chat_body("fresh start"));
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "Hello! You said: fresh start");
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 2);
}

TEST_P(RetriesTest, AStallBeforeTheFirstByteIsRetried) {
  emu_.script(R"({"delay_ms":3000})");
  ClientPtr c = client({{HFI_OPT_STALL_TIMEOUT_MS, 200}});
  BlockingResult r = chat(c.get(), chat_body("wake up"));
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 2);
}

TEST_P(RetriesTest, AResponseThatDoesNotBeginInTimeIsItsOwnErrorAndIsRetried) {
  emu_.script(R"({"delay_ms":3000,"repeat":3})");
  ClientPtr c = client({{HFI_OPT_FIRST_BYTE_TIMEOUT_MS, 150}, {HFI_OPT_MAX_RETRIES, 1}});
  BlockingResult r = chat(c.get(), chat_body("hello?"));
  EXPECT_EQ(r.status, HFI_E_FIRST_BYTE_TIMEOUT);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 2);
  EXPECT_NE(text(error_of(r.response.get()), hfi_error_message).find("150 ms"), std::string::npos);

  // A slow stream that did begin is not cut by it.
  emu_.reset();
  emu_.script(R"({"default_sse":true,"chunk_delay_ms":250})");
  StreamResult slow = stream_chat(c.get(), chat_body("one two three"));
  EXPECT_EQ(slow.status, HFI_OK);
  EXPECT_EQ(slow.recording.deltas(), "Hello! You said: one two three");
}

TEST_P(RetriesTest, ARefusedConnectionIsRetriedThenReported) {
  ClientPtr c = client({}, "http://127.0.0.1:1");
  BlockingResult r = chat(c.get(), chat_body("anyone"));
  EXPECT_EQ(r.status, HFI_E_CONNECT);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 3);
}

TEST_P(RetriesTest, ALoadingModelIsWaitedForOnlyWhenAskedAndWithinTheBudget) {
  const std::string loading = R"({"status":503,"body":"{\"error\":\"Model is currently loading\",\"estimated_time\":0.2}"})";
  emu_.script(loading);
  ClientPtr plain = client();
  BlockingResult now = chat(plain.get(), chat_body("ready?"));
  EXPECT_EQ(now.status, HFI_E_MODEL_LOADING);
  EXPECT_EQ(hfi_response_attempts(now.response.get()), 1);

  emu_.reset();
  emu_.script(loading);
  ClientPtr patient = client({{HFI_OPT_WAIT_FOR_MODEL_MS, 5000}});
  BlockingResult later = chat(patient.get(), chat_body("ready now?"));
  EXPECT_EQ(later.status, HFI_OK);
  EXPECT_EQ(hfi_response_attempts(later.response.get()), 2);
}

TEST_P(RetriesTest, ARequestCanTurnRetriesOffAndCancelDuringABackoffEndsAtOnce) {
  emu_.script(R"({"status":503,"headers":{"Retry-After":"30"},"repeat":5})");
  ClientPtr c = client();
  hfi_request_options* ro = nullptr;
  ASSERT_EQ(hfi_request_options_new(&ro), HFI_OK);
  std::unique_ptr<hfi_request_options, void (*)(hfi_request_options*)> owned(ro, hfi_request_options_free);
  hfi_request* req = nullptr;
  const std::string body = chat_body("patience");
  ASSERT_EQ(hfi_request_start(c.get(), HFI_TASK_CHAT, body.c_str(), body.size(), ro, &req), HFI_OK);
  // The first attempt fails; the request then waits 30 s for its retry.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (chat_requests() == 0 && std::chrono::steady_clock::now() < until) hfi_client_poll(c.get(), 10, nullptr);
  hfi_client_poll(c.get(), 100, nullptr);
  EXPECT_EQ(hfi_request_status(req), HFI_PENDING);
  ASSERT_EQ(hfi_request_cancel(req), HFI_OK);
  EXPECT_EQ(hfi_request_wait(req, 10000, nullptr), HFI_E_CANCELLED);
  EXPECT_EQ(chat_requests(), 1u);
  hfi_request_free(req);

  emu_.reset();
  emu_.script(R"({"status":500})");
  ASSERT_EQ(hfi_request_options_set_int(ro, HFI_REQ_MAX_RETRIES, 0), HFI_OK);
  ASSERT_EQ(hfi_request_start(c.get(), HFI_TASK_CHAT, body.c_str(), body.size(), ro, &req), HFI_OK);
  hfi_response* r = nullptr;
  EXPECT_EQ(hfi_request_wait(req, -1, &r), HFI_E_SERVER);
  EXPECT_EQ(hfi_response_attempts(r), 1);
  hfi_response_free(r);
  hfi_request_free(req);
}

INSTANTIATE_TEST_SUITE_P(IoModes, RetriesTest, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD),
                         [](const ::testing::TestParamInfo<int32_t>& info) {
                           return info.param == HFI_IO_CALLER ? std::string("Caller") : std::string("IoThread");
                         });

TEST(RetriesArguments, OptionsAreChecked) {
  hfi_client_options* raw = nullptr;
  ASSERT_EQ(hfi_client_options_new(&raw), HFI_OK);
  OptionsPtr o(raw);
  EXPECT_EQ(hfi_client_options_set_int(raw, HFI_OPT_MAX_RETRIES, -1), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_int(raw, HFI_OPT_MAX_RETRIES, 101), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_int(raw, HFI_OPT_MAX_RETRY_AFTER_MS, -1), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_int(raw, HFI_OPT_WAIT_FOR_MODEL_MS, -1), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_response_attempts(nullptr), -1);
  hfi_request_options* ro = nullptr;
  ASSERT_EQ(hfi_request_options_new(&ro), HFI_OK);
  EXPECT_EQ(hfi_request_options_set_int(ro, HFI_REQ_MAX_RETRIES, -1), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_int(ro, HFI_REQ_MAX_RETRIES, 101), HFI_E_INVALID_ARG);
  hfi_request_options_free(ro);
}

}  // namespace
