// The media job flows, step by step, with the knobs of POST /_emulator/jobs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator.h"
#include "media_files.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

class Jobs : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(emulator.start(&error)) << error;
  }
  std::string url(const std::string& path) { return emulator.base_url() + path; }
  json send(const std::string& method, const std::string& path, const std::string& body = "",
            std::vector<std::string> headers = {}, long expected = 200) {
    Call call;
    call.method = method;
    call.url = path.rfind("http", 0) == 0 ? path : url(path);
    call.body = body;
    call.headers = std::move(headers);
    Response response = request(call);
    EXPECT_EQ(response.status, expected) << method << " " << path << ": " << response.body;
    return json::parse(response.body, nullptr, false);
  }
  // What a client does with a job URL from the router: keep the path, put it on {router}/{provider}.
  std::string routed(const std::string& provider, const std::string& job_url) {
    std::size_t path = job_url.find('/', job_url.find("://") + 3);
    return "/" + provider + job_url.substr(path);
  }
  void knobs(const std::string& body) { ASSERT_EQ(post_json(url("/_emulator/jobs"), body).status, 200); }
  Emulator emulator;
};

TEST_F(Jobs, FalQueueInQueueInProgressCompletedThenResult) {
  json submitted = send("POST", "/fal-ai/emu-fal-ai/text-to-video?_subdomain=queue", R"({"prompt":"a cat"})");
  EXPECT_EQ(submitted["status"], "IN_QUEUE");
  std::string response_url = submitted["response_url"];
  EXPECT_EQ(response_url.rfind("https://queue.fal.run/emu-fal-ai/text-to-video/requests/", 0), 0u);
  std::string status = routed("fal-ai", submitted["status_url"]) + "?_subdomain=queue";
  std::string result = routed("fal-ai", response_url) + "?_subdomain=queue";
  send("GET", result, "", {}, 400);  // not ready yet
  EXPECT_EQ(send("GET", status)["status"], "IN_QUEUE");
  EXPECT_EQ(send("GET", status)["status"], "IN_PROGRESS");
  EXPECT_EQ(send("GET", status)["status"], "COMPLETED");
  json video = send("GET", result);
  std::string file = video["video"]["url"];
  EXPECT_EQ(file, emulator.base_url() + "/files/" + submitted["request_id"].get<std::string>() + ".mp4");
  Response download = get(file);
  EXPECT_EQ(download.body, media_bytes("mp4"));
  EXPECT_EQ(download.header("content-type"), "video/mp4");
}

TEST_F(Jobs, FalQueueResultShapesPerTask) {
  knobs(R"({"polls_before_done":0})");
  auto run = [&](const std::string& task) {
    json submitted = send("POST", "/fal-ai/emu-fal-ai/" + task + "?_subdomain=queue", R"({"prompt":"x","image_url":"x"})");
    EXPECT_EQ(send("GET", routed("fal-ai", submitted["status_url"]))["status"], "COMPLETED");
    return send("GET", routed("fal-ai", submitted["response_url"]));
  };
  EXPECT_TRUE(run("text-to-image")["images"][0]["url"].is_string());
  EXPECT_TRUE(run("image-to-image")["images"][0]["url"].is_string());
  EXPECT_TRUE(run("text-to-speech")["audio"]["url"].is_string());
  EXPECT_TRUE(run("image-to-video")["video"]["url"].is_string());
}

TEST_F(Jobs, FailureNeverFinishAndPerModelKnobs) {
  knobs(R"({"fail":true,"polls_before_done":1})");
  json failing = send("POST", "/fal-ai/emu-fal-ai/text-to-video?_subdomain=queue", R"({"prompt":"x"})");
  std::string status = routed("fal-ai", failing["status_url"]);
  EXPECT_EQ(send("GET", status)["status"], "IN_QUEUE");
  EXPECT_EQ(send("GET", status)["error"], "emulated job failure");
  send("GET", routed("fal-ai", failing["response_url"]), "", {}, 422);

  knobs(R"({})");  // back to the defaults
  knobs(R"({"model":"emu/text-to-video","never_finish":true})");  // an HF id reaches every provider mapped to it
  json stuck = send("POST", "/together/v2/videos", R"({"model":"emu-together/text-to-video","prompt":"x"})");
  for (int i = 0; i < 5; ++i) EXPECT_NE(send("GET", "/together/v2/videos/" + stuck["id"].get<std::string>())["status"], "completed");
  json other = send("POST", "/together/v2/videos", R"({"model":"emu-together/image-to-video","prompt":"x"})");
  for (int i = 0; i < 3; ++i) send("GET", "/together/v2/videos/" + other["id"].get<std::string>());
  EXPECT_EQ(send("GET", "/together/v2/videos/" + other["id"].get<std::string>())["status"], "completed");

  json listing = send("GET", "/_emulator/jobs");
  EXPECT_EQ(listing["jobs"].size(), 3u);
  EXPECT_EQ(listing["models"]["emu/text-to-video"]["never_finish"], true);
  send("POST", "/_emulator/jobs", R"({"polls":3})", {}, 400);
}

