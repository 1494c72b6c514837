// Where the events of started requests wait for the application: the ready list of requests with
// callback events to dispatch (hfi_client_poll), and the pull queue of requests without a
// callback (hfi_client_next_event). Shared by a client and its requests, so either may go first.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "core/objects.h"
#include "transport/engine.h"

namespace hfi {

class ChatCall;

class Hub : public transport::Waker {
 public:
  // Driver thread: a callback request has new events / a pull request produced events.
  void mark_ready(std::shared_ptr<ChatCall> call);
  void push_events(std::vector<std::unique_ptr<PulledEvent>>& events);

  // Application thread.
  std::vector<std::shared_ptr<ChatCall>> take_ready();
  std::unique_ptr<PulledEvent> pop_event();
  // Callback events to dispatch, or a wakeup: what ends a poll. (Pulled events do not: they
  // are for hfi_client_next_event, and counting them would make poll spin.)
  bool has_ready();
  // Waits until has_ready() or the time is up.
  void wait(std::chrono::steady_clock::time_point until);
  void wakeup();
  bool take_wakeup() { return woken_.exchange(false); }
  // Caller mode, while another thread drives: waits for work or for the driver role to come free.
  void wait_for_driver(std::chrono::steady_clock::time_point until);
  void wake() override;  // the driver role came free

  std::atomic<int32_t> running{0};  // started requests not ended yet

  // Requests freed while running: their release hooks run on an application thread once they
  // ended (never on the I/O thread, where a managed runtime could not take the call). Returns false
  // once the client is gone (clear()): every request has ended then, and nobody would collect it.
  bool add_freed(std::shared_ptr<ChatCall> call);
  void release_ended();

  // The client is gone: drop whatever nobody will ever collect (breaks request <-> hub cycles).
  void clear();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<ChatCall>> ready_;
  std::deque<std::unique_ptr<PulledEvent>> queue_;
  std::vector<std::shared_ptr<ChatCall>> freed_;
  std::atomic<bool> woken_{false};
  bool cleared_ = false;
  bool driver_free_ = false;
};

}  // namespace hfi
