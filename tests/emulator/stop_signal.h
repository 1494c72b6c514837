// A shared "we are shutting down" flag whose sleeps wake up early, so that a
// scripted stall of minutes never holds up Emulator::stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace hfi::emu {

class StopSignal {
 public:
  void raise() {
    std::lock_guard<std::mutex> lock(mutex_);
    raised_ = true;
    wake_.notify_all();
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    raised_ = false;
  }
  bool raised() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return raised_;
  }
  // Returns false when interrupted by raise().
  bool sleep_for(int milliseconds) const {
    if (milliseconds <= 0) return !raised();
    std::unique_lock<std::mutex> lock(mutex_);
    return !wake_.wait_for(lock, std::chrono::milliseconds(milliseconds), [this] { return raised_; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
  bool raised_ = false;
};

}  // namespace hfi::emu
