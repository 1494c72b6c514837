// Failover and balancing across chat targets (HFI_OPT_TARGET) through the public C ABI, with two
// emulators standing for two independent servers: a retryable failure moves the request to the
// next target at once, each target gets its own key and no other, the breaker rests a failing
// target, weights share the traffic, and responses and events say who served after how many
// attempts.
#include <hfi/hfi.h>

#include <chrono>
#include <string>
#include <thread>

#include "support.h"

namespace {

using namespace hfi_test;

class FailoverTest : public EmulatorTest, public ::testing::WithParamInterface<int32_t> {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    std::string error;
    ASSERT_TRUE(other_.start(&error)) << error;
  }

  // A client whose chat targets are `tiers` (one HFI_OPT_TARGET each).
  ClientPtr client(const std::vector<std::string>& tiers, const std::vector<std::pair<int32_t, int64_t>>& more = {},
                   const std::string& token = "") {
    hfi_client_options* raw = nullptr;
    EXPECT_EQ(hfi_client_options_new(&raw), HFI_OK);
    OptionsPtr o(raw);
    set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
    set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
    set_int(o.get(), HFI_OPT_IO_MODE, GetParam());
    set_int(o.get(), HFI_OPT_MAX_RETRIES, 0);
    if (!token.empty()) set_str(o.get(), HFI_OPT_TOKEN, token);
    for (const std::string& tier : tiers) set_str(o.get(), HFI_OPT_TARGET, tier);
    for (const auto& [key, value] : more) set_int(o.get(), key, value);
    return client_with(o.get());
  }
  std::string a() const { return emu_.base_url() + "/v1"; }
  std::string b() const { return other_.base_url() + "/v1"; }
  static std::vector<hfi::emu::RecordedRequest> chats(const hfi::emu::Emulator& e) {
    std::vector<hfi::emu::RecordedRequest> out;
    for (auto& r : e.requests())
      if (r.path == "/v1/chat/completions") out.push_back(r);
    return out;
  }

  hfi::emu::Emulator other_;
};

TEST_P(FailoverTest, ARetryableFailureMovesToTheNextTargetAtOnceWithItsOwnKey) {
  emu_.script(R"({"status":503,"headers":{"Retry-After":"30"}})");
  ClientPtr c = client({a() + "; key=key-a", b() + "; key=key-b"});
  const auto started = std::chrono::steady_clock::now();
  BlockingResult r = chat(c.get(), chat_body("over"));
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));  // not the 30 s asked for
  EXPECT_EQ(text(r.response.get(), hfi_response_content), "Hello! You said: over");
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 2);
  EXPECT_EQ(text(r.response.get(), hfi_response_target), b());
  EXPECT_EQ(text(r.response.get(), hfi_response_url), b() + "/chat/completions");

  auto at_a = chats(emu_), at_b = chats(other_);
  ASSERT_EQ(at_a.size(), 1u);
  ASSERT_EQ(at_b.size(), 1u);
  EXPECT_EQ(at_a[0].headers["authorization"], "Bearer key-a");
  EXPECT_EQ(at_b[0].headers["authorization"], "Bearer key-b");
  EXPECT_EQ(at_a[0].body, at_b[0].body);
}

TEST_P(FailoverTest, RequestErrorsDoNotMoveAndTheTargetIsNamed) {
  emu_.script(R"({"status":400,"body":"{\"error\":\"bad\"}"})");
  ClientPtr c = client({a() + " | " + b() + "; weight=1"}, {{HFI_OPT_BREAKER_FAILURES, 0}});
  // Either target may come first; only the one asked sees the request.
  BlockingResult r = chat(c.get(), chat_body("x"));
  const std::string target = text(r.response.get(), hfi_response_target);
  const size_t at_a = chats(emu_).size(), at_b = chats(other_).size();
  EXPECT_EQ(at_a + at_b, 1u);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 1);
  if (at_a == 1) {
    EXPECT_EQ(r.status, HFI_E_BAD_REQUEST);
    EXPECT_EQ(target, a());
  } else {
    EXPECT_EQ(r.status, HFI_OK);
    EXPECT_EQ(target, b());
  }
}

TEST_P(FailoverTest, AStreamThatFailsBeforeItsFirstEventMovesAndItsEventsNameTheServer) {
  emu_.script(R"({"default_sse":true,"close_after_headers":true})");
  ClientPtr c = client({a(), b()});
  StreamResult s = stream_chat(c.get(), chat_body("stream"));
  ASSERT_EQ(s.status, HFI_OK);
  EXPECT_EQ(s.recording.deltas(), "Hello! You said: stream");
  EXPECT_EQ(hfi_response_attempts(s.response.get()), 2);
  EXPECT_EQ(text(s.response.get(), hfi_response_target), b());
  ASSERT_FALSE(s.recording.events.empty());
  for (const RecordedEvent& ev : s.recording.events) {
    EXPECT_EQ(ev.attempt, 2);
    EXPECT_EQ(ev.target, b());
  }
}

