// Every emulated request, in arrival order, for tests to assert on what the
// client really sent.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "emulator.h"
#include "http_request.h"

namespace hfi::emu {

class RequestLog {
 public:
  void record(const HttpRequest& request);
  std::vector<RecordedRequest> snapshot() const;
  // JSON array; a body that is not UTF-8 is given as base64 with "body_encoding":"base64".
  std::string to_json() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace hfi::emu
