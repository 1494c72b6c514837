#include "protocol/error_body.h"

#include <simdjson.h>

#include <cctype>

namespace hfi::json {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxTextMessage = 1000;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Cutting inside a multi-byte character would hand callers invalid UTF-8.
std::string_view cap_utf8(std::string_view s, size_t limit) {
  if (s.size() <= limit) return s;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return trim(s.substr(0, cut));
}

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && std::tolower(static_cast<unsigned char>(haystack[i + j])) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

bool is_html(std::string_view trimmed_body, std::string_view content_type) {
  return contains_ignoring_case(content_type, "html") || (!trimmed_body.empty() && trimmed_body.front() == '<');
}

// Strings as they are; numbers and booleans as JSON text (codes are numbers
// for some servers, strings for others); null and containers as nothing.
std::string text_of(dom::element value) {
  switch (value.type()) {
    case dom::element_type::STRING: {
      std::string_view s;
      return value.get_string().get(s) ? std::string() : std::string(s);
    }
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
    case dom::element_type::BOOL:
      return simdjson::minify(value);
    default:
      return std::string();
  }
}

std::string member_text(dom::object object, std::string_view key) {
  dom::element value;
  if (object.at_key(key).get(value)) return std::string();
  return text_of(value);
}

void append_separated(std::string& joined, std::string_view piece) {
  piece = trim(piece);
  if (piece.empty()) return;
  if (!joined.empty()) joined += "; ";
  joined += piece;
}

// Lists of errors: strings, or objects carrying "message" (or FastAPI's "msg").
std::string join_messages(dom::array items) {
  std::string joined;
  for (dom::element item : items) {
    dom::object object;
    if (item.get_object().get(object)) {
      append_separated(joined, text_of(item));
      continue;
    }
    std::string message = member_text(object, "message");
    if (message.empty()) message = member_text(object, "msg");
    append_separated(joined, message);
  }
  return joined;
}

void read_error_member(dom::element error, dom::object body, ErrorInfo& info) {
  dom::object object;
  dom::array list;
  if (!error.get_object().get(object)) {
    info.message = member_text(object, "message");
    info.type = member_text(object, "type");
    info.code = member_text(object, "code");
  } else if (!error.get_array().get(list)) {
    info.message = join_messages(list);
  } else {
    info.message = text_of(error);
    // OAuth-style {"error":"invalid_token","error_description":"..."}.
    const std::string description = member_text(body, "error_description");
    if (!info.message.empty() && !description.empty()) info.message += ": " + description;
  }
}

// FastAPI: "detail" is a string, or a list of {"loc","msg","type"}.
void read_detail_member(dom::element detail, ErrorInfo& info) {
  dom::array list;
  dom::object object;
  if (!detail.get_array().get(list)) {
    info.message = join_messages(list);
    dom::element first;
    if (info.type.empty() && !list.at(0).get(first) && !first.get_object().get(object)) {
      info.type = member_text(object, "type");
    }
  } else if (!detail.get_object().get(object)) {
    info.message = member_text(object, "msg");
    if (info.message.empty()) info.message = member_text(object, "message");
  } else {
    info.message = text_of(detail);
  }
}

void read_error_object(dom::object body, ErrorInfo& info) {
  dom::element member;
  if (!body.at_key("error").get(member)) read_error_member(member, body, info);
  if (info.type.empty()) info.type = member_text(body, "error_type");  // TGI
  if (info.message.empty()) {
    info.message = member_text(body, "message");  // Kong, vLLM, OpenAI's 421
    if (info.type.empty()) info.type = member_text(body, "type");
    if (info.code.empty()) info.code = member_text(body, "code");
  }
  if (info.message.empty() && !body.at_key("detail").get(member)) read_detail_member(member, info);
  dom::array list;
  if (info.message.empty() && !body.at_key("errors").get(list)) info.message = join_messages(list);
  if (info.message.empty()) info.message = member_text(body, "error_description");
  if (info.message.empty()) info.message = member_text(body, "title");  // problem+json without detail
  double seconds = 0;
  if (!body.at_key("estimated_time").get(member) && !member.get_double().get(seconds) && seconds >= 0) {
    info.estimated_time = seconds;
  }
  info.message = std::string(trim(info.message));
}

// Returns false when the text is not valid JSON.
bool read_json_error(std::string_view text, ErrorInfo& info) {
  dom::parser parser;
  const simdjson::padded_string padded(text);
  dom::element root;
  if (parser.parse(padded).get(root)) return false;
  dom::object object;
  if (!root.get_object().get(object)) {
    read_error_object(object, info);
  } else {
    dom::array list;
    info.message = std::string(trim(!root.get_array().get(list) ? join_messages(list) : text_of(root)));
  }
  if (info.message.empty() && info.type.empty() && info.code.empty()) {
    info.message = std::string(cap_utf8(text, kMaxTextMessage));
  }
  return true;
}

bool may_be_json(std::string_view trimmed) {
  return !trimmed.empty() && (trimmed.front() == '{' || trimmed.front() == '[' || trimmed.front() == '"');
}

}  // namespace

ErrorInfo parse_error_body(std::string_view body, std::string_view content_type) {
  ErrorInfo info;
  try {
    const std::string_view text = trim(body);
    if (is_html(text, content_type)) return info;
    if (may_be_json(text) && read_json_error(text, info)) return info;
    info = ErrorInfo{};
    info.message = std::string(cap_utf8(text, kMaxTextMessage));
  } catch (...) {  // only std::bad_alloc can get here
    info = ErrorInfo{};
  }
  return info;
}

}  // namespace hfi::json
