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
  bool parse(std::string_view data, bool padded, ParseOptions options, ChunkView& out, bool& saw_choices);
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
//
// They ask for the expected type directly (get_string(), get_object(), ...)
// rather than calling type() first: a getter that answers INCORRECT_TYPE has
// not consumed the value, and only then does type() tell an ignorable member
// (null, another type) from something that is no JSON value at all.
//
// The small helpers of the hot path are simdjson_really_inline (simdjson's
// always-inline): left to GCC, some stayed out of line, the iterator state
// went through memory, and a chunk took about a quarter longer.

// After a getter answered INCORRECT_TYPE: is the value one we may ignore?
simdjson_really_inline bool ignorable(od::value& v) {
  json_type type;
  return ok(v.type().get(type));
}

simdjson_really_inline bool read_string(od::value& v, std::string_view& out) {
  const simdjson::error_code error = v.get_string().get(out);
  return ok(error) || (error == simdjson::INCORRECT_TYPE && ignorable(v));
}

// Strings unescaped; numbers and booleans as their raw text (TGI sends
// tool-call ids as numbers, OpenAI-compatible servers error codes as numbers).
simdjson_really_inline bool read_text(od::value& v, std::string_view& out) {
  const simdjson::error_code error = v.get_string().get(out);
  if (error != simdjson::INCORRECT_TYPE) return ok(error);
  json_type type;
  if (!ok(v.type().get(type))) return false;
  if (type == json_type::number || type == json_type::boolean) out = trim_right(v.raw_json_token());
  return true;
}

