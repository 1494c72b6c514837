#include "core/target_picker.h"

#include <algorithm>

namespace hfi {

TargetPicker::TargetPicker(std::vector<Slot> slots, BreakerSettings breaker, uint64_t seed)
    : slots_(std::move(slots)), breaker_(breaker), health_(slots_.size()), rng_(seed) {}

std::vector<size_t> TargetPicker::order(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<size_t> closed, all;
  for (size_t i = 0; i < slots_.size(); ++i) {
    all.push_back(i);
    if (health_[i].open_until <= now) closed.push_back(i);
  }
  std::vector<size_t>& candidates = closed.empty() ? all : closed;
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](size_t a, size_t b) { return slots_[a].tier < slots_[b].tier; });
  // Weighted sampling without replacement, tier by tier.
  for (size_t begin = 0; begin < candidates.size();) {
    size_t end = begin;
    uint64_t total = 0;
    while (end < candidates.size() && slots_[candidates[end]].tier == slots_[candidates[begin]].tier)
      total += slots_[candidates[end++]].weight;
    for (size_t at = begin; at + 1 < end; ++at) {
      uint64_t pick = std::uniform_int_distribution<uint64_t>(0, total - 1)(rng_);
      size_t chosen = at;
      while (pick >= slots_[candidates[chosen]].weight) pick -= slots_[candidates[chosen++]].weight;
      total -= slots_[candidates[chosen]].weight;
      std::rotate(candidates.begin() + static_cast<std::ptrdiff_t>(at),
                  candidates.begin() + static_cast<std::ptrdiff_t>(chosen),
                  candidates.begin() + static_cast<std::ptrdiff_t>(chosen) + 1);
    }
    begin = end;
  }
  return candidates;
}

bool TargetPicker::report_failure(size_t target, Clock::time_point now, int64_t retry_after_ms) {
  if (target >= health_.size()) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  Health& h = health_[target];
  const bool was_open = h.open_until > now;
  ++h.failures;
  if (breaker_.failures > 0 && h.failures >= breaker_.failures)
    h.open_until = std::max(h.open_until, now + std::chrono::milliseconds(breaker_.cooldown_ms));
  if (retry_after_ms > 0) h.open_until = std::max(h.open_until, now + std::chrono::milliseconds(retry_after_ms));
  return !was_open && h.open_until > now;
}

void TargetPicker::report_success(size_t target) {
  if (target >= health_.size()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  health_[target] = Health{};
}

bool TargetPicker::is_open(size_t target, Clock::time_point now) {
  if (target >= health_.size()) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  return health_[target].open_until > now;
}

}  // namespace hfi
