// How a task call runs through the public C ABI, against scripted emulator answers: provider
// resolution through the Hub mapping (and its cache), bad input refused before any traffic, a
// media job from submission to download (polls, progress events, the result fetched without
// credentials), deadlines and cancellation of jobs that never end, direct calls with a provider's
// own key, the pull queue, the model listing, data URLs, and NULL/invalid arguments of every
// function of the "Tasks" section of hfi.h. The routes of every provider for every task are
// covered against the emulator's own provider routes in tasks_test.cpp.
#include <hfi/hfi.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

namespace {

using namespace hfi_test;
using Clock = std::chrono::steady_clock;

// A hang guard, not a performance bound.
constexpr auto kHangGuard = std::chrono::seconds(20);

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
const std::string kMp4("\0\0\0\x18" "ftypisom\0\0\2\0isomiso2", 24);

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string last_error() {
  const char* p = nullptr;
  size_t n = 0;
  if (hfi_last_error_message(&p, &n) != HFI_OK || !p) return {};
  return std::string(p, n);
}

struct RequestOptionsDeleter {
  void operator()(hfi_request_options* o) const { hfi_request_options_free(o); }
};
using RequestOptionsPtr = std::unique_ptr<hfi_request_options, RequestOptionsDeleter>;

RequestOptionsPtr request_options() {
  hfi_request_options* o = nullptr;
  EXPECT_EQ(hfi_request_options_new(&o), HFI_OK);
  return RequestOptionsPtr(o);
}

std::string bytes_of(const hfi_response* r) {
  const void* p = nullptr;
  size_t n = 0;
  if (hfi_response_bytes(r, &p, &n) != HFI_OK) return {};
  return std::string(static_cast<const char*>(p), n);
}

std::string json_of(const hfi_response* r) { return text(r, hfi_response_json); }
std::string provider_of(const hfi_response* r) { return text(r, hfi_response_provider); }
std::string message_of(const hfi_response* r) {
  const hfi_error* e = hfi_response_error(r);
  return e ? text(e, hfi_error_message) : std::string();
}

// {"id": model, "inferenceProviderMapping": {...}} as the Hub answers.
std::string mapping_body(const std::string& model, const std::string& entries) {
  return "{\"_id\":\"x\",\"id\":\"" + model + "\",\"inferenceProviderMapping\":{" + entries + "}}";
}

std::string step(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& extra = "") {
  return "{\"match\":{\"method\":\"" + method + "\",\"path\":\"" + path + "\"},\"body\":" + json_str(body) + extra +
         "}";
}

class TaskFlowTest : public EmulatorTest, public ::testing::WithParamInterface<int32_t> {
 protected:
  ClientPtr client(const std::vector<std::pair<int32_t, std::string>>& more = {}, int64_t ttl_ms = -1) {
    OptionsPtr o = make_options();
    set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
    set_str(o.get(), HFI_OPT_HUB_URL, emu_.base_url());
    set_str(o.get(), HFI_OPT_TOKEN, "hf_test");
    set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
    set_int(o.get(), HFI_OPT_IO_MODE, GetParam());
    if (ttl_ms >= 0) set_int(o.get(), HFI_OPT_MAPPING_TTL_MS, ttl_ms);
    for (const auto& [key, value] : more) set_str(o.get(), key, value);
    return client_with(o.get());
  }

  ResponsePtr run(hfi_client* c, const std::string& task, const std::string& model, const std::string& json,
                  const hfi_request_options* opts, hfi_status* status = nullptr) {
    hfi_response* r = nullptr;
    hfi_status st = hfi_task(c, task.c_str(), model.c_str(), json.c_str(), json.size(), opts, &r);
    if (status) *status = st;
    return ResponsePtr(r);
  }

  size_t count_requests(const std::string& method, const std::string& path) {
    size_t n = 0;
    for (const auto& r : emu_.requests())
      if (r.method == method && r.path == path) ++n;
    return n;
  }
};

TEST_P(TaskFlowTest, HfInferenceNamedExplicitlySkipsTheHubAndNormalisesTheOutput) {
  emu_.script(step("POST", "/hf-inference/models/org/sentiment",
                   R"([[{"label":"POSITIVE","score":0.875},{"label":"NEGATIVE","score":0.125}]])"));
  ClientPtr c = client();
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "hf-inference", HFI_NUL_TERMINATED), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-classification", "org/sentiment", R"({"inputs":"I like it"})", opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(json_of(r.get()), R"([{"label":"POSITIVE","score":0.875},{"label":"NEGATIVE","score":0.125}])");
  EXPECT_EQ(provider_of(r.get()), "hf-inference");
  auto seen = emu_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body, R"({"inputs":"I like it"})");
  EXPECT_EQ(seen[0].headers["authorization"], "Bearer hf_test");
}