// Like read_text, but objects and arrays are exposed as their raw JSON text:
// TGI sends tool-call arguments as an object instead of a JSON-encoded string.
bool read_text_or_raw(od::value& v, std::string_view& out) {
  const simdjson::error_code error = v.get_string().get(out);
  if (error != simdjson::INCORRECT_TYPE) return ok(error);
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

simdjson_really_inline bool read_int64(od::value& v, int64_t& out) {
  if (ok(v.get_int64().get(out))) return true;
  // Some servers write counts as 12.0; a failed get_int64 does not consume the value.
  double real;
  const simdjson::error_code error = v.get_double().get(real);
  if (ok(error)) {
    if (std::isfinite(real) && real >= -9.0e18 && real <= 9.0e18) out = static_cast<int64_t>(real);
    return true;
  }
  // Both getters also answer INCORRECT_TYPE for a malformed number such as -x.
  json_type type;
  return error == simdjson::INCORRECT_TYPE && ok(v.type().get(type)) && type != json_type::number;
}

// Indices outside int32 are nonsense; keep the positional default then.
simdjson_really_inline bool read_index(od::value& v, int32_t& out) {
  int64_t index = -1;
  if (!read_int64(v, index)) return false;
  if (index >= 0 && index <= std::numeric_limits<int32_t>::max()) out = static_cast<int32_t>(index);
  return true;
}

// Opens `v` as an object or array. Returns false if the JSON is broken;
// otherwise `is` says whether it was one (anything else is ignored).
simdjson_really_inline bool open_object(od::value& v, od::object& object, bool& is) {
  const simdjson::error_code error = v.get_object().get(object);
  is = ok(error);
  return is || (error == simdjson::INCORRECT_TYPE && ignorable(v));
}

simdjson_really_inline bool open_array(od::value& v, od::array& array, bool& is) {
  const simdjson::error_code error = v.get_array().get(array);
  is = ok(error);
  return is || (error == simdjson::INCORRECT_TYPE && ignorable(v));
}

// Every member name any reader looks for.
enum class Key : uint8_t {
  other,
  arguments,
  choices,
  code,
  completion_tokens,
  content,
  delta,
  error,
  error_type,
  finish_reason,
  function,
  id,
  index,
  message,
  model,
  name,
  object,
  prompt_tokens,
  reasoning,
  reasoning_content,
  role,
  text,
  tool_calls,
  total_tokens,
  type,
  usage,
};

constexpr size_t kLongestKey = 17;  // completion_tokens, reasoning_content

// `raw` points just past a member name's opening quote, in padded input (so
// reading kLongestKey + 1 bytes from it is safe); `name` has no quote or
// backslash, so a match cannot be a prefix of a longer or escaped name.
simdjson_really_inline bool raw_is(const char* raw, std::string_view name) {
  return raw[name.size()] == '"' && std::memcmp(raw, name.data(), name.size()) == 0;
}

// Dispatches on the first byte, so a name costs one or two comparisons.
simdjson_really_inline Key classify(const char* raw) {
  switch (raw[0]) {
    case 'a':
      if (raw_is(raw, "arguments")) return Key::arguments;
      break;
    case 'c':
      if (raw_is(raw, "content")) return Key::content;
      if (raw_is(raw, "choices")) return Key::choices;
      if (raw_is(raw, "completion_tokens")) return Key::completion_tokens;
      if (raw_is(raw, "code")) return Key::code;
      break;
    case 'd':
      if (raw_is(raw, "delta")) return Key::delta;
      break;
    case 'e':
      if (raw_is(raw, "error")) return Key::error;
      if (raw_is(raw, "error_type")) return Key::error_type;
      break;
    case 'f':
      if (raw_is(raw, "finish_reason")) return Key::finish_reason;
      if (raw_is(raw, "function")) return Key::function;
      break;
    case 'i':
      if (raw_is(raw, "index")) return Key::index;
      if (raw_is(raw, "id")) return Key::id;
      break;
    case 'm':
      if (raw_is(raw, "model")) return Key::model;
      if (raw_is(raw, "message")) return Key::message;
      break;
    case 'n':
      if (raw_is(raw, "name")) return Key::name;
      break;
    case 'o':
      if (raw_is(raw, "object")) return Key::object;
      break;
    case 'p':
      if (raw_is(raw, "prompt_tokens")) return Key::prompt_tokens;
      break;
    case 'r':
      if (raw_is(raw, "role")) return Key::role;
      if (raw_is(raw, "reasoning")) return Key::reasoning;
      if (raw_is(raw, "reasoning_content")) return Key::reasoning_content;
      break;
    case 't':
      if (raw_is(raw, "type")) return Key::type;
      if (raw_is(raw, "text")) return Key::text;
      if (raw_is(raw, "tool_calls")) return Key::tool_calls;
      if (raw_is(raw, "total_tokens")) return Key::total_tokens;
      break;
    case 'u':
      if (raw_is(raw, "usage")) return Key::usage;
      break;
    default:
      break;
  }
  return Key::other;
}

bool has_byte(uint64_t word, char c) {
  constexpr uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  const uint64_t x = word ^ (kOnes * static_cast<unsigned char>(c));
  return ((x - kOnes) & ~x & kHighs) != 0;  // some byte of x is zero
}

// Whether a member name (`raw` as for raw_is) has a backslash before its
// closing quote. Every name we do not read goes through here, so it looks at
// eight bytes at a time: most names end in the first or second word, and
// only a word that holds a backslash needs the byte-by-byte look.
bool has_escape(const char* raw) {
  for (;; raw += 8) {  // stops at the closing quote's word, inside the padding
    uint64_t word;
    std::memcpy(&word, raw, sizeof word);
    if (has_byte(word, '\\')) break;
    if (has_byte(word, '"')) return false;
  }
  for (; *raw != '"'; ++raw) {
    if (*raw == '\\') return true;
  }
  return false;
}

// Member names are compared as raw JSON, in place, instead of unescaping
// each of the ~15 names of a chunk. A name written with escapes
// ("con\u0074ent") matches nothing raw; it is unescaped then, so it still
// counts (and a bad escape still fails the payload).
simdjson_really_inline bool read_key(od::field& field, Key& key) {
  const char* raw = field.key().raw();
  key = classify(raw);
  if (key != Key::other || !has_escape(raw)) return true;
  std::string_view name;
  if (!ok(field.unescaped_key().get(name))) return false;
  if (name.size() > kLongestKey) return true;
  char quoted[kLongestKey + 2] = {};
  std::memcpy(quoted, name.data(), name.size());
  quoted[name.size()] = '"';
  key = classify(quoted);
  return true;
}

// The next member of an object loop, in place (nullptr if the JSON is
// broken). Not copied out with get(): GCC copied simdjson's field and value
// objects with wider loads than it had just stored them with, and those
// store-forwarding stalls made a chunk take twice as long.
simdjson_really_inline od::field* next_member(simdjson::simdjson_result<od::field>& member, Key& key) {
  if (member.error()) return nullptr;
  od::field&& field = std::move(member).value_unsafe();
  return read_key(field, key) ? &field : nullptr;
}

// The next element of an array loop, in place, for the same reason.
simdjson_really_inline od::value* next_element(simdjson::simdjson_result<od::value>& item) {
  if (item.error()) return nullptr;
  od::value&& element = std::move(item).value_unsafe();
  return &element;
}

void append_separated(std::string& joined, std::string_view piece) {
  if (piece.empty()) return;
  if (!joined.empty()) joined += "; ";
  joined += piece;
}

// One straight walk per nesting level, without callbacks: passing simdjson's
// iterators through lambdas made the compiler copy them around (the copies
// showed up as store-forwarding stalls in perf).
class ChunkReader {
 public:
  ChunkReader(ChunkParser::Impl& impl, ParseOptions options) : impl_(impl), options_(options) {}

  bool read_root(od::document& doc, ChunkView& out, bool& saw_choices) {
    od::object root;
    if (!ok(doc.get_object().get(root))) return false;
    // vLLM reports errors as a bare {"object":"error","message",...}; the
    // members can come in any order, so keep them until the end.
    std::string_view object, root_message, root_type, root_code, tgi_error_type;
    size_t choices_used = 0;
    for (auto member : root) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      od::value& v = field->value();
      bool good = true;
      switch (key) {
        case Key::choices: good = read_choices(v, out.choices, choices_used, saw_choices); break;
        case Key::id: good = !options_.identity || read_text(v, out.id); break;
        case Key::model: good = !options_.identity || read_string(v, out.model); break;
        case Key::object: good = read_object(v, object); break;
        case Key::usage: good = read_usage(v, out.usage); break;
        case Key::error: good = read_error_member(v, out); break;
        case Key::error_type: good = read_string(v, tgi_error_type); break;
        case Key::message: good = read_text(v, root_message); break;
        case Key::type: good = read_text(v, root_type); break;
        case Key::code: good = read_text(v, root_code); break;
        default: break;
      }
      if (!good) return false;
    }
    out.choices.resize(choices_used);
    if (options_.identity) out.object = object;
    if (!out.is_error && object == "error") {
      out.is_error = true;
      out.error_message = root_message;
      out.error_type = root_type;
      out.error_code = root_code;
    }
    if (out.is_error && out.error_type.empty()) out.error_type = tgi_error_type;
    return true;
  }

 private:
  // Without identity only "error" matters here, so a value that cannot be
  // it (a string that starts with neither e nor an escape, such as
  // "chat.completion.chunk") is skipped without being decoded.
  bool read_object(od::value& v, std::string_view& object) {
    if (!options_.identity) {
      const std::string_view token = v.raw_json_token();
      if (token.size() < 2 || token[0] != '"' || (token[1] != 'e' && token[1] != '\\')) return ignorable(v);
    }
    return read_string(v, object);
  }

  bool read_choices(od::value& v, std::vector<ChoiceDelta>& choices, size_t& used, bool& saw) {
    od::array array;
    bool is_array = false;
    if (!open_array(v, array, is_array)) return false;
    if (!is_array) return true;
    saw = true;
    int32_t position = 0;
    for (auto item : array) {
      od::value* element = next_element(item);
      od::object object;
      bool is_object = false;
      if (!element || !open_object(*element, object, is_object)) return false;
      if (is_object) {
        // Reuse slots (and their tool_calls capacity) from earlier chunks.
        if (used == choices.size()) choices.emplace_back();
        ChoiceDelta& choice = choices[used++];
        choice.index = position;
        choice.content = {};  // not chained: see reset_scalars
        choice.reasoning = {};
        choice.role = {};
        choice.finish_reason = {};
        choice.content_token = {};
        choice.tool_calls.clear();
        if (!read_choice(object, choice)) return false;
      }
      if (position < std::numeric_limits<int32_t>::max()) ++position;
    }
    return true;
  }

  bool read_choice(od::object& object, ChoiceDelta& choice) {
    for (auto member : object) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      od::value& v = field->value();
      bool good = true;
      switch (key) {
        case Key::delta:
        case Key::message: good = read_delta(v, choice); break;
        case Key::index: good = read_index(v, choice.index); break;
        case Key::finish_reason: good = read_string(v, choice.finish_reason); break;
        default: break;
      }
      if (!good) return false;
    }
    return true;
  }

  bool read_delta(od::value& v, ChoiceDelta& choice) {
    od::object object;
    bool is_object = false;
    if (!open_object(v, object, is_object)) return false;
    if (!is_object) return true;
    for (auto member : object) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      od::value& value = field->value();
      bool good = true;
      switch (key) {
        case Key::content: good = read_content(value, choice.content, choice.content_token); break;
        case Key::role: good = read_string(value, choice.role); break;
        case Key::tool_calls: good = read_tool_calls(value, choice.tool_calls); break;
        case Key::reasoning:
        case Key::reasoning_content: {
          // Some servers send both names with the same text; take one, not both.
          std::string_view reasoning;
          good = read_string(value, reasoning);
          if (choice.reasoning.empty()) choice.reasoning = reasoning;
          break;
        }
        default: break;
      }
      if (!good) return false;
    }
    return true;
  }

  // content is a string, or (rarely) an array of parts whose text we join.
  // `token` is the content's raw string token, or empty when the content was not a string (the
  // token of the content that counts: a later duplicate member replaces an earlier one).
  bool read_content(od::value& v, std::string_view& out, std::string_view& token) {
    token = v.raw_json_token();
    const simdjson::error_code error = v.get_string().get(out);
    if (error != simdjson::INCORRECT_TYPE) return ok(error);
    token = {};
    od::array parts;
    bool is_array = false;
    if (!open_array(v, parts, is_array)) return false;
    if (!is_array) return true;
    std::string& joined = impl_.next_text();
    for (auto item : parts) {
      od::value* part = next_element(item);
      if (!part || !read_content_part(*part, joined)) return false;
    }
    out = joined;
    return true;
  }

  // A part is a string, or an object whose text counts if its type is text or absent.
  bool read_content_part(od::value& part, std::string& joined) {
    std::string_view text;
    const simdjson::error_code error = part.get_string().get(text);
    if (ok(error)) {
      joined += text;
      return true;
    }
    if (error != simdjson::INCORRECT_TYPE) return false;
    od::object object;
    bool is_object = false;
    if (!open_object(part, object, is_object)) return false;
    if (!is_object) return true;
    std::string_view kind;
    for (auto member : object) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      bool good = true;
      if (key == Key::type) good = read_string(field->value(), kind);
      else if (key == Key::text) good = read_string(field->value(), text);
      if (!good) return false;
    }
    if (kind.empty() || kind == "text") joined += text;
    return true;
  }

  bool read_tool_calls(od::value& v, std::vector<ToolCallDelta>& calls) {
    od::array array;
    bool is_array = false;
    if (!open_array(v, array, is_array)) return false;
    if (!is_array) return true;
    int32_t position = 0;
    for (auto item : array) {
      od::value* element = next_element(item);
      od::object object;
      bool is_object = false;
      if (!element || !open_object(*element, object, is_object)) return false;
      if (is_object) {
        ToolCallDelta& call = calls.emplace_back();
        call.index = position;
        if (!read_tool_call(object, call)) return false;
      }
      if (position < std::numeric_limits<int32_t>::max()) ++position;
    }
    return true;
  }

  bool read_tool_call(od::object& object, ToolCallDelta& call) {
    for (auto member : object) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      od::value& v = field->value();
      bool good = true;
      switch (key) {
        case Key::function: good = read_function(v, call); break;
        case Key::index: good = read_index(v, call.index); break;
        case Key::id: good = read_text(v, call.id); break;
        case Key::type: good = read_string(v, call.type); break;
        default: break;
      }
      if (!good) return false;
    }
    return true;
  }

  bool read_function(od::value& v, ToolCallDelta& call) {
    od::object object;
    bool is_object = false;
    if (!open_object(v, object, is_object)) return false;
    if (!is_object) return true;
    for (auto member : object) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      bool good = true;
      if (key == Key::arguments) good = read_text_or_raw(field->value(), call.arguments);
      else if (key == Key::name) good = read_string(field->value(), call.name);
      if (!good) return false;
    }
    return true;
  }

  bool read_usage(od::value& v, Usage& usage) {
    od::object object;
    bool is_object = false;
    if (!open_object(v, object, is_object)) return false;
    if (!is_object) return true;  // usage: null in intermediate chunks
    usage.present = true;
    for (auto member : object) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      bool good = true;
      if (key == Key::prompt_tokens) good = read_int64(field->value(), usage.prompt_tokens);
      else if (key == Key::completion_tokens) good = read_int64(field->value(), usage.completion_tokens);
      else if (key == Key::total_tokens) good = read_int64(field->value(), usage.total_tokens);
      if (!good) return false;
    }
    return true;
  }

  // Errors are rare, so this path asks type() first and stays simple.
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
        return read_error_object(v, out);
      case json_type::array:
        out.is_error = true;
        return read_error_list(v, out);
      default:
        out.is_error = true;
        return read_text(v, out.error_message);
    }
  }

  bool read_error_object(od::value& v, ChunkView& out) {
    od::object object;
    if (!ok(v.get_object().get(object))) return false;
    for (auto member : object) {
      Key key;
      od::field* field = next_member(member, key);
      if (!field) return false;
      bool good = true;
      if (key == Key::message) good = read_text(field->value(), out.error_message);
      else if (key == Key::type) good = read_text(field->value(), out.error_type);
      else if (key == Key::code) good = read_text(field->value(), out.error_code);
      if (!good) return false;
    }
    return true;
  }

  // A list of strings or {"message":...} objects, joined with "; ".
  bool read_error_list(od::value& v, ChunkView& out) {
    od::array array;
    if (!ok(v.get_array().get(array))) return false;
    std::string& joined = impl_.next_text();
    for (auto item : array) {
      od::value* element = next_element(item);
      od::object object;
      bool is_object = false;
      if (!element || !open_object(*element, object, is_object)) return false;
      std::string_view text;
      if (is_object) {
        for (auto member : object) {
          Key key;
          od::field* field = next_member(member, key);
          if (!field) return false;
          if (key == Key::message && !read_text(field->value(), text)) return false;
        }
      } else if (!read_text(*element, text)) {
        return false;
      }
      append_separated(joined, text);
    }
    out.error_message = joined;
    return true;
  }

  ChunkParser::Impl& impl_;
  const ParseOptions options_;
};

