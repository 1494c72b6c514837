// Replay mode: every recorded inference call, sent again, gets its recorded answer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "emulator.h"
#include "media_files.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

std::string tapes_file() {
  const char* from_environment = std::getenv("HFI_EMULATOR_TAPES");
  return from_environment != nullptr ? from_environment : HFI_EMULATOR_TEST_TAPES;
}

// The router form of a recorded URL, spelled out here rather than taken from
// the emulator so that the test checks its mapping instead of repeating it.
std::string router_path(const std::string& url) {
  static const std::map<std::string, std::string> prefixes = {
      {"router.huggingface.co", ""},      {"huggingface.co", ""},           {"fal.run", "/fal-ai"},
      {"api.together.xyz", "/together"},  {"api.replicate.com", "/replicate"}, {"api.hyperbolic.xyz", "/hyperbolic"},
      {"api.sambanova.ai", "/sambanova"}, {"api.openai.com", "/openai"},    {"api.mistral.ai", "/mistral"},
      {"api.studio.nebius.ai", "/nebius"}, {"api.novita.ai", "/novita"},    {"api.fireworks.ai", "/fireworks-ai"},
      {"api.cohere.com", "/cohere"},      {"api.cerebras.ai", "/cerebras"}, {"api.us1.bfl.ai", "/black-forest-labs"}};
  std::size_t host_start = url.find("://") + 3;
  std::size_t path_start = url.find('/', host_start);
  std::string host = url.substr(host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  auto prefix = prefixes.find(host);
  if (prefix == prefixes.end()) return {};
  return prefix->second + (path_start == std::string::npos ? "" : url.substr(path_start));
}

class Replay : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::ifstream(tapes_file())) GTEST_SKIP() << "no tapes at " << tapes_file() << " (set HFI_EMULATOR_TAPES)";
    std::ifstream file(tapes_file());
    std::string line;
    while (std::getline(file, line))
      if (!line.empty()) records.push_back(json::parse(line));
    Options options;
    options.tapes_path = tapes_file();
    emulator = std::make_unique<Emulator>(options);
    std::string error;
    ASSERT_TRUE(emulator->start(&error)) << error;
  }
  Response send(const json& record, std::vector<std::string> headers = {}) {
    Call call;
    call.method = record["method"];
    call.url = emulator->base_url() + router_path(record["url"]);
    // Binary bodies were not recorded; any bytes stand in for them.
    call.body = record["request_body"].is_string() ? record["request_body"].get<std::string>() : media_bytes("png");
    call.headers = std::move(headers);
    return request(call);
  }
  std::vector<json> records;
  std::unique_ptr<Emulator> emulator;
};

TEST_F(Replay, EveryInferenceRecordIsReplayed) {
  ASSERT_EQ(post_json(emulator->base_url() + "/_emulator/replay", R"({"on":true})").status, 200);
  std::size_t inference = 0, matched = 0;
  for (const json& record : records) {
    if (record["kind"] != "inference") continue;
    ++inference;
    ASSERT_FALSE(router_path(record["url"]).empty()) << record["url"];
    Response response = send(record);
    bool same = response.header("x-emulator-tape") == record["id"] && response.status == record["response_status"] &&
                (!record["response_body"].is_string() || response.body == record["response_body"].get<std::string>());
    EXPECT_TRUE(same) << record["id"] << " " << record["url"] << " answered by " << response.header("x-emulator-tape");
    if (same) ++matched;
  }
  EXPECT_EQ(inference, 280u);
  EXPECT_EQ(matched, inference);
}

TEST_F(Replay, OffByDefaultOnPerRequestOrPerTape) {
  const json* chat = nullptr;
  for (const json& record : records)
    if (record["kind"] == "inference" && record["provider"] == "together" && record["task"] == "chat-completion" &&
        record["is_stream"] == false)
      chat = &record;
  ASSERT_NE(chat, nullptr);
  Response normal = send(*chat);
  EXPECT_EQ(normal.header("x-emulator-tape"), "");
  EXPECT_NE(normal.body, (*chat)["response_body"]);
  Response replayed = send(*chat, {"X-Emulator-Replay: on"});
  EXPECT_EQ(replayed.body, (*chat)["response_body"]);
  // A named tape answers whatever the request was.
  Response named = post_json(emulator->base_url() + "/v1/chat/completions", chat_body("x"),
                             {"X-Emulator-Tape: " + (*chat)["id"].get<std::string>()});
  EXPECT_EQ(named.body, (*chat)["response_body"]);
  EXPECT_EQ(post_json(emulator->base_url() + "/v1/chat/completions", chat_body("x"), {"X-Emulator-Tape: nope"}).status, 404);
  // Switched on, a request that matches nothing still gets the normal answer.
  post_json(emulator->base_url() + "/_emulator/replay", R"({"on":true})");
  Response unmatched = post_json(emulator->base_url() + "/together/v1/chat/completions", chat_body("unrecorded"));
  EXPECT_EQ(unmatched.header("x-emulator-tape"), "");
  EXPECT_EQ(json::parse(unmatched.body)["choices"][0]["message"]["content"], "Hello! You said: unrecorded");
  EXPECT_EQ(post_json(emulator->base_url() + "/_emulator/replay", R"({"on":"yes"})").status, 400);
}

}  // namespace
}  // namespace hfi::emu::test
