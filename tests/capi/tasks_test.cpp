// Every task through the public C ABI, on every provider that serves it, against the emulator's
// own routes for that provider (its default registry maps a model `emu/<task>` to every provider
// whose routes serve the task). Each call must be served by the provider asked for, on that
// provider's routes, and give the task's output: JSON in the shape of the task spec (checked on
// the members every answer of the task has) or media bytes of the task's kind. Jobs are polled to
// the end and their files downloaded without credentials.
#include <hfi/hfi.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

namespace {

using namespace hfi_test;
using nlohmann::json;

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);

// A 16-sample mono 16-bit WAV file.
std::string wav() {
  auto le = [](uint32_t v, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
  };
  const std::string samples(32, '\0');
  return "RIFF" + le(36 + samples.size(), 4) + "WAVEfmt " + le(16, 4) + le(1, 2) + le(1, 2) + le(16000, 4) +
         le(32000, 4) + le(2, 2) + le(16, 2) + "data" + le(samples.size(), 4) + samples;
}

enum class Input { none, image, audio };
enum class Expect { json, image, audio, video, chat };

struct TaskCase {
  const char* task;
  std::string body;
  Input input;
  Expect expect;
  // For JSON outputs: members the output (or its first element) must have; "[N]" = a list of N.
  std::vector<std::string> members;
};

const std::vector<TaskCase>& cases() {
  static const std::vector<TaskCase> all = {
      {"chat-completion", "", Input::none, Expect::chat, {}},
      {"text-generation", R"({"inputs":"The fox"})", Input::none, Expect::json, {"generated_text"}},
      {"feature-extraction", R"({"inputs":["a b","c"]})", Input::none, Expect::json, {"[2]"}},
      {"sentence-similarity", R"({"inputs":{"source_sentence":"a b","sentences":["a b","c d"]}})", Input::none,
       Expect::json, {"[2]"}},
      {"fill-mask", R"({"inputs":"Paris is [MASK] capital."})", Input::none, Expect::json, {"token_str", "score"}},
      {"question-answering", R"({"inputs":{"question":"Who?","context":"It was Emu"}})", Input::none, Expect::json,
       {"answer", "score"}},
      {"summarization", R"({"inputs":"One thing. Two things."})", Input::none, Expect::json, {"summary_text"}},
      {"table-question-answering", R"({"inputs":{"query":"x","table":{"a":["x","y"]}}})", Input::none, Expect::json,
       {"answer"}},
      {"text-classification", R"({"inputs":"I like it"})", Input::none, Expect::json, {"label", "score"}},
      {"token-classification", R"({"inputs":"Emu lives in Paris"})", Input::none, Expect::json, {"word", "score"}},
      {"translation", R"({"inputs":"hello"})", Input::none, Expect::json, {"translation_text"}},
      {"zero-shot-classification", R"({"inputs":"a cat","parameters":{"candidate_labels":["cat","dog"]}})",
       Input::none, Expect::json, {"label", "score"}},
      {"tabular-classification", R"({"inputs":{"data":{"a":["1","2"]}}})", Input::none, Expect::json, {"[2]"}},
      {"tabular-regression", R"({"inputs":{"data":{"a":["1","2"]}}})", Input::none, Expect::json, {"[2]"}},
      {"text-to-image", R"({"inputs":"a red fox"})", Input::none, Expect::image, {}},
      {"text-to-speech", R"({"inputs":"hello there"})", Input::none, Expect::audio, {}},
      {"text-to-video", R"({"inputs":"a red fox running"})", Input::none, Expect::video, {}},
      {"image-classification", "", Input::image, Expect::json, {"label", "score"}},
      {"object-detection", "", Input::image, Expect::json, {"label", "score", "box"}},
      {"image-to-text", "", Input::image, Expect::json, {"generated_text"}},
      {"image-to-image", R"({"parameters":{"prompt":"make it blue"}})", Input::image, Expect::image, {}},
      {"image-to-video", R"({"parameters":{"prompt":"make it move"}})", Input::image, Expect::video, {}},
      {"audio-classification", "", Input::audio, Expect::json, {"label", "score"}},
      {"automatic-speech-recognition", "", Input::audio, Expect::json, {"text"}},
      {"audio-to-audio", "", Input::audio, Expect::json, {"blob"}},
      {"image-segmentation", "", Input::image, Expect::json, {"label", "mask"}},
      {"zero-shot-image-classification", R"({"parameters":{"candidate_labels":["png","jpeg"]}})", Input::image,
       Expect::json, {"label", "score"}},
      {"visual-question-answering", R"({"inputs":{"question":"What colour is it?"}})", Input::image, Expect::json,
       {"answer"}},
      {"document-question-answering", R"({"inputs":{"question":"What is the total?"}})", Input::image, Expect::json,
       {"answer"}},
  };
  return all;
}

