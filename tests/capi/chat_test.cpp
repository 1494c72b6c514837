// Blocking and streamed chat through the C ABI against the emulator: answers, events, the exact
// request that went out, routing and credentials.
#include <cstdlib>
#include <string>

#include "support.h"

using namespace hfi_test;

namespace {

const std::string kTools =
    ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":"
    "\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}}}],\"tool_choice\":\"required\"";

std::string header(const hfi::emu::RecordedRequest& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

class Chat : public EmulatorTest {};

TEST_F(Chat, BlockingAnswerAndItsDetails) {
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("hi there"));
  ASSERT_EQ(r.status, HFI_OK);
  ASSERT_TRUE(r.response);
  EXPECT_EQ(hfi_response_status(r.response.get()), HFI_OK);
  EXPECT_EQ(hfi_response_http_status(r.response.get()), 200);
  EXPECT_EQ(text(r.response.get(), hfi_response_content), "Hello! You said: hi there");
  EXPECT_EQ(text(r.response.get(), hfi_response_finish_reason), "stop");
  EXPECT_EQ(text(r.response.get(), hfi_response_model), "meta-llama/Llama-3.1-8B-Instruct");
  EXPECT_EQ(text(r.response.get(), hfi_response_url), emu_.base_url() + "/v1/chat/completions");
  std::string json = text(r.response.get(), hfi_response_json);
  EXPECT_NE(json.find("\"chat.completion\""), std::string::npos);
  EXPECT_NE(json.find("Hello! You said: hi there"), std::string::npos);
  int64_t prompt = -2, completion = -2, total = -2;
  ASSERT_EQ(hfi_response_usage(r.response.get(), &prompt, &completion, &total), HFI_OK);
  EXPECT_GT(prompt, 0);
  EXPECT_GT(completion, 0);
  EXPECT_EQ(total, prompt + completion);
  double total_ms = -2, first_ms = -2;
  ASSERT_EQ(hfi_response_timings(r.response.get(), &total_ms, &first_ms), HFI_OK);
  EXPECT_GT(total_ms, 0);
  EXPECT_GT(first_ms, 0);
  EXPECT_LE(first_ms, total_ms);
  EXPECT_EQ(hfi_response_error(r.response.get()), nullptr);
  size_t calls = 99;
  ASSERT_EQ(hfi_response_tool_call_count(r.response.get(), &calls), HFI_OK);
  EXPECT_EQ(calls, 0u);
}

// hfi.h: a body whose model comes first and whose stream is absent or false is not rewritten
// (a rewrite would, among other things, drop the whitespace between members).
TEST_F(Chat, BodyNeedingNoChangeGoesOutByteForByte) {
  ClientPtr client = client_for(emu_);
  const std::string bodies[] = {
      "{ \"model\": \"m/x\",\n  \"messages\": [{\"role\":\"user\",\"content\":\"x\"}], \"temperature\": 0.5 }",
      "{\"model\":\"m/x\", \"stream\": false, \"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"};
  for (const std::string& body : bodies) {
    emu_.reset();
    ASSERT_EQ(chat(client.get(), body).status, HFI_OK) << body;
    auto requests = emu_.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].body, body);
  }
}

TEST_F(Chat, BlockingRequestOnTheWire) {
  ClientPtr client = client_for(emu_);
  std::string body = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":0.5,\"model\":\"m/x\"}";
  ASSERT_EQ(chat(client.get(), body).status, HFI_OK);
  auto requests = emu_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& req = requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/v1/chat/completions");
  EXPECT_EQ(header(req, "content-type"), "application/json");
  EXPECT_EQ(header(req, "accept"), "application/json");
  EXPECT_EQ(header(req, "user-agent").rfind("hfi/" HFI_VERSION_STR " libcurl/", 0), 0u);
  EXPECT_EQ(header(req, "authorization"), "");  // no token configured, none from the environment
  EXPECT_EQ(header(req, "expect"), "");
  // The model goes first (the router reads it early), the rest is passed through untouched.
  EXPECT_EQ(req.body.rfind("{\"model\":\"m/x\"", 0), 0u) << req.body;
  EXPECT_NE(req.body.find("\"temperature\":0.5"), std::string::npos);
  // Not streamed: the body goes out as given ("stream" absent means false).
  EXPECT_EQ(req.body.find("\"stream\""), std::string::npos);
}

