// The order one request tries its targets in, and each target's health: tiers in turn, weighted
// random order within a tier, and a circuit breaker that rests a target after repeated failures.
// Shared by all requests of a client; every member is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <vector>

namespace hfi {

struct BreakerSettings {
  int64_t failures = 3;         // consecutive failures that open a target; 0: never
  int64_t cooldown_ms = 30000;  // how long an open target is left out
};

class TargetPicker {
 public:
  using Clock = std::chrono::steady_clock;
  struct Slot {
    uint32_t tier = 0;
    uint32_t weight = 1;  // > 0
  };

  TargetPicker(std::vector<Slot> slots, BreakerSettings breaker, uint64_t seed);

  // Every target whose breaker is closed: lower tiers first, each tier in a weighted random order
  // (a target of weight w comes first with probability w / the tier's total). When every breaker
  // is open, all of them in that order: a request is never refused for want of a target.
  std::vector<size_t> order(Clock::time_point now);
  // A failure worth a retry: true when it opened the target's breaker. A server asking for a pause
  // (`retry_after_ms` > 0) rests the target at least that long.
  bool report_failure(size_t target, Clock::time_point now, int64_t retry_after_ms);
  void report_success(size_t target);
  bool is_open(size_t target, Clock::time_point now);

 private:
  struct Health {
    int64_t failures = 0;
    Clock::time_point open_until{};
  };

  const std::vector<Slot> slots_;
  const BreakerSettings breaker_;
  std::mutex mutex_;
  std::vector<Health> health_;
  std::mt19937_64 rng_;
};

}  // namespace hfi
