#include "protocol/body_rewrite.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>

#include "protocol/json_write.h"

namespace hfi::json {

namespace {

bool read_facts(simdjson::dom::parser& parser, std::string_view body, BodyFacts& out, std::string& error_message) {
  try {
    out = BodyFacts{};
    error_message.clear();
    simdjson::dom::element root;
    // Copies the body into the parser's own padded buffer, which is kept for the next body.
    if (const auto error = parser.parse(body.data(), body.size(), /*realloc_if_needed=*/true).get(root)) {
      error_message = std::string("request body is not valid JSON: ") + simdjson::error_message(error);
      return false;
    }
    simdjson::dom::object object;
    if (root.get_object().get(object)) {
      error_message = "request body must be a JSON object";
      return false;
    }
    out.is_object = true;
    // Iterate instead of at_key so that, with duplicate keys, the last wins.
    for (const simdjson::dom::key_value_pair member : object) {
      if (member.key == "model") {
        out.has_model = true;
        std::string_view model;
        out.model = member.value.get_string().get(model) ? std::string() : std::string(model);
      } else if (member.key == "stream") {
        out.has_stream = true;
        bool stream = false;
        out.stream = !member.value.get_bool().get(stream) && stream;
      }
    }
    return true;
  } catch (...) {  // only std::bad_alloc can get here
    error_message = "out of memory while reading the request body";
    return false;
  }
}

}  // namespace

bool inspect_body(std::string_view body, BodyFacts& out, std::string& error_message) {
  simdjson::dom::parser parser;
  return read_facts(parser, body, out, error_message);
}

struct BodyInspector::Parser {
  simdjson::dom::parser dom;
};

BodyInspector::BodyInspector() : parser_(std::make_unique<Parser>()) {}
BodyInspector::~BodyInspector() = default;

bool BodyInspector::inspect(std::string_view body, BodyFacts& out, std::string& error_message) {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || body.size() > kReusedBytes) return inspect_body(body, out, error_message);
  return read_facts(parser_->dom, body, out, error_message);
}

