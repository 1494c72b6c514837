// Reads HTTP/1.x requests off one connection, one at a time, keeping any bytes
// of a pipelined next request for the following call.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "connection.h"
#include "http_request.h"
#include "stop_signal.h"

namespace hfi::emu {

enum class ReadStatus {
  request,           // *out holds a complete request
  closed,            // peer closed, idle too long, or asked to make room (no reply due)
  bad_request,       // reply 400 and close
  header_too_large,  // reply 431 and close
  body_too_large,    // reply 413 and close
  stopped,           // server shutting down
};

struct IdlePolicy {
  int keep_alive_timeout_ms = 60000;
  // While true, an idle keep-alive connection is given up after a short grace so
  // that queued connections get a worker; HTTP clients retry such closes.
  std::function<bool()> others_waiting;
};

class RequestReader {
 public:
  static constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
  static constexpr std::size_t kMaxBodyBytes = 256u * 1024 * 1024;
  static constexpr int kRequestTimeoutMs = 30000;  // longest silence inside one request

  RequestReader(Connection& connection, const StopSignal& stop) : connection_(connection), stop_(stop) {}
  ReadStatus next(HttpRequest* out, const IdlePolicy& idle);

 private:
  enum class Fill { more, eof, failed, stopped };
  Fill fill(int silence_limit_ms);
  ReadStatus wait_for_first_byte(const IdlePolicy& idle);
  ReadStatus parse_head(std::size_t head_end, HttpRequest* out);
  ReadStatus read_body(HttpRequest* out);
  ReadStatus read_chunked_body(HttpRequest* out);
  // *line excludes the line ending.
  ReadStatus read_line(std::string* line, std::size_t max_length);
  ReadStatus ensure_available(std::size_t bytes);
  ReadStatus fill_status();

  Connection& connection_;
  const StopSignal& stop_;
  std::string buffer_;  // unread bytes
  int served_ = 0;      // requests read so far on this connection
};

}  // namespace hfi::emu
