#include "providers/mapping_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hfi::providers {
namespace {

using namespace std::chrono_literals;
using Clock = MappingCache::Clock;

std::vector<MappingEntry> one(const char* provider) { return {MappingEntry{provider, "id", "live", "conversational", "", ""}}; }

TEST(MappingCacheTest, AnswersUntilTheTtlPasses) {
  MappingCache cache(60s, 8);
  const Clock::time_point t0 = Clock::now();
  std::vector<MappingEntry> out;
  EXPECT_FALSE(cache.get("https://huggingface.co", "hf_a", "m", t0, out));
  cache.put("https://huggingface.co", "hf_a", "m", one("groq"), t0);
  ASSERT_TRUE(cache.get("https://huggingface.co", "hf_a", "m", t0 + 59s, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].provider, "groq");
  EXPECT_FALSE(cache.get("https://huggingface.co", "hf_a", "m", t0 + 60s, out));
  EXPECT_EQ(cache.size(), 0u);  // the expired entry is gone
}

TEST(MappingCacheTest, HubTokenAndModelAreAllPartOfTheKey) {
  MappingCache cache(60s, 8);
  const Clock::time_point t0 = Clock::now();
  cache.put("https://huggingface.co", "hf_a", "m", one("groq"), t0);
  std::vector<MappingEntry> out;
  EXPECT_FALSE(cache.get("https://huggingface.co", "hf_b", "m", t0, out));  // another user's order
  EXPECT_FALSE(cache.get("https://hub.example", "hf_a", "m", t0, out));
  EXPECT_FALSE(cache.get("https://huggingface.co", "hf_a", "m2", t0, out));
  EXPECT_FALSE(cache.get("https://huggingface.co", "", "m", t0, out));
  EXPECT_TRUE(cache.get("https://huggingface.co", "hf_a", "m", t0, out));
}

TEST(MappingCacheTest, ReplacingRefreshesAndFullCachesDropTheLeastRecentlyUsed) {
  MappingCache cache(60s, 2);
  const Clock::time_point t0 = Clock::now();
  std::vector<MappingEntry> out;
  cache.put("h", "t", "a", one("groq"), t0);
  cache.put("h", "t", "b", one("together"), t0);
  ASSERT_TRUE(cache.get("h", "t", "a", t0, out));  // a is now the most recent
  cache.put("h", "t", "c", one("nebius"), t0);     // b goes
  EXPECT_FALSE(cache.get("h", "t", "b", t0, out));
  EXPECT_TRUE(cache.get("h", "t", "a", t0, out));
  cache.put("h", "t", "a", one("cerebras"), t0 + 50s);
  ASSERT_TRUE(cache.get("h", "t", "a", t0 + 100s, out));
  EXPECT_EQ(out[0].provider, "cerebras");
  EXPECT_EQ(cache.size(), 2u);
}

TEST(MappingCacheTest, ThreadsShareOneCache) {
  MappingCache cache(60s, 64);
  const Clock::time_point t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string model = "m" + std::to_string((t * 7 + i) % 100);
        std::vector<MappingEntry> out;
        if (!cache.get("h", "tok", model, t0, out)) cache.put("h", "tok", model, one("groq"), t0);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace hfi::providers
