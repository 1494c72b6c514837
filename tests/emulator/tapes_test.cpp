// Replaying the recorded real interactions (fixtures/hfjs-tapes) byte for byte.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "emulator.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

std::string tapes_path() {
  const char* from_environment = std::getenv("HFI_EMULATOR_TAPES");
  return from_environment != nullptr ? from_environment : HFI_EMULATOR_TEST_TAPES;
}

std::vector<json> read_records(const std::string& path) {
  std::vector<json> records;
  std::ifstream file(path);
  std::string line;
  while (std::getline(file, line))
    if (!line.empty()) records.push_back(json::parse(line));
  return records;
}

// Loading 330 records is the slow part, so the suite shares one emulator.
class Tapes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::ifstream(tapes_path())) return;
    records = new std::vector<json>(read_records(tapes_path()));
    Options options;
    options.tapes_path = tapes_path();
    emulator = new Emulator(options);
    std::string error;
    if (!emulator->start(&error)) start_error = new std::string(error);
  }
  static void TearDownTestSuite() {
    delete emulator;
    delete records;
    delete start_error;
    emulator = nullptr;
    records = nullptr;
    start_error = nullptr;
  }
  void SetUp() override {
    if (records == nullptr) GTEST_SKIP() << "no tapes at " << tapes_path() << " (set HFI_EMULATOR_TAPES)";
    ASSERT_EQ(start_error, nullptr) << *start_error;
    emulator->reset();
  }
  static Response replay(const std::string& id, const std::string& extra = "") {
    emulator->script(R"({"tape":")" + id + "\"" + extra + "}");
    return post_json(emulator->base_url() + "/v1/chat/completions", chat_body("anything"));
  }
  static std::vector<json>* records;
  static Emulator* emulator;
  static std::string* start_error;
};
std::vector<json>* Tapes::records = nullptr;
Emulator* Tapes::emulator = nullptr;
std::string* Tapes::start_error = nullptr;

TEST_F(Tapes, ListsTheInferenceTapes) {
  json listed = json::parse(get(emulator->base_url() + "/_emulator/tapes").body);
  std::size_t inference = 0;
  for (const auto& record : *records) inference += record["kind"] == "inference";
  ASSERT_EQ(listed.size(), inference);
  for (const char* field : {"id", "task", "provider", "method", "url", "is_stream", "is_error", "status"})
    EXPECT_TRUE(listed[0].contains(field)) << field;

  const json& any = records->front();
  json one = json::parse(get(emulator->base_url() + "/_emulator/tapes/" + any["id"].get<std::string>()).body);
  EXPECT_EQ(one, any);
  EXPECT_EQ(get(emulator->base_url() + "/_emulator/tapes/unknown").status, 404);
}

TEST_F(Tapes, ReplaysEveryRecordedStreamByteForByte) {
  std::size_t replayed = 0;
  for (const auto& record : *records) {
    if (record["is_stream"] != true || !record["response_body"].is_string()) continue;
    const std::string id = record["id"];
    Response response = replay(id);
    ASSERT_EQ(response.code, CURLE_OK) << id << ": " << response.error;
    EXPECT_EQ(response.status, record["response_status"].get<long>()) << id;
    EXPECT_EQ(response.header("content-type"), record["content_type"].get<std::string>()) << id;
    EXPECT_EQ(response.body, record["response_body"].get<std::string>()) << id;
    ++replayed;
  }
  EXPECT_GE(replayed, 30u);
}

TEST_F(Tapes, ReplaysAChatStreamEventByEventAndUnderFaults) {
  const json* chat_stream = nullptr;
  for (const auto& record : *records)
    if (record["task"] == "chat-completion" && record["is_stream"] == true && record["is_error"] == false &&
        record["response_body"].is_string() && record["sse"]["done_sentinel"] == true) {
      chat_stream = &record;
      break;
    }
  ASSERT_NE(chat_stream, nullptr);
  const std::string body = (*chat_stream)["response_body"];
  Response whole = replay((*chat_stream)["id"]);
  EXPECT_EQ(whole.body, body);
  EXPECT_GT(whole.writes.size(), 2u);  // each event its own piece
  EXPECT_EQ(sse_data(whole.body).back(), "[DONE]");

  Response split = replay((*chat_stream)["id"], R"(,"split_bytes":1)");
  EXPECT_EQ(split.body, body);
  EXPECT_EQ(split.writes.size(), body.size());

  Response dropped = replay((*chat_stream)["id"], R"(,"drop_after":2)");
  EXPECT_NE(dropped.code, CURLE_OK);
  EXPECT_LT(dropped.body.size(), body.size());
  EXPECT_EQ(body.compare(0, dropped.body.size(), dropped.body), 0);
}

TEST_F(Tapes, ReplaysAnErrorRecordWithItsStatusAndBody) {
  std::size_t replayed = 0;
  for (const auto& record : *records) {
    if (record["is_error"] != true || record["is_stream"] == true || !record["response_body"].is_string()) continue;
    Response response = replay(record["id"]);
    EXPECT_EQ(response.status, record["response_status"].get<long>()) << record["id"];
    EXPECT_EQ(response.body, record["response_body"].get<std::string>()) << record["id"];
    ++replayed;
  }
  EXPECT_GE(replayed, 20u);
}

TEST_F(Tapes, BinaryRecordsGetPlaceholderBytesOfTheRecordedType) {
  for (const auto& record : *records) {
    if (!record["response_body"].is_null() || record["content_type"] != "image/jpeg") continue;
    Response response = replay(record["id"]);
    EXPECT_EQ(response.header("content-type"), "image/jpeg");
    EXPECT_EQ(response.body.substr(0, 3), "\xFF\xD8\xFF");
    return;
  }
  FAIL() << "no image/jpeg record without a body";
}

TEST_F(Tapes, UnknownTapeIdsAreRejectedWhenScripted) {
  EXPECT_THROW(emulator->script(R"({"tape":"0000"})"), std::invalid_argument);
  EXPECT_EQ(post_json(emulator->base_url() + "/_emulator/script", R"({"tape":"0000"})").status, 400);
}

}  // namespace
}  // namespace hfi::emu::test
