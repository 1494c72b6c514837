#include "script_queue.h"

#include <nlohmann/json.hpp>

namespace hfi::emu {

void ScriptQueue::push(std::vector<ScriptStep> steps) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& step : steps) steps_.push_back(std::move(step));
}

std::optional<ScriptStep> ScriptQueue::take_for(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = steps_.begin(); it != steps_.end(); ++it) {
    if (!it->matches(method, path)) continue;
    ScriptStep taken = *it;
    if (--it->remaining <= 0) steps_.erase(it);
    return taken;
  }
  return std::nullopt;
}

std::string ScriptQueue::pending_json() const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& step : steps_)
    list.push_back({{"step", nlohmann::ordered_json::parse(step.source)}, {"remaining", step.remaining}});
  return list.dump();
}

void ScriptQueue::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  steps_.clear();
}

}  // namespace hfi::emu