TEST_F(Chat, StreamedTextEqualsConcatenatedDeltas) {
  ClientPtr client = client_for(emu_);
  StreamResult r = stream_chat(client.get(), chat_body("stream me some words please"));
  ASSERT_EQ(r.status, HFI_OK);
  const auto& events = r.recording.events;
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(r.recording.deltas(), "Hello! You said: stream me some words please");
  EXPECT_EQ(text(r.response.get(), hfi_response_content), r.recording.deltas());
  EXPECT_GE(r.recording.count(HFI_EVENT_DELTA), 6u);  // word by word
  EXPECT_EQ(r.recording.count(HFI_EVENT_FINISH), 1u);
  EXPECT_EQ(r.recording.count(HFI_EVENT_DONE), 1u);
  EXPECT_EQ(r.recording.count(HFI_EVENT_ERROR), 0u);
  EXPECT_EQ(events.back().type, HFI_EVENT_DONE);
  EXPECT_EQ(events.back().status, HFI_OK);
  for (const auto& e : events) {
    if (e.type == HFI_EVENT_DELTA) {
      EXPECT_NE(e.json.find("chat.completion.chunk"), std::string::npos);  // the raw chunk travels along
      EXPECT_EQ(e.choice, 0);
    }
    if (e.type == HFI_EVENT_FINISH) {
      EXPECT_EQ(e.text, "stop");
    }
  }
  EXPECT_EQ(text(r.response.get(), hfi_response_finish_reason), "stop");
  // A streamed response assembles to the same shape as a blocking one.
  std::string json = text(r.response.get(), hfi_response_json);
  EXPECT_NE(json.find("\"object\":\"chat.completion\""), std::string::npos) << json;
  EXPECT_NE(json.find("Hello! You said: stream me some words please"), std::string::npos);
  auto req = emu_.requests().at(0);
  EXPECT_EQ(header(req, "accept"), "text/event-stream");
  EXPECT_NE(req.body.find("\"stream\":true"), std::string::npos);
}

TEST_F(Chat, StreamWithoutResponseOutIsAllowed) {
  ClientPtr client = client_for(emu_);
  StreamRecording rec;
  std::string body = chat_body("no response wanted");
  EXPECT_EQ(hfi_chat_stream(client.get(), body.c_str(), HFI_NUL_TERMINATED, StreamRecording::callback, &rec, nullptr),
            HFI_OK);
  EXPECT_EQ(rec.deltas(), "Hello! You said: no response wanted");
}

TEST_F(Chat, UsageArrivesWhenAskedFor) {
  ClientPtr client = client_for(emu_);
  StreamResult r = stream_chat(client.get(), chat_body("count my tokens", ",\"stream_options\":{\"include_usage\":true}"));
  ASSERT_EQ(r.status, HFI_OK);
  ASSERT_EQ(r.recording.count(HFI_EVENT_USAGE), 1u);
  const RecordedEvent* usage = nullptr;
  for (const auto& e : r.recording.events)
    if (e.type == HFI_EVENT_USAGE) usage = &e;
  ASSERT_NE(usage, nullptr);
  EXPECT_GT(usage->usage[0], 0);
  EXPECT_GT(usage->usage[1], 0);
  EXPECT_EQ(usage->usage[2], usage->usage[0] + usage->usage[1]);
  int64_t p = 0, c = 0, t = 0;
  hfi_response_usage(r.response.get(), &p, &c, &t);
  EXPECT_EQ(p, usage->usage[0]);
  EXPECT_EQ(c, usage->usage[1]);
  EXPECT_EQ(t, usage->usage[2]);
}

