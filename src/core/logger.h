// The client's log (hfi_client_options_set_log): lines for people, built only when someone
// listens, scrubbed of every secret the client holds, and handed to the callback one at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/redact.h"
#include "hfi/hfi.h"

namespace hfi {

struct LogSink {
  hfi_log_cb callback = nullptr;
  void* user_data = nullptr;
  int32_t max_level = HFI_LOG_INFO;
};

class Logger {
 public:
  Logger(LogSink sink, SecretScrubber scrubber) : sink_(sink), scrubber_(std::move(scrubber)) {}

  bool enabled(int32_t level) const { return sink_.callback && level <= sink_.max_level; }
  // Scrubs `line` and calls the callback, never two calls at once (any thread).
  void log(int32_t level, std::string line) const;
  // For error messages and bodies that reach the caller.
  void scrub(std::string& text) const { scrubber_.scrub(text); }
  // A number naming one request in the log.
  uint64_t next_request_id() const { return ++requests_; }

 private:
  const LogSink sink_;
  const SecretScrubber scrubber_;
  mutable std::mutex mutex_;
  mutable std::atomic<uint64_t> requests_{0};
};

}  // namespace hfi
