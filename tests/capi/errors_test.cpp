// Failures through the C ABI: each HTTP error, TLS, the network, timeouts and limits map to
// distinct codes and keep the provider's own words.
#include <unistd.h>

#include <chrono>
#include <string>

#include "support.h"

using namespace hfi_test;

namespace {

struct HttpCase {
  int status;
  hfi_status code;
  std::string body;
  std::string message;  // what hfi_error_message must say
  std::string type;
};

std::string name_of(const ::testing::TestParamInfo<HttpCase>& info) { return "Http" + std::to_string(info.param.status); }

class HttpErrors : public EmulatorTest, public ::testing::WithParamInterface<HttpCase> {};

void expect_error(const hfi_response* r, const HttpCase& c) {
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(hfi_response_status(r), c.code);
  EXPECT_EQ(hfi_response_http_status(r), c.status);
  const hfi_error* e = hfi_response_error(r);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(hfi_error_code(e), c.code);
  EXPECT_EQ(hfi_error_http_status(e), c.status);
  EXPECT_EQ(text(e, hfi_error_message), c.message);
  EXPECT_EQ(text(e, hfi_error_type), c.type);
  EXPECT_EQ(text(e, hfi_error_body), c.body);
  EXPECT_EQ(text(r, hfi_response_json), "");
}

TEST_P(HttpErrors, BlockingAndStreamedGetTheSameDistinctCode) {
  const HttpCase& c = GetParam();
  std::string step = "{\"status\":" + std::to_string(c.status) + ",\"body\":" + json_str(c.body) + ",\"repeat\":2}";
  emu_.script(step);
  ClientPtr client = client_for(emu_);
  BlockingResult blocking = chat(client.get(), chat_body("err"));
  EXPECT_EQ(blocking.status, c.code);
  expect_error(blocking.response.get(), c);
  StreamResult streamed = stream_chat(client.get(), chat_body("err"));
  EXPECT_EQ(streamed.status, c.code);
  expect_error(streamed.response.get(), c);
  ASSERT_EQ(streamed.recording.events.size(), 1u);  // nothing but the final ERROR event
  EXPECT_EQ(streamed.recording.events[0].type, HFI_EVENT_ERROR);
  EXPECT_EQ(streamed.recording.events[0].status, c.code);
  EXPECT_EQ(streamed.recording.events[0].error_message, c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Codes, HttpErrors,
    ::testing::Values(
        HttpCase{400, HFI_E_BAD_REQUEST,
                 "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\",\"param\":null,"
                 "\"code\":null}}",
                 "max_tokens is too large", "invalid_request_error"},
        HttpCase{401, HFI_E_AUTH, "{\"error\":\"Invalid credentials in Authorization header\"}",
                 "Invalid credentials in Authorization header", ""},
        HttpCase{402, HFI_E_PAYMENT_REQUIRED,
                 "{\"error\":\"You have exceeded your monthly included credits for Inference Providers.\"}",
                 "You have exceeded your monthly included credits for Inference Providers.", ""},
        HttpCase{403, HFI_E_FORBIDDEN, "{\"error\":\"This authentication method does not have sufficient permissions\"}",
                 "This authentication method does not have sufficient permissions", ""},
        HttpCase{404, HFI_E_NOT_FOUND, "{\"error\":\"Model org/nope does not exist\"}", "Model org/nope does not exist", ""},
        HttpCase{422, HFI_E_UNPROCESSABLE,
                 "{\"error\":\"Input validation error: `inputs` must have less than 4096 tokens\",\"error_type\":\"validation\"}",
                 "Input validation error: `inputs` must have less than 4096 tokens", "validation"},
        HttpCase{429, HFI_E_RATE_LIMITED, "{\"error\":\"Rate limit reached\"}", "Rate limit reached", ""},
        HttpCase{500, HFI_E_SERVER, "{\"detail\":\"Internal Server Error\"}", "Internal Server Error", ""},
        HttpCase{502, HFI_E_SERVER, "{\"message\":\"upstream failed\"}", "upstream failed", ""},
        HttpCase{503, HFI_E_UNAVAILABLE, "{\"error\":\"Service Unavailable\"}", "Service Unavailable", ""},
        HttpCase{418, HFI_E_HTTP, "I'm a teapot", "I'm a teapot", ""}),
    name_of);

class Errors : public EmulatorTest {};

TEST_F(Errors, RetryAfterHeaderIsReported) {
  emu_.script("{\"status\":429,\"headers\":{\"Retry-After\":\"3\"},\"body\":\"{\\\"error\\\":\\\"slow down\\\"}\"}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_RATE_LIMITED);
  EXPECT_EQ(hfi_error_retry_after_ms(hfi_response_error(r.response.get())), 3000);
}

TEST_F(Errors, RetryAfterMillisecondsWins) {
  emu_.script("{\"status\":429,\"headers\":{\"Retry-After\":\"3\",\"retry-after-ms\":\"250\"}}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(hfi_error_retry_after_ms(hfi_response_error(r.response.get())), 250);
}

TEST_F(Errors, NoRetryAfterMeansMinusOne) {
  emu_.script("{\"status\":500}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_SERVER);
  EXPECT_EQ(hfi_error_retry_after_ms(hfi_response_error(r.response.get())), -1);
  EXPECT_FALSE(text(hfi_response_error(r.response.get()), hfi_error_message).empty());
}

TEST_F(Errors, ModelLoadingIsItsOwnCode) {
  emu_.script("{\"status\":503,\"body\":\"{\\\"error\\\":\\\"Model x is currently loading\\\",\\\"estimated_time\\\":20.5}\"}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_MODEL_LOADING);
  const hfi_error* e = hfi_response_error(r.response.get());
  EXPECT_EQ(text(e, hfi_error_message), "Model x is currently loading");
  EXPECT_EQ(hfi_error_retry_after_ms(e), 20500);
}

TEST_F(Errors, HtmlErrorPageGetsAPlainMessage) {
  emu_.script("{\"status\":502,\"content_type\":\"text/html\",\"body\":\"<html><body>Bad Gateway</body></html>\"}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_SERVER);
  std::string message = text(hfi_response_error(r.response.get()), hfi_error_message);
  EXPECT_NE(message.find("HTTP 502"), std::string::npos) << message;
  EXPECT_EQ(message.find("<html>"), std::string::npos);
}

TEST_F(Errors, RequestIdIsKept) {
  emu_.script("{\"status\":500,\"headers\":{\"x-request-id\":\"req-123\"}}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(text(r.response.get(), hfi_response_request_id), "req-123");
}

TEST_F(Errors, RedirectsAreNotFollowed) {
  emu_.script("{\"status\":302,\"headers\":{\"Location\":\"http://127.0.0.1:1/elsewhere\"},\"body\":\"\"}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_HTTP);
  EXPECT_EQ(hfi_response_http_status(r.response.get()), 302);
  std::string message = text(hfi_response_error(r.response.get()), hfi_error_message);
  EXPECT_NE(message.find("redirect"), std::string::npos) << message;
  EXPECT_EQ(emu_.requests().size(), 1u);
}

TEST_F(Errors, ConnectionRefused) {
  int port = emu_.port();
  emu_.stop();
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, "http://127.0.0.1:" + std::to_string(port));
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  ClientPtr client = client_with(o.get());
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_CONNECT);
  EXPECT_EQ(hfi_response_http_status(r.response.get()), 0);
  EXPECT_FALSE(text(hfi_response_error(r.response.get()), hfi_error_message).empty());
  StreamResult s = stream_chat(client.get(), chat_body("x"));
  EXPECT_EQ(s.status, HFI_E_CONNECT);
}

TEST_F(Errors, UnresolvableHost) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, "http://does-not-exist.invalid.localhost:9");
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_CONNECT_TIMEOUT_MS, 3000);
  ClientPtr client = client_with(o.get());
  BlockingResult r = chat(client.get(), chat_body("x"));
  // *.localhost resolves to loopback on some systems: either way it must be a clear transport error.
  EXPECT_TRUE(r.status == HFI_E_RESOLVE || r.status == HFI_E_CONNECT) << hfi_status_str(r.status);
}

TEST_F(Errors, StallWhileWaitingForTheFirstByte) {
  emu_.script("{\"delay_ms\":3000}");
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_STALL_TIMEOUT_MS, 300);
  ClientPtr client = client_with(o.get());
  auto start = std::chrono::steady_clock::now();
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_STALL_TIMEOUT);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));  // it did not wait for the server
}

