// The emulator's default behaviour (no script queued), its recordings and its
// control routes, exercised through libcurl.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "emulator.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

class EmulatorDefaults : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(emulator.start(&error)) << error;
  }
  std::string url(const std::string& path) const { return emulator.base_url() + path; }
  Emulator emulator;
};

TEST_F(EmulatorDefaults, BaseUrlNamesTheEphemeralPort) {
  EXPECT_GT(emulator.port(), 0);
  EXPECT_EQ(emulator.base_url(), "http://127.0.0.1:" + std::to_string(emulator.port()));
  EXPECT_EQ(emulator.ca_pem_path(), "");
}

TEST_F(EmulatorDefaults, AnswersAChatCompletion) {
  Response response = post_json(url("/v1/chat/completions"), chat_body("What is the capital of France?"));
  ASSERT_EQ(response.code, CURLE_OK) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "application/json");
  json answer = json::parse(response.body);
  EXPECT_EQ(answer["id"].get<std::string>().rfind("chatcmpl-emu-", 0), 0u);
  EXPECT_EQ(answer["object"], "chat.completion");
  EXPECT_TRUE(answer["created"].is_number_integer());
  EXPECT_EQ(answer["model"], "meta-llama/Llama-3.1-8B-Instruct");
  ASSERT_EQ(answer["choices"].size(), 1u);
  EXPECT_EQ(answer["choices"][0]["index"], 0);
  EXPECT_EQ(answer["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(answer["choices"][0]["message"]["content"], "Hello! You said: What is the capital of France?");
  EXPECT_EQ(answer["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(answer["usage"]["prompt_tokens"], 6);
  EXPECT_EQ(answer["usage"]["completion_tokens"], 9);
  EXPECT_EQ(answer["usage"]["total_tokens"], 15);
}

TEST_F(EmulatorDefaults, CompletionIdsAreNumberedPerAnswer) {
  json first = json::parse(post_json(url("/v1/chat/completions"), chat_body("a")).body);
  json second = json::parse(post_json(url("/v1/chat/completions"), chat_body("b")).body);
  EXPECT_NE(first["id"], second["id"]);
}

TEST_F(EmulatorDefaults, EchoesTheLastUserMessageAndConcatenatesTextParts) {
  std::string body = R"({"model":"m","messages":[
      {"role":"system","content":"Be brief."},
      {"role":"user","content":"first question"},
      {"role":"assistant","content":"first answer"},
      {"role":"user","content":[{"type":"text","text":"Describe "},
                                {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
                                {"type":"text","text":"this image"}]}]})";
  Response response = post_json(url("/v1/chat/completions"), body);
  ASSERT_EQ(response.status, 200);
  json answer = json::parse(response.body);
  EXPECT_EQ(answer["choices"][0]["message"]["content"], "Hello! You said: Describe this image");
  EXPECT_EQ(answer["usage"]["prompt_tokens"], 2 + 2 + 2 + 3);
  EXPECT_EQ(answer["usage"]["completion_tokens"], 6);
}

TEST_F(EmulatorDefaults, AnyPathEndingInChatCompletionsIsAChatRoute) {
  for (const char* path : {"/v1/chat/completions", "/hf-inference/models/google/gemma-2-2b-it/v1/chat/completions",
                           "/foo/v1/chat/completions", "/together/v1/chat/completions"}) {
    Response response = post_json(url(path), chat_body("hi"));
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(json::parse(response.body)["choices"][0]["message"]["content"], "Hello! You said: hi") << path;
  }
}

TEST_F(EmulatorDefaults, StreamsTheAnswerAsOpenAiChunks) {
  Response response = post_json(url("/v1/chat/completions"), chat_body("tell me a story", true));
  ASSERT_EQ(response.code, CURLE_OK) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/event-stream");
  EXPECT_EQ(response.header("transfer-encoding"), "chunked");
  std::vector<std::string> events = sse_data(response.body);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.back(), "[DONE]");
  json first = json::parse(events.front());
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["model"], "meta-llama/Llama-3.1-8B-Instruct");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  EXPECT_EQ(first["choices"][0]["delta"]["content"], "");
  EXPECT_TRUE(first["choices"][0]["finish_reason"].is_null());
  EXPECT_FALSE(first.contains("usage"));

  std::string text;
  std::size_t content_chunks = 0;
  for (std::size_t i = 1; i + 2 < events.size(); ++i) {
    json chunk = json::parse(events[i]);
    EXPECT_EQ(chunk["id"], first["id"]);
    EXPECT_TRUE(chunk["choices"][0]["finish_reason"].is_null());
    text += chunk["choices"][0]["delta"]["content"].get<std::string>();
    ++content_chunks;
  }
  EXPECT_EQ(text, "Hello! You said: tell me a story");
  EXPECT_EQ(content_chunks, 7u);  // one per word, each with its following space
  json last = json::parse(events[events.size() - 2]);
  EXPECT_TRUE(last["choices"][0]["delta"].empty());
  EXPECT_EQ(last["choices"][0]["finish_reason"], "stop");
}