TEST_F(Jobs, FalCancel) {
  json submitted = send("POST", "/fal-ai/emu-fal-ai/text-to-image?_subdomain=queue", R"({"prompt":"x"})");
  EXPECT_EQ(send("PUT", routed("fal-ai", submitted["cancel_url"]), "", {}, 202)["status"], "CANCELLATION_REQUESTED");
  EXPECT_EQ(send("GET", routed("fal-ai", submitted["status_url"]))["error"], "Request was cancelled");
}

TEST_F(Jobs, TogetherVideo) {
  json submitted = send("POST", "/together/v2/videos", R"({"model":"emu-together/text-to-video","prompt":"x"})");
  EXPECT_EQ(submitted["status"], "queued");
  std::string poll = "/together/v2/videos/" + submitted["id"].get<std::string>();
  EXPECT_EQ(send("GET", poll)["status"], "queued");
  EXPECT_EQ(send("GET", poll)["status"], "in_progress");
  json done = send("GET", poll);
  EXPECT_EQ(done["status"], "completed");
  EXPECT_EQ(get(done["outputs"]["video_url"]).body, media_bytes("mp4"));
}

TEST_F(Jobs, WaveSpeed) {
  json submitted = send("POST", "/wavespeed/api/v3/emu-wavespeed/text-to-image", R"({"prompt":"x"})");
  EXPECT_EQ(submitted["data"]["status"], "created");
  std::string get_url = submitted["data"]["urls"]["get"];
  EXPECT_EQ(get_url.rfind("https://api.wavespeed.ai/api/v3/predictions/", 0), 0u);
  EXPECT_EQ(send("GET", routed("wavespeed", get_url))["data"]["status"], "processing");
  EXPECT_EQ(send("GET", routed("wavespeed", get_url))["data"]["status"], "processing");
  json done = send("GET", routed("wavespeed", get_url));
  EXPECT_EQ(done["data"]["status"], "completed");
  EXPECT_EQ(get(done["data"]["outputs"][0]).body, media_bytes("png"));
}

TEST_F(Jobs, ZaiAndNovita) {
  json zai = send("POST", "/zai-org/api/paas/v4/async/images/generations", R"({"model":"emu-zai-org/text-to-image","prompt":"x"})");
  EXPECT_EQ(zai["task_status"], "PROCESSING");
  std::string poll = "/zai-org/api/paas/v4/async-result/" + zai["id"].get<std::string>();
  send("GET", poll);
  EXPECT_EQ(send("GET", poll)["task_status"], "PROCESSING");
  json image = send("GET", poll);
  EXPECT_EQ(image["task_status"], "SUCCESS");
  EXPECT_EQ(get(image["image_result"][0]["url"]).body, media_bytes("png"));

  json novita = send("POST", "/novita/v3/async/emu-novita/text-to-video", R"({"prompt":"x"})");
  std::string result = "/novita/v3/async/task-result?task_id=" + novita["task_id"].get<std::string>();
  EXPECT_EQ(send("GET", result)["task"]["status"], "TASK_STATUS_QUEUED");
  EXPECT_EQ(send("GET", result)["task"]["status"], "TASK_STATUS_PROCESSING");
  json video = send("GET", result);
  EXPECT_EQ(video["task"]["status"], "TASK_STATUS_SUCCEED");
  EXPECT_EQ(get(video["videos"][0]["video_url"]).body, media_bytes("mp4"));
}