TEST_F(Errors, StallMidStreamKeepsWhatArrived) {
  emu_.script("{\"default_sse\":true,\"stall_after\":3,\"stall_ms\":3000}");
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_STALL_TIMEOUT_MS, 300);
  ClientPtr client = client_with(o.get());
  StreamResult r = stream_chat(client.get(), chat_body("one two three four five"));
  EXPECT_EQ(r.status, HFI_E_STALL_TIMEOUT);
  EXPECT_FALSE(r.recording.deltas().empty());
  EXPECT_EQ(text(r.response.get(), hfi_response_content), r.recording.deltas());
  EXPECT_EQ(r.recording.events.back().type, HFI_EVENT_ERROR);
}

TEST_F(Errors, TotalTimeout) {
  emu_.script("{\"default_sse\":true,\"chunk_delay_ms\":100}");
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_TIMEOUT_MS, 350);
  ClientPtr client = client_with(o.get());
  StreamResult r = stream_chat(client.get(), chat_body("a b c d e f g h i j k l m n o p"));
  EXPECT_EQ(r.status, HFI_E_TIMEOUT);
  EXPECT_FALSE(r.recording.deltas().empty());
}

TEST_F(Errors, ConnectionDroppedMidStream) {
  emu_.script("{\"default_sse\":true,\"drop_after\":3}");
  ClientPtr client = client_for(emu_);
  StreamResult r = stream_chat(client.get(), chat_body("one two three four five six"));
  EXPECT_EQ(r.status, HFI_E_STREAM_TRUNCATED);
  EXPECT_FALSE(r.recording.deltas().empty());
  EXPECT_EQ(text(r.response.get(), hfi_response_content), r.recording.deltas());
}

