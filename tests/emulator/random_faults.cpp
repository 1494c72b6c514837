#include "random_faults.h"

#include <nlohmann/json.hpp>

namespace hfi::emu {

void RandomFaults::configure(double rate, uint64_t seed, std::vector<ScriptStep> steps, std::string match_path) {
  std::lock_guard<std::mutex> lock(mutex_);
  rate_ = rate;
  seed_ = seed;
  rng_.seed(seed);
  steps_ = std::move(steps);
  match_path_ = std::move(match_path);
  requests_ = injected_ = 0;
  by_step_.assign(steps_.size(), 0);
}

std::optional<ScriptStep> RandomFaults::draw(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (rate_ <= 0 || steps_.empty()) return std::nullopt;
  ScriptStep probe;
  probe.match_path = match_path_;
  if (!probe.matches(method, path)) return std::nullopt;
  ++requests_;
  if (std::uniform_real_distribution<double>(0, 1)(rng_) >= rate_) return std::nullopt;
  const size_t which = std::uniform_int_distribution<size_t>(0, steps_.size() - 1)(rng_);
  ++injected_;
  ++by_step_[which];
  return steps_[which];
}

std::string RandomFaults::to_json() const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::ordered_json out = {{"rate", rate_}, {"seed", seed_}, {"requests", requests_}, {"injected", injected_},
                                {"by_step", by_step_}};
  return out.dump();
}

void RandomFaults::reset() { configure(0, 0, {}, ""); }

}  // namespace hfi::emu
