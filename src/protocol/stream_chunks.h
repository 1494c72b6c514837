// Stream chunks without re-parsing what did not change.
//
// An LLM stream is hundreds of chunks that repeat the same bytes (id, created, model, fingerprint,
// the choice's framing) around a few bytes of new text. Once a chunk has been parsed in full, a
// later chunk made of exactly the same bytes before and after its content text parses to the same
// ChunkView except for that text, so it is recognised with two memcmp calls and a scan of the new
// text instead of a JSON parse. Anything else (another shape, \u escapes, bytes that would end the
// string) goes through ChunkParser, so results are identical to ChunkParser's in every case; only
// the cost differs.
#pragma once

#include <string>
#include <string_view>

#include "protocol/chat_json.h"

namespace hfi::json {

class StreamChunkParser {
 public:
  StreamChunkParser() = default;
  // The remembered shape points into this object's own strings.
  StreamChunkParser(const StreamChunkParser&) = delete;
  StreamChunkParser& operator=(const StreamChunkParser&) = delete;

  // ChunkParser::parse, with the same contract: views in `out` stay valid until the next parse()
  // and while `data` is alive. Never throws.
  bool parse(std::string_view data, bool padded, ChunkView& out, ParseOptions options = {});

  // Chunks answered without a JSON parse so far; for tests and benchmarks.
  uint64_t repeats() const { return repeats_; }

 private:
  bool parse_repeat(std::string_view data, ParseOptions options, ChunkView& out);
  void learn_shape(std::string_view data, const ChunkView& parsed, ParseOptions options);

  ChunkParser full_;
  // The last fully parsed chunk that had a shape, split around its content text, and what it
  // parsed to; shape_'s views point into owned_, so the shape outlives full_'s later parses.
  bool have_shape_ = false;
  ParseOptions shape_options_;  // a shape parsed without identity cannot answer a call that wants it
  std::string before_, after_;
  ChunkView shape_;
  std::string owned_[6];
  std::string unescaped_;  // a repeat's content when it had escapes
  uint64_t repeats_ = 0;
};

}  // namespace hfi::json
