#include "tape_reply.h"

#include "text_util.h"

namespace hfi::emu {
namespace {

bool is_unsafe_to_replay(const std::string& name) {
  // Framing and connection headers describe the original transfer, not this one;
  // the recorded body is already decoded, so Content-Encoding would be a lie.
  static const char* const kDropped[] = {"content-type", "content-length", "transfer-encoding", "connection",
                                         "keep-alive",   "content-encoding", "date",            "trailer",
                                         "upgrade",      "proxy-connection", "te"};
  for (const char* dropped : kDropped)
    if (iequals(name, dropped)) return true;
  return false;
}

// The recorder did not keep binary bodies; a few magic bytes let content
// sniffing and framing be tested anyway.
std::string placeholder_bytes(const std::string& content_type) {
  std::string type = to_lower(content_type);
  if (starts_with(type, "image/jpeg")) return std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\xFF\xD9", 16);
  if (starts_with(type, "image/png")) return std::string("\x89PNG\r\n\x1A\n", 8);
  if (starts_with(type, "image/webp")) return std::string("RIFF\x04\x00\x00\x00WEBP", 12);
  if (starts_with(type, "audio/flac")) return "fLaC";
  if (starts_with(type, "audio/x-wav") || starts_with(type, "audio/wav"))
    return std::string("RIFF\x04\x00\x00\x00WAVE", 12);
  if (starts_with(type, "video/mp4")) return std::string("\x00\x00\x00\x10" "ftypmp42\x00\x00\x00\x00", 16);
  return {};
}

std::string string_field(const nlohmann::json& record, const char* key) {
  auto field = record.find(key);
  return field != record.end() && field->is_string() ? field->get<std::string>() : std::string();
}

bool one_line(const std::string& text) { return text.find_first_of("\r\n") == std::string::npos; }

}  // namespace

std::vector<std::string> split_sse_events(const std::string& body) {
  std::vector<std::string> events;
  std::size_t start = 0;
  bool line_is_empty = true;  // nothing seen since the last line ending
  std::size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (c != '\r' && c != '\n') {
      line_is_empty = false;
      ++i;
      continue;
    }
    std::size_t after = (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') ? i + 2 : i + 1;
    if (line_is_empty && i > start) {  // a blank line ends the event
      events.push_back(body.substr(start, after - start));
      start = after;
    }
    line_is_empty = true;
    i = after;
  }
  if (start < body.size()) events.push_back(body.substr(start));
  return events;
}

Reply tape_reply(const nlohmann::json& record) {
  Reply reply;
  auto status = record.find("response_status");
  if (status != record.end() && status->is_number_integer()) reply.status = status->get<int>();
  reply.reason = string_field(record, "response_status_text");
  if (!one_line(reply.reason)) reply.reason.clear();
  std::string content_type = string_field(record, "content_type");
  if (!content_type.empty() && one_line(content_type)) reply.headers.emplace_back("Content-Type", content_type);
  if (record.contains("response_headers") && record["response_headers"].is_object()) {
    for (const auto& [name, value] : record["response_headers"].items()) {
      if (is_unsafe_to_replay(name) || !value.is_string() || !one_line(name + value.get<std::string>())) continue;
      reply.headers.emplace_back(name, value.get<std::string>());
    }
  }
  std::string body;
  if (record.contains("response_body") && record["response_body"].is_string()) {
    body = record["response_body"].get<std::string>();
  } else {
    body = placeholder_bytes(content_type);
    reply.headers.emplace_back("X-Emulator-Note", "binary body was not recorded; placeholder bytes");
  }
  auto is_stream = record.find("is_stream");
  reply.streamed = is_stream != record.end() && is_stream->is_boolean() && is_stream->get<bool>();
  if (reply.streamed) reply.pieces = split_sse_events(body);
  else reply.pieces.push_back(std::move(body));
  return reply;
}

}  // namespace hfi::emu
