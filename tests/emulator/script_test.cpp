// Each scripting knob of POST /_emulator/script, observed from a real client.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "emulator.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

class Scripting : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(emulator.start()); }
  std::string chat_url() const { return emulator.base_url() + "/v1/chat/completions"; }
  Response chat(bool stream = false) { return post_json(chat_url(), chat_body("one two three", stream)); }
  Emulator emulator;
};

TEST_F(Scripting, StatusHeadersAndBody) {
  emulator.script(R"({"status":429,"headers":{"Retry-After":"3","X-Extra":7},"body":"{\"error\":\"slow down\"}"})");
  Response limited = chat();
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "3");
  EXPECT_EQ(limited.header("x-extra"), "7");
  EXPECT_EQ(limited.header("content-type"), "application/json");
  EXPECT_EQ(limited.body, R"({"error":"slow down"})");
  Response next = chat();  // the step was consumed
  EXPECT_EQ(next.status, 200);
}

TEST_F(Scripting, ErrorStatusWithoutBodyGetsAnEmulatedErrorBody) {
  emulator.script(R"({"status":503,"content_type":"application/json; charset=utf-8"})");
  Response response = chat();
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(response.body, R"({"error":{"message":"emulated 503","type":"emulated"}})");
}

TEST_F(Scripting, SuccessWithoutBodyGivesTheDefaultAnswer) {
  emulator.script(R"({"headers":{"X-Request-Id":"abc"}})");
  Response response = chat();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("x-request-id"), "abc");
  EXPECT_EQ(json::parse(response.body)["choices"][0]["message"]["content"], "Hello! You said: one two three");
}

TEST_F(Scripting, RawSsePiecesArriveAsGiven) {
  emulator.script(R"({"sse":["data:{\"a\":1}\n\n",": comment\n\n","data: {\"b\":2}\n\n"]})");
  Response response = chat(true);
  ASSERT_EQ(response.code, CURLE_OK) << response.error;
  EXPECT_EQ(response.header("content-type"), "text/event-stream");
  EXPECT_EQ(response.body, "data:{\"a\":1}\n\n: comment\n\ndata: {\"b\":2}\n\n");  // no [DONE]: none was scripted
}

TEST_F(Scripting, BinaryBodyFromBase64) {
  emulator.script(R"({"body_base64":"iVBORw0KGgo=","content_type":"image/png"})");
  Response response = chat();
  EXPECT_EQ(response.header("content-type"), "image/png");
  EXPECT_EQ(response.body, std::string("\x89PNG\r\n\x1A\n", 8));
}

TEST_F(Scripting, DefaultSseStreamsEvenANonStreamedRequest) {
  emulator.script(R"({"default_sse":true})");
  Response response = chat(false);
  EXPECT_EQ(response.header("content-type"), "text/event-stream");
  std::vector<std::string> events = sse_data(response.body);
  EXPECT_EQ(events.back(), "[DONE]");
}

TEST_F(Scripting, DelayHoldsBackTheFirstByte) {
  emulator.script(R"({"delay_ms":300})");
  Response response = chat();
  EXPECT_EQ(response.status, 200);
  EXPECT_GE(response.seconds, 0.3);
}

TEST_F(Scripting, ChunkDelaySpacesThePieces) {
  emulator.script(R"({"sse":["data: 1\n\n","data: 2\n\n","data: 3\n\n"],"chunk_delay_ms":150})");
  Response response = chat(true);
  ASSERT_EQ(response.writes.size(), 3u);
  EXPECT_GE(response.write_times[2] - response.write_times[0], std::chrono::milliseconds(250));
}

TEST_F(Scripting, SplitBytesCutsTheBodyIntoSeparateWrites) {
  emulator.script(R"({"default_sse":true,"split_bytes":7})");
  Response streamed = chat(true);
  ASSERT_EQ(streamed.code, CURLE_OK) << streamed.error;
  EXPECT_GT(streamed.writes.size(), 10u);
  for (std::size_t i = 0; i + 1 < streamed.writes.size(); ++i) EXPECT_EQ(streamed.writes[i].size(), 7u);
  EXPECT_EQ(sse_data(streamed.body).back(), "[DONE]");

  emulator.script(R"({"body":"0123456789abcdefghij","split_bytes":3})");
  Response fixed = chat();
  EXPECT_EQ(fixed.body, "0123456789abcdefghij");
  EXPECT_GT(fixed.writes.size(), 1u);
}

