// The FIFO of pending script steps. Each emulated request takes the first step
// that matches it; a step with "repeat": n serves n requests before it is gone.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "script_step.h"

namespace hfi::emu {

class ScriptQueue {
 public:
  void push(std::vector<ScriptStep> steps);
  std::optional<ScriptStep> take_for(const std::string& method, const std::string& path);
  std::string pending_json() const;  // [{"step": <as given>, "remaining": n}, ...]
  void clear();

 private:
  mutable std::mutex mutex_;
  std::deque<ScriptStep> steps_;
};

}  // namespace hfi::emu
