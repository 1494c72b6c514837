// One chat request from submission to response: consumes the HTTP exchange on the driver thread,
// hands events to the application, and settles the outcome into an hfi_response.
//
// Events reach the application in one of two ways: through this call's own pending list, drained
// by whoever waits for the call or polls the client (blocking calls, started requests with a
// callback), or through the client's pull queue (started requests without a callback).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/chat_targets.h"
#include "core/hub.h"
#include "core/logger.h"
#include "core/objects.h"
#include "core/retry_policy.h"
#include "core/task_flow.h"
#include "protocol/chat_json.h"
#include "protocol/sse.h"
#include "transport/engine.h"

namespace hfi {

struct ChatCallLimits {
  size_t max_response_bytes = size_t{64} << 20;
  size_t max_event_bytes = size_t{64} << 20;
  RetryPolicy retry;
  std::shared_ptr<const Logger> log;  // null: none (the call still works)
};

// Who gets the events, and what to release when the call is gone.
struct Delivery {
  hfi_event_cb callback = nullptr;
  void* user_data = nullptr;
  hfi_release_fn release = nullptr;
  std::shared_ptr<Hub> hub;       // started requests only
  hfi_request* handle = nullptr;  // started requests only
};

// A chat request's way through the client's targets (HFI_OPT_TARGET).
struct ChatRoute {
  std::shared_ptr<ChatTargets> targets;
  std::vector<size_t> order;  // the targets this request tries, in turn
  size_t at = 0;              // the one being tried: order[at]
  size_t tried = 1;           // how many of `order` were tried
  json::BodyFacts facts;      // of the caller's body: its model and stream flag
  bool stream = false;
  std::vector<std::string> extra_headers;
};

class ChatCall final : public transport::Transfer, public transport::Waker, private sse::Sink {
 public:
  ChatCall(bool stream, ChatCallLimits limits, std::string display_url, Delivery delivery);
  ~ChatCall() override;  // runs the release hook

  // Application thread. Waits until the call ended or `timeout_ms` passed (-1: no limit),
  // dispatching this call's callback events meanwhile; HFI_PENDING if it is still running.
  hfi_status wait(transport::Engine& engine, int64_t timeout_ms);
  // Application thread: delivers the events that arrived or, when none did, the first to arrive
  // within `timeout_ms`; HFI_PENDING while the call runs, its status once the last was delivered.
  hfi_status dispatch(transport::Engine& engine, int64_t timeout_ms);
  // Application thread: calls the callback for the events that arrived (poll, wait, dispatch);
  // whether there were any.
  bool dispatch_pending(transport::Engine& engine);
  bool has_callback() const { return delivery_.callback != nullptr; }

  void set_handle(hfi_request* handle) { delivery_.handle = handle; }
  // A task call: the flow decides each exchange after the first and reads their answers.
  void set_task(std::unique_ptr<TaskFlow> flow) { task_ = std::move(flow); }
  // A chat call with targets: settings already hold the exchange at route.order[0].
  void set_route(ChatRoute route);
  bool finished();
  // The release hook runs once the request was freed, has ended and none of its pulled events is
  // alive, always on an application thread: the one freeing the request or its last pulled event,
  // or the one polling the client (never the I/O thread, where a managed runtime could not take
  // the call). Returns whether the hook has run.
  bool try_release();
  void pulled_event_freed();
  // hfi_request_free: from now on no callback starts and no event is queued; release when possible.
  void free_handle(transport::Engine* engine);
  void* user_data() const { return delivery_.user_data; }
  hfi_status status();                         // HFI_PENDING until the call ended
  std::unique_ptr<hfi_response> take_response();   // blocking calls: once, after wait()
  std::unique_ptr<hfi_response> copy_response();   // started requests: any number of times

 private:
  enum class BodyMode { undecided, sse, whole, error };

  // Transfer hooks (driver thread).
  void on_start() override;
  void on_header(std::string_view line) override;
  bool on_body(const char* data, size_t len) override;
  void on_complete(const transport::TransferOutcome& outcome) override;
  // Waker (any thread).
  void wake() override;
  // sse::Sink (driver thread).
  bool on_event(const sse::Event& ev) override;

