// Every reader of chat answers on any bytes: whole completions, stream chunks (padded and not,
// with the repeat-shape fast path), TGI/completions generation chunks and error bodies. A chunk
// that parses is accumulated, and the assembled completion must read back as a completion.
#include <cstring>
#include <memory>
#include <string>

#include "fuzz_input.h"
#include "protocol/chat_json.h"
#include "protocol/error_body.h"
#include "protocol/generation_chunks.h"
#include "protocol/sse.h"
#include "protocol/stream_chunks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hfi_fuzz::Input in(data, size);
  const uint8_t flags = in.byte();
  const std::string_view text = in.rest();

  hfi::json::ChatResult whole;
  hfi::json::parse_chat_response(text, whole);
  hfi::json::parse_error_body(text, (flags & 1) ? "application/json" : "text/plain");
  hfi::json::GenerationChunk generation;
  hfi::json::parse_generation_chunk(text, generation);

  // The padded form the SSE parser hands over: zeros after the data.
  std::unique_ptr<char[]> padded(new char[text.size() + hfi::sse::kPadding]());
  if (!text.empty()) std::memcpy(padded.get(), text.data(), text.size());
  const std::string_view padded_view(padded.get(), text.size());

  hfi::json::ChunkParser chunks;
  hfi::json::StreamChunkParser stream;
  hfi::json::ChatResult acc;
  for (int round = 0; round < 3; ++round) {
    hfi::json::ChunkView view;
    const bool use_padding = (flags >> (1 + round)) & 1;
    if (chunks.parse(use_padding ? padded_view : text, use_padding, view)) hfi::json::accumulate_chunk(view, acc);
    hfi::json::ChunkView again;
    stream.parse(use_padding ? padded_view : text, use_padding, again);
  }
  const std::string assembled = hfi::json::assemble_chat_completion(acc, 1700000000);
  hfi::json::ChatResult back;
  if (!assembled.empty() && !hfi::json::parse_chat_response(assembled, back)) hfi_fuzz::broken();
  return 0;
}
