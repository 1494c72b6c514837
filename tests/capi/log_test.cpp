// The client's log (hfi_client_options_set_log) through the public C ABI: what each level says,
// and that no credential reaches a log line or an error message, whether it was sent in a header,
// configured as a key, or echoed back by the server.
#include <hfi/hfi.h>

#include <string>
#include <vector>

#include "support.h"

namespace {

using namespace hfi_test;

const std::string kToken = "hf_test_TokenThatMustNeverBeShown0123";


class LogTest : public EmulatorTest, public ::testing::WithParamInterface<int32_t> {
 protected:
  ClientPtr client(int32_t level, const std::vector<std::pair<int32_t, std::string>>& strs = {},
                   int64_t retries = 0) {
    OptionsPtr o = make_options();
    set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
    set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
    set_int(o.get(), HFI_OPT_IO_MODE, GetParam());
    set_int(o.get(), HFI_OPT_MAX_RETRIES, retries);
    set_str(o.get(), HFI_OPT_TOKEN, kToken);
    for (const auto& [key, value] : strs) set_str(o.get(), key, value);
    EXPECT_EQ(hfi_client_options_set_log(o.get(), &LogRecorder::callback, &log_, level), HFI_OK);
    return client_with(o.get());
  }
  LogRecorder log_;
};

TEST_P(LogTest, InfoSaysWhereEachAttemptWentAndHowItEnded) {
  ClientPtr c = client(HFI_LOG_INFO);
  ASSERT_EQ(chat(c.get(), chat_body("hello")).status, HFI_OK);
  EXPECT_TRUE(log_.any("#1 attempt 1: POST " + emu_.base_url() + "/v1/chat/completions")) << log_.all();
  EXPECT_TRUE(log_.any("#1 attempt 1: HTTP 200 after ")) << log_.all();
  EXPECT_EQ(log_.at_level(HFI_LOG_DEBUG), 0u);
  EXPECT_EQ(log_.at_level(HFI_LOG_ERROR), 0u);
}

TEST_P(LogTest, DebugShowsHeadersWithCredentialsRedacted) {
  ClientPtr c = client(HFI_LOG_DEBUG, {{HFI_OPT_HEADER, "x-api-key: gateway-secret-1"},
                                       {HFI_OPT_HEADER, "Cookie: session=cookie-secret-2"},
                                       {HFI_OPT_HEADER, "X-Trace: visible-value"}});
  ASSERT_EQ(stream_chat(c.get(), chat_body("hello")).status, HFI_OK);
  EXPECT_TRUE(log_.any("> Authorization: [redacted]")) << log_.all();
  EXPECT_TRUE(log_.any("> x-api-key: [redacted]")) << log_.all();
  EXPECT_TRUE(log_.any("> Cookie: [redacted]")) << log_.all();
  EXPECT_TRUE(log_.any("> X-Trace: visible-value")) << log_.all();
  EXPECT_TRUE(log_.any("< HTTP/1.1 200")) << log_.all();
  EXPECT_TRUE(log_.any("< Content-Type: text/event-stream")) << log_.all();
  for (const char* secret : {kToken.c_str(), "gateway-secret-1", "cookie-secret-2", "hf_test_Token"})
    EXPECT_FALSE(log_.any(secret)) << secret;
  // The server did get them.
  const auto requests = emu_.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().headers.at("authorization"), "Bearer " + kToken);
  EXPECT_EQ(requests.back().headers.at("x-api-key"), "gateway-secret-1");
}

