#include "core/event_text.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace hfi {
namespace {

TEST(EventTextTest, StoresNulTerminatedCopies) {
  EventText text;
  std::string source = "hello";
  std::string_view stored = text.store(source);
  source[0] = 'j';  // a copy, not a view of the source
  EXPECT_EQ(stored, "hello");
  EXPECT_EQ(stored.data()[stored.size()], '\0');
  EXPECT_FALSE(text.empty());
}

TEST(EventTextTest, EmptyStringsCostNothingAndAreStillCStrings) {
  EventText text;
  std::string_view stored = text.store({});
  EXPECT_TRUE(stored.empty());
  ASSERT_NE(stored.data(), nullptr);
  EXPECT_EQ(stored.data()[0], '\0');
  EXPECT_TRUE(text.empty());
}

TEST(EventTextTest, EarlierStringsStayPutWhileTheArenaGrows) {
  EventText text;
  std::vector<std::string_view> views;
  std::vector<std::string> expected;
  for (int i = 0; i < 2000; ++i) {
    expected.push_back(std::string(static_cast<size_t>(i % 97) + 1, static_cast<char>('a' + i % 26)));
    views.push_back(text.store(expected.back()));
  }
  for (size_t i = 0; i < views.size(); ++i) {
    ASSERT_EQ(views[i], expected[i]) << i;
    ASSERT_EQ(views[i].data()[views[i].size()], '\0') << i;
  }
}

TEST(EventTextTest, AStringLargerThanAnyBlockGetsItsOwn) {
  EventText text;
  text.store("small");
  std::string big(5u << 20, 'x');
  std::string_view stored = text.store(big);
  EXPECT_EQ(stored.size(), big.size());
  EXPECT_EQ(std::memcmp(stored.data(), big.data(), big.size()), 0);
  EXPECT_EQ(stored.data()[big.size()], '\0');
}

TEST(EventTextTest, SpliceKeepsViewsValidAndEmptiesTheSource) {
  EventText first, second;
  first.expect(4096);
  std::string_view a = first.store("first");
  std::string_view b = second.store("second");
  first.splice_from(second);
  EXPECT_TRUE(second.empty());
  EXPECT_EQ(a, "first");
  EXPECT_EQ(b, "second");
  EventText third;
  third.splice_from(first);  // into an empty arena: takes everything
  EXPECT_TRUE(first.empty());
  EXPECT_EQ(a, "first");
  EXPECT_EQ(b, "second");
}

TEST(EventTextTest, MovedFromArenaIsEmptyAndReusable) {
  EventText source;
  std::string_view kept = source.store("kept");
  EventText moved(std::move(source));
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): the documented state
  EXPECT_EQ(kept, "kept");
  EXPECT_EQ(source.store("again"), "again");
  moved.clear();
  EXPECT_TRUE(moved.empty());
}

}  // namespace
}  // namespace hfi

namespace hfi {
namespace {

TEST(EventTextTest, AThreadReusesTheBlocksItFreed) {
  const std::string payload(3000, 'p');
  const char* first = nullptr;
  {
    EventText text;
    first = text.store(payload).data();
  }  // freed into this thread's cache
  EventText again;
  EXPECT_EQ(again.store(payload).data(), first);
}

TEST(EventTextTest, HugeBlocksAreNotKept) {
  const std::string huge(1u << 20, 'h');
  EventText text;
  text.store(huge);
  text.clear();
  EXPECT_TRUE(text.empty());  // and under ASan/valgrind: no leak, the block went back to malloc
}

}  // namespace
}  // namespace hfi
