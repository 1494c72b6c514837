#include "core/hub.h"

#include <algorithm>

#include "core/chat_call.h"

namespace hfi {

void Hub::mark_ready(std::shared_ptr<ChatCall> call) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_.push_back(std::move(call));
  }
  changed_.notify_all();
}

void Hub::push_events(std::vector<std::unique_ptr<PulledEvent>>& events) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& ev : events) queue_.push_back(std::move(ev));
  }
  events.clear();
  changed_.notify_all();
}

std::vector<std::shared_ptr<ChatCall>> Hub::take_ready() {
  std::vector<std::shared_ptr<ChatCall>> out;
  std::lock_guard<std::mutex> lock(mutex_);
  out.swap(ready_);
  return out;
}

std::unique_ptr<PulledEvent> Hub::pop_event() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queue_.empty()) return nullptr;
  std::unique_ptr<PulledEvent> ev = std::move(queue_.front());
  queue_.pop_front();
  return ev;
}

bool Hub::has_ready() {
  std::lock_guard<std::mutex> lock(mutex_);
  return !ready_.empty() || woken_.load();
}

void Hub::wait(std::chrono::steady_clock::time_point until) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_until(lock, until, [this] { return !ready_.empty() || woken_.load(); });
}

void Hub::wakeup() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

void Hub::wait_for_driver(std::chrono::steady_clock::time_point until) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_until(lock, until, [this] { return !ready_.empty() || woken_.load() || driver_free_; });
  driver_free_ = false;
}

void Hub::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    driver_free_ = true;
  }
  changed_.notify_all();
}

bool Hub::add_freed(std::shared_ptr<ChatCall> call) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cleared_) return false;
  freed_.push_back(std::move(call));
  return true;
}

void Hub::release_ended() {
  std::vector<std::shared_ptr<ChatCall>> ended;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto first_ended = std::partition(freed_.begin(), freed_.end(), [](const auto& c) { return !c->finished(); });
    ended.assign(std::make_move_iterator(first_ended), std::make_move_iterator(freed_.end()));
    freed_.erase(first_ended, freed_.end());
  }
  // Outside the lock: release hooks are user code. A call with pulled events still alive is
  // released when the last of them is freed.
  for (auto& call : ended) call->try_release();
}

void Hub::clear() {
  std::vector<std::shared_ptr<ChatCall>> ready, freed;
  std::deque<std::unique_ptr<PulledEvent>> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cleared_ = true;
    ready.swap(ready_);
    queue.swap(queue_);
    freed.swap(freed_);
  }
  // Destroyed outside the lock: release hooks may run here.
}

}  // namespace hfi
