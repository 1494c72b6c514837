// "Every public function given NULL or invalid arguments returns an error and does not crash."
//
// Each function declared in include/hfi/hfi.h is exercised here through the public C ABI only,
// with NULL for each of its pointer parameters in turn and with invalid values. The checks are the
// documented ones: the exact status, `*out` set to NULL where the header says so, an explanation in
// hfi_last_error_message() that the next successful call clears, and the documented sentinel
// (-1, NULL, HFI_E_INVALID_ARG) from getters given NULL.
//
// Functions of hfi.h, in header order (47 of them; hfi_event_cb is a type), and the tests that
// cover them:
//   hfi_version_num                   ArgumentsVersion.*
//   hfi_version_str                   ArgumentsVersion.*
//   hfi_abi_version                   ArgumentsVersion.*
//   hfi_status_str                    ArgumentsStatusStr.*
//   hfi_last_error_message            ArgumentsLastError.*, and every EXPECT_EXPLAINED / EXPECT_CLEARED
//   hfi_client_options_new            ArgumentsOptions.NewWithNullOut, ArgumentsLastError.*
//   hfi_client_options_free           ArgumentsFree.NullIsANoOp
//   hfi_client_options_set_str        ArgumentsOptions.SetStr*
//   hfi_client_options_set_int        ArgumentsOptions.SetInt*
//   hfi_client_new                    ArgumentsClient.*
//   hfi_client_free                   ArgumentsFree.NullIsANoOp
//   hfi_chat                          ArgumentsChat.*
//   (hfi_event_cb)                    the callback type, not a function
//   hfi_chat_stream                   ArgumentsChatStream.*
//   hfi_response_free                 ArgumentsFree.NullIsANoOp
//   hfi_response_status               ArgumentsResponseNull.*, ArgumentsSentinelGetters.*
//   hfi_response_http_status          ArgumentsResponseNull.*
//   hfi_response_content              ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_reasoning            ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_finish_reason        ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_model                ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_usage                ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_tool_call_count      ArgumentsResponseNull.*, ArgumentsResponse.*
//   hfi_response_tool_call_id         ArgumentsResponseNull.*, ArgumentsResponse.ToolCallIndexOutOfRange
//   hfi_response_tool_call_name       ArgumentsResponseNull.*, ArgumentsResponse.ToolCallIndexOutOfRange
//   hfi_response_tool_call_arguments  ArgumentsResponseNull.*, ArgumentsResponse.ToolCallIndexOutOfRange
//   hfi_response_json                 ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_request_id           ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_url                  ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_timings              ArgumentsResponseNull.*, ArgumentsResponse.NullOutputPointers
//   hfi_response_error                ArgumentsResponseNull.*, ArgumentsResponse.ErrorOfASuccessfulResponseIsNull
//   hfi_error_code                    ArgumentsErrorNull.*, ArgumentsError.*, ArgumentsSentinelGetters.*
//   hfi_error_http_status             ArgumentsErrorNull.*, ArgumentsError.*
//   hfi_error_message                 ArgumentsErrorNull.*, ArgumentsError.*, ArgumentsEvent.ErrorEvent
//   hfi_error_type                    ArgumentsErrorNull.*, ArgumentsError.*
//   hfi_error_retry_after_ms          ArgumentsErrorNull.*
//   hfi_error_body                    ArgumentsErrorNull.*, ArgumentsError.*
//   hfi_event_type                    ArgumentsEventNull.*, ArgumentsSentinelGetters.*
//   hfi_event_text                    ArgumentsEventNull.*, ArgumentsEvent.*
//   hfi_event_json                    ArgumentsEventNull.*, ArgumentsEvent.*
//   hfi_event_choice_index            ArgumentsEventNull.*, ArgumentsEvent.*, ArgumentsSentinelGetters.*
//   hfi_event_tool_call_index         ArgumentsEventNull.*, ArgumentsEvent.*, ArgumentsSentinelGetters.*
//   hfi_event_tool_call_id            ArgumentsEventNull.*, ArgumentsEvent.*
//   hfi_event_tool_call_name          ArgumentsEventNull.*, ArgumentsEvent.*
//   hfi_event_tool_call_arguments     ArgumentsEventNull.*, ArgumentsEvent.*
//   hfi_event_usage                   ArgumentsEventNull.*, ArgumentsEvent.*
//   hfi_event_status                  ArgumentsEventNull.*, ArgumentsEvent.*, ArgumentsSentinelGetters.*
//   hfi_event_error                   ArgumentsEventNull.*, ArgumentsEvent.*
#include <hfi/hfi.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

namespace {

using hfi_test::ClientPtr;
using hfi_test::EmulatorTest;
using hfi_test::OptionsPtr;
using hfi_test::ResponsePtr;

// ---- helpers ---------------------------------------------------------------------------------

std::string last_error() {
  const char* p = nullptr;
  size_t n = 0;
  if (hfi_last_error_message(&p, &n) != HFI_OK || !p) return "<hfi_last_error_message failed>";
  return std::string(p, n);
}

// The call just made failed and said why.
#define EXPECT_EXPLAINED() EXPECT_FALSE(last_error().empty()) << "no hfi_last_error_message() after the failure"
// The call just made succeeded and cleared the message.
#define EXPECT_CLEARED() EXPECT_EQ(last_error(), "") << "hfi_last_error_message() not cleared by a successful call"

// A pointer value no hfi function returns, to see whether `*out` was overwritten.
template <class T>
T* sentinel() {
  static char byte;
  return reinterpret_cast<T*>(&byte);
}

// Leaves a message in hfi_last_error_message() so that a following call can be seen to clear it.
void make_a_failure() {
  ASSERT_EQ(hfi_client_options_new(nullptr), HFI_E_INVALID_ARG);
  ASSERT_FALSE(last_error().empty());
}

const char* const kWeatherTools =
    R"(,"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",)"
    R"("properties":{"location":{"type":"string"}}}}}],"tool_choice":"required")";
const char* const kIncludeUsage = R"(,"stream_options":{"include_usage":true})";

// Request bodies hfi must refuse before sending anything.
struct BadBody {
  const char* what;
  std::string body;
};

std::vector<BadBody> bad_bodies() {
  return {
      {"not JSON", "hello"},
      {"truncated JSON", R"({"model":"m","messages":[)"},
      {"trailing garbage", R"({"model":"m","messages":[]} x)"},
      {"a JSON array", R"([{"model":"m"}])"},
      {"a JSON string", R"("model")"},
      {"a JSON number", "42"},
      {"JSON null", "null"},
      {"an object without model", R"({"messages":[{"role":"user","content":"hi"}]})"},
      {"model a number", R"({"model":42,"messages":[{"role":"user","content":"hi"}]})"},
      {"model null", R"({"model":null,"messages":[{"role":"user","content":"hi"}]})"},
      {"model an object", R"({"model":{"id":"m"},"messages":[{"role":"user","content":"hi"}]})"},
      {"model an array", R"({"model":["m"],"messages":[{"role":"user","content":"hi"}]})"},
      {"model true", R"({"model":true,"messages":[{"role":"user","content":"hi"}]})"},
      {"model empty", R"({"model":"","messages":[{"role":"user","content":"hi"}]})"},
      {"whitespace only", "  \n "},
      {"model repeated, the last one a number", R"({"model":"m","model":1,"messages":[]})"},
      {"invalid UTF-8", "{\"model\":\"m\xff\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
      {"a NUL byte inside", std::string("{\"model\":\"m\",\0\"messages\":[]}", 28)},
      {"a NUL byte after the object", std::string("{\"model\":\"m\"}\0", 14)},
  };
}

// A client of the emulator; the request count tells whether anything was sent.
class ArgumentsChat : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    client_ = hfi_test::client_for(emu_);
    ASSERT_NE(client_, nullptr);
  }
  ClientPtr client_;
};
using ArgumentsChatStream = ArgumentsChat;
using ArgumentsResponse = ArgumentsChat;
using ArgumentsError = ArgumentsChat;
using ArgumentsEvent = ArgumentsChat;

