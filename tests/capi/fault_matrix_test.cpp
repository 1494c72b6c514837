// The fault matrix: every fault the emulator can inject (error statuses, redirects, slow and
// stalled servers, dropped connections, broken framing, malformed and oversized answers, error
// events, refused connections, untrusted TLS) × every way of asking (blocking hfi_chat, streamed
// hfi_chat_stream with a callback, a started stream drained through hfi_client_poll and the pull
// queue) × {no retries, one retry with the fault injected once}.
//
// Each cell asserts the exact status, that text streamed before a failure is kept in the response
// and equals what the caller was given, that a started request ends with exactly one final event
// and runs its release hook exactly once, and that the client's token appears in no log line, no
// error string and no request to a host it was not meant for. Under ASan (CI) the same cells also
// prove that nothing leaks.
#include <hfi/hfi.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "support.h"

namespace {

using namespace hfi_test;

const std::string kToken = "hf_test_FaultMatrixToken0123456789";

enum class Mode { blocking, streamed, polled };
enum class Where { emulator, refused, untrusted_tls, redirect };

// A blocking call asked for a whole answer: an event stream instead is HFI_E_PROTOCOL, whatever it holds.
struct Fault {
  const char* name;
  std::string step;  // emulator script step ("" = the normal answer)
  hfi_status whole;  // outcome of a blocking call, retries off
  hfi_status stream; // outcome of a streamed call, retries off
  bool retryable;    // one retry cures it when nothing was streamed yet
  bool partial;      // streamed calls get some text before the failure
  std::vector<std::pair<int32_t, int64_t>> options;
  Where where = Where::emulator;
  bool persists = false;  // retried, and fails the same way again
};

std::string error_step(int status, const std::string& body, const std::string& headers = "{}") {
  return R"({"status":)" + std::to_string(status) + R"(,"headers":)" + headers + R"(,"body":)" + json_str(body) + "}";
}

std::vector<Fault> faults() {
  const std::string big(8192, ' ');
  return {
      {"Http400", error_step(400, R"({"error":"bad input"})"), HFI_E_BAD_REQUEST, HFI_E_BAD_REQUEST, false, false, {}},
      {"Http401", error_step(401, R"({"error":"Invalid credentials"})"), HFI_E_AUTH, HFI_E_AUTH, false, false, {}},
      {"Http402", error_step(402, R"({"error":"out of credits"})"), HFI_E_PAYMENT_REQUIRED, HFI_E_PAYMENT_REQUIRED, false,
       false, {}},
      {"Http403", error_step(403, R"({"error":"no permission"})"), HFI_E_FORBIDDEN, HFI_E_FORBIDDEN, false, false, {}},
      {"Http404", error_step(404, R"({"error":"Model org/nope does not exist"})"), HFI_E_NOT_FOUND, HFI_E_NOT_FOUND, false,
       false, {}},
      {"Http408", error_step(408, R"({"error":"request timeout"})"), HFI_E_HTTP, HFI_E_HTTP, true, false, {}},
      {"Http409", error_step(409, R"({"error":"conflict"})"), HFI_E_HTTP, HFI_E_HTTP, true, false, {}},
      {"Http422", error_step(422, R"({"error":"Input validation error"})"), HFI_E_UNPROCESSABLE, HFI_E_UNPROCESSABLE,
       false, false, {}},
      {"Http429", error_step(429, R"({"error":"Rate limit reached"})", R"({"Retry-After":"0"})"), HFI_E_RATE_LIMITED,
       HFI_E_RATE_LIMITED, true, false, {}},
      {"Http500", error_step(500, R"({"detail":"Internal Server Error"})"), HFI_E_SERVER, HFI_E_SERVER, true, false, {}},
      {"Http502", error_step(502, "<html>bad gateway</html>"), HFI_E_SERVER, HFI_E_SERVER, true, false, {}},
      {"Http503", error_step(503, R"({"error":"Service Unavailable"})"), HFI_E_UNAVAILABLE, HFI_E_UNAVAILABLE, true, false,
       {}},
      {"Http503ModelLoading", error_step(503, R"({"error":"Model is loading","estimated_time":20.0})"),
       HFI_E_MODEL_LOADING, HFI_E_MODEL_LOADING, false, false, {}},
      {"Http504", error_step(504, R"({"error":"upstream timed out"})"), HFI_E_SERVER, HFI_E_SERVER, true, false, {}},
      {"RedirectToAnotherHost", "", HFI_E_HTTP, HFI_E_HTTP, false, false, {}, Where::redirect},
      {"SlowFirstByte", R"({"delay_ms":1500})", HFI_E_FIRST_BYTE_TIMEOUT, HFI_E_FIRST_BYTE_TIMEOUT, true, false,
       {{HFI_OPT_FIRST_BYTE_TIMEOUT_MS, 300}}},
      {"TotalTimeout", R"({"delay_ms":1500})", HFI_E_TIMEOUT, HFI_E_TIMEOUT, false, false, {{HFI_OPT_TIMEOUT_MS, 300}}},
      {"StallBeforeTheBody", R"({"stall_after":0,"stall_ms":1500})", HFI_E_STALL_TIMEOUT, HFI_E_STALL_TIMEOUT, true,
       false, {{HFI_OPT_STALL_TIMEOUT_MS, 300}}},
      {"StallMidStream", R"({"stall_after":2,"stall_ms":1500})", HFI_OK, HFI_E_STALL_TIMEOUT, false, true,
       {{HFI_OPT_STALL_TIMEOUT_MS, 300}}},
      {"DropMidAnswer", R"({"drop_after":3})", HFI_E_NETWORK, HFI_E_STREAM_TRUNCATED, true, true, {}},
      // Headers, then nothing of the body: no stream began, so nothing was cut.
      {"DropBeforeTheBody", R"({"drop_after":0})", HFI_E_NETWORK, HFI_E_NETWORK, true, false, {}},
      {"CloseAfterHeaders", R"({"close_after_headers":true})", HFI_E_NETWORK, HFI_E_NETWORK, true, false, {}},
      {"OneByteWrites", R"({"split_bytes":1})", HFI_OK, HFI_OK, false, false, {}},
      {"SlowPieces", R"({"chunk_delay_ms":20})", HFI_OK, HFI_OK, false, false, {}},
      {"MalformedJson", R"({"body":"this is not json"})", HFI_E_PROTOCOL, HFI_E_PROTOCOL, false, false, {}},
      {"EmptyBody", R"({"body":""})", HFI_E_PROTOCOL, HFI_E_PROTOCOL, false, false, {}},
      {"MalformedEvent", sse_step({"data: {not json\n\n"}), HFI_E_PROTOCOL, HFI_E_PROTOCOL, false, false, {}},
      {"ErrorEventInAStream",
       sse_step({"data: " + delta_chunk("partial ") + "\n\n", "data: {\"error\":\"Input validation error\",\"error_type\":\"validation\"}\n\n"}),
       HFI_E_PROTOCOL, HFI_E_STREAM_ERROR, false, true, {}},
      {"StreamWithoutItsEnd", sse_step({"data: " + delta_chunk("partial ") + "\n\n"}), HFI_E_PROTOCOL, HFI_E_STREAM_TRUNCATED, false,
       true, {}},
      {"OversizedAnswer", R"({"body":)" + json_str(big + "{}") + "}", HFI_E_TOO_LARGE, HFI_E_TOO_LARGE, false, false,
       {{HFI_OPT_MAX_RESPONSE_BYTES, 1024}}},
      {"OversizedEvent", sse_step({"data: {\"pad\":\"" + big + "\"}\n\n"}), HFI_E_PROTOCOL, HFI_E_TOO_LARGE, false, false,
       {{HFI_OPT_MAX_EVENT_BYTES, 1024}}},
      {"ConnectionRefused", "", HFI_E_CONNECT, HFI_E_CONNECT, true, false, {}, Where::refused, true},
      {"UntrustedCertificate", "", HFI_E_TLS, HFI_E_TLS, false, false, {}, Where::untrusted_tls},
  };
}


// What the caller saw of one request.
struct Outcome {
  hfi_status status = HFI_OK;
  ResponsePtr response;
  std::string streamed;  // DELTA texts as delivered
  size_t final_events = 0;
};

void count_release(void* user_data) { ++*static_cast<int*>(user_data); }

class FaultMatrix : public EmulatorTest,
                    public ::testing::WithParamInterface<std::tuple<size_t, Mode, bool>> {
 protected:
  const Fault& fault() const {
    static const std::vector<Fault> all = faults();
    return all[std::get<0>(GetParam())];
  }
  Mode mode() const { return std::get<1>(GetParam()); }
  bool retry() const { return std::get<2>(GetParam()); }
  bool streaming() const { return mode() != Mode::blocking; }

  ClientPtr client(const std::string& router, const std::string& ca = "") {
    OptionsPtr o = make_options();
    set_str(o.get(), HFI_OPT_ROUTER_URL, router);
    set_str(o.get(), HFI_OPT_TOKEN, kToken);
    set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
    set_int(o.get(), HFI_OPT_IO_MODE, mode() == Mode::polled ? HFI_IO_THREAD : HFI_IO_CALLER);
    set_int(o.get(), HFI_OPT_MAX_RETRIES, retry() ? 1 : 0);
    set_int(o.get(), HFI_OPT_CONNECT_TIMEOUT_MS, 2000);
    if (!ca.empty()) set_str(o.get(), HFI_OPT_CA_BUNDLE, ca);
    for (const auto& [key, value] : fault().options) set_int(o.get(), key, value);
    EXPECT_EQ(hfi_client_options_set_log(o.get(), &LogRecorder::callback, &log_, HFI_LOG_DEBUG), HFI_OK);
    return client_with(o.get());
  }

  Outcome run(hfi_client* c, const std::string& body) {
    Outcome out;
    if (mode() == Mode::blocking) {
      BlockingResult r = chat(c, body);
      out.status = r.status;
      out.response = std::move(r.response);
      return out;
    }
    if (mode() == Mode::streamed) {
      StreamResult s = stream_chat(c, body);
      out.status = s.status;
      out.response = std::move(s.response);
      out.streamed = s.recording.deltas();
      out.final_events = s.recording.count(HFI_EVENT_DONE) + s.recording.count(HFI_EVENT_ERROR);
      return out;
    }
    hfi_request_options* ro = nullptr;
    EXPECT_EQ(hfi_request_options_new(&ro), HFI_OK);
    EXPECT_EQ(hfi_request_options_set_user_data(ro, &releases_, &count_release), HFI_OK);
    hfi_request* req = nullptr;
    EXPECT_EQ(hfi_request_start(c, HFI_TASK_CHAT_STREAM, body.c_str(), body.size(), ro, &req), HFI_OK);
    hfi_request_options_free(ro);
    if (!req) return out;
    for (int rounds = 0; out.final_events == 0 && rounds < 3000; ++rounds) {
      EXPECT_GE(hfi_client_poll(c, 10, nullptr), HFI_OK);
      hfi_event* ev = nullptr;
      while (hfi_client_next_event(c, &ev) == HFI_OK && ev) {
        const int32_t type = hfi_event_type(ev);
        if (type == HFI_EVENT_DELTA) out.streamed += text(ev, hfi_event_text);
        if (type == HFI_EVENT_DONE || type == HFI_EVENT_ERROR) ++out.final_events;
        hfi_event_free(ev);
      }
    }
    hfi_response* r = nullptr;
    out.status = hfi_request_wait(req, -1, &r);
    out.response.reset(r);
    hfi_request_free(req);
    hfi_client_poll(c, 0, nullptr);  // the release hook runs on an application thread
    // Nothing more may arrive after the final event.
    hfi_event* late = nullptr;
    EXPECT_EQ(hfi_client_next_event(c, &late), HFI_NO_EVENT);
    EXPECT_EQ(late, nullptr);
    return out;
  }

  void expect_no_token_anywhere(const Outcome& out, const std::vector<hfi::emu::RecordedRequest>& elsewhere) {
    {
      std::lock_guard<std::mutex> lock(log_.mutex);
      EXPECT_FALSE(log_.lines.empty());
      for (const auto& [level, line] : log_.lines) EXPECT_EQ(line.find(kToken), std::string::npos) << line;
    }
    if (const hfi_error* e = hfi_response_error(out.response.get())) {
      for (auto getter : {hfi_error_message, hfi_error_type, hfi_error_body}) {
        const std::string s = text(e, getter);
        EXPECT_EQ(s.find(kToken), std::string::npos) << s;
      }
    }
    for (const auto& r : elsewhere)
      for (const auto& [name, value] : r.headers) EXPECT_EQ(value.find(kToken), std::string::npos) << name;
  }

  LogRecorder log_;
  int releases_ = 0;
};

TEST_P(FaultMatrix, Cell) {
  const Fault& f = fault();
  hfi::emu::Emulator elsewhere;  // the other host of a redirect; must hear nothing with the token
  std::unique_ptr<hfi::emu::Emulator> tls;
  std::string router = emu_.base_url();
  if (f.where == Where::redirect) {
    std::string error;
    ASSERT_TRUE(elsewhere.start(&error)) << error;
    emu_.script(R"({"status":307,"headers":{"Location":")" + elsewhere.base_url() + R"(/v1/chat/completions"}})");
  } else if (f.where == Where::refused) {
    hfi::emu::Emulator closed;
    std::string error;
    ASSERT_TRUE(closed.start(&error)) << error;
    router = closed.base_url();
  } else if (f.where == Where::untrusted_tls) {
    hfi::emu::Options o;
    o.tls = true;
    o.tls_dir = ::testing::TempDir() + "hfi-fault-tls-" + std::to_string(::getpid());
    tls = std::make_unique<hfi::emu::Emulator>(o);
    std::string error;
    ASSERT_TRUE(tls->start(&error)) << error;
    router = tls->base_url();
  } else if (!f.step.empty()) {
    emu_.script(f.step);
  }

  ClientPtr c = client(router);
  Outcome out = run(c.get(), chat_body("matrix"));
  const hfi_status expected = streaming() ? f.stream : f.whole;
  const bool retried = retry() && f.retryable && !(streaming() && f.partial) && expected != HFI_OK;
  const hfi_status wanted = retried && !f.persists ? HFI_OK : expected;
  EXPECT_EQ(out.status, wanted) << hfi_status_str(out.status) << " instead of " << hfi_status_str(wanted);
  ASSERT_TRUE(out.response);
  EXPECT_EQ(hfi_response_status(out.response.get()), out.status);
  EXPECT_EQ(hfi_response_attempts(out.response.get()), retried ? 2 : 1);

  if (out.status == HFI_OK) {
    EXPECT_EQ(hfi_response_error(out.response.get()), nullptr);
    EXPECT_EQ(text(out.response.get(), hfi_response_content), "Hello! You said: matrix");
    if (streaming()) {
      EXPECT_EQ(out.streamed, "Hello! You said: matrix");
    }
  } else {
    const hfi_error* e = hfi_response_error(out.response.get());
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(hfi_error_code(e), out.status);
    EXPECT_FALSE(text(e, hfi_error_message).empty());
    // What was streamed before the failure is kept, and is exactly what the caller was given.
    if (streaming()) {
      EXPECT_EQ(text(out.response.get(), hfi_response_content), out.streamed);
      EXPECT_EQ(!out.streamed.empty(), f.partial) << out.streamed;
    }
  }
  if (streaming()) {
    EXPECT_EQ(out.final_events, 1u);
  }
  if (mode() == Mode::polled) {
    EXPECT_EQ(releases_, 1);
  }
  if (f.where == Where::redirect) {
    EXPECT_TRUE(elsewhere.requests().empty());
  }
  expect_no_token_anywhere(out, f.where == Where::redirect ? elsewhere.requests() : std::vector<hfi::emu::RecordedRequest>{});
}

std::string cell_name(const ::testing::TestParamInfo<std::tuple<size_t, Mode, bool>>& info) {
  static const std::vector<Fault> all = faults();
  const char* mode = std::get<1>(info.param) == Mode::blocking   ? "Blocking"
                     : std::get<1>(info.param) == Mode::streamed ? "Streamed"
                                                                 : "Polled";
  return std::string(all[std::get<0>(info.param)].name) + "_" + mode + (std::get<2>(info.param) ? "_Retried" : "");
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultMatrix,
                         ::testing::Combine(::testing::Range<size_t>(0, faults().size()),
                                            ::testing::Values(Mode::blocking, Mode::streamed, Mode::polled),
                                            ::testing::Bool()),
                         cell_name);

}  // namespace