TEST_F(Errors, ConnectionDroppedMidBody) {
  emu_.script("{\"drop_after\":0}");
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_NETWORK);
}

TEST_F(Errors, ClosedAfterHeaders) {
  emu_.script("{\"close_after_headers\":true}");
  ClientPtr client = client_for(emu_);
  EXPECT_NE(chat(client.get(), chat_body("x")).status, HFI_OK);
}

TEST_F(Errors, ResponseLargerThanTheLimit) {
  emu_.script("{\"body\":" + json_str(std::string(8192, ' ') + "{}") + "}");
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_MAX_RESPONSE_BYTES, 4096);
  ClientPtr client = client_with(o.get());
  EXPECT_EQ(chat(client.get(), chat_body("x")).status, HFI_E_TOO_LARGE);
}

TEST_F(Errors, SuccessBodyThatIsNotAChatCompletion) {
  emu_.script("{\"body\":\"[1,2,3]\"}");
  ClientPtr client = client_for(emu_);
  EXPECT_EQ(chat(client.get(), chat_body("x")).status, HFI_E_PROTOCOL);
}

TEST_F(Errors, CallbackAbortStopsCleanly) {
  ClientPtr client = client_for(emu_);
  StreamResult r = stream_chat(client.get(), chat_body("one two three four five six seven"), /*abort_after=*/2);
  EXPECT_EQ(r.status, HFI_E_ABORTED_BY_CALLBACK);
  EXPECT_EQ(r.recording.events.size(), 2u);  // no callback after the one that said stop
  ASSERT_NE(r.response, nullptr);
  EXPECT_EQ(hfi_response_status(r.response.get()), HFI_E_ABORTED_BY_CALLBACK);
  EXPECT_EQ(hfi_error_code(hfi_response_error(r.response.get())), HFI_E_ABORTED_BY_CALLBACK);
  // The client is unharmed.
  EXPECT_EQ(stream_chat(client.get(), chat_body("after")).recording.deltas(), "Hello! You said: after");
}

TEST_F(Errors, CallbackAbortOfASlowStreamDoesNotWaitForIt) {
  emu_.script("{\"default_sse\":true,\"chunk_delay_ms\":500}");
  ClientPtr client = client_for(emu_);
  auto start = std::chrono::steady_clock::now();
  StreamResult r = stream_chat(client.get(), chat_body("a b c d e f g h i j"), 1);
  EXPECT_EQ(r.status, HFI_E_ABORTED_BY_CALLBACK);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    hfi::emu::Options o;
    o.tls = true;
    o.tls_dir = ::testing::TempDir() + "hfi-tls-" + std::to_string(::getpid());
    emu_ = std::make_unique<hfi::emu::Emulator>(o);
    std::string error;
    ASSERT_TRUE(emu_->start(&error)) << error;
  }
  std::unique_ptr<hfi::emu::Emulator> emu_;
};

TEST_F(Tls, TrustedTestCaConnects) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_->base_url());
  set_str(o.get(), HFI_OPT_CA_BUNDLE, emu_->ca_pem_path());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  ClientPtr client = client_with(o.get());
  StreamResult r = stream_chat(client.get(), chat_body("secure"));
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "Hello! You said: secure");
}

TEST_F(Tls, UnknownCaIsATlsError) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_->base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  ClientPtr client = client_with(o.get());
  BlockingResult r = chat(client.get(), chat_body("x"));
  EXPECT_EQ(r.status, HFI_E_TLS);
  EXPECT_FALSE(text(hfi_response_error(r.response.get()), hfi_error_message).empty());
  EXPECT_TRUE(emu_->requests().empty());
}

}  // namespace
