// A parsed HTTP/1.x request as the emulator sees it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hfi::emu {

struct HttpRequest {
  std::string method;
  std::string target;  // as sent on the request line
  std::string path;    // target up to '?', still percent-encoded
  std::string query;   // after '?', without it
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
  std::string body;       // de-chunked when sent chunked

  // All values of a header joined with ", "; empty if absent. name must be lower-case.
  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const;
  bool wants_keep_alive() const;
};

}  // namespace hfi::emu