TEST_F(Jobs, ReplicateWaitsOrPolls) {
  json waited = send("POST", "/replicate/v1/models/emu-replicate/text-to-image/predictions", R"({"input":{"prompt":"x"}})",
                     {"Prefer: wait"}, 201);
  EXPECT_EQ(waited["status"], "succeeded");
  EXPECT_EQ(get(waited["output"][0]).body, media_bytes("png"));

  json started = send("POST", "/replicate/v1/models/emu-replicate/text-to-speech/predictions", R"({"input":{"text":"x"}})", {}, 201);
  EXPECT_EQ(started["status"], "starting");
  EXPECT_TRUE(started["output"].is_null());
  std::string poll = routed("replicate", started["urls"]["get"]);
  EXPECT_EQ(poll, "/replicate/v1/predictions/" + started["id"].get<std::string>());
  send("GET", poll);
  EXPECT_EQ(send("GET", poll)["status"], "processing");
  json done = send("GET", poll);
  EXPECT_EQ(done["status"], "succeeded");
  EXPECT_EQ(get(done["output"]).body.substr(0, 4), "fLaC");

  post_json(url("/_emulator/mappings"),
            R"({"model":"acme/pinned","mapping":{"replicate":{"providerId":"acme/pinned:v123","status":"live","task":"text-to-video"}}})");
  json pinned = send("POST", "/replicate/v1/predictions", R"({"version":"v123","input":{"prompt":"x"}})", {"Prefer: wait"}, 201);
  EXPECT_EQ(pinned["version"], "v123");
  EXPECT_EQ(get(pinned["output"]).body, media_bytes("mp4"));
  send("POST", "/replicate/v1/predictions", R"({"version":"v123"})", {}, 422);

  knobs(R"({"never_finish":true})");
  json hanging = send("POST", "/replicate/v1/models/emu-replicate/text-to-image/predictions", R"({"input":{"prompt":"x"}})",
                      {"Prefer: wait"}, 201);
  EXPECT_EQ(hanging["status"], "starting");
  json canceled = send("POST", routed("replicate", hanging["urls"]["cancel"]));
  EXPECT_EQ(canceled["status"], "canceled");
}

TEST_F(Jobs, DirectModeJobUrlsLeadBackToTheEmulator) {
  json submitted = send("POST", "/direct/fal-ai/emu-fal-ai/text-to-video?_subdomain=queue", R"({"prompt":"x"})",
                        {"Authorization: Key k"});
  std::string status_url = submitted["status_url"];
  EXPECT_EQ(status_url.rfind(emulator.base_url() + "/direct/fal-ai/", 0), 0u) << status_url;
  for (int i = 0; i < 2; ++i) send("GET", status_url, "", {"Authorization: Key k"});
  EXPECT_EQ(send("GET", status_url, "", {"Authorization: Key k"})["status"], "COMPLETED");
  send("GET", status_url, "", {"Authorization: Bearer k"}, 401);
  json result = send("GET", submitted["response_url"], "", {"Authorization: Key k"});
  EXPECT_EQ(get(result["video"]["url"]).body, media_bytes("mp4"));

  // fal's queue host has its own direct prefix, where every submit is queued.
  json queued = send("POST", "/direct/fal-ai-queue/emu-fal-ai/text-to-image", R"({"prompt":"x"})", {"Authorization: Key k"});
  std::string queued_status = queued["status_url"];
  EXPECT_EQ(queued_status.rfind(emulator.base_url() + "/direct/fal-ai-queue/emu-fal-ai/text-to-image/requests/", 0), 0u);
  EXPECT_EQ(send("GET", queued_status, "", {"Authorization: Key k"})["status"], "IN_QUEUE");
  send("POST", "/fal-ai-queue/emu-fal-ai/text-to-image", R"({"prompt":"x"})", {}, 404);  // only a direct host

  json replicate = send("POST", "/direct/replicate/v1/models/emu-replicate/text-to-image/predictions",
                        R"({"input":{"prompt":"x"}})", {"Authorization: Bearer k"}, 201);
  EXPECT_EQ(replicate["urls"]["get"], emulator.base_url() + "/direct/replicate/v1/predictions/" + replicate["id"].get<std::string>());
}

}  // namespace
}  // namespace hfi::emu::test