TEST_F(Chat, StreamedToolCallDeltasAccumulate) {
  ClientPtr client = client_for(emu_);
  StreamResult r = stream_chat(client.get(), chat_body("weather in Paris?", kTools));
  ASSERT_EQ(r.status, HFI_OK);
  std::string arguments, name, id;
  for (const auto& e : r.recording.events) {
    if (e.type != HFI_EVENT_TOOL_CALL) continue;
    EXPECT_EQ(e.tool_index, 0);
    arguments += e.tool_arguments;
    name += e.tool_name;
    if (!e.tool_id.empty()) id = e.tool_id;
  }
  EXPECT_GE(r.recording.count(HFI_EVENT_TOOL_CALL), 3u);  // arguments arrive in fragments
  EXPECT_EQ(name, "get_weather");
  EXPECT_EQ(arguments, "{\"location\": \"Paris\", \"unit\": \"celsius\"}");
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(r.recording.deltas(), "");
  size_t n = 0;
  ASSERT_EQ(hfi_response_tool_call_count(r.response.get(), &n), HFI_OK);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(text_at(r.response.get(), 0, hfi_response_tool_call_name), "get_weather");
  EXPECT_EQ(text_at(r.response.get(), 0, hfi_response_tool_call_arguments), arguments);
  EXPECT_EQ(text_at(r.response.get(), 0, hfi_response_tool_call_id), id);
  EXPECT_EQ(text(r.response.get(), hfi_response_finish_reason), "tool_calls");
  std::string json = text(r.response.get(), hfi_response_json);
  EXPECT_NE(json.find("\"tool_calls\""), std::string::npos) << json;
}

TEST_F(Chat, BlockingToolCall) {
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("weather in Paris?", kTools));
  ASSERT_EQ(r.status, HFI_OK);
  size_t n = 0;
  ASSERT_EQ(hfi_response_tool_call_count(r.response.get(), &n), HFI_OK);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(text_at(r.response.get(), 0, hfi_response_tool_call_name), "get_weather");
  EXPECT_EQ(text_at(r.response.get(), 0, hfi_response_tool_call_arguments), "{\"location\": \"Paris\", \"unit\": \"celsius\"}");
  EXPECT_EQ(text(r.response.get(), hfi_response_content), "");
}

TEST_F(Chat, ProviderOptionBecomesTheRoutersModelSuffix) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_str(o.get(), HFI_OPT_PROVIDER, "groq");
  ClientPtr client = client_with(o.get());
  ASSERT_EQ(chat(client.get(), chat_body("a")).status, HFI_OK);
  ASSERT_EQ(chat(client.get(), chat_body("b", "", "org/model:fastest")).status, HFI_OK);
  auto requests = emu_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body.rfind("{\"model\":\"meta-llama/Llama-3.1-8B-Instruct:groq\"", 0), 0u) << requests[0].body;
  // A suffix already in the model is the caller's explicit choice and wins.
  EXPECT_EQ(requests[1].body.rfind("{\"model\":\"org/model:fastest\"", 0), 0u) << requests[1].body;
}

TEST_F(Chat, AutoProviderLeavesTheModelAlone) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_str(o.get(), HFI_OPT_PROVIDER, "auto");
  ClientPtr client = client_with(o.get());
  ASSERT_EQ(chat(client.get(), chat_body("a")).status, HFI_OK);
  EXPECT_EQ(emu_.requests().at(0).body.rfind("{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\"", 0), 0u);
}

struct BaseUrlCase {
  std::string suffix;  // appended to the emulator's origin
  std::string expected_path;
};

class BaseUrl : public EmulatorTest, public ::testing::WithParamInterface<BaseUrlCase> {};

TEST_P(BaseUrl, OpenAICompatibleServersGetTheRightPath) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_BASE_URL, emu_.base_url() + GetParam().suffix);
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_str(o.get(), HFI_OPT_PROVIDER, "groq");  // meaningless without the router: ignored
  ClientPtr client = client_with(o.get());
  StreamResult r = stream_chat(client.get(), chat_body("tgi"));
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "Hello! You said: tgi");
  auto req = emu_.requests().at(0);
  EXPECT_EQ(req.path, GetParam().expected_path);
  EXPECT_EQ(req.body.find(":groq"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, BaseUrl,
    ::testing::Values(BaseUrlCase{"", "/v1/chat/completions"},                       // TGI
                      BaseUrlCase{"/", "/v1/chat/completions"},                      // trailing slash
                      BaseUrlCase{"/v1", "/v1/chat/completions"},                    // vLLM, OpenAI style
                      BaseUrlCase{"/v1/", "/v1/chat/completions"},
                      BaseUrlCase{"/v1/chat/completions", "/v1/chat/completions"},   // full endpoint
                      BaseUrlCase{"/endpoint/abc", "/endpoint/abc/v1/chat/completions"},
                      BaseUrlCase{"/proxy/openai/chat/completions", "/proxy/openai/chat/completions"}));

TEST_F(Chat, BaseUrlKeepsItsQuery) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_BASE_URL, emu_.base_url() + "/v1?api-version=2024-02-01");
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  ClientPtr client = client_with(o.get());
  ASSERT_EQ(chat(client.get(), chat_body("q")).status, HFI_OK);
  auto req = emu_.requests().at(0);
  EXPECT_EQ(req.path, "/v1/chat/completions");
  EXPECT_EQ(req.query, "api-version=2024-02-01");
}