TEST_P(FailoverTest, AStreamThatBrokeAfterItsFirstEventKeepsItsTextAndStays) {
  emu_.script(R"({"default_sse":true,"drop_after":3})");
  ClientPtr c = client({a(), b()});
  StreamResult s = stream_chat(c.get(), chat_body("stream"));
  EXPECT_EQ(s.status, HFI_E_STREAM_TRUNCATED);
  EXPECT_FALSE(s.recording.deltas().empty());
  EXPECT_EQ(text(s.response.get(), hfi_response_content), s.recording.deltas());
  EXPECT_EQ(hfi_response_attempts(s.response.get()), 1);
  EXPECT_EQ(text(s.response.get(), hfi_response_target), a());
  EXPECT_EQ(chats(other_).size(), 0u);
}

TEST_P(FailoverTest, WhenEveryTargetFailedRetriesGoRoundThemAgain) {
  emu_.script(R"({"status":500,"repeat":10})");
  other_.script(R"({"status":502,"repeat":10})");
  ClientPtr c = client({a(), b()}, {{HFI_OPT_MAX_RETRIES, 2}, {HFI_OPT_BREAKER_FAILURES, 0}});
  BlockingResult r = chat(c.get(), chat_body("nobody"));
  EXPECT_EQ(r.status, HFI_E_SERVER);
  // a, b (failover), then two retries: a, b.
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 4);
  EXPECT_EQ(chats(emu_).size(), 2u);
  EXPECT_EQ(chats(other_).size(), 2u);
  EXPECT_EQ(text(r.response.get(), hfi_response_target), b());
  EXPECT_EQ(hfi_error_http_status(hfi_response_error(r.response.get())), 502);
}

TEST_P(FailoverTest, TheBreakerRestsATargetThatKeepsFailingUntilItsCooldownPassed) {
  emu_.script(R"({"status":500,"repeat":100})");
  ClientPtr c = client({a(), b()}, {{HFI_OPT_BREAKER_FAILURES, 2}, {HFI_OPT_BREAKER_COOLDOWN_MS, 400}});
  for (int i = 0; i < 2; ++i) {
    BlockingResult r = chat(c.get(), chat_body("x"));
    ASSERT_EQ(r.status, HFI_OK);
    EXPECT_EQ(hfi_response_attempts(r.response.get()), 2);
  }
  EXPECT_EQ(chats(emu_).size(), 2u);
  // Open: new requests go straight to b.
  for (int i = 0; i < 3; ++i) {
    BlockingResult r = chat(c.get(), chat_body("x"));
    ASSERT_EQ(r.status, HFI_OK);
    EXPECT_EQ(hfi_response_attempts(r.response.get()), 1);
    EXPECT_EQ(text(r.response.get(), hfi_response_target), b());
  }
  EXPECT_EQ(chats(emu_).size(), 2u);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  // Rested: a is tried again (and, still failing, rests again at once).
  BlockingResult again = chat(c.get(), chat_body("x"));
  ASSERT_EQ(again.status, HFI_OK);
  EXPECT_EQ(chats(emu_).size(), 3u);
  BlockingResult rested = chat(c.get(), chat_body("x"));
  EXPECT_EQ(hfi_response_attempts(rested.response.get()), 1);
  EXPECT_EQ(chats(emu_).size(), 3u);
}

TEST_P(FailoverTest, ATargetAskingForAPauseGetsIt) {
  emu_.script(R"({"status":429,"headers":{"Retry-After":"30"}})");
  ClientPtr c = client({a(), b()}, {{HFI_OPT_BREAKER_FAILURES, 0}});
  for (int i = 0; i < 3; ++i) ASSERT_EQ(chat(c.get(), chat_body("x")).status, HFI_OK);
  EXPECT_EQ(chats(emu_).size(), 1u);
  EXPECT_EQ(chats(other_).size(), 3u);
}

TEST_P(FailoverTest, WhenEveryTargetRestsAllAreTried) {
  emu_.script(R"({"status":500,"repeat":2})");
  other_.script(R"({"status":500,"repeat":2})");
  ClientPtr c = client({a(), b()}, {{HFI_OPT_BREAKER_FAILURES, 1}, {HFI_OPT_BREAKER_COOLDOWN_MS, 60000}});
  EXPECT_EQ(chat(c.get(), chat_body("x")).status, HFI_E_SERVER);  // both fail: both rest
  BlockingResult r = chat(c.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_SERVER);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 2);
  BlockingResult ok = chat(c.get(), chat_body("x"));
  EXPECT_EQ(ok.status, HFI_OK);
}

