#include "reply.h"

#include <algorithm>

#include "text_util.h"

namespace hfi::emu {

void Reply::set_header(const std::string& name, const std::string& value) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& header) { return iequals(header.first, name); }),
                headers.end());
  headers.emplace_back(name, value);
}

std::string Reply::body() const {
  std::string joined;
  for (const auto& piece : pieces) joined += piece;
  return joined;
}

Reply json_reply(int status, const std::string& json_text) {
  Reply reply;
  reply.status = status;
  reply.headers.emplace_back("Content-Type", "application/json");
  reply.pieces.push_back(json_text);
  return reply;
}

}  // namespace hfi::emu