void reset_scalars(ChunkView& out) {
  // One assignment each: chained ones read back what was just stored, with
  // wider loads than the stores (a store-forwarding stall per chain).
  out.id = {};
  out.model = {};
  out.object = {};
  out.usage = Usage{};
  out.is_error = false;
  out.error_message = {};
  out.error_type = {};
  out.error_code = {};
}

}  // namespace

bool ChunkParser::Impl::parse(std::string_view data, bool padded, ParseOptions options, ChunkView& out,
                              bool& saw_choices) {
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
    ChunkReader reader(*this, options);
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

bool ChunkParser::parse(std::string_view data, bool padded, ChunkView& out, ParseOptions options) {
  try {
    if (!impl_) impl_ = std::make_unique<Impl>();
    bool saw_choices = false;
    return impl_->parse(data, padded, options, out, saw_choices);
  } catch (...) {  // only std::bad_alloc can get here
    reset_scalars(out);
    out.choices.clear();
    return false;
  }
}

namespace {

// Bodies up to this size leave their parser to the thread for the next one;
// a bigger one frees it, rather than keep buffers sized for it (several bytes
// per byte of body) for the thread's life.
constexpr size_t kKeptParserBodyLimit = 16 * 1024;

void copy_response(const ChunkView& view, ChatResult& out) {
  out.id = view.id;
  out.model = view.model;
  out.usage = view.usage;
  out.choice_count = static_cast<int32_t>(view.choices.size());
  if (view.choices.empty()) return;
  const ChoiceDelta& first = view.choices.front();
  out.content = first.content;
  out.reasoning = first.reasoning;
  out.finish_reason = first.finish_reason;
  for (const ToolCallDelta& call : first.tool_calls) {
    out.tool_calls.push_back(
        ToolCall{std::string(call.id), std::string(call.type), std::string(call.name), std::string(call.arguments)});
  }
}

}  // namespace

bool parse_chat_response(std::string_view body, ChatResult& out) {
  // One parser and view per thread, made on first use: constructing an
  // On-Demand parser for each response cost about as much as the parse.
  static thread_local std::unique_ptr<ChunkParser::Impl> impl;
  static thread_local ChunkView view;
  try {
    out = ChatResult{};
    if (!impl) impl = std::make_unique<ChunkParser::Impl>();
    bool saw_choices = false;
    const bool good = impl->parse(body, false, ParseOptions{}, view, saw_choices) && saw_choices;
    if (good) copy_response(view, out);  // before a reset: the views point into the parser
    if (body.size() > kKeptParserBodyLimit) impl.reset();
    return good;
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
