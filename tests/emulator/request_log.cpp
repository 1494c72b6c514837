#include "request_log.h"

#include <nlohmann/json.hpp>

#include "base64.h"

namespace hfi::emu {
namespace {

bool is_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();  // dump() validates UTF-8 strictly
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// Header values are not guaranteed to be UTF-8 either; keep them readable.
std::string printable(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void RequestLog::record(const HttpRequest& request) {
  RecordedRequest entry;
  entry.method = request.method;
  entry.path = request.path;
  entry.query = request.query;
  for (const auto& [name, value] : request.headers) {
    auto [slot, inserted] = entry.headers.emplace(name, value);
    if (!inserted) slot->second += ", " + value;
  }
  entry.body = request.body;
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.push_back(std::move(entry));
}

std::vector<RecordedRequest> RequestLog::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::string RequestLog::to_json() const {
  std::vector<RecordedRequest> requests = snapshot();
  std::string out = "[";
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const RecordedRequest& request = requests[i];
    bool text_body = is_utf8(request.body);
    std::string headers = "{";
    for (const auto& [name, value] : request.headers) {
      if (headers.size() > 1) headers += ",";
      headers += printable(name) + ":" + printable(value);
    }
    headers += "}";
    if (i > 0) out += ",";
    out += "{\"method\":" + printable(request.method) + ",\"path\":" + printable(request.path) +
           ",\"query\":" + printable(request.query) + ",\"headers\":" + headers + ",\"body\":" +
           (text_body ? nlohmann::json(request.body).dump() : nlohmann::json(base64_encode(request.body)).dump()) +
           ",\"body_encoding\":\"" + (text_body ? "text" : "base64") + "\"}";
  }
  return out + "]";
}

void RequestLog::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.clear();
}

}  // namespace hfi::emu
