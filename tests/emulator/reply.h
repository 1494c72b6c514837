// What to send back for one request: status, headers, body pieces, and the
// scripted faults that decide how (and whether) those bytes reach the client.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hfi::emu {

struct Faults {
  int delay_ms = 0;        // before the status line
  int chunk_delay_ms = 0;  // between pieces
  int split_bytes = 0;     // >0: re-cut the body into writes of exactly this many bytes
  int stall_after = -1;    // after this many pieces, go silent for stall_ms, then continue
  int stall_ms = 0;
  int drop_after = -1;     // after this many pieces, close without finishing the body
  bool close_after_headers = false;
};

struct Reply {
  int status = 200;
  std::string reason;  // empty = the standard phrase for status
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included; framing headers are added when sent
  std::vector<std::string> pieces;  // the body, in the writes it should arrive in
  bool streamed = false;            // chunked transfer coding, one chunk per piece; else Content-Length
  Faults faults;

  // Replaces any header of the same name (case-insensitive).
  void set_header(const std::string& name, const std::string& value);
  std::string body() const;  // pieces concatenated
};

Reply json_reply(int status, const std::string& json_text);

}  // namespace hfi::emu