TEST_P(FailoverTest, WeightsShareATierAndTiersComeInTurn) {
  ClientPtr weighted = client({a() + "; weight=3 | " + b() + "; weight=1"});
  const int n = 400;
  for (int i = 0; i < n; ++i) ASSERT_EQ(chat(weighted.get(), chat_body("w")).status, HFI_OK);
  const size_t at_a = chats(emu_).size(), at_b = chats(other_).size();
  EXPECT_EQ(at_a + at_b, static_cast<size_t>(n));
  // Binomial(400, 0.75): mean 300, standard deviation 8.7.
  EXPECT_GT(at_a, 240u);
  EXPECT_LT(at_a, 360u);

  emu_.reset();
  other_.reset();
  ClientPtr tiers = client({a(), b()});
  for (int i = 0; i < 20; ++i) ASSERT_EQ(chat(tiers.get(), chat_body("t")).status, HFI_OK);
  EXPECT_EQ(chats(emu_).size(), 20u);
  EXPECT_EQ(chats(other_).size(), 0u);
}

TEST_P(FailoverTest, EachTargetGetsItsModelAndOnlyItsCredential) {
  emu_.script(R"({"status":500})");
  // The first tier is a provider through the router (the HF token), then a plain server without a key.
  ClientPtr c = client({"together", b() + "; model=local-model"}, {}, "hf_test_failover");
  BlockingResult r = chat(c.get(), chat_body("m", "", "org/model"));
  ASSERT_EQ(r.status, HFI_OK);
  auto routed = chats(emu_), plain = chats(other_);
  ASSERT_EQ(routed.size(), 1u);
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_NE(routed[0].body.find(R"("model":"org/model:together")"), std::string::npos) << routed[0].body;
  EXPECT_EQ(routed[0].headers["authorization"], "Bearer hf_test_failover");
  EXPECT_NE(plain[0].body.find(R"("model":"local-model")"), std::string::npos) << plain[0].body;
  EXPECT_EQ(plain[0].headers.count("authorization"), 0u);
  for (const auto& [name, value] : plain[0].headers) EXPECT_EQ(value.find("hf_test_failover"), std::string::npos) << name;
  EXPECT_EQ(text(r.response.get(), hfi_response_target), b());
}

TEST_P(FailoverTest, StartedAndPulledRequestsFailOverToo) {
  emu_.script(R"({"status":502,"repeat":2})");
  ClientPtr c = client({a(), b()});
  const std::string body = chat_body("started");
  hfi_request* req = nullptr;
  ASSERT_EQ(hfi_request_start(c.get(), HFI_TASK_CHAT_STREAM, body.c_str(), body.size(), nullptr, &req), HFI_OK);
  std::string deltas;
  int32_t attempt = 0;
  std::string target;
  for (bool done = false; !done;) {
    hfi_event* ev = nullptr;
    ASSERT_GE(hfi_client_poll(c.get(), 10, nullptr), HFI_OK);
    while (hfi_client_next_event(c.get(), &ev) == HFI_OK && ev) {
      if (hfi_event_type(ev) == HFI_EVENT_DELTA) deltas += text(ev, hfi_event_text);
      attempt = hfi_event_attempt(ev);
      target = text(ev, hfi_event_target);
      done = done || hfi_event_type(ev) == HFI_EVENT_DONE || hfi_event_type(ev) == HFI_EVENT_ERROR;
      hfi_event_free(ev);
    }
  }
  hfi_response* r = nullptr;
  ASSERT_EQ(hfi_request_wait(req, -1, &r), HFI_OK);
  EXPECT_EQ(deltas, "Hello! You said: started");
  EXPECT_EQ(attempt, 2);
  EXPECT_EQ(target, b());
  EXPECT_EQ(hfi_response_attempts(r), 2);
  hfi_response_free(r);
  hfi_request_free(req);
}

TEST_P(FailoverTest, NoRetryOrFailoverBeginsAfterTheRetryTime) {
  emu_.script(R"({"status":500,"delay_ms":150})");
  ClientPtr c = client({a(), b()}, {{HFI_OPT_MAX_RETRY_TIME_MS, 100}});
  BlockingResult r = chat(c.get(), chat_body("late"));
  EXPECT_EQ(r.status, HFI_E_SERVER);
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 1);
  EXPECT_EQ(chats(other_).size(), 0u);
  const std::string message = text(hfi_response_error(r.response.get()), hfi_error_message);
  EXPECT_NE(message.find("retry time limit of 100 ms"), std::string::npos) << message;
}

TEST_P(FailoverTest, FailoverSharesTheTotalTimeout) {
  emu_.script(R"({"status":500,"delay_ms":400})");
  other_.script(R"({"delay_ms":2000})");
  ClientPtr c = client({a(), b()}, {{HFI_OPT_TIMEOUT_MS, 1000}});
  const auto started = std::chrono::steady_clock::now();
  BlockingResult r = chat(c.get(), chat_body("slow"));
  EXPECT_EQ(r.status, HFI_E_TIMEOUT);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1900));
  EXPECT_EQ(hfi_response_attempts(r.response.get()), 2);
}

