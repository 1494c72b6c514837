#include "protocol/chat_json.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <deque>
#include <limits>
#include <utility>

#include "protocol/json_write.h"

namespace hfi::json {

namespace od = simdjson::ondemand;
using od::json_type;

struct ChunkParser::Impl {
  od::parser parser;
  std::string padded_copy;
  // Texts this library has to build itself (joined content parts, joined
  // error lists). A deque never moves its elements when it grows, so views
  // handed out earlier in the same parse stay valid.
  std::deque<std::string> texts;
  size_t texts_used = 0;

  std::string& next_text() {
    if (texts_used == texts.size()) texts.emplace_back();
    std::string& text = texts[texts_used++];
    text.clear();
    return text;
  }

  // `saw_choices` reports whether the payload had a `choices` array, which
  // only the full-response parser cares about.
  bool parse(std::string_view data, bool padded, ChunkView& out, bool& saw_choices);
};

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
  return s;
}

bool ok(simdjson::error_code error) { return error == simdjson::SUCCESS; }

// The read_* helpers share one contract: they return false only when the
// JSON is broken, and leave `out` untouched when the value is null or of a
// type they do not accept, because servers disagree on types and a
// surprising member must not cost us the whole chunk.

bool read_string(od::value& v, std::string_view& out) {
  json_type type;
  if (!ok(v.type().get(type))) return false;
  if (type != json_type::string) return true;
  return ok(v.get_string().get(out));
}

// Strings unescaped; numbers and booleans as their raw text (TGI sends
// tool-call ids as numbers, OpenAI-compatible servers error codes as numbers).
bool read_text(od::value& v, std::string_view& out) {
  json_type type;
  if (!ok(v.type().get(type))) return false;
  switch (type) {
    case json_type::string:
      return ok(v.get_string().get(out));
    case json_type::number:
    case json_type::boolean:
      out = trim_right(v.raw_json_token());
      return true;
    default:
      return true;
  }
}

// Like read_text, but objects and arrays are exposed as their raw JSON text:
// TGI sends tool-call arguments as an object instead of a JSON-encoded string.
bool read_text_or_raw(od::value& v, std::string_view& out) {
  json_type type;
  if (!ok(v.type().get(type))) return false;
  std::string_view raw;
  if (type == json_type::object) {
    od::object object;
    if (!ok(v.get_object().get(object)) || !ok(object.raw_json().get(raw))) return false;
  } else if (type == json_type::array) {
    od::array array;
    if (!ok(v.get_array().get(array)) || !ok(array.raw_json().get(raw))) return false;
  } else {
    return read_text(v, out);
  }
  out = trim_right(raw);  // simdjson includes the whitespace that follows
  return true;
}

bool read_int64(od::value& v, int64_t& out) {
  json_type type;
  if (!ok(v.type().get(type))) return false;
  if (type != json_type::number) return true;
  int64_t integer;
  if (ok(v.get_int64().get(integer))) {
    out = integer;
    return true;
  }
  // Some servers write counts as 12.0; a failed get_int64 does not consume the value.
  double real;
  if (!ok(v.get_double().get(real))) return false;
  if (std::isfinite(real) && real >= -9.0e18 && real <= 9.0e18) out = static_cast<int64_t>(real);
  return true;
}

// Indices outside int32 are nonsense; keep the positional default then.
bool read_index(od::value& v, int32_t& out) {
  int64_t index = -1;
  if (!read_int64(v, index)) return false;
  if (index >= 0 && index <= std::numeric_limits<int32_t>::max()) out = static_cast<int32_t>(index);
  return true;
}

template <class Visitor>
bool for_each_member(od::value& v, Visitor&& visit) {
  json_type type;
  if (!ok(v.type().get(type))) return false;
  if (type != json_type::object) return true;
  od::object object;
  if (!ok(v.get_object().get(object))) return false;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (!ok(std::move(member).get(field)) || !ok(field.unescaped_key().get(key))) return false;
    if (!visit(key, field.value())) return false;
  }
  return true;
}

