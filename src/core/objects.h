// The definitions behind the C ABI's opaque handles for results: responses, errors and events.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/event_text.h"
#include "core/rate_limit.h"
#include "hfi/hfi.h"
#include "protocol/chat_json.h"

namespace hfi {
class ChatCall;

// Held by each event in the pull queue or the application's hands: the request's release hook
// waits for the last of them, and the event's error detail lives in the request.
class PulledEventOwner {
 public:
  PulledEventOwner() = default;
  explicit PulledEventOwner(std::shared_ptr<ChatCall> call);
  PulledEventOwner(PulledEventOwner&&) = default;
  PulledEventOwner& operator=(PulledEventOwner&& other) noexcept;
  ~PulledEventOwner();

 private:
  std::shared_ptr<ChatCall> call_;
};

// A std::once_flag that can sit in a copyable object: a copy starts over (its source's result was
// copied with the rest of the object, so doing the work again yields the same).
struct OnceFlag {
  std::once_flag flag;
  OnceFlag() = default;
  OnceFlag(const OnceFlag&) {}
  OnceFlag& operator=(const OnceFlag&) { return *this; }
};
}  // namespace hfi

struct hfi_error {
  hfi_status code = HFI_OK;
  int32_t http_status = 0;
  int64_t retry_after_ms = -1;
  hfi::RateLimit rate_limit;
  std::string message;
  std::string type;
  std::string body;
};

struct hfi_response {
  hfi_status status = HFI_OK;
  int32_t http_status = 0;
  std::string content;
  std::string reasoning;
  std::string finish_reason;
  std::string model;
  // Read it through hfi::response_json(): a stream's is written from stream_result when first asked
  // for, as most stream consumers never ask.
  mutable std::string json;
  std::shared_ptr<const hfi::json::ChatResult> stream_result;
  int64_t created = 0;
  mutable hfi::OnceFlag json_once;
  std::string request_id;
  std::string url;
  // Tasks: media bytes and their type, and the provider that served the call.
  std::string bytes;
  std::string media_type;
  std::string provider;
  std::vector<hfi::json::ToolCall> tool_calls;
  int64_t prompt_tokens = -1;
  int64_t completion_tokens = -1;
  int64_t total_tokens = -1;
  double total_ms = -1;
  double first_byte_ms = -1;
  int32_t attempts = 1;  // 1 + the retries and failovers made
  std::string target;    // the HFI_OPT_TARGET that served (or failed last); "" without targets
  hfi_error error;  // meaningful when status != HFI_OK
};

struct hfi_event {
  int32_t type = 0;
  int32_t choice_index = 0;
  int32_t tool_call_index = -1;
  hfi_status status = HFI_OK;
  // NUL-terminated views into the hfi::EventText of the batch the event came in (or "").
  std::string_view text{""};
  std::string_view json{""};
  std::string_view tool_call_id{""};
  std::string_view tool_call_name{""};
  std::string_view tool_call_arguments{""};
  int64_t prompt_tokens = -1;
  int64_t completion_tokens = -1;
  int64_t total_tokens = -1;
  double progress = -1;              // PROGRESS events: 0..1 when the provider says
  int32_t attempt = 1;               // the attempt that produced the event
  const char* target = "";           // its HFI_OPT_TARGET label, owned by the request's route
  const hfi_error* error = nullptr;  // ERROR events: borrowed from the response
  hfi_request* request = nullptr;    // started requests only
  bool pulled = false;               // a hfi::PulledEvent, owned by the application (hfi_event_free)
};

namespace hfi {
// The response's JSON (see hfi_response_json()); any thread, concurrently.
const std::string& response_json(const hfi_response& response);
}  // namespace hfi

static_assert(std::is_trivially_copyable_v<hfi_event>, "batches of events are moved with memcpy");

namespace hfi {
// An event of the pull queue (hfi_client_next_event), freed by the application one by one in any
// order. Callback events stay plain hfi_events: trivially copyable, so batches move cheaply.
struct PulledEvent : hfi_event {
  std::shared_ptr<const EventText> text;  // the batch's strings, shared by the batch's events
  PulledEventOwner owner;
};
}  // namespace hfi