TEST_F(EmulatorDefaults, StreamEndsWithAUsageChunkOnlyWhenAskedFor) {
  Response response = post_json(url("/v1/chat/completions"),
                                chat_body("count these words", true, R"("stream_options":{"include_usage":true})"));
  std::vector<std::string> events = sse_data(response.body);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.back(), "[DONE]");
  json usage_chunk = json::parse(events[events.size() - 2]);
  EXPECT_TRUE(usage_chunk["choices"].empty());
  EXPECT_EQ(usage_chunk["usage"]["prompt_tokens"], 3);
  EXPECT_EQ(usage_chunk["usage"]["completion_tokens"], 6);
  EXPECT_EQ(usage_chunk["usage"]["total_tokens"], 9);
  json finish = json::parse(events[events.size() - 3]);
  EXPECT_EQ(finish["choices"][0]["finish_reason"], "stop");
  EXPECT_TRUE(finish["usage"].is_null());

  Response without = post_json(url("/v1/chat/completions"),
                               chat_body("count these words", true, R"("stream_options":{"include_usage":false})"));
  for (const auto& event : sse_data(without.body)) {
    if (event == "[DONE]") continue;
    EXPECT_FALSE(json::parse(event).contains("usage")) << event;
  }
}

constexpr const char* kTools =
    R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}},)"
    R"({"type":"function","function":{"name":"get_time","parameters":{"type":"object"}}}])";

TEST_F(EmulatorDefaults, AnswersWithAToolCallWhenOneIsRequired) {
  Response response = post_json(url("/v1/chat/completions"),
                                chat_body("weather in Paris?", false, std::string(kTools) + R"(,"tool_choice":"required")"));
  ASSERT_EQ(response.status, 200);
  json choice = json::parse(response.body)["choices"][0];
  EXPECT_EQ(choice["finish_reason"], "tool_calls");
  EXPECT_TRUE(choice["message"]["content"].is_null());
  ASSERT_EQ(choice["message"]["tool_calls"].size(), 1u);
  json call = choice["message"]["tool_calls"][0];
  EXPECT_EQ(call["id"], "call_emu_1");
  EXPECT_EQ(call["type"], "function");
  EXPECT_EQ(call["function"]["name"], "get_weather");
  EXPECT_EQ(json::parse(call["function"]["arguments"].get<std::string>()),
            json::parse(R"({"location":"Paris","unit":"celsius"})"));
}