// Visits array elements with their position; non-arrays are treated as absent.
template <class Visitor>
bool for_each_element(od::value& v, Visitor&& visit) {
  json_type type;
  if (!ok(v.type().get(type))) return false;
  if (type != json_type::array) return true;
  od::array array;
  if (!ok(v.get_array().get(array))) return false;
  int32_t position = 0;
  for (auto item : array) {
    od::value element;
    if (!ok(std::move(item).get(element))) return false;
    if (!visit(element, position)) return false;
    if (position < std::numeric_limits<int32_t>::max()) ++position;
  }
  return true;
}

bool is_object(od::value& v, bool& result) {
  json_type type;
  if (!ok(v.type().get(type))) return false;
  result = type == json_type::object;
  return true;
}

void append_separated(std::string& joined, std::string_view piece) {
  if (piece.empty()) return;
  if (!joined.empty()) joined += "; ";
  joined += piece;
}

class ChunkReader {
 public:
  explicit ChunkReader(ChunkParser::Impl& impl) : impl_(impl) {}

  bool read_root(od::document& doc, ChunkView& out, bool& saw_choices) {
    od::object root;
    if (!ok(doc.get_object().get(root))) return false;
    // vLLM reports errors as a bare {"object":"error","message",...}; the
    // members can come in any order, so keep them until the end.
    std::string_view root_message, root_type, root_code, tgi_error_type;
    size_t choices_used = 0;
    for (auto member : root) {
      od::field field;
      std::string_view key;
      if (!ok(std::move(member).get(field)) || !ok(field.unescaped_key().get(key))) return false;
      od::value& v = field.value();
      bool good = true;
      if (key == "choices") {
        good = read_choices(v, out.choices, choices_used, saw_choices);
      } else if (key == "id") {
        good = read_text(v, out.id);
      } else if (key == "model") {
        good = read_string(v, out.model);
      } else if (key == "object") {
        good = read_string(v, out.object);
      } else if (key == "usage") {
        good = read_usage(v, out.usage);
      } else if (key == "error") {
        good = read_error_member(v, out);
      } else if (key == "error_type") {
        good = read_string(v, tgi_error_type);
      } else if (key == "message") {
        good = read_text(v, root_message);
      } else if (key == "type") {
        good = read_text(v, root_type);
      } else if (key == "code") {
        good = read_text(v, root_code);
      }
      if (!good) return false;
    }
    out.choices.resize(choices_used);
    if (!out.is_error && out.object == "error") {
      out.is_error = true;
      out.error_message = root_message;
      out.error_type = root_type;
      out.error_code = root_code;
    }
    if (out.is_error && out.error_type.empty()) out.error_type = tgi_error_type;
    return true;
  }

 private:
  bool read_choices(od::value& v, std::vector<ChoiceDelta>& choices, size_t& used, bool& saw) {
    json_type type;
    if (!ok(v.type().get(type))) return false;
    if (type != json_type::array) return true;
    saw = true;
    return for_each_element(v, [&](od::value& element, int32_t position) {
      bool object = false;
      if (!is_object(element, object)) return false;
      if (!object) return true;
      // Reuse slots (and their tool_calls capacity) from earlier chunks.
      if (used == choices.size()) choices.emplace_back();
      ChoiceDelta& choice = choices[used++];
      choice.index = position;
      choice.content = choice.reasoning = choice.role = choice.finish_reason = choice.content_token = {};
      choice.tool_calls.clear();
      return read_choice(element, choice);
    });
  }

  bool read_choice(od::value& v, ChoiceDelta& choice) {
    return for_each_member(v, [&](std::string_view key, od::value& member) {
      if (key == "delta" || key == "message") return read_delta(member, choice);
      if (key == "index") return read_index(member, choice.index);
      if (key == "finish_reason") return read_string(member, choice.finish_reason);
      return true;
    });
  }

  bool read_delta(od::value& v, ChoiceDelta& choice) {
    return for_each_member(v, [&](std::string_view key, od::value& member) {
      if (key == "content") return read_content(member, choice.content, choice.content_token);
      if (key == "role") return read_string(member, choice.role);
      if (key == "tool_calls") return read_tool_calls(member, choice.tool_calls);
      if (key == "reasoning" || key == "reasoning_content") {
        // Some servers send both names with the same text; take one, not both.
        std::string_view reasoning;
        if (!read_string(member, reasoning)) return false;
        if (choice.reasoning.empty()) choice.reasoning = reasoning;
      }
      return true;
    });
  }

