// Reading OpenAI-style chat completions (whole responses and stream chunks)
// and writing an assembled chat.completion document.
//
// Real servers disagree on the schema (see fixtures/README.md), so every
// reader here is lenient: unknown members are skipped, `null` counts as
// absent, and a member of an unexpected type is ignored rather than failing
// the payload. Only structurally broken JSON makes a parse return false.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hfi::json {

struct ToolCallDelta {
  int32_t index = 0;  // position in the tool_calls array when the server omits it
  std::string_view id, type, name;
  // A string fragment, or the raw JSON text when the server sent an object (TGI).
  std::string_view arguments;
};

struct ChoiceDelta {
  int32_t index = 0;  // position in the choices array when the server omits it
  std::string_view content, reasoning, role, finish_reason;
  // When content was a JSON string: its token as it appears in the data given to parse() (quotes
  // included, perhaps followed by whitespace), so StreamChunkParser can find the text in the chunk.
  std::string_view content_token;
  std::vector<ToolCallDelta> tool_calls;  // capacity is reused across parses
};

struct Usage {
  bool present = false;
  int64_t prompt_tokens = -1, completion_tokens = -1, total_tokens = -1;
};

// Every string_view points into the ChunkParser's buffers or into the parsed
// data (padded path), so it stays valid until the next parse() on the same
// ChunkParser and, for padded input, as long as that input is alive.
// Passing the same ChunkView to every parse() reuses its vectors.
struct ChunkView {
  std::string_view id, model, object;
  std::vector<ChoiceDelta> choices;
  Usage usage;
  // The payload had a non-null "error" member (OpenAI {"error":{...}}, TGI
  // {"error":"...","error_type":"..."}), or was a vLLM {"object":"error",...}.
  bool is_error = false;
  std::string_view error_message, error_type, error_code;
};

struct ParseOptions {
  // Decode the chunk's id, model and object. A caller that already has them
  // (ChatCall keeps only the first non-empty id and model of a stream) turns
  // this off: they are then left empty and, like unknown members, not
  // validated beyond the JSON structure; {"object":"error",...} is still
  // recognised as an error.
  bool identity = true;
};

class ChunkParser {
 public:
  ChunkParser() noexcept;
  ~ChunkParser();
  ChunkParser(ChunkParser&&) noexcept;
  ChunkParser& operator=(ChunkParser&&) noexcept;
  ChunkParser(const ChunkParser&) = delete;
  ChunkParser& operator=(const ChunkParser&) = delete;

  // Parses one SSE data payload. Returns false if it is not a single JSON
  // object (malformed, truncated, trailing bytes, or another JSON type); `out`
  // then holds no usable data. `padded` = the caller guarantees
  // simdjson::SIMDJSON_PADDING (64) readable bytes after `data`; otherwise the
  // payload is copied into a reused internal buffer. Never throws.
  bool parse(std::string_view data, bool padded, ChunkView& out, ParseOptions options = {});

  // Opaque (defined in chat_json.cpp, which shares it with the full-response
  // parser); keeps simdjson.h out of this header.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;  // created on first parse so construction cannot fail
};

struct ToolCall {
  std::string id, type, name;
  std::string arguments;  // the string, or raw JSON text if the server sent an object
};

struct ChatResult {
  std::string id, model, content, reasoning, finish_reason;
  std::vector<ToolCall> tool_calls;
  Usage usage;
  int32_t choice_count = 0;
};

// Parses a non-streamed chat response; content, reasoning, finish_reason and
// tool calls come from the first element of `choices`. `message.content` may
// be a string, null, or an array of content parts (the "text" parts are
// concatenated). Returns false if the body is not a JSON object or has no
// `choices` array at all (an empty array is fine). Never throws.
bool parse_chat_response(std::string_view body, ChatResult& out);

// Folds one stream chunk into `acc`, so a stream can be turned into the same
// ChatResult a non-streamed call gives. Only the choice with index 0 is
// accumulated: content and reasoning are appended, tool-call arguments are
// appended per tool-call index, id/type/name and the response id/model keep
// their first non-empty value, finish_reason and usage keep the latest.
// choice_count becomes the highest choice index seen plus one.
// Tool-call indices of 1024 and above are ignored (no real server sends them;
// honouring them would let one bad chunk allocate without bound). Error
// chunks are ignored (inspect ChunkView::is_error first). Returns false only
// if memory runs out. Never throws.
bool accumulate_chunk(const ChunkView& chunk, ChatResult& acc);

// Writes `acc` as an OpenAI chat.completion object:
// {"id","object":"chat.completion","created","model","choices":[{"index":0,
//  "message":{"role":"assistant","content",("reasoning"),("tool_calls")},
//  "finish_reason"}],("usage")}
// content is null when it is empty and there are tool calls; finish_reason is
// null when empty; tool-call arguments are always written as a JSON string
// (OpenAI's shape), and an empty tool-call type is written as "function".
// Usage members that are negative (unknown) are left out. Returns an empty
// string only if memory runs out.
std::string assemble_chat_completion(const ChatResult& acc, int64_t created);

}  // namespace hfi::json
