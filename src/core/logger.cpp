#include "core/logger.h"

namespace hfi {

void Logger::log(int32_t level, std::string line) const {
  if (!enabled(level)) return;
  scrubber_.scrub(line);
  std::lock_guard<std::mutex> lock(mutex_);
  sink_.callback(level, line.c_str(), line.size(), sink_.user_data);
}

}  // namespace hfi