TEST_F(Scripting, StallGoesSilentThenContinues) {
  emulator.script(R"({"default_sse":true,"stall_after":2,"stall_ms":500})");
  Response response = chat(true);
  ASSERT_EQ(response.code, CURLE_OK) << response.error;
  ASSERT_GE(response.writes.size(), 3u);
  auto longest_gap = Clock::duration::zero();
  for (std::size_t i = 1; i < response.write_times.size(); ++i)
    longest_gap = std::max(longest_gap, response.write_times[i] - response.write_times[i - 1]);
  EXPECT_GE(longest_gap, std::chrono::milliseconds(450));
  EXPECT_EQ(sse_data(response.body).back(), "[DONE]");
}

TEST_F(Scripting, DropAfterCutsAStreamShort) {
  emulator.script(R"({"default_sse":true,"drop_after":2})");
  Response response = chat(true);
  EXPECT_NE(response.code, CURLE_OK);
  EXPECT_EQ(response.status, 200);
  std::vector<std::string> events = sse_data(response.body);
  EXPECT_EQ(events.size(), 2u);
  EXPECT_EQ(response.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(chat().status, 200);  // the next request gets a fresh connection
}

TEST_F(Scripting, DropAfterCutsAFixedLengthBodyInHalf) {
  std::string body(100, 'x');
  emulator.script(R"({"body":")" + body + R"(","drop_after":0})");
  Response response = chat();
  EXPECT_EQ(response.code, CURLE_PARTIAL_FILE) << response.error;
  EXPECT_EQ(response.body, std::string(50, 'x'));
}

TEST_F(Scripting, CloseAfterHeaders) {
  emulator.script(R"({"default_sse":true,"close_after_headers":true})");
  Response response = chat(true);
  EXPECT_NE(response.code, CURLE_OK);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/event-stream");
  EXPECT_TRUE(response.body.empty());
}

TEST_F(Scripting, RepeatAppliesToSeveralRequests) {
  emulator.script(R"({"status":500,"repeat":2})");
  EXPECT_EQ(chat().status, 500);
  EXPECT_EQ(chat().status, 500);
  EXPECT_EQ(chat().status, 200);
}

TEST_F(Scripting, MatchPicksTheRequestsAStepAppliesTo) {
  emulator.script(R"([{"status":502,"match":{"path":"/v1/chat/completions"}},
                      {"status":503,"match":{"path":"/hf-inference/*"}},
                      {"status":504,"match":{"method":"GET"}}])");
  std::string base = emulator.base_url();
  EXPECT_EQ(post_json(base + "/other/v1/chat/completions", chat_body("x")).status, 200);
  EXPECT_EQ(post_json(base + "/hf-inference/models/m/v1/chat/completions", chat_body("x")).status, 503);
  EXPECT_EQ(get(base + "/v1/models").status, 504);
  EXPECT_EQ(post_json(base + "/v1/chat/completions", chat_body("x")).status, 502);
  EXPECT_EQ(post_json(base + "/hf-inference/models/m/v1/chat/completions", chat_body("x")).status, 200);
}

TEST_F(Scripting, StepsAreFirstInFirstOut) {
  emulator.script(R"({"status":401})");
  emulator.script(R"([{"status":402},{"status":403}])");
  EXPECT_EQ(chat().status, 401);
  EXPECT_EQ(chat().status, 402);
  EXPECT_EQ(chat().status, 403);
  EXPECT_EQ(chat().status, 200);
}

TEST_F(Scripting, ControlRoutesNeitherConsumeStepsNorGetRecorded) {
  emulator.script(R"({"status":500})");
  EXPECT_EQ(get(emulator.base_url() + "/_emulator/health").status, 200);
  EXPECT_EQ(get(emulator.base_url() + "/_emulator/requests").status, 200);
  EXPECT_EQ(chat().status, 500);
  EXPECT_EQ(emulator.requests().size(), 1u);
}