namespace {

constexpr size_t kFail = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skip_space(std::string_view s, size_t pos) {
  while (pos < s.size() && is_space(s[pos])) ++pos;
  return pos;
}

// `pos` is at the opening quote; returns the index just past the closing one.
size_t string_end(std::string_view s, size_t pos) {
  size_t i = pos + 1;
  for (;;) {
    i = s.find_first_of("\"\\", i);
    if (i == kFail) return kFail;
    if (s[i] == '"') return i + 1;
    i += 2;  // a backslash always escapes exactly the next byte's start (\" \\ \uXXXX ...)
  }
}

// Returns the index just past the value starting at `pos`. Relies on the
// document having been validated: it only balances brackets and strings.
size_t value_end(std::string_view s, size_t pos) {
  if (pos >= s.size()) return kFail;
  const char first = s[pos];
  if (first == '"') return string_end(s, pos);
  if (first == '{' || first == '[') {
    size_t depth = 0;
    size_t i = pos;
    for (;;) {
      i = s.find_first_of("\"{}[]", i);
      if (i == kFail) return kFail;
      if (s[i] == '"') {
        i = string_end(s, i);
        if (i == kFail) return kFail;
        continue;
      }
      if (s[i] == '{' || s[i] == '[') {
        ++depth;
      } else if (--depth == 0) {
        return i + 1;
      }
      ++i;
    }
  }
  size_t i = pos;
  while (i < s.size() && !is_space(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
  return i == pos ? kFail : i;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex4(std::string_view s, size_t pos, uint32_t& out) {
  if (pos + 4 > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    const int digit = hex_value(s[i]);
    if (digit < 0) return false;
    out = out * 16 + static_cast<uint32_t>(digit);
  }
  return true;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the inside of a JSON string literal. Only keys go through here, so
// a plain byte loop is fast enough; escaped keys are rare but must still
// compare equal to their plain spelling ("mod\u0065l" is "model").
bool decode_json_string(std::string_view raw, std::string& out) {
  out.clear();
  if (raw.find('\\') == kFail) {
    out.assign(raw);
    return true;
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out.push_back(raw[i]);
      continue;
    }
    if (++i >= raw.size()) return false;
    switch (raw[i]) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t cp = 0;
        if (!read_hex4(raw, i + 1, cp)) return false;
        i += 4;
        uint32_t low = 0;
        if (cp >= 0xD800 && cp <= 0xDBFF && raw.substr(i + 1, 2) == "\\u" && read_hex4(raw, i + 3, low) &&
            low >= 0xDC00 && low <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
          cp = 0xFFFD;  // a lone surrogate has no UTF-8 form
        }
        append_utf8(out, cp);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

bool split_object(std::string_view s, std::vector<RawMember>& members) {
  size_t pos = skip_space(s, 0);
  if (pos >= s.size() || s[pos] != '{') return false;
  pos = skip_space(s, pos + 1);
  if (pos < s.size() && s[pos] == '}') return skip_space(s, pos + 1) == s.size();
  for (;;) {
    if (pos >= s.size() || s[pos] != '"') return false;
    const size_t key_end = string_end(s, pos);
    if (key_end == kFail) return false;
    RawMember member;
    member.raw_key = s.substr(pos, key_end - pos);
    if (!decode_json_string(member.raw_key.substr(1, member.raw_key.size() - 2), member.key)) return false;
    pos = skip_space(s, key_end);
    if (pos >= s.size() || s[pos] != ':') return false;
    pos = skip_space(s, pos + 1);
    const size_t end = value_end(s, pos);
    if (end == kFail) return false;
    member.raw_value = s.substr(pos, end - pos);
    members.push_back(std::move(member));
    pos = skip_space(s, end);
    if (pos >= s.size()) return false;
    if (s[pos] == '}') return skip_space(s, pos + 1) == s.size();
    if (s[pos] != ',') return false;
    pos = skip_space(s, pos + 1);
  }
}

namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

const std::string* find_override(const Overrides& overrides, std::string_view key) {
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}


}  // namespace

void ObjectWriter::raw(std::string_view raw_key, std::string_view raw_value) {
  separate();
  out_ += raw_key;
  out_.push_back(':');
  out_ += raw_value;
}

void ObjectWriter::member(std::string_view key, std::string_view value_json) {
  separate();
  append_json_key(out_, key);
  out_ += value_json.empty() ? std::string_view("null") : value_json;
}

void ObjectWriter::separate() {
  if (!first_) out_.push_back(',');
  first_ = false;
}

std::string rewrite_body(std::string_view body, const Overrides& overrides, const std::vector<std::string_view>& removed) {
  try {
    std::vector<RawMember> members;
    if (!split_object(body, members)) return std::string(body);
    size_t size = body.size() + 2;
    for (const auto& [key, value] : overrides) size += key.size() + value.size() + 8;
    std::string out;
    out.reserve(size);
    ObjectWriter writer(out);

    if (const std::string* model = find_override(overrides, "model")) {
      writer.member("model", *model);
    } else {
      for (const RawMember& member : members) {
        if (member.key == "model") writer.raw(member.raw_key, member.raw_value);
      }
    }

    std::vector<std::string_view> overridden;
    auto write_override_once = [&](std::string_view key) {
      if (std::find(overridden.begin(), overridden.end(), key) != overridden.end()) return;
      overridden.push_back(key);
      writer.member(key, *find_override(overrides, key));
    };
    for (const RawMember& member : members) {
      if (member.key == "model") continue;
      if (find_override(overrides, member.key)) {
        write_override_once(member.key);
      } else if (std::find(removed.begin(), removed.end(), member.key) != removed.end()) {
        continue;
      } else {
        writer.raw(member.raw_key, member.raw_value);
      }
    }
    for (const auto& override_member : overrides) {
      if (override_member.first != "model") write_override_once(override_member.first);
    }
    writer.close();
    return out;
  } catch (...) {  // only std::bad_alloc can get here
    return std::string();
  }
}

}  // namespace hfi::json
