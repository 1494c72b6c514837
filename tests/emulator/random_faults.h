// Faults at random (POST /_emulator/faults): a share of the emulated requests that no script step
// claimed get one of the configured steps, drawn from a seeded generator, and every draw is
// counted. What soak runs use to inject a steady rate of failures without scripting each one.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "script_step.h"

namespace hfi::emu {

class RandomFaults {
 public:
  // rate in [0, 1]; 0 turns the faults off. `steps` may not be empty when rate > 0.
  void configure(double rate, uint64_t seed, std::vector<ScriptStep> steps, std::string match_path);
  // A fault for this request, or none.
  std::optional<ScriptStep> draw(const std::string& method, const std::string& path);
  // {"rate", "seed", "requests": seen, "injected": total, "by_step": [count per step]}
  std::string to_json() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  double rate_ = 0;
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::vector<ScriptStep> steps_;
  std::string match_path_;
  uint64_t requests_ = 0;
  uint64_t injected_ = 0;
  std::vector<uint64_t> by_step_;
};

}  // namespace hfi::emu