TEST_F(EmulatorDefaults, StreamsAToolCallToTheNamedFunction) {
  std::string extra = std::string(kTools) + R"(,"tool_choice":{"type":"function","function":{"name":"get_time"}})";
  Response response = post_json(url("/v1/chat/completions"), chat_body("what time is it?", true, extra));
  std::vector<std::string> events = sse_data(response.body);
  ASSERT_EQ(events.size(), 6u);  // call, 3 argument fragments, finish, [DONE]
  json head = json::parse(events[0])["choices"][0]["delta"];
  EXPECT_EQ(head["role"], "assistant");
  json call = head["tool_calls"][0];
  EXPECT_EQ(call["index"], 0);
  EXPECT_EQ(call["id"], "call_emu_1");
  EXPECT_EQ(call["type"], "function");
  EXPECT_EQ(call["function"]["name"], "get_time");
  EXPECT_EQ(call["function"]["arguments"], "");
  std::string arguments;
  for (std::size_t i = 1; i <= 3; ++i) {
    json fragment = json::parse(events[i])["choices"][0]["delta"]["tool_calls"][0];
    EXPECT_EQ(fragment["index"], 0);
    EXPECT_FALSE(fragment["function"]["arguments"].get<std::string>().empty());
    arguments += fragment["function"]["arguments"].get<std::string>();
  }
  EXPECT_EQ(arguments, R"({"location": "Paris", "unit": "celsius"})");
  EXPECT_EQ(json::parse(events[4])["choices"][0]["finish_reason"], "tool_calls");
  EXPECT_EQ(events[5], "[DONE]");
}

TEST_F(EmulatorDefaults, AutoToolChoiceAnswersWithText) {
  Response response =
      post_json(url("/v1/chat/completions"), chat_body("hi", false, std::string(kTools) + R"(,"tool_choice":"auto")"));
  EXPECT_EQ(json::parse(response.body)["choices"][0]["message"]["content"], "Hello! You said: hi");
}

TEST_F(EmulatorDefaults, RejectsBadBodies) {
  struct Case {
    const char* body;
    long status;
  } cases[] = {
      {"{not json", 400},
      {"[1,2]", 400},
      {R"({"messages":[{"role":"user","content":"hi"}]})", 400},
      {R"({"model":"m"})", 422},
      {R"({"model":"m","messages":[]})", 422},
      {R"({"model":"m","messages":"hi"})", 422},
  };
  for (const auto& c : cases) {
    Response response = post_json(url("/v1/chat/completions"), c.body);
    EXPECT_EQ(response.status, c.status) << c.body;
    json error = json::parse(response.body);
    EXPECT_EQ(error["error"]["type"], "invalid_request_error") << c.body;
    EXPECT_FALSE(error["error"]["message"].get<std::string>().empty()) << c.body;
  }
}

TEST_F(EmulatorDefaults, ListsTheRegistryChatModel) {
  Response response = get(url("/v1/models"));
  ASSERT_EQ(response.status, 200);
  json list = json::parse(response.body);
  EXPECT_EQ(list["object"], "list");
  EXPECT_EQ(list["data"][0]["id"], "emu/chat-completion");
  EXPECT_EQ(list["data"][0]["object"], "model");
}

