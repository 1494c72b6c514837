// Shared helpers for the C ABI tests: an in-process emulator, clients pointed at it, and a
// recorder of stream events.
#pragma once

#include <gtest/gtest.h>
#include <hfi/hfi.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "emulator.h"

namespace hfi_test {

// Rounds of the stress loops that hunt for races by repetition. Under a sanitizer each round costs
// ten times more, and the sanitizer finds a race in the round that has it.
#ifdef HFI_SANITIZED
inline constexpr int kStressRounds = 200;
#else
inline constexpr int kStressRounds = 1000;
#endif

// A view returned by an hfi getter, as a std::string (empty on failure).
template <class Object, class Getter>
std::string text(const Object* object, Getter getter) {
  const char* p = nullptr;
  size_t n = 0;
  if (getter(object, &p, &n) != HFI_OK || !p) return {};
  return std::string(p, n);
}

struct ClientDeleter {
  void operator()(hfi_client* c) const { hfi_client_free(c); }
};
struct ResponseDeleter {
  void operator()(hfi_response* r) const { hfi_response_free(r); }
};
struct OptionsDeleter {
  void operator()(hfi_client_options* o) const { hfi_client_options_free(o); }
};
using ClientPtr = std::unique_ptr<hfi_client, ClientDeleter>;
using ResponsePtr = std::unique_ptr<hfi_response, ResponseDeleter>;
using OptionsPtr = std::unique_ptr<hfi_client_options, OptionsDeleter>;

// Options without retries: most tests look at what one exchange does (retries_test.cpp sets its own).
OptionsPtr make_options();
void set_str(hfi_client_options* o, int32_t key, const std::string& value);
void set_int(hfi_client_options* o, int32_t key, int64_t value);

// A client of the emulator's router, with no token from the environment.
ClientPtr client_for(const hfi::emu::Emulator& emu, int32_t io_mode = HFI_IO_CALLER);
ClientPtr client_with(hfi_client_options* opts);

// {"model":..., "messages":[{"role":"user","content":prompt}]} plus `extra` members
// (e.g. ",\"stream_options\":{\"include_usage\":true}").
std::string chat_body(const std::string& prompt, const std::string& extra = "",
                      const std::string& model = "meta-llama/Llama-3.1-8B-Instruct");

// Everything a stream callback saw, copied out of the borrowed events.
struct RecordedEvent {
  int32_t type = 0;
  int32_t choice = 0;
  std::string text;
  std::string json;
  int32_t tool_index = -1;
  std::string tool_id, tool_name, tool_arguments;
  int64_t usage[3] = {-1, -1, -1};
  hfi_status status = HFI_OK;
  std::string error_message;
  int32_t attempt = 0;
  std::string target;  // HFI_OPT_TARGET label; "" without targets
};

// Every field of an event, copied out while it is valid.
RecordedEvent record_event(const hfi_event* ev);

struct StreamRecording {
  std::vector<RecordedEvent> events;
  int abort_after = -1;  // return non-zero from the callback once this many events were seen

  std::string deltas() const;  // concatenated DELTA texts
  size_t count(int32_t type) const;
  static int32_t callback(const hfi_event* ev, void* user_data);
};

struct StreamResult {
  hfi_status status = HFI_OK;
  ResponsePtr response;
  StreamRecording recording;
};

StreamResult stream_chat(hfi_client* client, const std::string& body, int abort_after = -1);

struct BlockingResult {
  hfi_status status = HFI_OK;
  ResponsePtr response;
};
BlockingResult chat(hfi_client* client, const std::string& body);

// An HTTP exchange made without hfi (the emulator's control routes): the body of the answer, or
// empty when the exchange failed.
std::string http(const std::string& method, const std::string& url, const std::string& body = "");

// A JSON string literal (quoted, escaped) for building emulator script steps.
std::string json_str(const std::string& raw);
// {"sse":[pieces...]} plus `extra` members.
std::string sse_step(const std::vector<std::string>& pieces, const std::string& extra = "");
// {"sse_base64":[pieces...]}: for pieces that are not valid UTF-8 on their own.
std::string sse_bytes_step(const std::vector<std::string>& pieces);
// One OpenAI stream chunk carrying a content delta / a finish reason.
std::string delta_chunk(const std::string& content);
std::string finish_chunk(const std::string& reason);

// Every line of a client's log (hfi_client_options_set_log), with its level; thread-safe.
struct LogRecorder {
  std::mutex mutex;
  std::vector<std::pair<int32_t, std::string>> lines;
  static void HFI_CALL callback(int32_t level, const char* message, size_t len, void* user_data) {
    auto* self = static_cast<LogRecorder*>(user_data);
    std::lock_guard<std::mutex> lock(self->mutex);
    self->lines.emplace_back(level, std::string(message, len));
  }
  bool any(const std::string& part) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& [level, line] : lines)
      if (line.find(part) != std::string::npos) return true;
    return false;
  }
  size_t at_level(int32_t wanted) {
    std::lock_guard<std::mutex> lock(mutex);
    size_t n = 0;
    for (const auto& [level, line] : lines) n += level == wanted;
    return n;
  }
  std::string all() {
    std::lock_guard<std::mutex> lock(mutex);
    std::string out;
    for (const auto& [level, line] : lines) out += std::to_string(level) + " " + line + "\n";
    return out;
  }
};

// Starts an emulator for one test.
class EmulatorTest : public ::testing::Test {
 protected:
  void SetUp() override;
  hfi::emu::Emulator emu_;
};

}  // namespace hfi_test

namespace hfi_test {
// A view returned by an indexed getter (tool calls), as a std::string.
template <class Object, class Getter>
std::string text_at(const Object* object, size_t index, Getter getter) {
  const char* p = nullptr;
  size_t n = 0;
  if (getter(object, index, &p, &n) != HFI_OK || !p) return {};
  return std::string(p, n);
}
}  // namespace hfi_test