TEST_P(FailoverTest, WithoutTargetsNoTargetIsNamed) {
  ClientPtr c = client({});
  StreamResult s = stream_chat(c.get(), chat_body("plain"));
  ASSERT_EQ(s.status, HFI_OK);
  EXPECT_EQ(text(s.response.get(), hfi_response_target), "");
  ASSERT_FALSE(s.recording.events.empty());
  EXPECT_EQ(s.recording.events.front().attempt, 1);
  EXPECT_EQ(s.recording.events.front().target, "");
}

INSTANTIATE_TEST_SUITE_P(IoModes, FailoverTest, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD),
                         [](const ::testing::TestParamInfo<int32_t>& info) {
                           return info.param == HFI_IO_CALLER ? std::string("Caller") : std::string("IoThread");
                         });

hfi_status set_target(const std::string& value) {
  hfi_client_options* o = nullptr;
  EXPECT_EQ(hfi_client_options_new(&o), HFI_OK);
  hfi_status st = hfi_client_options_set_str(o, HFI_OPT_TARGET, value.data(), value.size());
  hfi_client_options_free(o);
  return st;
}

TEST(FailoverArguments, TargetsAreChecked) {
  for (const char* bad : {"ftp://example.com", "no-such-provider", "https://a.example; weight=0",
                          "https://a.example; weight=1001", "https://a.example; weight=two",
                          "https://a.example; colour=red", "https://a.example; key=", "https://a.example; key",
                          "together; key=sk-x", "https://a.example |", "| https://a.example", " ; key=k",
                          "https://user:pw@a.example/v1", "openai"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(set_target(bad), HFI_E_INVALID_ARG);
    const char* why = nullptr;
    ASSERT_EQ(hfi_last_error_message(&why, nullptr), HFI_OK);
    EXPECT_STRNE(why, "");
  }
  for (const char* good : {"", "auto", "fastest", "groq | together; weight=5", "https://a.example/v1; key=k; model=m",
                           "http://127.0.0.1:9/v1;weight=7;key=k2"}) {
    SCOPED_TRACE(good);
    EXPECT_EQ(set_target(good), HFI_OK);
  }
  EXPECT_EQ(hfi_client_options_set_str(nullptr, HFI_OPT_TARGET, "auto", 4), HFI_E_INVALID_ARG);
  hfi_client_options* o = nullptr;
  ASSERT_EQ(hfi_client_options_new(&o), HFI_OK);
  for (int32_t key : {HFI_OPT_BREAKER_FAILURES, HFI_OPT_BREAKER_COOLDOWN_MS, HFI_OPT_MAX_RETRY_TIME_MS}) {
    EXPECT_EQ(hfi_client_options_set_int(o, key, -1), HFI_E_INVALID_ARG);
    EXPECT_EQ(hfi_client_options_set_int(o, key, 0), HFI_OK);
  }
  hfi_client_options_free(o);
}

TEST(FailoverArguments, ClientsRefuseTargetsTheyCannotUse) {
  auto try_client = [](const std::vector<std::pair<int32_t, std::string>>& strs) {
    hfi_client_options* o = nullptr;
    EXPECT_EQ(hfi_client_options_new(&o), HFI_OK);
    hfi_client_options_set_int(o, HFI_OPT_TOKEN_FROM_ENV, 0);
    for (const auto& [key, value] : strs) EXPECT_EQ(hfi_client_options_set_str(o, key, value.data(), value.size()), HFI_OK);
    hfi_client* c = nullptr;
    hfi_status st = hfi_client_new(&c, o);
    hfi_client_free(c);
    hfi_client_options_free(o);
    return st;
  };
  EXPECT_EQ(try_client({{HFI_OPT_TARGET, "http://gateway.example/v1; key=k"}}), HFI_E_INVALID_ARG);
  EXPECT_EQ(try_client({{HFI_OPT_TARGET, "https://gateway.example/v1"}, {HFI_OPT_BASE_URL, "https://x.example/v1"}}),
            HFI_E_INVALID_ARG);
  EXPECT_EQ(try_client({{HFI_OPT_TARGET, "https://gateway.example/v1"}, {HFI_OPT_TARGET, "groq"}}), HFI_OK);
}

TEST(FailoverArguments, TargetAndAttemptGettersRefuseNull) {
  const char* p = nullptr;
  size_t n = 0;
  EXPECT_EQ(hfi_response_target(nullptr, &p, &n), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_event_target(nullptr, &p, &n), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_event_attempt(nullptr), -1);
}

}  // namespace
