#include "request_body.h"

#include <cstdio>

namespace hfi_cli {

std::string json_string(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

namespace {

std::string message(const std::string& role, const std::string& content, const std::vector<std::string>& images = {}) {
  std::string body = "{\"role\":" + json_string(role) + ",\"content\":";
  if (images.empty()) return body + json_string(content) + "}";
  body += "[{\"type\":\"text\",\"text\":" + json_string(content) + "}";
  for (const std::string& url : images)
    body += ",{\"type\":\"image_url\",\"image_url\":{\"url\":" + json_string(url) + "}}";
  return body + "]}";
}

std::string tool_choice(const std::string& choice) {
  if (choice == "auto" || choice == "none" || choice == "required") return json_string(choice);
  return "{\"type\":\"function\",\"function\":{\"name\":" + json_string(choice) + "}}";
}

}  // namespace

std::string chat_request_body(const ChatArguments& args, const std::vector<ChatTurn>& turns,
                              const std::string& tools_json) {
  std::string body = "{\"model\":" + json_string(args.model) + ",\"messages\":[";
  if (args.system) body += message("system", *args.system) + ",";
  for (size_t i = 0; i < turns.size(); ++i)
    body += (i ? "," : "") + message(turns[i].role, turns[i].content, turns[i].image_urls);
  body += "]";
  if (args.max_tokens) body += ",\"max_tokens\":" + std::to_string(*args.max_tokens);
  if (args.temperature) {
    char number[32];
    std::snprintf(number, sizeof number, "%.15g", *args.temperature);  // 0.7, not 0.69999...; C locale: "."
    body += ",\"temperature\":" + std::string(number);
  }
  if (!tools_json.empty()) body += ",\"tools\":" + tools_json;
  if (args.tool_choice) body += ",\"tool_choice\":" + tool_choice(*args.tool_choice);
  // Without it, a stream reports no token counts. `stream` itself is set by the library.
  if (args.stream) body += ",\"stream_options\":{\"include_usage\":true}";
  body += "}";
  return body;
}

}  // namespace hfi_cli
