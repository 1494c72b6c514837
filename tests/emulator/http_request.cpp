#include "http_request.h"

#include "text_util.h"

namespace hfi::emu {

std::string HttpRequest::header(const std::string& name) const {
  std::string joined;
  for (const auto& [key, value] : headers) {
    if (key != name) continue;
    if (!joined.empty()) joined += ", ";
    joined += value;
  }
  return joined;
}

bool HttpRequest::has_header(const std::string& name) const {
  for (const auto& entry : headers)
    if (entry.first == name) return true;
  return false;
}

bool HttpRequest::wants_keep_alive() const {
  std::string connection = to_lower(header("connection"));
  if (minor_version == 0) return contains_token(connection, "keep-alive");
  return !contains_token(connection, "close");
}

}  // namespace hfi::emu