TEST_F(EmulatorDefaults, UnknownPathIs404) {
  Response response = get(url("/nope/nothing?x=1"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body, R"({"error":"Not Found: /nope/nothing"})");
  Call wrong_method;
  wrong_method.url = url("/v1/chat/completions");
  EXPECT_EQ(request(wrong_method).status, 405);
}

TEST_F(EmulatorDefaults, RecordsEveryEmulatedRequestBeforeAnswering) {
  post_json(url("/hf-inference/models/x/v1/chat/completions?wait=1&a=b"), chat_body("recorded"),
            {"Authorization: Bearer hf_test", "X-Custom-Thing: Yes", "User-Agent: hfi-test/1.0"});
  get(url("/_emulator/health"));  // control routes are not recorded
  get(url("/missing"));
  std::vector<RecordedRequest> seen = emulator.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/hf-inference/models/x/v1/chat/completions");
  EXPECT_EQ(seen[0].query, "wait=1&a=b");
  EXPECT_EQ(seen[0].headers.at("authorization"), "Bearer hf_test");
  EXPECT_EQ(seen[0].headers.at("x-custom-thing"), "Yes");
  EXPECT_EQ(seen[0].headers.at("user-agent"), "hfi-test/1.0");
  EXPECT_EQ(seen[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(seen[0].body, chat_body("recorded"));
  EXPECT_EQ(seen[1].method, "GET");
  EXPECT_EQ(seen[1].path, "/missing");

  json listed = json::parse(get(url("/_emulator/requests")).body);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["headers"]["x-custom-thing"], "Yes");
  EXPECT_EQ(listed[0]["body"], chat_body("recorded"));
  EXPECT_EQ(listed[0]["body_encoding"], "text");
  EXPECT_EQ(listed[0]["query"], "wait=1&a=b");

  emulator.reset();
  EXPECT_TRUE(emulator.requests().empty());
  get(url("/x"));
  EXPECT_EQ(post_json(url("/_emulator/reset"), "").status, 200);
  EXPECT_TRUE(emulator.requests().empty());
}

TEST_F(EmulatorDefaults, RecordsBinaryBodiesAsBase64InTheJsonListing) {
  Call call;
  call.method = "POST";
  call.url = url("/hf-inference/models/openai/whisper-tiny");
  call.body = std::string("\xFF\xD8\x00\x01", 4);
  request(call);
  ASSERT_EQ(emulator.requests().size(), 1u);
  EXPECT_EQ(emulator.requests()[0].body, call.body);
  json listed = json::parse(get(url("/_emulator/requests")).body);
  EXPECT_EQ(listed[0]["body_encoding"], "base64");
  EXPECT_EQ(listed[0]["body"], "/9gAAQ==");
}

TEST_F(EmulatorDefaults, ControlRoutes) {
  EXPECT_EQ(get(url("/_emulator/health")).body, R"({"ok":true})");
  EXPECT_EQ(get(url("/_emulator/tapes")).body, "[]");  // none loaded
  EXPECT_EQ(get(url("/_emulator/nothing")).status, 404);
  EXPECT_EQ(post_json(url("/_emulator/script"), R"({"status":500,"repeat":2})").body, R"({"ok":true,"queued":1})");
  json pending = json::parse(get(url("/_emulator/script")).body);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["remaining"], 2);
  EXPECT_EQ(pending[0]["step"]["status"], 500);
}

TEST_F(EmulatorDefaults, MalformedScriptsAreRejectedWithAReason) {
  for (const char* script : {"{oops", R"({"stauts":500})", R"({"status":"500"})", R"({"status":99})",
                             R"([{"status":500},{"repeat":0}])", R"({"body":"x","sse":["y"]})",
                             R"({"headers":{"X":"a\r\nb"}})", R"({"tape":"no-such-tape"})", "42"}) {
    Response response = post_json(url("/_emulator/script"), script);
    EXPECT_EQ(response.status, 400) << script;
    EXPECT_FALSE(json::parse(response.body)["error"].get<std::string>().empty()) << script;
    EXPECT_THROW(emulator.script(script), std::invalid_argument) << script;
  }
  EXPECT_EQ(get(url("/_emulator/script")).body, "[]");  // all or nothing
}

TEST(EmulatorAuth, RequireTokenGuardsChatRoutes) {
  Options options;
  options.require_token = "hf_secret";
  Emulator emulator(options);
  ASSERT_TRUE(emulator.start());
  std::string chat = emulator.base_url() + "/v1/chat/completions";
  Response missing = post_json(chat, chat_body("hi"));
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.body, R"({"error":"Invalid credentials in Authorization header"})");
  EXPECT_EQ(post_json(chat, chat_body("hi"), {"Authorization: Bearer hf_wrong"}).status, 401);
  EXPECT_EQ(post_json(chat, chat_body("hi"), {"Authorization: hf_secret"}).status, 401);
  Response allowed = post_json(chat, chat_body("hi"), {"Authorization: Bearer hf_secret"});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(json::parse(allowed.body)["choices"][0]["message"]["content"], "Hello! You said: hi");
  EXPECT_EQ(get(emulator.base_url() + "/v1/models").status, 200);
  EXPECT_EQ(emulator.requests().size(), 5u);  // rejected requests are recorded too
}