void PrintTo(const TaskCase& k, std::ostream* os) { *os << k.task; }

// The providers of a model's mapping in the emulator's Hub, in its order.
std::vector<std::string> providers_of(const std::string& hub, const std::string& model) {
  std::vector<std::string> out;
  json doc = json::parse(http("GET", hub + "/api/models/" + model + "?expand%5B%5D=inferenceProviderMapping"),
                         nullptr, false);
  if (!doc.is_object() || !doc["inferenceProviderMapping"].is_object()) return out;
  for (auto& [name, entry] : doc["inferenceProviderMapping"].items()) {
    (void)entry;
    out.push_back(name);
  }
  return out;
}

std::string message_of(const hfi_response* r) {
  const hfi_error* e = hfi_response_error(r);
  return e ? text(e, hfi_error_message) : std::string();
}

class TaskOnEveryProviderTest : public EmulatorTest, public ::testing::WithParamInterface<TaskCase> {};

TEST_P(TaskOnEveryProviderTest, EachProviderServesItsRoutesAndTheOutputHasTheTasksShape) {
  const TaskCase& k = GetParam();
  const std::string model = std::string("emu/") + k.task;
  const std::vector<std::string> providers = providers_of(emu_.base_url(), model);
  ASSERT_FALSE(providers.empty()) << "the emulator maps no provider to " << model;

  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_str(o.get(), HFI_OPT_HUB_URL, emu_.base_url());
  set_str(o.get(), HFI_OPT_TOKEN, "hf_test");
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  ClientPtr c = client_with(o.get());

  for (const std::string& provider : providers) {
    SCOPED_TRACE(std::string(k.task) + " on " + provider);
    emu_.reset();
    hfi_request_options* ro = nullptr;
    ASSERT_EQ(hfi_request_options_new(&ro), HFI_OK);
    std::unique_ptr<hfi_request_options, void (*)(hfi_request_options*)> owned(ro, hfi_request_options_free);
    ASSERT_EQ(hfi_request_options_set_str(ro, HFI_REQ_PROVIDER, provider.c_str(), HFI_NUL_TERMINATED), HFI_OK);
    ASSERT_EQ(hfi_request_options_set_int(ro, HFI_REQ_POLL_INTERVAL_MS, 1), HFI_OK);
    const std::string audio = wav();
    if (k.input == Input::image) {
      ASSERT_EQ(hfi_request_options_set_input(ro, kPng.data(), kPng.size(), nullptr), HFI_OK);
    } else if (k.input == Input::audio) {
      ASSERT_EQ(hfi_request_options_set_input(ro, audio.data(), audio.size(), nullptr), HFI_OK);
    }
    const std::string body = k.expect == Expect::chat ? chat_body("ping", "", model) : k.body;

    hfi_response* raw = nullptr;
    hfi_status st = hfi_task(c.get(), k.task, model.c_str(), body.c_str(), body.size(), ro, &raw);
    ResponsePtr r(raw);
    if (provider == "openai") {  // outside the router: only with its own key
      EXPECT_EQ(st, HFI_E_UNSUPPORTED);
      EXPECT_TRUE(emu_.requests().empty());
      continue;
    }
    ASSERT_EQ(st, HFI_OK) << message_of(r.get());
    EXPECT_EQ(text(r.get(), hfi_response_provider), provider);
    if (k.expect == Expect::chat) {
      // Chat goes to the router's own route, the provider as the model's suffix.
      ASSERT_EQ(emu_.requests().size(), 1u);
      EXPECT_EQ(emu_.requests()[0].path, "/v1/chat/completions");
      EXPECT_EQ(emu_.requests()[0].body.rfind("{\"model\":\"" + model + ":" + provider + "\"", 0), 0u);
      EXPECT_EQ(text(r.get(), hfi_response_content), "Hello! You said: ping");
      continue;
    }

    // The call went to that provider's routes with the HF token; files came without it.
    bool reached = false;
    for (const auto& req : emu_.requests()) {
      if (req.path.rfind("/files/", 0) == 0) {
        EXPECT_EQ(req.headers.count("authorization"), 0u) << req.path;
      } else if (req.path.rfind("/api/models/", 0) != 0) {
        EXPECT_EQ(req.headers.at("authorization"), "Bearer hf_test") << req.path;
        reached = reached || req.path.rfind("/" + provider + "/", 0) == 0;
      }
    }
    EXPECT_TRUE(reached) << "no request reached /" << provider << "/...";

    const void* bytes = nullptr;
    size_t n = 0;
    ASSERT_EQ(hfi_response_bytes(r.get(), &bytes, &n), HFI_OK);
    const std::string media = text(r.get(), hfi_response_media_type);
    switch (k.expect) {
      case Expect::chat:
        break;
      case Expect::image:
      case Expect::audio:
      case Expect::video: {
        const char* kind = k.expect == Expect::image ? "image/" : k.expect == Expect::audio ? "audio/" : "video/";
        EXPECT_GT(n, 0u);
        EXPECT_EQ(media.rfind(kind, 0), 0u) << media;
        break;
      }
      case Expect::json: {
        const std::string out = text(r.get(), hfi_response_json);
        json doc = json::parse(out, nullptr, false);
        ASSERT_FALSE(doc.is_discarded()) << out;
        for (const std::string& member : k.members) {
          if (member.front() == '[') {
            ASSERT_TRUE(doc.is_array()) << out;
            EXPECT_EQ(doc.size(), std::stoul(member.substr(1))) << out;
            continue;
          }
          const json& first = doc.is_array() && !doc.empty() ? doc.front() : doc;
          EXPECT_TRUE(first.is_object() && first.contains(member)) << member << " missing in " << out;
        }
        break;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Tasks, TaskOnEveryProviderTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<TaskCase>& info) {
                           std::string name;
                           for (const char* p = info.param.task; *p; ++p) name += *p == '-' ? '_' : *p;
                           return name;
                         });

// A client of the emulator as router and Hub, with a token, plus `more` string options.
ClientPtr emulator_client(const hfi::emu::Emulator& emu, const std::vector<std::pair<int32_t, std::string>>& more = {}) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu.base_url());
  set_str(o.get(), HFI_OPT_HUB_URL, emu.base_url());
  set_str(o.get(), HFI_OPT_TOKEN, "hf_test");
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  for (const auto& [key, value] : more) set_str(o.get(), key, value);
  return client_with(o.get());
}