TEST_F(Scripting, ScriptThroughHttpAndResetClearsTheQueue) {
  Response queued = post_json(emulator.base_url() + "/_emulator/script", R"([{"status":500},{"status":500}])");
  EXPECT_EQ(queued.body, R"({"ok":true,"queued":2})");
  EXPECT_EQ(chat().status, 500);
  emulator.reset();
  EXPECT_EQ(chat().status, 200);
}

TEST_F(Scripting, RedirectWithLocation) {
  emulator.script(R"({"status":307,"headers":{"Location":"http://127.0.0.1:9/elsewhere"}})");
  Response response = chat();
  EXPECT_EQ(response.status, 307);
  EXPECT_EQ(response.header("location"), "http://127.0.0.1:9/elsewhere");
  EXPECT_TRUE(response.body.empty());
}

TEST_F(Scripting, StopInterruptsALongStall) {
  emulator.script(R"({"default_sse":true,"stall_after":1,"stall_ms":60000})");
  std::thread client([this] { chat(true); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto started = Clock::now();
  emulator.stop();
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
  client.join();
}

}  // namespace
}  // namespace hfi::emu::test

namespace hfi::emu::test {
namespace {

class RandomFaultsTest : public Scripting {
 protected:
  std::string faults_url() const { return emulator.base_url() + "/_emulator/faults"; }
};

TEST_F(RandomFaultsTest, AShareOfRequestsGetsAFaultDrawnFromTheSeed) {
  Response set = post_json(faults_url(), R"({"rate":0.25,"seed":42,"steps":[{"status":500},{"status":429}],)"
                                         R"("match":{"path":"/v1/chat/completions"}})");
  ASSERT_EQ(set.status, 200) << set.body;
  std::vector<int> statuses;
  for (int i = 0; i < 400; ++i) statuses.push_back(chat().status);
  size_t faulted = 0;
  for (int s : statuses) {
    EXPECT_TRUE(s == 200 || s == 500 || s == 429) << s;
    faulted += s != 200;
  }
  // Binomial(400, 0.25): mean 100, standard deviation 8.7.
  EXPECT_GT(faulted, 60u);
  EXPECT_LT(faulted, 140u);
  json counts = json::parse(get(faults_url()).body);
  EXPECT_EQ(counts["requests"], 400);
  EXPECT_EQ(counts["injected"], faulted);
  EXPECT_EQ(counts["by_step"][0].get<size_t>() + counts["by_step"][1].get<size_t>(), faulted);

  // The same seed draws the same faults; other paths and scripted steps are left alone.
  ASSERT_EQ(post_json(faults_url(), R"({"rate":0.25,"seed":42,"steps":[{"status":500},{"status":429}],)"
                                    R"("match":{"path":"/v1/chat/completions"}})").status, 200);
  emulator.script(R"({"status":418})");
  EXPECT_EQ(chat().status, 418);
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ(chat().status, statuses[i]) << i;
  EXPECT_EQ(get(emulator.base_url() + "/v1/models").status, 200);
}

TEST_F(RandomFaultsTest, BadSettingsAreRefusedAndResetTurnsThemOff) {
  for (const char* bad : {R"({"rate":2,"steps":[{"status":500}]})", R"({"rate":0.5})", R"({"rate":0.5,"steps":[]})",
                          R"({"rate":0.5,"steps":[{"status":99}]})", R"({"rate":0.5,"steps":[{}],"colour":1})",
                          R"({"rate":0.5,"steps":[{}],"seed":-1})", R"({"rate":0.5,"steps":[{}],"match":{"verb":"x"}})",
                          R"([1])"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(post_json(faults_url(), bad).status, 400);
  }
  ASSERT_EQ(post_json(faults_url(), R"({"rate":1,"steps":[{"status":503}]})").status, 200);
  EXPECT_EQ(chat().status, 503);
  ASSERT_EQ(post_json(emulator.base_url() + "/_emulator/reset", "{}").status, 200);
  EXPECT_EQ(chat().status, 200);
  EXPECT_EQ(json::parse(get(faults_url()).body)["rate"], 0);
}

}  // namespace
}  // namespace hfi::emu::test
