#include "core/target_picker.h"

#include <gtest/gtest.h>

namespace hfi {
namespace {

using Clock = TargetPicker::Clock;
using std::chrono::milliseconds;

TEST(TargetPicker, TiersComeInTurnAndWeightsDecideTheFirstOfATier) {
  TargetPicker picker({{0, 3}, {0, 1}, {1, 1}}, {}, 7);
  int first[2] = {0, 0};
  const Clock::time_point now = Clock::now();
  for (int i = 0; i < 4000; ++i) {
    std::vector<size_t> order = picker.order(now);
    ASSERT_EQ(order.size(), 3u);
    ASSERT_EQ(order[2], 2u);
    ASSERT_NE(order[0], order[1]);
    ++first[order[0]];
  }
  // Binomial(4000, 0.75): mean 3000, standard deviation 27.
  EXPECT_GT(first[0], 2850);
  EXPECT_LT(first[0], 3150);
}

TEST(TargetPicker, TheBreakerOpensAfterConsecutiveFailuresAndClosesAfterItsCooldown) {
  TargetPicker picker({{0, 1}, {1, 1}}, {2, 1000}, 1);
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(picker.report_failure(0, t0, -1));
  picker.report_success(0);  // a success resets the count
  EXPECT_FALSE(picker.report_failure(0, t0, -1));
  EXPECT_TRUE(picker.report_failure(0, t0, -1));
  EXPECT_TRUE(picker.is_open(0, t0));
  EXPECT_EQ(picker.order(t0), std::vector<size_t>{1});
  const Clock::time_point later = t0 + milliseconds(1001);
  EXPECT_FALSE(picker.is_open(0, later));
  EXPECT_EQ(picker.order(later), (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(picker.report_failure(0, later, -1));  // half open: one more failure rests it again
}

TEST(TargetPicker, APauseAskedForRestsATargetEvenWithoutTheBreaker) {
  TargetPicker picker({{0, 1}, {1, 1}}, {0, 1000}, 1);
  const Clock::time_point t0 = Clock::now();
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(picker.report_failure(1, t0, -1));
  EXPECT_TRUE(picker.report_failure(0, t0, 5000));
  EXPECT_EQ(picker.order(t0 + milliseconds(4999)), std::vector<size_t>{1});
  EXPECT_EQ(picker.order(t0 + milliseconds(5000)), (std::vector<size_t>{0, 1}));
}

TEST(TargetPicker, WhenEveryTargetRestsAllAreOffered) {
  TargetPicker picker({{0, 1}, {1, 1}}, {1, 60000}, 1);
  const Clock::time_point t0 = Clock::now();
  picker.report_failure(0, t0, -1);
  picker.report_failure(1, t0, -1);
  EXPECT_EQ(picker.order(t0), (std::vector<size_t>{0, 1}));
  EXPECT_FALSE(picker.report_failure(5, t0, -1));  // out of range: ignored
  EXPECT_FALSE(picker.is_open(5, t0));
}

}  // namespace
}  // namespace hfi