TEST_P(LogTest, ACredentialTheServerEchoesIsScrubbedFromTheErrorAndTheLog) {
  const std::string echoed = R"({"error":{"message":"Invalid token )" + kToken +
                             R"( and key tgp-provider-key-3","type":")" + kToken + R"("}})";
  emu_.script(R"({"status":401,"body":)" + json_str(echoed) + "}");
  ClientPtr c = client(HFI_LOG_DEBUG, {{HFI_OPT_PROVIDER_KEY, "together=tgp-provider-key-3"}});
  BlockingResult r = chat(c.get(), chat_body("who"));
  ASSERT_EQ(r.status, HFI_E_AUTH);
  const hfi_error* e = hfi_response_error(r.response.get());
  const std::string message = text(e, hfi_error_message), type = text(e, hfi_error_type), body = text(e, hfi_error_body);
  EXPECT_EQ(message, "Invalid token [redacted] and key [redacted]");
  EXPECT_EQ(type, "[redacted]");
  EXPECT_EQ(body.find(kToken), std::string::npos) << body;
  EXPECT_EQ(body.find("tgp-provider-key-3"), std::string::npos) << body;
  EXPECT_TRUE(log_.any("#1 failed: ")) << log_.all();
  EXPECT_EQ(log_.at_level(HFI_LOG_ERROR), 1u);
  EXPECT_FALSE(log_.any(kToken));
  EXPECT_FALSE(log_.any("tgp-provider-key-3"));
}

TEST_P(LogTest, RetriesAndFailoversAreWarnings) {
  hfi::emu::Emulator other;
  std::string error;
  ASSERT_TRUE(other.start(&error)) << error;
  emu_.script(R"({"status":503,"repeat":2})");
  ClientPtr c = client(HFI_LOG_WARN,
                       {{HFI_OPT_TARGET, emu_.base_url() + "/v1; key=target-key-4"}, {HFI_OPT_TARGET, other.base_url() + "/v1"}},
                       1);
  other.script(R"({"status":500})");
  ASSERT_EQ(chat(c.get(), chat_body("warn")).status, HFI_E_UNAVAILABLE);
  EXPECT_TRUE(log_.any("#1 moving from target " + emu_.base_url() + "/v1 to " + other.base_url() + "/v1 after HTTP 503"))
      << log_.all();
  EXPECT_TRUE(log_.any("#1 retrying in ")) << log_.all();
  EXPECT_TRUE(log_.any("after HTTP 500")) << log_.all();
  EXPECT_EQ(log_.at_level(HFI_LOG_INFO), 0u);
  EXPECT_EQ(log_.at_level(HFI_LOG_ERROR), 1u);
  EXPECT_FALSE(log_.any("target-key-4"));
}

TEST_P(LogTest, TasksLogEveryExchange) {
  ClientPtr c = client(HFI_LOG_INFO, {{HFI_OPT_HUB_URL, emu_.base_url()}});
  hfi_response* r = nullptr;
  const std::string body = R"({"inputs":"I love this"})";
  ASSERT_EQ(hfi_task(c.get(), "text-classification", "emu/text-classification", body.c_str(), body.size(), nullptr, &r),
            HFI_OK);
  hfi_response_free(r);
  EXPECT_TRUE(log_.any("attempt 1: GET " + emu_.base_url())) << log_.all();  // the Hub mapping
  EXPECT_TRUE(log_.any("attempt 1: POST ")) << log_.all();
  EXPECT_FALSE(log_.any(kToken));
}

INSTANTIATE_TEST_SUITE_P(IoModes, LogTest, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD),
                         [](const ::testing::TestParamInfo<int32_t>& info) {
                           return info.param == HFI_IO_CALLER ? std::string("Caller") : std::string("IoThread");
                         });

TEST(LogArguments, TheSetterChecksItsArguments) {
  LogRecorder lines;
  EXPECT_EQ(hfi_client_options_set_log(nullptr, &LogRecorder::callback, &lines, HFI_LOG_INFO), HFI_E_INVALID_ARG);
  hfi_client_options* o = nullptr;
  ASSERT_EQ(hfi_client_options_new(&o), HFI_OK);
  EXPECT_EQ(hfi_client_options_set_log(o, &LogRecorder::callback, &lines, 0), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_log(o, &LogRecorder::callback, &lines, HFI_LOG_DEBUG + 1), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_log(o, nullptr, nullptr, HFI_LOG_DEBUG), HFI_OK);  // off
  EXPECT_EQ(hfi_client_options_set_log(o, &LogRecorder::callback, &lines, HFI_LOG_ERROR), HFI_OK);
  hfi_client_options_free(o);
}

}  // namespace