TEST_P(TaskFlowTest, AutoTakesTheFirstUsableMappingEntryAndCachesTheMapping) {
  const std::string model = "org/painter";
  emu_.script(step("GET", "/api/models/" + model,
                   mapping_body(model, R"("nscale":{"status":"error","providerId":"p/n","task":"text-to-image"},)"
                                       R"("groq":{"status":"live","providerId":"p/g","task":"conversational"},)"
                                       R"("together":{"status":"live","providerId":"p/t","task":"text-to-image"})")));
  const std::string answer = R"({"data":[{"b64_json":")" + base64(kPng) + R"("}]})";
  emu_.script(step("POST", "/together/v1/images/generations", answer, ",\"repeat\":2"));
  ClientPtr c = client();
  for (int round = 0; round < 2; ++round) {
    hfi_status st;
    ResponsePtr r = run(c.get(), "text-to-image", model, R"({"inputs":"a red fox"})", nullptr, &st);
    ASSERT_EQ(st, HFI_OK) << message_of(r.get());
    EXPECT_EQ(bytes_of(r.get()), kPng);
    EXPECT_EQ(text(r.get(), hfi_response_media_type), "image/png");
    EXPECT_EQ(provider_of(r.get()), "together");
  }
  EXPECT_EQ(count_requests("GET", "/api/models/" + model), 1u) << "the second call must use the cached mapping";
  auto seen = emu_.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].query, "expand%5B%5D=inferenceProviderMapping");
  EXPECT_EQ(seen[0].headers["authorization"], "Bearer hf_test");
  EXPECT_NE(seen[1].body.find("\"p/t\""), std::string::npos) << "the provider's model id goes in the body";
}

TEST_P(TaskFlowTest, AMappingTtlOfZeroAsksTheHubEveryTime) {
  const std::string model = "org/painter";
  emu_.script(step("GET", "/api/models/" + model,
                   mapping_body(model, R"("hf-inference":{"status":"live","providerId":"org/painter","task":"text-to-image"})"),
                   ",\"repeat\":2"));
  emu_.script("{\"match\":{\"method\":\"POST\",\"path\":\"/hf-inference/models/org/painter\"},\"content_type\":"
              "\"image/png\",\"body_base64\":\"" + base64(kPng) + "\",\"repeat\":2}");
  ClientPtr c = client({}, 0);
  for (int round = 0; round < 2; ++round) {
    hfi_status st;
    ResponsePtr r = run(c.get(), "text-to-image", model, R"({"inputs":"a fox"})", nullptr, &st);
    ASSERT_EQ(st, HFI_OK) << message_of(r.get());
    EXPECT_EQ(bytes_of(r.get()), kPng);
  }
  EXPECT_EQ(count_requests("GET", "/api/models/" + model), 2u);
}

TEST_P(TaskFlowTest, AnOrderedProviderListTakesTheFirstThatServesTheModel) {
  const std::string model = "org/painter";
  emu_.script(step("GET", "/api/models/" + model,
                   mapping_body(model, R"("together":{"status":"live","providerId":"p/t","task":"text-to-image"},)"
                                       R"("nscale":{"status":"live","providerId":"p/n","task":"text-to-image"})")));
  emu_.script(step("POST", "/nscale/v1/images/generations", R"({"data":[{"b64_json":")" + base64(kPng) + R"("}]})"));
  ClientPtr c = client();
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "fal-ai, nscale,together", HFI_NUL_TERMINATED),
            HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-image", model, R"({"inputs":"a fox"})", opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(provider_of(r.get()), "nscale");
  EXPECT_EQ(bytes_of(r.get()), kPng);
}