  // content is a string, or (rarely) an array of parts whose text we join.
  bool read_content(od::value& v, std::string_view& out, std::string_view& token) {
    json_type type;
    if (!ok(v.type().get(type))) return false;
    // The token of the content that counts: a later duplicate member replaces an earlier one.
    token = type == json_type::string ? v.raw_json_token() : std::string_view();
    if (type != json_type::array) return read_string(v, out);
    std::string& joined = impl_.next_text();
    bool good = for_each_element(v, [&](od::value& part, int32_t) {
      json_type part_type;
      if (!ok(part.type().get(part_type))) return false;
      std::string_view text;
      if (part_type == json_type::string) {
        if (!read_string(part, text)) return false;
        joined += text;
        return true;
      }
      std::string_view kind;
      if (!for_each_member(part, [&](std::string_view key, od::value& member) {
            if (key == "type") return read_string(member, kind);
            if (key == "text") return read_string(member, text);
            return true;
          })) {
        return false;
      }
      if (kind.empty() || kind == "text") joined += text;
      return true;
    });
    out = joined;
    return good;
  }

  bool read_tool_calls(od::value& v, std::vector<ToolCallDelta>& calls) {
    return for_each_element(v, [&](od::value& element, int32_t position) {
      bool object = false;
      if (!is_object(element, object)) return false;
      if (!object) return true;
      ToolCallDelta& call = calls.emplace_back();
      call.index = position;
      return for_each_member(element, [&](std::string_view key, od::value& member) {
        if (key == "function") return read_function(member, call);
        if (key == "index") return read_index(member, call.index);
        if (key == "id") return read_text(member, call.id);
        if (key == "type") return read_string(member, call.type);
        return true;
      });
    });
  }

  bool read_function(od::value& v, ToolCallDelta& call) {
    return for_each_member(v, [&](std::string_view key, od::value& member) {
      if (key == "arguments") return read_text_or_raw(member, call.arguments);
      if (key == "name") return read_string(member, call.name);
      return true;
    });
  }

  bool read_usage(od::value& v, Usage& usage) {
    bool object = false;
    if (!is_object(v, object)) return false;
    if (!object) return true;  // usage: null in intermediate chunks
    usage.present = true;
    return for_each_member(v, [&](std::string_view key, od::value& member) {
      if (key == "prompt_tokens") return read_int64(member, usage.prompt_tokens);
      if (key == "completion_tokens") return read_int64(member, usage.completion_tokens);
      if (key == "total_tokens") return read_int64(member, usage.total_tokens);
      return true;
    });
  }

  bool read_error_member(od::value& v, ChunkView& out) {
    json_type type;
    if (!ok(v.type().get(type))) return false;
    switch (type) {
      case json_type::null:
        return true;
      case json_type::boolean: {
        // "error": false says there is no error.
        bool flag = false;
        if (!ok(v.get_bool().get(flag))) return false;
        out.is_error = flag;
        return true;
      }
      case json_type::object:
        out.is_error = true;
        return for_each_member(v, [&](std::string_view key, od::value& member) {
          if (key == "message") return read_text(member, out.error_message);
          if (key == "type") return read_text(member, out.error_type);
          if (key == "code") return read_text(member, out.error_code);
          return true;
        });
      case json_type::array: {
        out.is_error = true;
        std::string& joined = impl_.next_text();
        bool good = for_each_element(v, [&](od::value& item, int32_t) {
          std::string_view text;
          bool object = false;
          if (!is_object(item, object)) return false;
          if (object) {
            if (!for_each_member(item, [&](std::string_view key, od::value& member) {
                  return key == "message" ? read_text(member, text) : true;
                })) {
              return false;
            }
          } else if (!read_text(item, text)) {
            return false;
          }
          append_separated(joined, text);
          return true;
        });
        out.error_message = joined;
        return good;
      }
      default:
        out.is_error = true;
        return read_text(v, out.error_message);
    }
  }

  ChunkParser::Impl& impl_;
};