struct RequestOptions {
  RequestOptions() { hfi_request_options_new(&p); }
  ~RequestOptions() { hfi_request_options_free(p); }
  hfi_request_options* p = nullptr;
};

ResponsePtr task(hfi_client* c, const std::string& name, const std::string& model, const std::string& body,
                 const hfi_request_options* ro, hfi_status& st) {
  hfi_response* raw = nullptr;
  st = hfi_task(c, name.c_str(), model.c_str(), body.c_str(), body.size(), ro, &raw);
  return ResponsePtr(raw);
}

using TaskFeaturesTest = EmulatorTest;

TEST_F(TaskFeaturesTest, StreamedTextGenerationOnEveryProviderConcatenatesToTheOutput) {
  const std::string model = "emu/text-generation";
  ClientPtr c = emulator_client(emu_);
  for (const std::string& provider : providers_of(emu_.base_url(), model)) {
    SCOPED_TRACE(provider);
    RequestOptions ro;
    StreamRecording events;
    ASSERT_EQ(hfi_request_options_set_callback(ro.p, StreamRecording::callback, &events, nullptr), HFI_OK);
    ASSERT_EQ(hfi_request_options_set_str(ro.p, HFI_REQ_PROVIDER, provider.c_str(), HFI_NUL_TERMINATED), HFI_OK);
    hfi_status st;
    ResponsePtr r = task(c.get(), "text-generation", model, R"({"inputs":"The fox","stream":true})", ro.p, st);
    ASSERT_EQ(st, HFI_OK) << message_of(r.get());
    EXPECT_GT(events.count(HFI_EVENT_DELTA), 1u);
    EXPECT_FALSE(events.deltas().empty());
    EXPECT_EQ(events.deltas(), text(r.get(), hfi_response_content));
    json out = json::parse(text(r.get(), hfi_response_json), nullptr, false);
    ASSERT_TRUE(out.is_object());
    EXPECT_EQ(out["generated_text"], events.deltas());
    ASSERT_FALSE(events.events.empty());
    EXPECT_EQ(events.events.back().type, HFI_EVENT_DONE);
  }
}