TEST_F(Chat, ExplicitTokenHeadersAndBilling) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_str(o.get(), HFI_OPT_TOKEN, "hf_test_explicit_token");
  set_str(o.get(), HFI_OPT_BILL_TO, "my-org");
  set_str(o.get(), HFI_OPT_USER_AGENT, "my-game/1.2");
  set_str(o.get(), HFI_OPT_HEADER, "X-Trace: abc");
  set_str(o.get(), HFI_OPT_HEADER, "Accept: application/vnd.test");  // replaces hfi's own
  ClientPtr client = client_with(o.get());
  ASSERT_EQ(chat(client.get(), chat_body("auth")).status, HFI_OK);
  auto req = emu_.requests().at(0);
  EXPECT_EQ(header(req, "authorization"), "Bearer hf_test_explicit_token");
  EXPECT_EQ(header(req, "x-hf-bill-to"), "my-org");
  EXPECT_EQ(header(req, "x-trace"), "abc");
  EXPECT_EQ(header(req, "accept"), "application/vnd.test");
  std::string ua = header(req, "user-agent");
  EXPECT_EQ(ua.substr(ua.size() - std::string(" my-game/1.2").size()), " my-game/1.2");
}

// A token found in the environment is only for Hugging Face hosts: the emulator is not one.
TEST_F(Chat, EnvironmentTokenIsNotSentToOtherHosts) {
  const char* old = std::getenv("HF_TOKEN");
  std::string saved = old ? old : "";
  setenv("HF_TOKEN", "hf_from_environment_secret", 1);
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  ClientPtr client = client_with(o.get());
  if (old) setenv("HF_TOKEN", saved.c_str(), 1);
  else unsetenv("HF_TOKEN");
  ASSERT_EQ(chat(client.get(), chat_body("env")).status, HFI_OK);
  auto req = emu_.requests().at(0);
  EXPECT_EQ(header(req, "authorization"), "");
  for (const auto& [name, value] : req.headers) EXPECT_EQ(value.find("hf_from_environment_secret"), std::string::npos) << name;
}

TEST_F(Chat, RequireTokenServerAcceptsTheExplicitToken) {
  hfi::emu::Options eo;
  eo.require_token = "hf_secret_abc";
  hfi::emu::Emulator strict(eo);
  ASSERT_TRUE(strict.start());
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, strict.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  ClientPtr anonymous = client_with(o.get());
  BlockingResult denied = chat(anonymous.get(), chat_body("x"));
  EXPECT_EQ(denied.status, HFI_E_AUTH);
  set_str(o.get(), HFI_OPT_TOKEN, "hf_secret_abc");
  ClientPtr authorised = client_with(o.get());
  EXPECT_EQ(chat(authorised.get(), chat_body("x")).status, HFI_OK);
  // The token never appears in what the library reports back.
  std::string message = text(hfi_response_error(denied.response.get()), hfi_error_message);
  EXPECT_EQ(message.find("hf_secret_abc"), std::string::npos);
}

TEST_F(Chat, ManyCallsReuseOneClient) {
  ClientPtr client = client_for(emu_);
  for (int i = 0; i < 20; ++i) {
    std::string prompt = "call " + std::to_string(i);
    if (i % 2) {
      EXPECT_EQ(stream_chat(client.get(), chat_body(prompt)).recording.deltas(), "Hello! You said: " + prompt);
    } else {
      BlockingResult r = chat(client.get(), chat_body(prompt));
      EXPECT_EQ(text(r.response.get(), hfi_response_content), "Hello! You said: " + prompt);
    }
  }
}

TEST_F(Chat, ResponsesOutliveTheirClient) {
  ClientPtr client = client_for(emu_);
  BlockingResult r = chat(client.get(), chat_body("keep me"));
  client.reset();
  EXPECT_EQ(text(r.response.get(), hfi_response_content), "Hello! You said: keep me");
}

}  // namespace
