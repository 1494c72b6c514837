// One chat request from submission to response: consumes the HTTP exchange on the driver thread,
// hands events to the owning thread, and settles the outcome into an hfi_response.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/objects.h"
#include "protocol/chat_json.h"
#include "protocol/sse.h"
#include "transport/engine.h"

namespace hfi {

struct ChatCallLimits {
  size_t max_response_bytes = size_t{64} << 20;
  size_t max_event_bytes = size_t{64} << 20;
};

class ChatCall final : public transport::Transfer, public transport::Waker, private sse::Sink {
 public:
  ChatCall(bool stream, ChatCallLimits limits, std::string display_url);

  // Owner thread: waits for the call to end, calling `cb` for each event (stream only), and
  // returns the final status. The engine must already have the call (Engine::submit).
  hfi_status run(transport::Engine& engine, hfi_event_cb cb, void* user_data);
  std::unique_ptr<hfi_response> take_response() { return std::move(response_); }

 private:
  enum class BodyMode { undecided, sse, whole, error };

  // Transfer hooks (driver thread).
  void on_header(std::string_view line) override;
  bool on_body(const char* data, size_t len) override;
  void on_complete(const transport::TransferOutcome& outcome) override;
  // Waker (any thread).
  void wake() override;
  // sse::Sink (driver thread).
  bool on_event(const sse::Event& ev) override;

  void decide_body_mode();
  bool handle_chunk(std::string_view data);
  void emit(hfi_event&& ev);
  void publish_batch();
  void settle(const transport::TransferOutcome& outcome);
  void settle_http_error();
  void settle_stream();
  void settle_whole_body();
  void synthesize_events_from_whole();
  void fail(hfi_status code, std::string message);
  hfi_status dispatch(std::vector<hfi_event>& events, hfi_event_cb cb, void* user_data,
                      transport::Engine& engine);

  const bool stream_;
  const ChatCallLimits limits_;
  std::unique_ptr<hfi_response> response_;

  // Driver-only state.
  BodyMode mode_ = BodyMode::undecided;
  long http_status_ = 0;
  std::string content_type_;
  std::string retry_after_;
  std::string retry_after_ms_;
  std::string body_;  // whole or error bodies
  sse::Parser parser_;
  json::ChunkParser chunk_parser_;
  json::ChunkView chunk_;
  json::ChatResult acc_;  // accumulated stream (choice 0)
  bool saw_done_ = false;
  bool saw_finish_ = false;
  bool stream_failed_ = false;
  std::vector<hfi_event> batch_;

  // Shared between driver and owner.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<hfi_event> pending_;
  bool finished_ = false;
  bool driver_free_ = false;
};

}  // namespace hfi
