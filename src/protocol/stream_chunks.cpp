#include "protocol/stream_chunks.h"

#include <simdjson.h>

#include <cstring>
#include <iterator>

namespace hfi::json {
namespace {

// Decodes the body of a JSON string (what lies between its quotes) if it has only the escapes
// that stand for one ASCII character; \u escapes and bytes that cannot appear unescaped make it
// the full parser's job. `ascii` tells whether UTF-8 validation can be skipped.
bool decode_simple_string(std::string_view body, std::string& scratch, std::string_view& out, bool& ascii) {
  ascii = true;
  size_t i = 0;
  for (; i < body.size(); ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c < 0x20 || c == '"') return false;
    if (c == '\\') break;
    if (c >= 0x80) ascii = false;
  }
  if (i == body.size()) {
    out = body;  // the common case: nothing to decode
    return true;
  }
  scratch.assign(body.data(), i);
  for (; i < body.size(); ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    if (c < 0x20 || c == '"') return false;
    if (c >= 0x80) ascii = false;
    if (c != '\\') {
      scratch.push_back(static_cast<char>(c));
      continue;
    }
    if (++i == body.size()) return false;  // it would escape the closing quote
    switch (body[i]) {
      case '"': scratch.push_back('"'); break;
      case '\\': scratch.push_back('\\'); break;
      case '/': scratch.push_back('/'); break;
      case 'b': scratch.push_back('\b'); break;
      case 'f': scratch.push_back('\f'); break;
      case 'n': scratch.push_back('\n'); break;
      case 'r': scratch.push_back('\r'); break;
      case 't': scratch.push_back('\t'); break;
      default: return false;
    }
  }
  out = scratch;
  return true;
}

// The closing quote of the JSON string token that starts at data[open].
size_t closing_quote(std::string_view data, size_t open) {
  for (size_t i = open + 1; i < data.size(); ++i) {
    if (data[i] == '\\') ++i;
    else if (data[i] == '"') return i;
  }
  return std::string_view::npos;
}

bool points_into(std::string_view view, std::string_view buffer) {
  return !view.empty() && view.data() >= buffer.data() && view.data() < buffer.data() + buffer.size();
}

}  // namespace

bool StreamChunkParser::parse(std::string_view data, bool padded, ChunkView& out, ParseOptions options) {
  if (have_shape_ && (shape_options_.identity || !options.identity) && parse_repeat(data, options, out)) {
    ++repeats_;
    return true;
  }
  // A chunk without a shape of its own (an error, a tool call, a \u escape) leaves the last shape
  // in place: the stream usually goes on as before.
  if (!full_.parse(data, padded, out, options)) return false;
  try {
    learn_shape(data, out, options);
  } catch (...) {  // only std::bad_alloc: the chunk is parsed all the same, just not remembered
    have_shape_ = false;
  }
  return true;
}

bool StreamChunkParser::parse_repeat(std::string_view data, ParseOptions options, ChunkView& out) {
  const size_t framing = before_.size() + after_.size();
  if (data.size() < framing) return false;
  if (std::memcmp(data.data(), before_.data(), before_.size()) != 0) return false;
  if (std::memcmp(data.data() + data.size() - after_.size(), after_.data(), after_.size()) != 0) return false;
  const std::string_view body = data.substr(before_.size(), data.size() - framing);
  std::string_view text;
  bool ascii = true;
  try {
    if (!decode_simple_string(body, unescaped_, text, ascii)) return false;
    // The full parser validates UTF-8 for the whole chunk; the repeated bytes were valid already.
    if (!ascii && !simdjson::validate_utf8(body.data(), body.size())) return false;
    if (out.choices.size() != 1) out.choices.resize(1);  // once per ChunkView at most
  } catch (...) {
    return false;
  }
  // Member by member: a generic copy of the ChunkView costs as much as the rest of a repeat.
  if (options.identity) {
    out.id = shape_.id;
    out.model = shape_.model;
    out.object = shape_.object;
  } else {
    out.id = out.model = out.object = {};  // as the full parse leaves them
  }
  out.usage = shape_.usage;
  out.is_error = false;
  out.error_message = out.error_type = out.error_code = {};
  const ChoiceDelta& from = shape_.choices.front();
  ChoiceDelta& choice = out.choices.front();
  choice.index = from.index;
  choice.content = text;
  choice.reasoning = from.reasoning;
  choice.role = from.role;
  choice.finish_reason = from.finish_reason;
  choice.content_token = {};
  choice.tool_calls.clear();
  return true;
}

void StreamChunkParser::learn_shape(std::string_view data, const ChunkView& parsed, ParseOptions options) {
  // Tool calls change in every chunk that has them, and errors end the stream: neither repeats.
  if (parsed.is_error || parsed.choices.size() != 1 || !parsed.choices.front().tool_calls.empty()) return;
  const std::string_view token = parsed.choices.front().content_token;
  if (token.size() < 2 || token.front() != '"' || !points_into(token, data)) return;
  const size_t open = static_cast<size_t>(token.data() - data.data());
  const size_t close = closing_quote(data, open);
  if (close == std::string_view::npos || close >= open + token.size()) return;
  have_shape_ = false;  // until every piece below is in place
  // Copies, not views: views could point into `data` (raw tokens) or into full_'s buffers, and
  // both change with the next chunk.
  before_.assign(data.substr(0, open + 1));
  after_.assign(data.substr(close));
  shape_ = parsed;
  ChoiceDelta& choice = shape_.choices.front();
  std::string_view* views[] = {&shape_.id, &shape_.model, &shape_.object,
                               &choice.role, &choice.reasoning, &choice.finish_reason};
  for (size_t i = 0; i < std::size(views); ++i) {
    owned_[i].assign(*views[i]);
    *views[i] = owned_[i];
  }
  choice.content = choice.content_token = {};
  shape_options_ = options;
  have_shape_ = true;
}

}  // namespace hfi::json