void reset_scalars(ChunkView& out) {
  out.id = out.model = out.object = {};
  out.usage = Usage{};
  out.is_error = false;
  out.error_message = out.error_type = out.error_code = {};
}

}  // namespace

bool ChunkParser::Impl::parse(std::string_view data, bool padded, ChunkView& out, bool& saw_choices) {
  reset_scalars(out);
  saw_choices = false;
  texts_used = 0;
  if (data.empty()) {
    out.choices.clear();
    return false;
  }
  simdjson::padded_string_view input;
  if (padded) {
    input = simdjson::padded_string_view(data.data(), data.size(), data.size() + simdjson::SIMDJSON_PADDING);
  } else {
    const size_t needed = data.size() + simdjson::SIMDJSON_PADDING;
    if (padded_copy.size() < needed) padded_copy.resize(needed);
    std::memcpy(padded_copy.data(), data.data(), data.size());
    std::memset(padded_copy.data() + data.size(), 0, simdjson::SIMDJSON_PADDING);
    input = simdjson::padded_string_view(padded_copy.data(), data.size(), padded_copy.size());
  }
  od::document doc;
  bool good = ok(parser.iterate(input).get(doc));
  if (good) {
    ChunkReader reader(*this);
    good = reader.read_root(doc, out, saw_choices);
  }
  // Bytes after the object mean the payload was not a single JSON value.
  const char* location = nullptr;
  if (good) good = doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
  if (!good) {
    reset_scalars(out);
    out.choices.clear();
  } else if (!padded) {
    // Tokens were found in the padded copy; the caller knows the bytes it passed.
    for (ChoiceDelta& choice : out.choices) {
      if (choice.content_token.empty()) continue;
      const size_t offset = static_cast<size_t>(choice.content_token.data() - padded_copy.data());
      choice.content_token = data.substr(offset, choice.content_token.size());
    }
  }
  return good;
}

ChunkParser::ChunkParser() noexcept = default;
ChunkParser::~ChunkParser() = default;
ChunkParser::ChunkParser(ChunkParser&&) noexcept = default;
ChunkParser& ChunkParser::operator=(ChunkParser&&) noexcept = default;

bool ChunkParser::parse(std::string_view data, bool padded, ChunkView& out) {
  try {
    if (!impl_) impl_ = std::make_unique<Impl>();
    bool saw_choices = false;
    return impl_->parse(data, padded, out, saw_choices);
  } catch (...) {  // only std::bad_alloc can get here
    reset_scalars(out);
    out.choices.clear();
    return false;
  }
}

bool parse_chat_response(std::string_view body, ChatResult& out) {
  try {
    out = ChatResult{};
    ChunkParser::Impl impl;
    ChunkView view;
    bool saw_choices = false;
    if (!impl.parse(body, false, view, saw_choices) || !saw_choices) return false;
    out.id = view.id;
    out.model = view.model;
    out.usage = view.usage;
    out.choice_count = static_cast<int32_t>(view.choices.size());
    if (!view.choices.empty()) {
      const ChoiceDelta& first = view.choices.front();
      out.content = first.content;
      out.reasoning = first.reasoning;
      out.finish_reason = first.finish_reason;
      for (const ToolCallDelta& call : first.tool_calls) {
        out.tool_calls.push_back(ToolCall{std::string(call.id), std::string(call.type), std::string(call.name),
                                          std::string(call.arguments)});
      }
    }
    return true;
  } catch (...) {  // only std::bad_alloc can get here
    return false;
  }
}

namespace {

constexpr int32_t kMaxToolCallIndex = 1023;

void keep_first(std::string& target, std::string_view value) {
  if (target.empty()) target = value;
}

}  // namespace