TEST(EmulatorLifecycle, StartFailsClearlyAndStopIsIdempotent) {
  Options tls_without_dir;
  tls_without_dir.tls = true;
  std::string error;
  EXPECT_FALSE(Emulator(tls_without_dir).start(&error));
  EXPECT_NE(error.find("tls_dir"), std::string::npos);

  Options missing_tapes;
  missing_tapes.tapes_path = "/nonexistent/interactions.ndjson";
  EXPECT_FALSE(Emulator(missing_tapes).start(&error));
  EXPECT_NE(error.find("/nonexistent/interactions.ndjson"), std::string::npos);

  Emulator first;
  ASSERT_TRUE(first.start());
  Options same_port;
  same_port.port = first.port();
  EXPECT_FALSE(Emulator(same_port).start(&error));
  first.stop();
  first.stop();
  EXPECT_NE(get(first.base_url() + "/_emulator/health").code, CURLE_OK);
}

// Raw bytes on a socket: pipelined requests, a chunked request body, and
// Expect: 100-continue, which libcurl alone would not all produce.
class RawSocket {
 public:
  explicit RawSocket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& bytes) { ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size())); }
  // Reads until `needle` has been seen `times` times, or EOF/timeout.
  std::string read_until(const std::string& needle, int times = 1) {
    std::string got;
    char buffer[4096];
    for (;;) {
      int seen = 0;
      for (std::size_t at = got.find(needle); at != std::string::npos; at = got.find(needle, at + 1)) ++seen;
      if (seen >= times) return got;
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return got;
      got.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

TEST_F(EmulatorDefaults, ServesPipelinedAndChunkedRequestsOnOneConnection) {
  RawSocket socket(emulator.port());
  ASSERT_TRUE(socket.connected());
  std::string first = chat_body("one");
  std::string second = chat_body("two");
  char size_hex[16];
  std::snprintf(size_hex, sizeof size_hex, "%zx", second.size() - 5);
  socket.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(first.size()) +
              "\r\n\r\n" + first +
              "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
              std::string(size_hex) + "\r\n" + second.substr(0, second.size() - 5) + "\r\n5;ext=1\r\n" +
              second.substr(second.size() - 5) + "\r\n0\r\nX-Trailer: t\r\n\r\n");
  std::string replies = socket.read_until("Hello! You said: ", 2);
  EXPECT_NE(replies.find("Hello! You said: one"), std::string::npos);
  EXPECT_NE(replies.find("Hello! You said: two"), std::string::npos);
  ASSERT_EQ(emulator.requests().size(), 2u);
  EXPECT_EQ(emulator.requests()[1].body, second);
}

TEST_F(EmulatorDefaults, HonoursExpectContinue) {
  RawSocket socket(emulator.port());
  ASSERT_TRUE(socket.connected());
  std::string body = chat_body("patience");
  socket.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(socket.read_until("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  socket.send(body);
  EXPECT_NE(socket.read_until("Hello! You said: patience").find("HTTP/1.1 200 OK"), std::string::npos);
}

TEST_F(EmulatorDefaults, AnswersMalformedHttpWith400AndCloses) {
  RawSocket socket(emulator.port());
  ASSERT_TRUE(socket.connected());
  socket.send("THIS IS NOT HTTP\r\n\r\n");
  std::string reply = socket.read_until("never-present");
  EXPECT_EQ(reply.rfind("HTTP/1.1 400 ", 0), 0u) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos);
}

TEST_F(EmulatorDefaults, HttpOneZeroClosesAfterTheAnswer) {
  RawSocket socket(emulator.port());
  ASSERT_TRUE(socket.connected());
  socket.send("GET /v1/models HTTP/1.0\r\n\r\n");
  std::string reply = socket.read_until("never-present");  // returns at EOF
  EXPECT_EQ(reply.rfind("HTTP/1.1 200 OK", 0), 0u);
  EXPECT_NE(reply.find("emu/chat-completion"), std::string::npos);
}

}  // namespace
}  // namespace hfi::emu::test