TEST_P(TaskFlowTest, AProviderThatFailsRetryablyHandsTheCallToTheNextOfTheList) {
  const std::string model = "org/painter";
  const std::string mapping = mapping_body(model, R"("together":{"status":"live","providerId":"p/t","task":"text-to-image"},)"
                                                  R"("nscale":{"status":"live","providerId":"p/n","task":"text-to-image"})");
  emu_.script(step("GET", "/api/models/" + model, mapping));
  emu_.script(R"({"status":503,"match":{"path":"/together/*"}})");
  emu_.script(step("POST", "/nscale/v1/images/generations", R"({"data":[{"b64_json":")" + base64(kPng) + R"("}]})"));
  ClientPtr c = client({}, 0);
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "together,nscale", HFI_NUL_TERMINATED), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-image", model, R"({"inputs":"a fox"})", opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(provider_of(r.get()), "nscale");
  EXPECT_EQ(bytes_of(r.get()), kPng);
  EXPECT_EQ(hfi_response_attempts(r.get()), 2);

  // A request error is the caller's: the next provider would refuse it too.
  emu_.reset();
  emu_.script(step("GET", "/api/models/" + model, mapping));
  emu_.script(R"({"status":400,"match":{"path":"/together/*"}})");
  r = run(c.get(), "text-to-image", model, R"({"inputs":"a fox"})", opts.get(), &st);
  EXPECT_EQ(st, HFI_E_BAD_REQUEST);
  EXPECT_EQ(count_requests("POST", "/nscale/v1/images/generations"), 0u);

  // The last of the list failing is the answer.
  emu_.reset();
  emu_.script(step("GET", "/api/models/" + model, mapping));
  emu_.script(R"({"status":502,"repeat":2,"match":{"path":"/together/*"}})");
  emu_.script(R"({"status":500,"match":{"path":"/nscale/*"}})");
  r = run(c.get(), "text-to-image", model, R"({"inputs":"a fox"})", opts.get(), &st);
  EXPECT_EQ(st, HFI_E_SERVER);
  EXPECT_EQ(provider_of(r.get()), "nscale");
  EXPECT_EQ(hfi_response_attempts(r.get()), 2);
}

TEST_P(TaskFlowTest, AModelNoProviderServesFailsAfterTheHubCallOnly) {
  const std::string model = "org/chatty";
  emu_.script(step("GET", "/api/models/" + model,
                   mapping_body(model, R"("groq":{"status":"live","providerId":"g","task":"conversational"},)"
                                       R"("together":{"status":"error","providerId":"t","task":"text-to-image"},)"
                                       R"("nowhere-ai":{"status":"live","providerId":"n","task":"text-to-image"})")));
  ClientPtr c = client();
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-image", model, R"({"inputs":"a fox"})", nullptr, &st);
  EXPECT_EQ(st, HFI_E_UNSUPPORTED);
  ASSERT_TRUE(r);
  EXPECT_NE(message_of(r.get()).find("no provider serves org/chatty for text-to-image"), std::string::npos)
      << message_of(r.get());
  EXPECT_EQ(emu_.requests().size(), 1u);
}

TEST_P(TaskFlowTest, AModelUnknownToTheHubIsNotFound) {
  emu_.script(R"({"match":{"path":"/api/models/org/ghost"},"status":404,"body":"{\"error\":\"Repository not found\"}"})");
  ClientPtr c = client();
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-image", "org/ghost", R"({"inputs":"a fox"})", nullptr, &st);
  EXPECT_EQ(st, HFI_E_NOT_FOUND);
  EXPECT_EQ(message_of(r.get()), "Repository not found");
}

TEST_P(TaskFlowTest, BadInputIsRefusedBeforeAnyTraffic) {
  ClientPtr c = client();
  auto opts = request_options();
  struct Case {
    const char* task;
    const char* model;
    std::string json;
    std::string provider;
    std::string binary;
    const char* why;
  };
  const std::vector<Case> cases = {
      {"text-colouring", "org/m", R"({"inputs":"x"})", "", "", "unknown task"},
      {"text-classification", "", R"({"inputs":"x"})", "", "", "empty model"},
      {"text-classification", "org/m/extra", R"({"inputs":"x"})", "", "", "not a model id"},
      {"text-classification", "org/m", R"({"inputs":)", "", "", "malformed JSON"},
      {"text-classification", "org/m", R"([1,2])", "", "", "not an object"},
      {"text-classification", "org/m", R"({"parameters":{}})", "", "", "no inputs"},
      {"question-answering", "org/m", R"({"inputs":{"context":"c"}})", "", "", "no question"},
      {"zero-shot-classification", "org/m", R"({"inputs":"x"})", "", "", "no candidate labels"},
      {"text-classification", "org/m", R"({"inputs":"x"})", "nowhere-ai", "", "unknown provider"},
      {"text-classification", "org/m", R"({"inputs":"x"})", "", "\x89PNG", "binary input to a text task"},
      {"image-classification", "org/m", "", "", "", "no image at all"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.why);
    ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, k.provider.c_str(), HFI_NUL_TERMINATED),
              HFI_OK);
    ASSERT_EQ(hfi_request_options_set_input(opts.get(), k.binary.data(), k.binary.size(), nullptr), HFI_OK);
    hfi_response* r = reinterpret_cast<hfi_response*>(1);
    hfi_status st = hfi_task(c.get(), k.task, k.model, k.json.c_str(), k.json.size(), opts.get(), &r);
    EXPECT_EQ(st, HFI_E_INVALID_ARG);
    EXPECT_EQ(r, nullptr);
    EXPECT_FALSE(last_error().empty());
  }
  EXPECT_TRUE(emu_.requests().empty()) << "nothing may be sent for bad input";
}

// fal-ai's queue: submit, poll the status until COMPLETED, fetch the result, download the video.
void script_fal_job(hfi::emu::Emulator& emu, const std::string& model, int polls_in_progress, bool finish = true) {
  emu.script(step("GET", "/api/models/" + model,
                  mapping_body(model, R"("fal-ai":{"status":"live","providerId":"fal-ai/vid","task":"text-to-video"})")));
  emu.script(step("POST", "/fal-ai/fal-ai/vid",
                  R"({"request_id":"R1","status":"IN_QUEUE",)"
                  R"("response_url":"https://queue.fal.run/fal-ai/vid/requests/R1",)"
                  R"("status_url":"https://queue.fal.run/fal-ai/vid/requests/R1/status"})"));
  const std::string status_path = "/fal-ai/fal-ai/vid/requests/R1/status";
  if (polls_in_progress > 0)
    emu.script(step("GET", status_path, R"({"status":"IN_PROGRESS","queue_position":0})",
                    ",\"repeat\":" + std::to_string(polls_in_progress)));
  if (!finish) return;
  emu.script(step("GET", status_path, R"({"status":"COMPLETED"})"));
  emu.script(step("GET", "/fal-ai/fal-ai/vid/requests/R1",
                  R"({"video":{"url":")" + emu.base_url() + R"(/files/v.mp4","content_type":"video/mp4"}})"));
  emu.script("{\"match\":{\"method\":\"GET\",\"path\":\"/files/v.mp4\"},\"content_type\":\"video/mp4\","
             "\"body_base64\":\"" + base64(kMp4) + "\"}");
}

TEST_P(TaskFlowTest, AQueuedJobIsPolledFetchedAndDownloadedWithoutCredentials) {
  script_fal_job(emu_, "org/film", 2);
  ClientPtr c = client();
  auto opts = request_options();
  StreamRecording seen_events;
  ASSERT_EQ(hfi_request_options_set_callback(opts.get(), StreamRecording::callback, &seen_events, nullptr), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_int(opts.get(), HFI_REQ_POLL_INTERVAL_MS, 10), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-video", "org/film", R"({"inputs":"a fox running"})", opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(bytes_of(r.get()), kMp4);
  EXPECT_EQ(text(r.get(), hfi_response_media_type), "video/mp4");
  EXPECT_EQ(provider_of(r.get()), "fal-ai");
  EXPECT_EQ(seen_events.count(HFI_EVENT_PROGRESS), 3u);  // IN_QUEUE at submission, then two IN_PROGRESS
  ASSERT_FALSE(seen_events.events.empty());
  EXPECT_EQ(seen_events.events.front().text, "IN_QUEUE");
  EXPECT_EQ(seen_events.events.back().type, HFI_EVENT_DONE);

  auto seen = emu_.requests();
  ASSERT_EQ(seen.size(), 7u);  // mapping, submit, 3 status polls, result, download
  EXPECT_EQ(seen[1].query, "_subdomain=queue");
  EXPECT_EQ(seen[2].query, "_subdomain=queue");
  for (size_t i = 1; i + 1 < seen.size(); ++i) EXPECT_EQ(seen[i].headers["authorization"], "Bearer hf_test") << i;
  EXPECT_EQ(seen.back().path, "/files/v.mp4");
  EXPECT_EQ(seen.back().headers.count("authorization"), 0u) << "result files are fetched without credentials";
}

TEST_P(TaskFlowTest, AResultRedirectedToAnotherHostGetsNoCredentialOrCallerHeader) {
  const std::string model = "org/film";
  emu_.script(step("GET", "/api/models/" + model,
                   mapping_body(model, R"("fal-ai":{"status":"live","providerId":"fal-ai/vid","task":"text-to-video"})")));
  emu_.script(step("POST", "/fal-ai/fal-ai/vid",
                   R"({"request_id":"R1","status":"COMPLETED","response_url":"https://queue.fal.run/fal-ai/vid/requests/R1"})"));
  emu_.script(step("GET", "/fal-ai/fal-ai/vid/requests/R1/status", R"({"status":"COMPLETED"})"));
  emu_.script(step("GET", "/fal-ai/fal-ai/vid/requests/R1",
                   R"({"video":{"url":")" + emu_.base_url() + R"(/files/moved.mp4"}})"));
  // Another host name for the same server: "localhost" instead of 127.0.0.1.
  const std::string elsewhere = "http://localhost:" + std::to_string(emu_.port()) + "/files/v.mp4";
  emu_.script(R"({"match":{"method":"GET","path":"/files/moved.mp4"},"status":302,"headers":{"Location":")" +
              elsewhere + R"("}})");
  emu_.script("{\"match\":{\"method\":\"GET\",\"path\":\"/files/v.mp4\"},\"content_type\":\"video/mp4\","
              "\"body_base64\":\"" + base64(kMp4) + "\"}");
  ClientPtr c = client({{HFI_OPT_HEADER, "X-Caller-Secret: s3cret"}, {HFI_OPT_BILL_TO, "acme"}});
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_int(opts.get(), HFI_REQ_POLL_INTERVAL_MS, 1), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-video", model, R"({"inputs":"a fox"})", opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(bytes_of(r.get()), kMp4);
  size_t files = 0;
  for (const auto& req : emu_.requests()) {
    if (req.path.rfind("/files/", 0) != 0) {
      EXPECT_EQ(req.headers.at("authorization"), "Bearer hf_test") << req.path;
      continue;
    }
    ++files;
    EXPECT_EQ(req.headers.count("authorization"), 0u) << req.path;
    EXPECT_EQ(req.headers.count("x-caller-secret"), 0u) << req.path;
    EXPECT_EQ(req.headers.count("x-hf-bill-to"), 0u) << req.path;
    for (const auto& [name, value] : req.headers) EXPECT_EQ(value.find("hf_test"), std::string::npos) << name;
  }
  EXPECT_EQ(files, 2u) << "the redirect was followed";
  EXPECT_EQ(emu_.requests().back().headers["host"], "localhost:" + std::to_string(emu_.port()));
}

TEST_P(TaskFlowTest, AJobThatNeverFinishesEndsAtItsDeadline) {
  script_fal_job(emu_, "org/film", 100000, false);
  ClientPtr c = client();
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_int(opts.get(), HFI_REQ_POLL_INTERVAL_MS, 50), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_int(opts.get(), HFI_REQ_TIMEOUT_MS, 700), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-video", "org/film", R"({"inputs":"a fox"})", opts.get(), &st);
  EXPECT_EQ(st, HFI_E_TIMEOUT);
  EXPECT_NE(message_of(r.get()).find("text-to-video call took longer than 700 ms"), std::string::npos)
      << message_of(r.get());
  // 700 ms at one poll per 50 ms at most: the deadline, not a poll limit, ended it.
  const size_t polls = count_requests("GET", "/fal-ai/fal-ai/vid/requests/R1/status");
  EXPECT_GE(polls, 2u);
  EXPECT_LE(polls, 15u);
}

TEST_P(TaskFlowTest, CancellingAStartedJobStopsPollingAtOnce) {
  script_fal_job(emu_, "org/film", 100000, false);
  ClientPtr c = client();
  auto opts = request_options();
  // Polls an hour apart: the request sits between two polls when it is cancelled.
  ASSERT_EQ(hfi_request_options_set_int(opts.get(), HFI_REQ_POLL_INTERVAL_MS, 3600000), HFI_OK);
  hfi_request* req = nullptr;
  const std::string body = R"({"inputs":"a fox"})";
  ASSERT_EQ(hfi_task_start(c.get(), "text-to-video", "org/film", body.c_str(), body.size(), opts.get(), &req), HFI_OK);
  // The pull queue: wait for the first PROGRESS event (the submission's answer).
  hfi_event* ev = nullptr;
  const auto until = Clock::now() + kHangGuard;
  while (Clock::now() < until) {
    if (hfi_client_next_event(c.get(), &ev) == HFI_OK) break;
    hfi_client_poll(c.get(), 10, nullptr);
  }
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(hfi_event_type(ev), HFI_EVENT_PROGRESS);
  EXPECT_EQ(hfi_event_request(ev), req);
  hfi_event_free(ev);
  const size_t before = emu_.requests().size();
  ASSERT_EQ(hfi_request_cancel(req), HFI_OK);
  hfi_response* r = nullptr;
  EXPECT_EQ(hfi_request_wait(req, 10000, &r), HFI_E_CANCELLED);
  ResponsePtr owned(r);
  EXPECT_EQ(emu_.requests().size(), before) << "no poll may follow the cancellation";
  hfi_request_free(req);
}

void count_release(void* user_data) { ++*static_cast<std::atomic<int>*>(user_data); }

TEST_P(TaskFlowTest, FreeingTheClientEndsAJobWaitingForItsNextPoll) {
  script_fal_job(emu_, "org/film", 100000, false);
  ClientPtr c = client();
  auto opts = request_options();
  std::atomic<int> released{0};
  ASSERT_EQ(hfi_request_options_set_user_data(opts.get(), &released, count_release), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_int(opts.get(), HFI_REQ_POLL_INTERVAL_MS, 3600000), HFI_OK);
  hfi_request* req = nullptr;
  const std::string body = R"({"inputs":"a fox"})";
  ASSERT_EQ(hfi_task_start(c.get(), "text-to-video", "org/film", body.c_str(), body.size(), opts.get(), &req), HFI_OK);
  const auto until = Clock::now() + kHangGuard;
  while (Clock::now() < until && count_requests("POST", "/fal-ai/fal-ai/vid") == 0) hfi_client_poll(c.get(), 10, nullptr);
  hfi_client_poll(c.get(), 50, nullptr);  // the submission's answer, then the wait for the first poll
  c.reset();
  EXPECT_EQ(hfi_request_status(req), HFI_E_CANCELLED);
  EXPECT_EQ(released.load(), 0);
  hfi_request_free(req);
  EXPECT_EQ(released.load(), 1);
}

TEST_P(TaskFlowTest, AProvidersOwnKeyGoesDirectlyToItsHostAndNowhereElse) {
  const std::string model = "org/painter";
  emu_.script(step("GET", "/api/models/" + model,
                   mapping_body(model, R"("together":{"status":"live","providerId":"p/t","task":"text-to-image"})")));
  emu_.script(step("POST", "/direct/together/v1/images/generations",
                   R"({"data":[{"b64_json":")" + base64(kPng) + R"("}]})"));
  ClientPtr c = client({{HFI_OPT_PROVIDER_KEY, "together=tgp_key"},
                        {HFI_OPT_PROVIDER_URL, "together=" + emu_.base_url() + "/direct/together"}});
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-to-image", model, R"({"inputs":"a fox"})", nullptr, &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(bytes_of(r.get()), kPng);
  auto seen = emu_.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].headers["authorization"], "Bearer hf_test");  // the Hub gets the HF token
  EXPECT_EQ(seen[1].headers["authorization"], "Bearer tgp_key");  // the provider its own key
  EXPECT_EQ(seen[1].headers.count("x-hf-bill-to"), 0u);
}

TEST_P(TaskFlowTest, StartedTasksReportThroughThePullQueueAndWait) {
  emu_.script(step("POST", "/hf-inference/models/org/sentiment", R"([[{"label":"POSITIVE","score":0.5}]])"));
  ClientPtr c = client();
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "hf-inference", HFI_NUL_TERMINATED), HFI_OK);
  hfi_request* req = nullptr;
  const std::string body = R"({"inputs":"fine"})";
  ASSERT_EQ(hfi_task_start(c.get(), "text-classification", "org/sentiment", body.c_str(), body.size(), opts.get(), &req),
            HFI_OK);
  hfi_event* ev = nullptr;
  const auto until = Clock::now() + kHangGuard;
  while (Clock::now() < until && hfi_client_next_event(c.get(), &ev) != HFI_OK) hfi_client_poll(c.get(), 10, nullptr);
  ASSERT_NE(ev, nullptr);
  EXPECT_EQ(hfi_event_type(ev), HFI_EVENT_DONE);
  hfi_event_free(ev);
  hfi_response* r = nullptr;
  ASSERT_EQ(hfi_request_wait(req, -1, &r), HFI_OK);
  ResponsePtr owned(r);
  EXPECT_EQ(json_of(r), R"([{"label":"POSITIVE","score":0.5}])");
  hfi_request_free(req);
}

TEST_P(TaskFlowTest, ChatWithANamedProviderGoesToTheRouterWithTheSuffix) {
  ClientPtr c = client();
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "groq", HFI_NUL_TERMINATED), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "chat-completion", "org/chat", chat_body("ping", "", "org/chat"), opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(text(r.get(), hfi_response_content), "Hello! You said: ping");
  auto seen = emu_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, "/v1/chat/completions");
  EXPECT_EQ(seen[0].body.rfind(R"({"model":"org/chat:groq")", 0), 0u) << seen[0].body;
}

TEST_P(TaskFlowTest, StreamedTextGenerationDeliversTgiTokensAsDeltas) {
  emu_.script(sse_step({R"(data: {"index":1,"token":{"id":1,"text":"Once","special":false},"generated_text":null,"details":null})" "\n\n",
                        R"(data: {"index":2,"token":{"id":2,"text":" upon","special":false},"generated_text":null,"details":null})" "\n\n",
                        R"(data: {"index":3,"token":{"id":3,"text":"</s>","special":true},"generated_text":"Once upon",)"
                        R"("details":{"finish_reason":"eos_token","generated_tokens":3}})" "\n\n"},
                       R"(,"match":{"path":"/hf-inference/models/org/writer"})"));
  ClientPtr c = client();
  auto opts = request_options();
  StreamRecording events;
  ASSERT_EQ(hfi_request_options_set_callback(opts.get(), StreamRecording::callback, &events, nullptr), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "hf-inference", HFI_NUL_TERMINATED), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-generation", "org/writer", R"({"inputs":"Tell me","stream":true})", opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(events.deltas(), "Once upon");
  EXPECT_EQ(events.count(HFI_EVENT_FINISH), 1u);
  EXPECT_EQ(events.events.back().type, HFI_EVENT_DONE);
  EXPECT_EQ(text(r.get(), hfi_response_content), "Once upon");
  EXPECT_EQ(json_of(r.get()), R"({"generated_text":"Once upon","details":{"finish_reason":"eos_token"}})");
  EXPECT_EQ(emu_.requests().at(0).headers["accept"], "text/event-stream");
}

TEST_P(TaskFlowTest, ACustomEndpointGetsTheHfInferenceBodyAtItsOwnUrl) {
  emu_.script(step("POST", "/endpoints/sentiment", R"([{"label":"NEGATIVE","score":0.75}])"));
  ClientPtr c = client({{HFI_OPT_BASE_URL, emu_.base_url() + "/endpoints/sentiment"}});
  hfi_status st;
  ResponsePtr r = run(c.get(), "text-classification", "anything", R"({"inputs":"meh"})", nullptr, &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(json_of(r.get()), R"([{"label":"NEGATIVE","score":0.75}])");
  ASSERT_EQ(emu_.requests().size(), 1u);
  EXPECT_EQ(emu_.requests()[0].body, R"({"inputs":"meh"})");
}

TEST_P(TaskFlowTest, ChatWithAProvidersOwnKeyUsesItsModelIdAndRoute) {
  const std::string model = "org/chat";
  emu_.script(step("GET", "/api/models/" + model,
                   mapping_body(model, R"("groq":{"status":"live","providerId":"groq-chat-8b","task":"conversational"})")));
  ClientPtr c = client({{HFI_OPT_PROVIDER_KEY, "groq=gsk_key"},
                        {HFI_OPT_PROVIDER_URL, "groq=" + emu_.base_url() + "/direct/groq"}});
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "groq", HFI_NUL_TERMINATED), HFI_OK);
  hfi_status st;
  ResponsePtr r = run(c.get(), "chat-completion", model, chat_body("ping", "", model), opts.get(), &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(text(r.get(), hfi_response_content), "Hello! You said: ping");
  auto seen = emu_.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].path, "/direct/groq/openai/v1/chat/completions");
  EXPECT_EQ(seen[1].headers["authorization"], "Bearer gsk_key");
  EXPECT_EQ(seen[1].body.rfind(R"({"model":"groq-chat-8b")", 0), 0u) << seen[1].body;
}

TEST_P(TaskFlowTest, AnImageGoesIntoAChatMessageAsADataUrl) {
  size_t needed = 0;
  ASSERT_EQ(hfi_data_url(kPng.data(), kPng.size(), nullptr, nullptr, 0, &needed), HFI_E_BUFFER_TOO_SMALL);
  std::string url(needed, '\0');
  ASSERT_EQ(hfi_data_url(kPng.data(), kPng.size(), nullptr, url.data(), url.size(), nullptr), HFI_OK);
  url.resize(needed - 1);
  const std::string body = R"({"model":"org/vlm","messages":[{"role":"user","content":[{"type":"text","text":"What is it?"},)"
                           R"({"type":"image_url","image_url":{"url":")" + url + R"("}}]}]})";
  ClientPtr c = client();
  hfi_status st;
  ResponsePtr r = run(c.get(), "chat-completion", "org/vlm", body, nullptr, &st);
  ASSERT_EQ(st, HFI_OK) << message_of(r.get());
  EXPECT_EQ(text(r.get(), hfi_response_content), "Hello! You said: What is it?");
  EXPECT_NE(emu_.requests().at(0).body.find("data:image/png;base64,iVBORw0KGgo"), std::string::npos);
}

TEST_P(TaskFlowTest, RouterPoliciesApplyToChatOnly) {
  emu_.script(step("GET", "/api/models/org/painter",
                   mapping_body("org/painter", R"("together":{"status":"live","providerId":"p/t","task":"text-to-image"})")));
  emu_.script(step("POST", "/together/v1/images/generations", R"({"data":[{"b64_json":")" + base64(kPng) + R"("}]})"));
  ClientPtr c = client({{HFI_OPT_PROVIDER, "cheapest"}});
  hfi_status st;
  ResponsePtr chat = run(c.get(), "chat-completion", "org/chat", chat_body("hi", "", "org/chat"), nullptr, &st);
  ASSERT_EQ(st, HFI_OK) << message_of(chat.get());
  EXPECT_EQ(emu_.requests().at(0).body.rfind(R"({"model":"org/chat:cheapest")", 0), 0u);
  // The client's policy does not apply to other tasks: they resolve as auto.
  ResponsePtr image = run(c.get(), "text-to-image", "org/painter", R"({"inputs":"a fox"})", nullptr, &st);
  ASSERT_EQ(st, HFI_OK) << message_of(image.get());
  EXPECT_EQ(text(image.get(), hfi_response_url), emu_.base_url() + "/together/v1/images/generations");
  // Asked for by name on such a task, it is an error.
  auto opts = request_options();
  ASSERT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "fastest", HFI_NUL_TERMINATED), HFI_OK);
  hfi_response* r = nullptr;
  const std::string body = R"({"inputs":"a fox"})";
  EXPECT_EQ(hfi_task(c.get(), "text-to-image", "org/painter", body.c_str(), body.size(), opts.get(), &r),
            HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
}

TEST_P(TaskFlowTest, TheModelListingIsTheRoutersJson) {
  ClientPtr c = client();
  hfi_response* r = nullptr;
  ASSERT_EQ(hfi_list_models(c.get(), nullptr, &r), HFI_OK);
  ResponsePtr owned(r);
  EXPECT_NE(json_of(r).find("\"data\""), std::string::npos);
  EXPECT_EQ(emu_.requests().at(0).method, "GET");
  EXPECT_EQ(emu_.requests().at(0).path, "/v1/models");
}

INSTANTIATE_TEST_SUITE_P(IoModes, TaskFlowTest, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD),
                         [](const ::testing::TestParamInfo<int32_t>& info) {
                           return info.param == HFI_IO_CALLER ? std::string("Caller") : std::string("IoThread");
                         });

TEST(DataUrlTest, WritesTheUrlOrSaysHowMuchRoomItNeeds) {
  const std::string gif = "GIF89a";
  size_t needed = 0;
  EXPECT_EQ(hfi_data_url(gif.data(), gif.size(), nullptr, nullptr, 0, &needed), HFI_E_BUFFER_TOO_SMALL);
  EXPECT_EQ(needed, std::string("data:image/gif;base64,R0lGODlh").size() + 1);
  std::vector<char> buf(needed);
  ASSERT_EQ(hfi_data_url(gif.data(), gif.size(), nullptr, buf.data(), buf.size(), &needed), HFI_OK);
  EXPECT_STREQ(buf.data(), "data:image/gif;base64,R0lGODlh");
  ASSERT_EQ(hfi_data_url(gif.data(), gif.size(), "image/x-mine", buf.data(), 0, &needed), HFI_E_BUFFER_TOO_SMALL);
  EXPECT_EQ(hfi_data_url(nullptr, 3, nullptr, buf.data(), buf.size(), &needed), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_data_url(gif.data(), gif.size(), nullptr, nullptr, 10, &needed), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_data_url(gif.data(), gif.size(), "image/png;x", buf.data(), buf.size(), &needed), HFI_E_INVALID_ARG);
  char small[4];
  EXPECT_EQ(hfi_data_url(nullptr, 0, nullptr, small, sizeof small, nullptr), HFI_E_BUFFER_TOO_SMALL);
}

TEST(TaskArgumentsTest, NullAndInvalidArgumentsAreRefused) {
  hfi_response* r = reinterpret_cast<hfi_response*>(1);
  EXPECT_EQ(hfi_task(nullptr, "text-classification", "m", "{}", 2, nullptr, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(hfi_task(nullptr, "text-classification", "m", "{}", 2, nullptr, nullptr), HFI_E_INVALID_ARG);
  hfi_request* q = reinterpret_cast<hfi_request*>(1);
  EXPECT_EQ(hfi_task_start(nullptr, "t", "m", "{}", 2, nullptr, &q), HFI_E_INVALID_ARG);
  EXPECT_EQ(q, nullptr);
  EXPECT_EQ(hfi_task_start(nullptr, "t", "m", "{}", 2, nullptr, nullptr), HFI_E_INVALID_ARG);

  OptionsPtr o = make_options();
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  ClientPtr c = client_with(o.get());
  EXPECT_EQ(hfi_task(c.get(), nullptr, "m", "{}", 2, nullptr, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_task(c.get(), "text-classification", nullptr, "{}", 2, nullptr, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_task(c.get(), "text-classification", "m", nullptr, 2, nullptr, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_task_start(c.get(), nullptr, "m", "{}", 2, nullptr, &q), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_list_models(nullptr, nullptr, &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_list_models(c.get(), nullptr, nullptr), HFI_E_INVALID_ARG);

  auto opts = [] {
    hfi_request_options* p = nullptr;
    hfi_request_options_new(&p);
    return RequestOptionsPtr(p);
  }();
  EXPECT_EQ(hfi_request_options_set_input(nullptr, "x", 1, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_input(opts.get(), nullptr, 1, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_input(opts.get(), "x", 1, "png"), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_input(opts.get(), "x", 1, "image/png\r\nX: y"), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_input(opts.get(), nullptr, 0, nullptr), HFI_OK);
  EXPECT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "Together", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "a,,b", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_str(opts.get(), HFI_REQ_PROVIDER, "a,", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_request_options_set_int(opts.get(), HFI_REQ_POLL_INTERVAL_MS, -1), HFI_E_INVALID_ARG);

  const void* p = nullptr;
  size_t n = 0;
  const char* s = nullptr;
  EXPECT_EQ(hfi_response_bytes(nullptr, &p, &n), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_response_media_type(nullptr, &s, &n), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_response_provider(nullptr, &s, &n), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_event_progress(nullptr), -1);

  hfi_client_options* raw = nullptr;
  ASSERT_EQ(hfi_client_options_new(&raw), HFI_OK);
  OptionsPtr bad(raw);
  EXPECT_EQ(hfi_client_options_set_str(raw, HFI_OPT_PROVIDER_KEY, "together", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_str(raw, HFI_OPT_PROVIDER_KEY, "Bad Name=k", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_str(raw, HFI_OPT_PROVIDER_URL, "together=ftp://x", HFI_NUL_TERMINATED),
            HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_str(raw, HFI_OPT_HUB_URL, "not a url", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi_client_options_set_int(raw, HFI_OPT_MAPPING_TTL_MS, -5), HFI_E_INVALID_ARG);
}

}  // namespace