bool accumulate_chunk(const ChunkView& chunk, ChatResult& acc) {
  try {
    if (chunk.is_error) return true;
    keep_first(acc.id, chunk.id);
    keep_first(acc.model, chunk.model);
    if (chunk.usage.present) acc.usage = chunk.usage;
    for (const ChoiceDelta& choice : chunk.choices) {
      if (choice.index >= acc.choice_count) {
        acc.choice_count = choice.index == std::numeric_limits<int32_t>::max() ? choice.index : choice.index + 1;
      }
      if (choice.index != 0) continue;
      acc.content += choice.content;
      acc.reasoning += choice.reasoning;
      if (!choice.finish_reason.empty()) acc.finish_reason = choice.finish_reason;
      for (const ToolCallDelta& delta : choice.tool_calls) {
        if (delta.index > kMaxToolCallIndex) continue;
        const auto slot = static_cast<size_t>(delta.index);
        if (slot >= acc.tool_calls.size()) acc.tool_calls.resize(slot + 1);
        ToolCall& call = acc.tool_calls[slot];
        keep_first(call.id, delta.id);
        keep_first(call.type, delta.type);
        keep_first(call.name, delta.name);
        call.arguments += delta.arguments;
      }
    }
    return true;
  } catch (...) {  // only std::bad_alloc can get here
    return false;
  }
}

namespace {

void append_string_or_null(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += "null";
  } else {
    append_json_string(out, value);
  }
}

// Slots can stay empty when a server skips tool-call indices; writing them
// would invent a call.
bool is_blank(const ToolCall& call) { return call.id.empty() && call.name.empty() && call.arguments.empty(); }

void append_tool_calls(std::string& out, const std::vector<ToolCall>& calls) {
  out += "\"tool_calls\":[";
  bool first = true;
  for (const ToolCall& call : calls) {
    if (is_blank(call)) continue;
    if (!first) out.push_back(',');
    first = false;
    out.push_back('{');
    append_json_key(out, "id");
    append_json_string(out, call.id);
    out.push_back(',');
    append_json_key(out, "type");
    append_json_string(out, call.type.empty() ? std::string_view("function") : std::string_view(call.type));
    out.push_back(',');
    append_json_key(out, "function");
    out.push_back('{');
    append_json_key(out, "name");
    append_json_string(out, call.name);
    out.push_back(',');
    append_json_key(out, "arguments");
    append_json_string(out, call.arguments);
    out += "}}";
  }
  out.push_back(']');
}

void append_usage(std::string& out, const Usage& usage) {
  out += "\"usage\":{";
  bool first = true;
  const std::pair<std::string_view, int64_t> counts[] = {{"prompt_tokens", usage.prompt_tokens},
                                                         {"completion_tokens", usage.completion_tokens},
                                                         {"total_tokens", usage.total_tokens}};
  for (const auto& [name, count] : counts) {
    if (count < 0) continue;
    if (!first) out.push_back(',');
    first = false;
    append_json_key(out, name);
    append_json_int64(out, count);
  }
  out.push_back('}');
}

bool has_real_tool_calls(const std::vector<ToolCall>& calls) {
  for (const ToolCall& call : calls) {
    if (!is_blank(call)) return true;
  }
  return false;
}

}  // namespace

std::string assemble_chat_completion(const ChatResult& acc, int64_t created) {
  try {
    std::string out;
    out.reserve(256 + acc.content.size() + acc.reasoning.size());
    out += "{\"id\":";
    append_json_string(out, acc.id);
    out += ",\"object\":\"chat.completion\",\"created\":";
    append_json_int64(out, created);
    out += ",\"model\":";
    append_json_string(out, acc.model);
    out += ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":";
    const bool tool_calls = has_real_tool_calls(acc.tool_calls);
    // OpenAI sends content null alongside tool calls; clients test for that.
    if (tool_calls && acc.content.empty()) {
      out += "null";
    } else {
      append_json_string(out, acc.content);
    }
    if (!acc.reasoning.empty()) {
      out.push_back(',');
      append_json_key(out, "reasoning");
      append_json_string(out, acc.reasoning);
    }
    if (tool_calls) {
      out.push_back(',');
      append_tool_calls(out, acc.tool_calls);
    }
    out += "},\"finish_reason\":";
    append_string_or_null(out, acc.finish_reason);
    out += "}]";
    if (acc.usage.present) {
      out.push_back(',');
      append_usage(out, acc.usage);
    }
    out.push_back('}');
    return out;
  } catch (...) {  // only std::bad_alloc can get here
    return std::string();
  }
}

}  // namespace hfi::json
