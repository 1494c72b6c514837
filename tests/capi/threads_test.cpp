// One client shared by many threads, in both I/O modes.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

using namespace hfi_test;

namespace {

struct ModeName {
  std::string operator()(const ::testing::TestParamInfo<int32_t>& info) const {
    return info.param == HFI_IO_THREAD ? "IoThread" : "Caller";
  }
};

class SharedClient : public EmulatorTest, public ::testing::WithParamInterface<int32_t> {};

TEST_P(SharedClient, SixteenThreadsEachGetTheirOwnAnswers) {
  ClientPtr client = client_for(emu_, GetParam());
  constexpr int kThreads = 16;
  constexpr int kCallsPerThread = 12;
  std::atomic<int> wrong{0}, done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        std::string prompt = "thread " + std::to_string(t) + " call " + std::to_string(i);
        std::string expected = "Hello! You said: " + prompt;
        if ((t + i) % 2) {
          StreamResult r = stream_chat(client.get(), chat_body(prompt));
          bool ok = r.status == HFI_OK && r.recording.deltas() == expected &&
                    text(r.response.get(), hfi_response_content) == expected &&
                    r.recording.events.back().type == HFI_EVENT_DONE;
          wrong += !ok;
        } else {
          BlockingResult r = chat(client.get(), chat_body(prompt));
          wrong += !(r.status == HFI_OK && text(r.response.get(), hfi_response_content) == expected);
        }
        ++done;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(done.load(), kThreads * kCallsPerThread);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(emu_.requests().size(), static_cast<size_t>(kThreads * kCallsPerThread));
}

// A stream's JSON is written when first asked for; the response promises concurrent readers.
TEST_P(SharedClient, ThreadsReadingAStreamsJsonAtOnceAllSeeTheSameDocument) {
  ClientPtr client = client_for(emu_, GetParam());
  StreamResult r = stream_chat(client.get(), chat_body("one two three"));
  ASSERT_EQ(r.status, HFI_OK);
  constexpr int kThreads = 8;
  std::vector<const char*> pointers(kThreads, nullptr);
  std::vector<std::string> documents(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      size_t len = 0;
      if (hfi_response_json(r.response.get(), &pointers[t], &len) == HFI_OK) documents[t].assign(pointers[t], len);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_NE(documents[0].find("\"content\":\"Hello! You said: one two three\""), std::string::npos) << documents[0];
  for (int t = 1; t < kThreads; ++t) {
    EXPECT_EQ(pointers[t], pointers[0]);
    EXPECT_EQ(documents[t], documents[0]);
  }
}

TEST_P(SharedClient, SlowAndFastStreamsDoNotBlockEachOther) {
  ClientPtr client = client_for(emu_, GetParam());
  // The slow step is consumed by the first request, which starts well before the fast ones.
  emu_.script("{\"default_sse\":true,\"chunk_delay_ms\":300}");
  std::atomic<bool> slow_done{false};
  std::thread slow([&] {
    StreamResult r = stream_chat(client.get(), chat_body("w1 w2 w3 w4 w5 w6"));
    EXPECT_EQ(r.status, HFI_OK);
    slow_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 0; i < 5; ++i) {
    BlockingResult r = chat(client.get(), chat_body("fast " + std::to_string(i)));
    EXPECT_EQ(r.status, HFI_OK);
  }
  // Five quick calls finished while the slow stream (≥ 2 s) was still going.
  EXPECT_FALSE(slow_done.load());
  slow.join();
}

TEST_P(SharedClient, ErrorsAndSuccessesInterleave) {
  ClientPtr client = client_for(emu_, GetParam());
  emu_.script("{\"status\":429,\"repeat\":20,\"body\":\"{\\\"error\\\":\\\"busy\\\"}\"}");
  std::atomic<int> limited{0}, ok{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        hfi_status st = stream_chat(client.get(), chat_body("mixed")).status;
        (st == HFI_OK ? ok : st == HFI_E_RATE_LIMITED ? limited : other)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(limited.load(), 20);
  EXPECT_EQ(ok.load(), 60);
  EXPECT_EQ(other.load(), 0);
}

TEST_P(SharedClient, FreeingTheClientAfterManyCallsIsClean) {
  for (int round = 0; round < 5; ++round) {
    ClientPtr client = client_for(emu_, GetParam());
    EXPECT_EQ(chat(client.get(), chat_body("r")).status, HFI_OK);
  }
}

INSTANTIATE_TEST_SUITE_P(IoModes, SharedClient, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), ModeName());

}  // namespace