  void keep_request_id(std::string_view value, bool preferred);
  void decide_body_mode();
  bool handle_chunk(std::string_view data, bool padded);
  bool handle_generation_chunk(std::string_view data);
  void emit(hfi_event&& ev);
  void publish_batch();
  void move_batch_to_pending();  // with mutex_ held
  void settle(const transport::TransferOutcome& outcome);
  // A failed attempt the policy retries, or moves to another target: true when submitted again.
  bool retry(const transport::TransferOutcome& outcome);
  // The next exchange at route_->order[at], within what is left of the total timeout.
  void move_to_target(size_t at, const transport::TransferOutcome& outcome, int64_t delay_ms);
  // Another attempt after `outcome` failed (a retry or a failover).
  void resubmit(transport::TransferSettings next, const transport::TransferOutcome& outcome);
  bool logging(int32_t level) const { return limits_.log && limits_.log->enabled(level); }
  void log(int32_t level, std::string line) const;  // prefixed with the request's number
  std::string current_target() const;
  // What ended an attempt, for the log: "HTTP 503", "HFI_E_STALL_TIMEOUT", a libcurl message.
  std::string attempt_end(const transport::TransferOutcome& outcome) const;
  // Task calls: hands a complete 2xx answer to the flow; true when another exchange was submitted.
  bool continue_task(const transport::TransferOutcome& outcome);
  void start_next_exchange(transport::TransferSettings next);
  // What one response's headers said; a new response block or a new exchange starts without it.
  void forget_response_headers();
  bool body_complete() const;  // the whole response arrived, whatever the transport says
  void settle_http_error();
  void settle_stream();
  void settle_whole_body();
  void synthesize_events_from_whole();
  void fail(hfi_status code, std::string message);
  void abort_by_callback(transport::Engine& engine);
  void apply_abort();  // with mutex_ held
  bool wait_for_activity(transport::Engine& engine, std::chrono::steady_clock::time_point until);
  bool has_work() const;  // with mutex_ held

  const bool stream_;
  const ChatCallLimits limits_;
  Delivery delivery_;
  std::unique_ptr<TaskFlow> task_;
  std::unique_ptr<ChatRoute> route_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool retry_time_spent_ = false;  // a retry was due but HFI_OPT_MAX_RETRY_TIME_MS had passed
  const uint64_t log_id_ = limits_.log ? limits_.log->next_request_id() : 0;
  bool task_settled_ = false;  // the flow produced the outcome (output or failure)
  std::unique_ptr<hfi_response> response_;

  // Driver-only state.
  BodyMode mode_ = BodyMode::undecided;
  long http_status_ = 0;
  std::string content_type_;
  long long content_length_ = -1;
  std::string retry_after_;
  std::string retry_after_ms_;
  std::string should_retry_;
  RateLimit rate_limit_;
  int64_t retries_ = 0;
  int64_t model_waited_ms_ = 0;
  bool stream_delivered_ = false;  // stream events reached the caller: no retry any more
  std::string body_;  // whole or error bodies
  // Made when the response turns out to be an event stream: a whole answer has no use for it, and
  // without it a call is small enough for malloc's fast paths.
  struct StreamState {
    explicit StreamState(size_t max_event_bytes) : parser(max_event_bytes) {}
    sse::Parser parser;
    json::ChatResult acc;  // accumulated stream (choice 0)
  };
  std::unique_ptr<StreamState> sse_;
  bool saw_done_ = false;
  bool saw_finish_ = false;
  bool stream_failed_ = false;
  std::vector<hfi_event> batch_;
  EventText batch_text_;  // the strings batch_'s events point into

  // Shared between driver and application threads.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<hfi_event> pending_;
  EventText pending_text_;
  bool finished_ = false;
  bool driver_free_ = false;
  bool marked_ready_ = false;
  std::atomic<bool> aborted_{false};
  std::atomic<bool> detached_{false};
  std::atomic<bool> released_{false};
  std::atomic<bool> dispatching_now_{false};
  std::atomic<int32_t> pulled_alive_{0};
  void release_user_data();
  void count_delivered(const hfi_event& ev);  // the hub's running count drops with the final event
  std::mutex dispatch_mutex_;  // one dispatcher at a time keeps callbacks ordered, never concurrent
  std::vector<hfi_event> dispatching_;  // under dispatch_mutex_
  EventText dispatching_text_;          // under dispatch_mutex_
};

}  // namespace hfi