int32_t count_events(const hfi_event*, void* user_data) {
  ++*static_cast<int*>(user_data);
  return 0;
}

// ---- versions --------------------------------------------------------------------------------

TEST(ArgumentsVersion, FunctionsAgreeWithTheMacros) {
  EXPECT_EQ(hfi_version_num(), static_cast<uint32_t>(HFI_VERSION_NUM));
  EXPECT_EQ(hfi_abi_version(), static_cast<uint32_t>(HFI_ABI_VERSION));
  ASSERT_NE(hfi_version_str(), nullptr);
  EXPECT_STREQ(hfi_version_str(), HFI_VERSION_STR);
}

TEST(ArgumentsVersion, MacrosAgreeWithEachOther) {
  EXPECT_EQ(HFI_VERSION_NUM, (HFI_VERSION_MAJOR << 16) | (HFI_VERSION_MINOR << 8) | HFI_VERSION_PATCH);
  char text[32];
  std::snprintf(text, sizeof text, "%d.%d.%d", HFI_VERSION_MAJOR, HFI_VERSION_MINOR, HFI_VERSION_PATCH);
  EXPECT_STREQ(HFI_VERSION_STR, text);
  EXPECT_EQ(hfi_version_num() >> 16, static_cast<uint32_t>(HFI_VERSION_MAJOR));
  EXPECT_EQ((hfi_version_num() >> 8) & 0xff, static_cast<uint32_t>(HFI_VERSION_MINOR));
  EXPECT_EQ(hfi_version_num() & 0xff, static_cast<uint32_t>(HFI_VERSION_PATCH));
}

TEST(ArgumentsVersion, StringIsStatic) { EXPECT_EQ(hfi_version_str(), hfi_version_str()); }

// ---- status text -----------------------------------------------------------------------------

TEST(ArgumentsStatusStr, EveryCodeHasItsOwnText) {
  const hfi_status codes[] = {
      HFI_OK, HFI_E_INVALID_ARG, HFI_E_NOMEM, HFI_E_UNKNOWN_OPTION, HFI_E_BAD_STATE, HFI_E_UNSUPPORTED,
      HFI_E_ABI_MISMATCH, HFI_E_BUFFER_TOO_SMALL, HFI_E_NETWORK, HFI_E_TIMEOUT, HFI_E_TLS, HFI_E_CANCELLED,
      HFI_E_ABORTED_BY_CALLBACK, HFI_E_CONNECT_TIMEOUT, HFI_E_STALL_TIMEOUT, HFI_E_RESOLVE, HFI_E_CONNECT,
      HFI_E_HTTP, HFI_E_BAD_REQUEST, HFI_E_AUTH, HFI_E_FORBIDDEN, HFI_E_NOT_FOUND, HFI_E_UNPROCESSABLE,
      HFI_E_RATE_LIMITED, HFI_E_SERVER, HFI_E_UNAVAILABLE, HFI_E_MODEL_LOADING, HFI_E_PAYMENT_REQUIRED,
      HFI_E_PROTOCOL, HFI_E_STREAM_ERROR, HFI_E_STREAM_TRUNCATED, HFI_E_TOO_LARGE, HFI_E_INTERNAL,
      HFI_NO_EVENT};
  std::set<std::string> seen;
  for (hfi_status code : codes) {
    const char* text = hfi_status_str(code);
    ASSERT_NE(text, nullptr) << code;
    EXPECT_STRNE(text, "") << code;
    EXPECT_STRNE(text, "unknown status") << code;
    EXPECT_TRUE(seen.insert(text).second) << code << " shares its text: " << text;
  }
  EXPECT_STREQ(hfi_status_str(HFI_E_RATE_LIMITED), "rate limited (HTTP 429)");
}

TEST(ArgumentsStatusStr, UnknownCodes) {
  for (hfi_status code : {-8, -9, -34, -41, -98, -100, 3, 1000, std::numeric_limits<int32_t>::min(),
                          std::numeric_limits<int32_t>::max()}) {
    ASSERT_NE(hfi_status_str(code), nullptr) << code;
    EXPECT_STREQ(hfi_status_str(code), "unknown status") << code;
  }
}

// ---- the thread-local error message ----------------------------------------------------------

TEST(ArgumentsLastError, NullPtrIsRefused) {
  EXPECT_EQ(hfi_last_error_message(nullptr, nullptr), HFI_E_INVALID_ARG);
  size_t n = 123;
  EXPECT_EQ(hfi_last_error_message(nullptr, &n), HFI_E_INVALID_ARG);
}

TEST(ArgumentsLastError, LenMayBeNull) {
  make_a_failure();
  const char* p = nullptr;
  EXPECT_EQ(hfi_last_error_message(&p, nullptr), HFI_OK);
  ASSERT_NE(p, nullptr);
  EXPECT_GT(std::strlen(p), 0u);
}

TEST(ArgumentsLastError, LengthMatchesTheNulTerminatedText) {
  make_a_failure();
  const char* p = nullptr;
  size_t n = 0;
  ASSERT_EQ(hfi_last_error_message(&p, &n), HFI_OK);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(std::strlen(p), n);
}

TEST(ArgumentsLastError, ReadingDoesNotClearIt) {
  make_a_failure();
  std::string first = last_error();
  EXPECT_EQ(last_error(), first);
}

TEST(ArgumentsLastError, IsThreadLocal) {
  hfi_client_options* o = nullptr;
  ASSERT_EQ(hfi_client_options_new(&o), HFI_OK);
  EXPECT_CLEARED();
  std::string seen_in_thread;
  std::thread([&] {
    EXPECT_EQ(hfi_client_options_set_int(o, 2999, 1), HFI_E_UNKNOWN_OPTION);
    seen_in_thread = last_error();
  }).join();
  EXPECT_FALSE(seen_in_thread.empty());
  EXPECT_CLEARED();  // the other thread's failure is not this thread's
  hfi_client_options_free(o);
}

TEST(ArgumentsLastError, EmptyAfterASuccessfulCall) {
  make_a_failure();
  hfi_client_options* o = nullptr;
  ASSERT_EQ(hfi_client_options_new(&o), HFI_OK);
  EXPECT_CLEARED();
  hfi_client_options_free(o);
  const char* p = nullptr;
  size_t n = 99;
  ASSERT_EQ(hfi_last_error_message(&p, &n), HFI_OK);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_STREQ(p, "");
}

// ---- _free(NULL) -----------------------------------------------------------------------------

TEST(ArgumentsFree, NullIsANoOp) {
  hfi_client_options_free(nullptr);
  hfi_client_free(nullptr);
  hfi_response_free(nullptr);
  SUCCEED();
}

// ---- options ---------------------------------------------------------------------------------

