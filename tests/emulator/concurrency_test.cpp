// Many clients at once, each on its own kept-alive connection.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "emulator.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

// Releases all waiting threads at once so their first requests really overlap.
class StartLine {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    go_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    go_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable go_;
  bool open_ = false;
};

TEST(Concurrency, SixtyFourKeepAliveClientsAreAllAnsweredCorrectly) {
  constexpr int kClients = 64;
  constexpr int kRequestsEach = 5;
  Emulator emulator;
  ASSERT_TRUE(emulator.start());
  // Every first request waits 400 ms on the server: served one by one that
  // would take 25 s, so finishing fast proves all 64 were in flight together.
  emulator.script(R"({"delay_ms":400,"repeat":64})");
  std::atomic<int> correct{0};
  std::atomic<long> connections{0};
  StartLine start;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      Client client;
      start.wait();
      for (int r = 0; r < kRequestsEach; ++r) {
        std::string text = "client " + std::to_string(c) + " request " + std::to_string(r);
        Call call;
        call.method = "POST";
        call.url = emulator.base_url() + "/v1/chat/completions";
        call.body = chat_body(text, r % 2 == 1);
        call.headers = {"Content-Type: application/json"};
        Response response = client.run(call);
        connections += response.new_connections;
        if (response.code != CURLE_OK || response.status != 200) continue;
        std::string content;
        if (r % 2 == 1) {
          for (const auto& event : sse_data(response.body)) {
            if (event == "[DONE]") break;
            json chunk = json::parse(event);
            if (chunk["choices"][0]["delta"].contains("content"))
              content += chunk["choices"][0]["delta"]["content"].get<std::string>();
          }
        } else {
          content = json::parse(response.body)["choices"][0]["message"]["content"];
        }
        if (content == "Hello! You said: " + text) ++correct;
      }
    });
  }
  auto started = std::chrono::steady_clock::now();
  start.open();
  for (auto& client : clients) client.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(correct.load(), kClients * kRequestsEach);
  EXPECT_EQ(connections.load(), kClients);  // one connection per client, reused for every request
  EXPECT_LT(seconds, 8.0);
  EXPECT_EQ(emulator.requests().size(), static_cast<std::size_t>(kClients * kRequestsEach));
}

TEST(Concurrency, AnIdleKeepAliveConnectionMakesRoomForAWaitingOne) {
  Options options;
  options.threads = 1;
  Emulator emulator(options);
  ASSERT_TRUE(emulator.start());
  Call call;
  call.url = emulator.base_url() + "/v1/models";
  call.timeout_ms = 5000;
  Client idle;
  ASSERT_EQ(idle.run(call).status, 200);  // its connection now sits idle, holding the only worker
  Response other = request(call);
  EXPECT_EQ(other.status, 200) << other.error;
  EXPECT_LT(other.seconds, 2.0);
  EXPECT_EQ(idle.run(call).status, 200);  // the client notices the closed connection and reconnects
}

TEST(Concurrency, MoreClientsThanThreads) {
  Options options;
  options.threads = 4;
  Emulator emulator(options);
  ASSERT_TRUE(emulator.start());
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c)
    clients.emplace_back([&] {
      Client client;
      Call call;
      call.url = emulator.base_url() + "/v1/models";
      for (int r = 0; r < 3; ++r) ok += client.run(call).status == 200;
    });
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok.load(), 48);
}

}  // namespace
}  // namespace hfi::emu::test