TEST_F(TaskFeaturesTest, ALoraAdapterOfTheMappingReachesTheProvidersBody) {
  ASSERT_NE(http("POST", emu_.base_url() + "/_emulator/mappings",
                 R"({"model":"org/lora-style","mapping":{"fal-ai":{"status":"live","providerId":"fal-ai/lora",)"
                 R"("task":"text-to-image","adapter":"lora","adapterWeightsPath":"style.safetensors"}}})"),
            "");
  ClientPtr c = emulator_client(emu_);
  RequestOptions ro;
  ASSERT_EQ(hfi_request_options_set_int(ro.p, HFI_REQ_POLL_INTERVAL_MS, 1), HFI_OK);
  hfi_status st;
  ResponsePtr r = task(c.get(), "text-to-image", "org/lora-style", R"({"inputs":"a fox"})", ro.p, st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(text(r.get(), hfi_response_provider), "fal-ai");
  bool seen = false;
  for (const auto& req : emu_.requests()) {
    if (req.method != "POST") continue;
    json body = json::parse(req.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << req.body;
    ASSERT_TRUE(body.contains("loras")) << req.body;
    EXPECT_EQ(body["loras"][0]["path"], emu_.base_url() + "/org/lora-style/resolve/main/style.safetensors");
    seen = true;
  }
  EXPECT_TRUE(seen);
}

TEST_F(TaskFeaturesTest, BillingGoesToTheRouterOnlyNeverToTheHubOrResultFiles) {
  ClientPtr c = emulator_client(emu_, {{HFI_OPT_BILL_TO, "acme"}});
  RequestOptions ro;
  ASSERT_EQ(hfi_request_options_set_str(ro.p, HFI_REQ_PROVIDER, "fal-ai", HFI_NUL_TERMINATED), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_int(ro.p, HFI_REQ_POLL_INTERVAL_MS, 1), HFI_OK);
  hfi_status st;
  ResponsePtr r = task(c.get(), "text-to-video", "emu/text-to-video", R"({"inputs":"a fox"})", ro.p, st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  size_t billed = 0;
  for (const auto& req : emu_.requests()) {
    const bool to_router = req.path.rfind("/fal-ai/", 0) == 0;
    EXPECT_EQ(req.headers.count("x-hf-bill-to"), to_router ? 1u : 0u) << req.path;
    if (to_router) billed += req.headers.at("x-hf-bill-to") == "acme";
  }
  EXPECT_GE(billed, 3u);  // submission, polls, result
}

TEST_F(TaskFeaturesTest, AJobTheProviderFailsEndsWithItsReason) {
  ASSERT_NE(http("POST", emu_.base_url() + "/_emulator/jobs", R"({"fail":true})"), "");
  ClientPtr c = emulator_client(emu_);
  for (const char* provider : {"fal-ai", "together", "wavespeed", "novita", "replicate"}) {
    SCOPED_TRACE(provider);
    RequestOptions ro;
    ASSERT_EQ(hfi_request_options_set_str(ro.p, HFI_REQ_PROVIDER, provider, HFI_NUL_TERMINATED), HFI_OK);
    ASSERT_EQ(hfi_request_options_set_int(ro.p, HFI_REQ_POLL_INTERVAL_MS, 1), HFI_OK);
    hfi_status st;
    ResponsePtr r = task(c.get(), "text-to-video", "emu/text-to-video", R"({"inputs":"a fox"})", ro.p, st);
    EXPECT_EQ(st, HFI_E_SERVER) << message_of(r.get());
    EXPECT_NE(message_of(r.get()).find("failed"), std::string::npos) << message_of(r.get());
    EXPECT_EQ(text(r.get(), hfi_response_provider), provider);
  }
}

TEST_F(TaskFeaturesTest, TheModelListingCarriesProvidersAndPricing) {
  ClientPtr c = emulator_client(emu_);
  hfi_response* raw = nullptr;
  ASSERT_EQ(hfi_list_models(c.get(), nullptr, &raw), HFI_OK);
  ResponsePtr all(raw);
  json doc = json::parse(text(all.get(), hfi_response_json), nullptr, false);
  ASSERT_TRUE(doc.is_object());
  ASSERT_FALSE(doc["data"].empty());
  const json& first = doc["data"][0];
  ASSERT_FALSE(first["providers"].empty());
  EXPECT_TRUE(first["providers"][0].contains("pricing"));
  EXPECT_TRUE(first["providers"][0].contains("context_length"));
  ASSERT_EQ(hfi_list_models(c.get(), "emu/chat-completion", &raw), HFI_OK);
  ResponsePtr one(raw);
  EXPECT_EQ(json::parse(text(one.get(), hfi_response_json))["id"], "emu/chat-completion");
  EXPECT_EQ(hfi_list_models(c.get(), "org/unknown", &raw), HFI_E_NOT_FOUND);
  ResponsePtr missing(raw);
}

}  // namespace