TEST(ArgumentsOptions, NewWithNullOut) {
  EXPECT_EQ(hfi_client_options_new(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
}

TEST(ArgumentsOptions, SetStrOnNullOptions) {
  for (int32_t key : {HFI_OPT_TOKEN, HFI_OPT_ROUTER_URL, HFI_OPT_HEADER, HFI_OPT_PROXY}) {
    EXPECT_EQ(hfi_client_options_set_str(nullptr, key, "x", 1), HFI_E_INVALID_ARG) << key;
    EXPECT_EXPLAINED();
    EXPECT_EQ(hfi_client_options_set_str(nullptr, key, "x", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG) << key;
    EXPECT_EQ(hfi_client_options_set_str(nullptr, key, nullptr, 0), HFI_E_INVALID_ARG) << key;
    EXPECT_EXPLAINED();
  }
}

TEST(ArgumentsOptions, SetStrNullValueWithALength) {
  OptionsPtr o = hfi_test::make_options();
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_USER_AGENT, nullptr, 5), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_TOKEN, nullptr, 1), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
}

TEST(ArgumentsOptions, SetStrNullValueWithZeroLengthResets) {
  OptionsPtr o = hfi_test::make_options();
  for (int32_t key : {HFI_OPT_TOKEN, HFI_OPT_ROUTER_URL, HFI_OPT_BASE_URL, HFI_OPT_PROVIDER, HFI_OPT_USER_AGENT,
                      HFI_OPT_HEADER, HFI_OPT_BILL_TO, HFI_OPT_CA_BUNDLE, HFI_OPT_PROXY}) {
    make_a_failure();
    EXPECT_EQ(hfi_client_options_set_str(o.get(), key, nullptr, 0), HFI_OK) << key << ": " << last_error();
    EXPECT_CLEARED();
  }
}

TEST(ArgumentsOptions, SetStrUnknownKeys) {
  OptionsPtr o = hfi_test::make_options();
  for (int32_t key : {0, -1, 999, 1000, 1100, 1999, 2999, 3000, 123456}) {
    EXPECT_EQ(hfi_client_options_set_str(o.get(), key, "x", HFI_NUL_TERMINATED), HFI_E_UNKNOWN_OPTION) << key;
    EXPECT_EXPLAINED();
  }
}

TEST(ArgumentsOptions, SetStrWithAnIntKey) {
  OptionsPtr o = hfi_test::make_options();
  for (int32_t key : {HFI_OPT_CONNECT_TIMEOUT_MS, HFI_OPT_TIMEOUT_MS, HFI_OPT_STALL_TIMEOUT_MS, HFI_OPT_IO_MODE,
                      HFI_OPT_MAX_RESPONSE_BYTES, HFI_OPT_MAX_EVENT_BYTES, HFI_OPT_TOKEN_FROM_ENV,
                      HFI_OPT_ALLOW_INSECURE_HTTP}) {
    EXPECT_EQ(hfi_client_options_set_str(o.get(), key, "1", 1), HFI_E_UNKNOWN_OPTION) << key;
    EXPECT_EXPLAINED();
  }
}

TEST(ArgumentsOptions, SetStrBadValues) {
  OptionsPtr o = hfi_test::make_options();
  struct Case {
    int32_t key;
    std::string value;
  };
  const Case cases[] = {
      {HFI_OPT_ROUTER_URL, "ftp://example.com"},
      {HFI_OPT_ROUTER_URL, "not a url"},
      {HFI_OPT_ROUTER_URL, "https://user:pw@router.huggingface.co"},
      {HFI_OPT_ROUTER_URL, "https://router.huggingface.co/#x"},
      {HFI_OPT_BASE_URL, "localhost:8080"},
      {HFI_OPT_BASE_URL, "file:///tmp/x"},
      {HFI_OPT_PROVIDER, "Not A Provider"},
      {HFI_OPT_PROVIDER, "groq:fast"},
      {HFI_OPT_HEADER, "no colon"},
      {HFI_OPT_HEADER, ": no name"},
      {HFI_OPT_HEADER, "Bad Name: v"},
      {HFI_OPT_HEADER, "X-A: 1\r\nX-B: 2"},
      {HFI_OPT_HEADER, "X-A: 1\n"},
      {HFI_OPT_TOKEN, "hf_abc\r\n"},
      {HFI_OPT_USER_AGENT, "app\nInjected: yes"},
      {HFI_OPT_BILL_TO, "org\r"},
      {HFI_OPT_USER_AGENT, std::string("a\xff", 2)},             // not UTF-8
      {HFI_OPT_BILL_TO, std::string("\xc3\x28", 2)},             // bad continuation byte
      {HFI_OPT_CA_BUNDLE, std::string("/tmp/ca\0.pem", 12)},     // embedded NUL
      {HFI_OPT_TOKEN, std::string("hf_\0abc", 7)},               // embedded NUL
      {HFI_OPT_PROXY, std::string("http://proxy\0:3128", 18)},  // embedded NUL
  };
  for (const Case& c : cases) {
    EXPECT_EQ(hfi_client_options_set_str(o.get(), c.key, c.value.data(), c.value.size()), HFI_E_INVALID_ARG)
        << c.key << " '" << c.value << "'";
    EXPECT_EXPLAINED();
  }
}

TEST(ArgumentsOptions, SetStrExplicitLengthIsHonoured) {
  OptionsPtr o = hfi_test::make_options();
  // Only the first 3 bytes count: "grq" is a valid provider name, the rest is never read.
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_PROVIDER, "grq UPPER CASE", 3), HFI_OK) << last_error();
  // A length that stops before an invalid byte makes the value valid.
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_USER_AGENT, "ok\xff", 2), HFI_OK) << last_error();
}

TEST(ArgumentsOptions, SetStrNulTerminated) {
  OptionsPtr o = hfi_test::make_options();
  make_a_failure();
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_ROUTER_URL, "https://router.huggingface.co",
                                       HFI_NUL_TERMINATED),
            HFI_OK)
      << last_error();
  EXPECT_CLEARED();
  // Measured, not truncated: the invalid part after the first bytes is seen.
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_PROVIDER, "groq BAD", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_ROUTER_URL, "ftp://x", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
}

TEST(ArgumentsOptions, SetStrSuccessClearsTheMessage) {
  OptionsPtr o = hfi_test::make_options();
  ASSERT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_HEADER, "nocolon", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_HEADER, "X-Ok: 1", HFI_NUL_TERMINATED), HFI_OK);
  EXPECT_CLEARED();
  EXPECT_EQ(hfi_client_options_set_str(o.get(), HFI_OPT_HEADER, "", 0), HFI_OK);  // clears the headers
  EXPECT_CLEARED();
}

TEST(ArgumentsOptions, SetIntOnNullOptions) {
  EXPECT_EQ(hfi_client_options_set_int(nullptr, HFI_OPT_TIMEOUT_MS, 1000), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_client_options_set_int(nullptr, 2999, 1), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
}

TEST(ArgumentsOptions, SetIntUnknownKeys) {
  OptionsPtr o = hfi_test::make_options();
  for (int32_t key : {0, -1, 1999, 2000, 2100, 2999, 3000, 123456}) {
    EXPECT_EQ(hfi_client_options_set_int(o.get(), key, 1), HFI_E_UNKNOWN_OPTION) << key;
    EXPECT_EXPLAINED();
  }
}

TEST(ArgumentsOptions, SetIntWithAStringKey) {
  OptionsPtr o = hfi_test::make_options();
  for (int32_t key : {HFI_OPT_TOKEN, HFI_OPT_ROUTER_URL, HFI_OPT_BASE_URL, HFI_OPT_PROVIDER, HFI_OPT_USER_AGENT,
                      HFI_OPT_HEADER, HFI_OPT_BILL_TO, HFI_OPT_CA_BUNDLE, HFI_OPT_PROXY}) {
    EXPECT_EQ(hfi_client_options_set_int(o.get(), key, 1), HFI_E_UNKNOWN_OPTION) << key;
    EXPECT_EXPLAINED();
  }
}

TEST(ArgumentsOptions, SetIntBadValues) {
  OptionsPtr o = hfi_test::make_options();
  struct Case {
    int32_t key;
    int64_t value;
  };
  const Case cases[] = {
      {HFI_OPT_CONNECT_TIMEOUT_MS, -1},
      {HFI_OPT_TIMEOUT_MS, -1},
      {HFI_OPT_STALL_TIMEOUT_MS, -1},
      {HFI_OPT_TIMEOUT_MS, std::numeric_limits<int64_t>::min()},
      {HFI_OPT_IO_MODE, -1},
      {HFI_OPT_IO_MODE, 2},
      {HFI_OPT_MAX_RESPONSE_BYTES, 1023},
      {HFI_OPT_MAX_RESPONSE_BYTES, 0},
      {HFI_OPT_MAX_RESPONSE_BYTES, -1},
      {HFI_OPT_MAX_EVENT_BYTES, 1023},
      {HFI_OPT_MAX_EVENT_BYTES, 0},
      {HFI_OPT_TOKEN_FROM_ENV, 2},
      {HFI_OPT_TOKEN_FROM_ENV, -1},
      {HFI_OPT_ALLOW_INSECURE_HTTP, 2},
      {HFI_OPT_ALLOW_INSECURE_HTTP, std::numeric_limits<int64_t>::max()},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(hfi_client_options_set_int(o.get(), c.key, c.value), HFI_E_INVALID_ARG) << c.key << " = " << c.value;
    EXPECT_EXPLAINED();
  }
}

TEST(ArgumentsOptions, SetIntGoodValuesClearTheMessage) {
  OptionsPtr o = hfi_test::make_options();
  struct Case {
    int32_t key;
    int64_t value;
  };
  const Case cases[] = {
      {HFI_OPT_CONNECT_TIMEOUT_MS, 0},   {HFI_OPT_TIMEOUT_MS, 60000},       {HFI_OPT_STALL_TIMEOUT_MS, 0},
      {HFI_OPT_IO_MODE, HFI_IO_THREAD},  {HFI_OPT_IO_MODE, HFI_IO_CALLER},  {HFI_OPT_MAX_RESPONSE_BYTES, 1024},
      {HFI_OPT_MAX_EVENT_BYTES, 1024},   {HFI_OPT_TOKEN_FROM_ENV, 0},       {HFI_OPT_ALLOW_INSECURE_HTTP, 1},
  };
  for (const Case& c : cases) {
    make_a_failure();
    EXPECT_EQ(hfi_client_options_set_int(o.get(), c.key, c.value), HFI_OK) << c.key << " = " << c.value;
    EXPECT_CLEARED();
  }
}

// ---- client ----------------------------------------------------------------------------------

TEST(ArgumentsClient, NullOut) {
  OptionsPtr o = hfi_test::make_options();
  EXPECT_EQ(hfi_client_new(nullptr, o.get()), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_client_new(nullptr, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
}

TEST(ArgumentsClient, NullOptionsMeansDefaults) {
  make_a_failure();
  hfi_client* c = sentinel<hfi_client>();
  ASSERT_EQ(hfi_client_new(&c, nullptr), HFI_OK) << last_error();
  EXPECT_CLEARED();
  EXPECT_NE(c, nullptr);
  EXPECT_NE(c, sentinel<hfi_client>());
  if (c != sentinel<hfi_client>()) hfi_client_free(c);
}

TEST(ArgumentsClient, OptionsMayBeFreedAfterwards) {
  OptionsPtr o = hfi_test::make_options();
  hfi_test::set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  hfi_client* c = nullptr;
  ASSERT_EQ(hfi_client_new(&c, o.get()), HFI_OK) << last_error();
  o.reset();
  hfi_client_free(c);
}

// Creates a client and returns its status; `*out` must be NULL whenever it fails.
hfi_status try_client(const std::string& router, const std::string& base, int64_t allow_insecure) {
  OptionsPtr o = hfi_test::make_options();
  hfi_test::set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  if (!router.empty()) hfi_test::set_str(o.get(), HFI_OPT_ROUTER_URL, router);
  if (!base.empty()) hfi_test::set_str(o.get(), HFI_OPT_BASE_URL, base);
  hfi_test::set_int(o.get(), HFI_OPT_ALLOW_INSECURE_HTTP, allow_insecure);
  hfi_client* c = sentinel<hfi_client>();
  hfi_status st = hfi_client_new(&c, o.get());
  if (st != HFI_OK) {
    EXPECT_EQ(c, nullptr) << "*out not set to NULL on failure";
  } else {
    EXPECT_NE(c, nullptr);
  }
  if (c && c != sentinel<hfi_client>()) hfi_client_free(c);
  return st;
}

TEST(ArgumentsClient, PlainHttpRouterToANonLoopbackHostIsRefused) {
  for (const char* url : {"http://router.huggingface.co", "http://example.com:8080", "http://10.0.0.5:8080",
                          "http://127.0.0.1.evil.com", "http://localhost.evil.com", "http://[::2]:80"}) {
    make_a_failure();
    EXPECT_EQ(try_client(url, "", 0), HFI_E_INVALID_ARG) << url;
    std::string why = last_error();
    EXPECT_FALSE(why.empty()) << url;
    EXPECT_NE(why.find("HFI_OPT_ALLOW_INSECURE_HTTP"), std::string::npos) << why;
  }
}

TEST(ArgumentsClient, PlainHttpBaseUrlToANonLoopbackHostIsRefused) {
  EXPECT_EQ(try_client("", "http://tgi.internal:8080", 0), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(try_client("", "http://192.168.1.10:8000/v1", 0), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
}

TEST(ArgumentsClient, PlainHttpAllowedWhenAskedFor) {
  make_a_failure();
  EXPECT_EQ(try_client("http://example.com:8080", "", 1), HFI_OK) << last_error();
  EXPECT_CLEARED();
  EXPECT_EQ(try_client("", "http://192.168.1.10:8000/v1", 1), HFI_OK) << last_error();
  EXPECT_CLEARED();
}

TEST(ArgumentsClient, PlainHttpToLoopbackAndHttpsAreFine) {
  for (const char* url : {"http://localhost:8080", "http://127.0.0.1:1", "http://127.8.9.10", "http://[::1]:8080",
                          "http://api.localhost", "https://router.huggingface.co", "https://example.com"}) {
    make_a_failure();
    EXPECT_EQ(try_client(url, "", 0), HFI_OK) << url << ": " << last_error();
    EXPECT_CLEARED();
    EXPECT_EQ(try_client("", url, 0), HFI_OK) << url << ": " << last_error();
  }
}

// ---- hfi_chat --------------------------------------------------------------------------------

TEST_F(ArgumentsChat, NullClient) {
  std::string body = hfi_test::chat_body("hi");
  hfi_response* r = sentinel<hfi_response>();
  EXPECT_EQ(hfi_chat(nullptr, body.data(), body.size(), &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EXPLAINED();
}

TEST_F(ArgumentsChat, NullJsonWithALength) {
  hfi_response* r = sentinel<hfi_response>();
  EXPECT_EQ(hfi_chat(client_.get(), nullptr, 10, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EXPLAINED();
}

TEST_F(ArgumentsChat, NullJson) {
  for (size_t len : {size_t{0}, HFI_NUL_TERMINATED}) {
    hfi_response* r = sentinel<hfi_response>();
    EXPECT_EQ(hfi_chat(client_.get(), nullptr, len, &r), HFI_E_INVALID_ARG) << len;
    EXPECT_EQ(r, nullptr);
    EXPECT_EXPLAINED();
  }
}

TEST_F(ArgumentsChat, NullOut) {
  std::string body = hfi_test::chat_body("hi");
  EXPECT_EQ(hfi_chat(client_.get(), body.data(), body.size(), nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_TRUE(emu_.requests().empty()) << "a request was sent although it had nowhere to go";
}

TEST_F(ArgumentsChat, EmptyBody) {
  for (size_t len : {size_t{0}, HFI_NUL_TERMINATED}) {
    hfi_response* r = sentinel<hfi_response>();
    EXPECT_EQ(hfi_chat(client_.get(), "", len, &r), HFI_E_INVALID_ARG);
    EXPECT_EQ(r, nullptr);
    EXPECT_EXPLAINED();
  }
  // A real body with length 0 is empty too.
  std::string body = hfi_test::chat_body("hi");
  hfi_response* r = sentinel<hfi_response>();
  EXPECT_EQ(hfi_chat(client_.get(), body.data(), 0, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EXPLAINED();
}

TEST_F(ArgumentsChat, BadBodies) {
  for (const BadBody& bad : bad_bodies()) {
    hfi_response* r = sentinel<hfi_response>();
    EXPECT_EQ(hfi_chat(client_.get(), bad.body.data(), bad.body.size(), &r), HFI_E_INVALID_ARG) << bad.what;
    EXPECT_EQ(r, nullptr) << bad.what;
    EXPECT_EXPLAINED() << " (" << bad.what << ")";
    if (r && r != sentinel<hfi_response>()) hfi_response_free(r);
  }
  EXPECT_TRUE(emu_.requests().empty()) << "an invalid body was sent to the server";
}

TEST_F(ArgumentsChat, LengthShorterThanTheBodyIsHonoured) {
  // Only the first bytes are the body: cut inside the object, it is no longer valid JSON.
  std::string body = hfi_test::chat_body("hi");
  hfi_response* r = sentinel<hfi_response>();
  EXPECT_EQ(hfi_chat(client_.get(), body.data(), body.size() - 1, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EXPLAINED();
}

TEST_F(ArgumentsChat, NulTerminatedBodyWorksAndClearsTheMessage) {
  std::string body = hfi_test::chat_body("hello there");
  make_a_failure();
  hfi_response* r = nullptr;
  ASSERT_EQ(hfi_chat(client_.get(), body.c_str(), HFI_NUL_TERMINATED, &r), HFI_OK) << last_error();
  ResponsePtr response(r);
  EXPECT_CLEARED();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(hfi_test::text(r, hfi_response_content), "Hello! You said: hello there");
  ASSERT_EQ(emu_.requests().size(), 1u);
}

TEST_F(ArgumentsChat, ExplicitLengthBodyWorks) {
  // Bytes after `len` are not part of the body.
  std::string body = hfi_test::chat_body("hi") + "GARBAGE";
  hfi_response* r = nullptr;
  ASSERT_EQ(hfi_chat(client_.get(), body.data(), body.size() - 7, &r), HFI_OK) << last_error();
  ResponsePtr response(r);
  ASSERT_EQ(emu_.requests().size(), 1u);
  EXPECT_EQ(emu_.requests()[0].body.find("GARBAGE"), std::string::npos);
}

TEST_F(ArgumentsChat, ARequestFailureIsNotAnArgumentError) {
  // No messages: the server answers 422. That failure is described on the response.
  std::string body = R"({"model":"m"})";
  make_a_failure();
  hfi_response* r = sentinel<hfi_response>();
  hfi_status st = hfi_chat(client_.get(), body.data(), body.size(), &r);
  EXPECT_EQ(st, HFI_E_UNPROCESSABLE);
  ASSERT_NE(r, nullptr);
  ASSERT_NE(r, sentinel<hfi_response>());
  ResponsePtr response(r);
  EXPECT_EQ(hfi_response_status(r), st);
  ASSERT_NE(hfi_response_error(r), nullptr);
  EXPECT_EQ(hfi_error_code(hfi_response_error(r)), st);
}

// ---- hfi_chat_stream -------------------------------------------------------------------------

TEST_F(ArgumentsChatStream, NullCallback) {
  std::string body = hfi_test::chat_body("hi");
  hfi_response* r = sentinel<hfi_response>();
  EXPECT_EQ(hfi_chat_stream(client_.get(), body.data(), body.size(), nullptr, nullptr, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_chat_stream(client_.get(), body.data(), body.size(), nullptr, nullptr, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_TRUE(emu_.requests().empty());
}

TEST_F(ArgumentsChatStream, NullClient) {
  std::string body = hfi_test::chat_body("hi");
  int events = 0;
  hfi_response* r = sentinel<hfi_response>();
  EXPECT_EQ(hfi_chat_stream(nullptr, body.data(), body.size(), count_events, &events, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_chat_stream(nullptr, body.data(), body.size(), count_events, &events, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(events, 0);
}

TEST_F(ArgumentsChatStream, NullJson) {
  int events = 0;
  for (size_t len : {size_t{0}, size_t{10}, HFI_NUL_TERMINATED}) {
    hfi_response* r = sentinel<hfi_response>();
    EXPECT_EQ(hfi_chat_stream(client_.get(), nullptr, len, count_events, &events, &r), HFI_E_INVALID_ARG) << len;
    EXPECT_EQ(r, nullptr);
    EXPECT_EXPLAINED();
  }
  EXPECT_EQ(events, 0);
}

TEST_F(ArgumentsChatStream, EmptyBody) {
  int events = 0;
  hfi_response* r = sentinel<hfi_response>();
  EXPECT_EQ(hfi_chat_stream(client_.get(), "", HFI_NUL_TERMINATED, count_events, &events, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EXPLAINED();
  EXPECT_EQ(events, 0);
}

TEST_F(ArgumentsChatStream, BadBodies) {
  int events = 0;
  for (const BadBody& bad : bad_bodies()) {
    hfi_response* r = sentinel<hfi_response>();
    EXPECT_EQ(hfi_chat_stream(client_.get(), bad.body.data(), bad.body.size(), count_events, &events, &r),
              HFI_E_INVALID_ARG)
        << bad.what;
    EXPECT_EQ(r, nullptr) << bad.what;
    EXPECT_EXPLAINED() << " (" << bad.what << ")";
    if (r && r != sentinel<hfi_response>()) hfi_response_free(r);
    // Without out, too.
    EXPECT_EQ(hfi_chat_stream(client_.get(), bad.body.data(), bad.body.size(), count_events, &events, nullptr),
              HFI_E_INVALID_ARG)
        << bad.what;
  }
  EXPECT_EQ(events, 0) << "the callback ran for a request that was never made";
  EXPECT_TRUE(emu_.requests().empty()) << "an invalid body was sent to the server";
}

TEST_F(ArgumentsChatStream, NullOutIsAllowed) {
  std::string body = hfi_test::chat_body("stream me");
  make_a_failure();
  hfi_test::StreamRecording recording;
  EXPECT_EQ(hfi_chat_stream(client_.get(), body.data(), body.size(), hfi_test::StreamRecording::callback,
                            &recording, nullptr),
            HFI_OK)
      << last_error();
  EXPECT_CLEARED();
  EXPECT_EQ(recording.deltas(), "Hello! You said: stream me");
  EXPECT_EQ(recording.count(HFI_EVENT_DONE), 1u);
}

TEST_F(ArgumentsChatStream, NullUserDataIsPassedThrough) {
  std::string body = hfi_test::chat_body("hi");
  struct Seen {
    static int32_t callback(const hfi_event* ev, void* user_data) {
      EXPECT_EQ(user_data, nullptr);
      EXPECT_NE(ev, nullptr);
      return 0;
    }
  };
  hfi_response* r = nullptr;
  EXPECT_EQ(hfi_chat_stream(client_.get(), body.data(), body.size(), Seen::callback, nullptr, &r), HFI_OK);
  hfi_response_free(r);
}

TEST_F(ArgumentsChatStream, NulTerminatedBodyWorks) {
  std::string body = hfi_test::chat_body("measured");
  hfi_test::StreamRecording recording;
  hfi_response* r = nullptr;
  ASSERT_EQ(hfi_chat_stream(client_.get(), body.c_str(), HFI_NUL_TERMINATED, hfi_test::StreamRecording::callback,
                            &recording, &r),
            HFI_OK)
      << last_error();
  ResponsePtr response(r);
  EXPECT_CLEARED();
  EXPECT_EQ(recording.deltas(), "Hello! You said: measured");
  EXPECT_EQ(hfi_test::text(r, hfi_response_content), "Hello! You said: measured");
}

// ---- responses -------------------------------------------------------------------------------

using TextGetter = hfi_status (*)(const hfi_response*, const char**, size_t*);
struct NamedTextGetter {
  const char* name;
  TextGetter getter;
};
const NamedTextGetter kResponseText[] = {
    {"content", hfi_response_content},         {"reasoning", hfi_response_reasoning},
    {"finish_reason", hfi_response_finish_reason}, {"model", hfi_response_model},
    {"json", hfi_response_json},               {"request_id", hfi_response_request_id},
    {"url", hfi_response_url},
};

using ToolGetter = hfi_status (*)(const hfi_response*, size_t, const char**, size_t*);
struct NamedToolGetter {
  const char* name;
  ToolGetter getter;
};
const NamedToolGetter kToolText[] = {
    {"tool_call_id", hfi_response_tool_call_id},
    {"tool_call_name", hfi_response_tool_call_name},
    {"tool_call_arguments", hfi_response_tool_call_arguments},
};

TEST(ArgumentsResponseNull, GettersOnNull) {
  EXPECT_EQ(hfi_response_status(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_response_http_status(nullptr), -1);
  EXPECT_EQ(hfi_response_error(nullptr), nullptr);

  for (const NamedTextGetter& g : kResponseText) {
    const char* p = "untouched";
    size_t n = 77;
    EXPECT_EQ(g.getter(nullptr, &p, &n), HFI_E_INVALID_ARG) << g.name;
    EXPECT_EXPLAINED() << " (" << g.name << ")";
    EXPECT_EQ(g.getter(nullptr, nullptr, nullptr), HFI_E_INVALID_ARG) << g.name;
    EXPECT_EQ(g.getter(nullptr, &p, nullptr), HFI_E_INVALID_ARG) << g.name;
  }
  for (const NamedToolGetter& g : kToolText) {
    const char* p = nullptr;
    size_t n = 0;
    EXPECT_EQ(g.getter(nullptr, 0, &p, &n), HFI_E_INVALID_ARG) << g.name;
    EXPECT_EXPLAINED() << " (" << g.name << ")";
    EXPECT_EQ(g.getter(nullptr, 0, nullptr, nullptr), HFI_E_INVALID_ARG) << g.name;
  }

  int64_t a = 0, b = 0, c = 0;
  EXPECT_EQ(hfi_response_usage(nullptr, &a, &b, &c), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_response_usage(nullptr, nullptr, nullptr, nullptr), HFI_E_INVALID_ARG);

  size_t count = 0;
  EXPECT_EQ(hfi_response_tool_call_count(nullptr, &count), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_response_tool_call_count(nullptr, nullptr), HFI_E_INVALID_ARG);

  double total = 0, first = 0;
  EXPECT_EQ(hfi_response_timings(nullptr, &total, &first), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_response_timings(nullptr, nullptr, nullptr), HFI_E_INVALID_ARG);
}

TEST_F(ArgumentsResponse, NullOutputPointers) {
  hfi_test::BlockingResult result = hfi_test::chat(client_.get(), hfi_test::chat_body("hi", kIncludeUsage));
  ASSERT_EQ(result.status, HFI_OK);
  const hfi_response* r = result.response.get();
  ASSERT_NE(r, nullptr);

  for (const NamedTextGetter& g : kResponseText) {
    size_t n = 0;
    EXPECT_EQ(g.getter(r, nullptr, &n), HFI_E_INVALID_ARG) << g.name;
    EXPECT_EXPLAINED() << " (" << g.name << ")";
    EXPECT_EQ(g.getter(r, nullptr, nullptr), HFI_E_INVALID_ARG) << g.name;
    // len may be NULL.
    const char* p = nullptr;
    EXPECT_EQ(g.getter(r, &p, nullptr), HFI_OK) << g.name;
    EXPECT_CLEARED();
    EXPECT_NE(p, nullptr) << g.name;
  }

  size_t count = 0;
  EXPECT_EQ(hfi_response_tool_call_count(r, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_response_tool_call_count(r, &count), HFI_OK);
  EXPECT_CLEARED();
  EXPECT_EQ(count, 0u);

  // Every usage and timing output may be NULL.
  make_a_failure();
  EXPECT_EQ(hfi_response_usage(r, nullptr, nullptr, nullptr), HFI_OK);
  EXPECT_CLEARED();
  int64_t total_tokens = 0;
  EXPECT_EQ(hfi_response_usage(r, nullptr, nullptr, &total_tokens), HFI_OK);
  EXPECT_GT(total_tokens, 0);
  make_a_failure();
  EXPECT_EQ(hfi_response_timings(r, nullptr, nullptr), HFI_OK);
  EXPECT_CLEARED();
  double total_ms = -2;
  EXPECT_EQ(hfi_response_timings(r, &total_ms, nullptr), HFI_OK);
  EXPECT_GE(total_ms, 0);
}

TEST_F(ArgumentsResponse, ErrorOfASuccessfulResponseIsNull) {
  hfi_test::BlockingResult result = hfi_test::chat(client_.get(), hfi_test::chat_body("hi"));
  ASSERT_EQ(result.status, HFI_OK);
  EXPECT_EQ(hfi_response_status(result.response.get()), HFI_OK);
  EXPECT_EQ(hfi_response_error(result.response.get()), nullptr);

  hfi_test::StreamResult streamed = hfi_test::stream_chat(client_.get(), hfi_test::chat_body("hi"));
  ASSERT_EQ(streamed.status, HFI_OK);
  EXPECT_EQ(hfi_response_error(streamed.response.get()), nullptr);
}

TEST_F(ArgumentsResponse, ToolCallIndexOutOfRange) {
  // Without tool calls, index 0 is already out of range.
  hfi_test::BlockingResult plain = hfi_test::chat(client_.get(), hfi_test::chat_body("hi"));
  ASSERT_EQ(plain.status, HFI_OK);
  for (const NamedToolGetter& g : kToolText) {
    const char* p = nullptr;
    size_t n = 0;
    EXPECT_EQ(g.getter(plain.response.get(), 0, &p, &n), HFI_E_INVALID_ARG) << g.name;
    EXPECT_EXPLAINED() << " (" << g.name << ")";
  }

  hfi_test::BlockingResult tools = hfi_test::chat(client_.get(), hfi_test::chat_body("weather?", kWeatherTools));
  ASSERT_EQ(tools.status, HFI_OK);
  const hfi_response* r = tools.response.get();
  size_t count = 0;
  ASSERT_EQ(hfi_response_tool_call_count(r, &count), HFI_OK);
  ASSERT_EQ(count, 1u);
  for (const NamedToolGetter& g : kToolText) {
    const char* p = nullptr;
    size_t n = 0;
    make_a_failure();
    EXPECT_EQ(g.getter(r, 0, &p, &n), HFI_OK) << g.name;
    EXPECT_CLEARED();
    EXPECT_NE(p, nullptr);
    EXPECT_EQ(g.getter(r, 0, &p, nullptr), HFI_OK) << g.name;  // len may be NULL
    for (size_t index : {count, count + 1, size_t{1000}, std::numeric_limits<size_t>::max()}) {
      EXPECT_EQ(g.getter(r, index, &p, &n), HFI_E_INVALID_ARG) << g.name << "[" << index << "]";
      EXPECT_EXPLAINED() << " (" << g.name << "[" << index << "])";
    }
    EXPECT_EQ(g.getter(r, 0, nullptr, &n), HFI_E_INVALID_ARG) << g.name;  // ptr may not be NULL
    EXPECT_EXPLAINED();
  }
  EXPECT_EQ(hfi_test::text(r, [](const hfi_response* x, const char** p, size_t* n) {
              return hfi_response_tool_call_name(x, 0, p, n);
            }),
            "get_weather");
}

// ---- errors ----------------------------------------------------------------------------------

TEST(ArgumentsErrorNull, GettersOnNull) {
  EXPECT_EQ(hfi_error_code(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_error_http_status(nullptr), -1);
  EXPECT_EQ(hfi_error_retry_after_ms(nullptr), -1);
  using ErrorText = hfi_status (*)(const hfi_error*, const char**, size_t*);
  for (ErrorText getter : {ErrorText{hfi_error_message}, ErrorText{hfi_error_type}, ErrorText{hfi_error_body}}) {
    const char* p = nullptr;
    size_t n = 0;
    EXPECT_EQ(getter(nullptr, &p, &n), HFI_E_INVALID_ARG);
    EXPECT_EXPLAINED();
    EXPECT_EQ(getter(nullptr, nullptr, nullptr), HFI_E_INVALID_ARG);
  }
}

TEST_F(ArgumentsError, NullOutputPointersOnARealError) {
  emu_.script(R"({"status":500,"content_type":"application/json","body":"{\"error\":\"boom\"}"})");
  hfi_test::BlockingResult result = hfi_test::chat(client_.get(), hfi_test::chat_body("hi"));
  ASSERT_EQ(result.status, HFI_E_SERVER);
  const hfi_error* e = hfi_response_error(result.response.get());
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(hfi_error_code(e), HFI_E_SERVER);
  EXPECT_EQ(hfi_error_http_status(e), 500);
  EXPECT_EQ(hfi_error_retry_after_ms(e), -1);  // the server did not say
  using ErrorText = hfi_status (*)(const hfi_error*, const char**, size_t*);
  for (ErrorText getter : {ErrorText{hfi_error_message}, ErrorText{hfi_error_type}, ErrorText{hfi_error_body}}) {
    size_t n = 0;
    EXPECT_EQ(getter(e, nullptr, &n), HFI_E_INVALID_ARG);
    EXPECT_EXPLAINED();
    EXPECT_EQ(getter(e, nullptr, nullptr), HFI_E_INVALID_ARG);
    const char* p = nullptr;
    EXPECT_EQ(getter(e, &p, nullptr), HFI_OK);
    EXPECT_CLEARED();
    EXPECT_NE(p, nullptr);
  }
  EXPECT_EQ(hfi_test::text(e, hfi_error_message), "boom");
}

// ---- events ----------------------------------------------------------------------------------

TEST(ArgumentsEventNull, GettersOnNull) {
  EXPECT_EQ(hfi_event_type(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_event_choice_index(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_event_tool_call_index(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_event_status(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_event_error(nullptr), nullptr);
  using EventText = hfi_status (*)(const hfi_event*, const char**, size_t*);
  for (EventText getter : {EventText{hfi_event_text}, EventText{hfi_event_json}, EventText{hfi_event_tool_call_id},
                           EventText{hfi_event_tool_call_name}, EventText{hfi_event_tool_call_arguments}}) {
    const char* p = nullptr;
    size_t n = 0;
    EXPECT_EQ(getter(nullptr, &p, &n), HFI_E_INVALID_ARG);
    EXPECT_EXPLAINED();
    EXPECT_EQ(getter(nullptr, nullptr, nullptr), HFI_E_INVALID_ARG);
  }
  int64_t a = 0, b = 0, c = 0;
  EXPECT_EQ(hfi_event_usage(nullptr, &a, &b, &c), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_event_usage(nullptr, nullptr, nullptr, nullptr), HFI_E_INVALID_ARG);
}

// The header's convention: "A function that fails because of its arguments returns
// HFI_E_INVALID_ARG and explains why in hfi_last_error_message()". That holds for the getters that
// return a status or an int32_t sentinel too.
// A successful call, which leaves hfi_last_error_message() empty.
void clear_message(hfi_client_options* o) {
  ASSERT_EQ(hfi_client_options_set_int(o, HFI_OPT_TIMEOUT_MS, 0), HFI_OK);
  ASSERT_EQ(last_error(), "");
}

TEST(ArgumentsSentinelGetters, NullIsExplained) {
  OptionsPtr o = hfi_test::make_options();
  clear_message(o.get());
  EXPECT_EQ(hfi_response_status(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED() << " (hfi_response_status)";
  clear_message(o.get());
  EXPECT_EQ(hfi_error_code(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED() << " (hfi_error_code)";
  clear_message(o.get());
  EXPECT_EQ(hfi_event_type(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED() << " (hfi_event_type)";
  clear_message(o.get());
  EXPECT_EQ(hfi_event_choice_index(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED() << " (hfi_event_choice_index)";
  clear_message(o.get());
  EXPECT_EQ(hfi_event_tool_call_index(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED() << " (hfi_event_tool_call_index)";
  clear_message(o.get());
  EXPECT_EQ(hfi_event_status(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED() << " (hfi_event_status)";
}

TEST_F(ArgumentsEvent, ToolCallIndexOfAnotherEventTypeIsExplained) {
  struct Probe {
    static int32_t callback(const hfi_event* ev, void* user_data) {
      auto* unexplained = static_cast<std::vector<int32_t>*>(user_data);
      if (hfi_event_type(ev) == HFI_EVENT_TOOL_CALL) return 0;
      hfi_client_options* o = nullptr;
      hfi_client_options_new(&o);  // clears the message
      hfi_client_options_free(o);
      if (hfi_event_tool_call_index(ev) == HFI_E_INVALID_ARG && last_error().empty())
        unexplained->push_back(hfi_event_type(ev));
      return 0;
    }
  };
  std::vector<int32_t> unexplained;
  std::string body = hfi_test::chat_body("hi");
  ASSERT_EQ(hfi_chat_stream(client_.get(), body.data(), body.size(), Probe::callback, &unexplained, nullptr), HFI_OK);
  EXPECT_TRUE(unexplained.empty()) << "hfi_event_tool_call_index() refused " << unexplained.size()
                                   << " events of another type without a message";
}

// What every accessor said about one real event, collected inside the callback.
struct EventProbe {
  int32_t type = 0;
  int32_t choice = 0;
  hfi_status text_null_ptr = HFI_OK, json_null_ptr = HFI_OK;
  hfi_status text_null_len = HFI_E_INTERNAL, json_null_len = HFI_E_INTERNAL;
  bool text_cleared = false;
  int32_t tool_index = 0;
  hfi_status tool_id = HFI_OK, tool_name = HFI_OK, tool_arguments = HFI_OK;
  hfi_status tool_id_null_ptr = HFI_OK, tool_name_null_ptr = HFI_OK, tool_arguments_null_ptr = HFI_OK;
  std::string tool_message;  // hfi_last_error_message() after hfi_event_tool_call_id()
  hfi_status usage = HFI_OK, usage_all_null = HFI_OK;
  std::string usage_message;
  int64_t total_tokens = -2;
  hfi_status status = HFI_OK;
  const hfi_error* error = nullptr;
  hfi_status error_message_null_ptr = HFI_OK;
  std::string error_message;
};

int32_t probe_event(const hfi_event* ev, void* user_data) {
  auto* probes = static_cast<std::vector<EventProbe>*>(user_data);
  EventProbe p;
  const char* s = nullptr;
  size_t n = 0;
  p.type = hfi_event_type(ev);
  p.choice = hfi_event_choice_index(ev);
  p.text_null_ptr = hfi_event_text(ev, nullptr, &n);
  p.json_null_ptr = hfi_event_json(ev, nullptr, &n);
  p.text_null_len = hfi_event_text(ev, &s, nullptr);
  p.text_cleared = last_error().empty();
  p.json_null_len = hfi_event_json(ev, &s, nullptr);
  p.tool_index = hfi_event_tool_call_index(ev);
  p.tool_name = hfi_event_tool_call_name(ev, &s, &n);
  p.tool_arguments = hfi_event_tool_call_arguments(ev, &s, &n);
  p.tool_id_null_ptr = hfi_event_tool_call_id(ev, nullptr, &n);
  p.tool_name_null_ptr = hfi_event_tool_call_name(ev, nullptr, &n);
  p.tool_arguments_null_ptr = hfi_event_tool_call_arguments(ev, nullptr, &n);
  p.tool_id = hfi_event_tool_call_id(ev, &s, &n);
  p.tool_message = last_error();
  p.usage_all_null = hfi_event_usage(ev, nullptr, nullptr, nullptr);
  int64_t a = -2, b = -2;
  p.usage = hfi_event_usage(ev, &a, &b, &p.total_tokens);
  p.usage_message = last_error();
  p.status = hfi_event_status(ev);
  p.error = hfi_event_error(ev);
  if (p.error) {
    p.error_message_null_ptr = hfi_error_message(p.error, nullptr, nullptr);
    p.error_message = hfi_test::text(p.error, hfi_error_message);
  }
  probes->push_back(p);
  return 0;
}

std::vector<EventProbe> probe_stream(hfi_client* client, const std::string& body, hfi_status expected) {
  std::vector<EventProbe> probes;
  hfi_response* r = nullptr;
  EXPECT_EQ(hfi_chat_stream(client, body.data(), body.size(), probe_event, &probes, &r), expected) << last_error();
  hfi_response_free(r);
  return probes;
}

// Checks shared by every event type.
void expect_common(const EventProbe& p) {
  EXPECT_EQ(p.choice, 0) << "type " << p.type;
  EXPECT_EQ(p.text_null_ptr, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.json_null_ptr, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.text_null_len, HFI_OK) << "type " << p.type;
  EXPECT_TRUE(p.text_cleared) << "a successful hfi_event_text() left a message, type " << p.type;
  EXPECT_EQ(p.json_null_len, HFI_OK) << "type " << p.type;
  EXPECT_EQ(p.tool_id_null_ptr, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.tool_name_null_ptr, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.tool_arguments_null_ptr, HFI_E_INVALID_ARG) << "type " << p.type;
}

void expect_not_tool_call(const EventProbe& p) {
  EXPECT_EQ(p.tool_index, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.tool_id, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.tool_name, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.tool_arguments, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_FALSE(p.tool_message.empty()) << "wrong-type tool-call access not explained, type " << p.type;
}

void expect_not_usage(const EventProbe& p) {
  EXPECT_EQ(p.usage, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_EQ(p.usage_all_null, HFI_E_INVALID_ARG) << "type " << p.type;
  EXPECT_FALSE(p.usage_message.empty()) << "wrong-type usage access not explained, type " << p.type;
}

void expect_not_error(const EventProbe& p) {
  EXPECT_EQ(p.error, nullptr) << "type " << p.type;
  EXPECT_EQ(p.status, HFI_OK) << "type " << p.type;
}

size_t count_type(const std::vector<EventProbe>& probes, int32_t type) {
  size_t n = 0;
  for (const EventProbe& p : probes) n += p.type == type;
  return n;
}

TEST_F(ArgumentsEvent, TextStreamEvents) {
  std::vector<EventProbe> probes =
      probe_stream(client_.get(), hfi_test::chat_body("a few words", kIncludeUsage), HFI_OK);
  ASSERT_GT(count_type(probes, HFI_EVENT_DELTA), 0u);
  ASSERT_EQ(count_type(probes, HFI_EVENT_USAGE), 1u);
  ASSERT_EQ(count_type(probes, HFI_EVENT_FINISH), 1u);
  ASSERT_EQ(count_type(probes, HFI_EVENT_DONE), 1u);
  EXPECT_EQ(probes.back().type, HFI_EVENT_DONE);
  for (const EventProbe& p : probes) {
    expect_common(p);
    expect_not_tool_call(p);
    expect_not_error(p);
    if (p.type == HFI_EVENT_USAGE) {
      EXPECT_EQ(p.usage, HFI_OK);
      EXPECT_EQ(p.usage_all_null, HFI_OK);  // every output may be NULL
      EXPECT_TRUE(p.usage_message.empty()) << p.usage_message;
      EXPECT_GT(p.total_tokens, 0);
    } else {
      expect_not_usage(p);
    }
  }
}

TEST_F(ArgumentsEvent, ToolCallEvents) {
  std::vector<EventProbe> probes =
      probe_stream(client_.get(), hfi_test::chat_body("weather?", std::string(kWeatherTools) + kIncludeUsage), HFI_OK);
  ASSERT_GT(count_type(probes, HFI_EVENT_TOOL_CALL), 0u);
  ASSERT_EQ(count_type(probes, HFI_EVENT_DONE), 1u);
  for (const EventProbe& p : probes) {
    expect_common(p);
    expect_not_error(p);
    if (p.type == HFI_EVENT_TOOL_CALL) {
      EXPECT_EQ(p.tool_index, 0);
      EXPECT_EQ(p.tool_id, HFI_OK);
      EXPECT_EQ(p.tool_name, HFI_OK);
      EXPECT_EQ(p.tool_arguments, HFI_OK);
      EXPECT_TRUE(p.tool_message.empty()) << p.tool_message;
      expect_not_usage(p);
    } else {
      expect_not_tool_call(p);
    }
  }
}

TEST_F(ArgumentsEvent, ErrorEvent) {
  emu_.script(R"({"status":500,"content_type":"application/json","body":"{\"error\":\"exploded\"}"})");
  std::vector<EventProbe> probes = probe_stream(client_.get(), hfi_test::chat_body("hi"), HFI_E_SERVER);
  ASSERT_FALSE(probes.empty());
  ASSERT_EQ(count_type(probes, HFI_EVENT_ERROR), 1u);
  const EventProbe& p = probes.back();
  ASSERT_EQ(p.type, HFI_EVENT_ERROR);
  expect_common(p);
  expect_not_tool_call(p);
  expect_not_usage(p);
  EXPECT_EQ(p.status, HFI_E_SERVER);
  ASSERT_NE(p.error, nullptr);
  EXPECT_EQ(p.error_message_null_ptr, HFI_E_INVALID_ARG);
  EXPECT_EQ(p.error_message, "exploded");
}

}  // namespace
