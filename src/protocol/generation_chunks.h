// Events of a streamed text generation, in either of the two shapes servers send: TGI's
// (`{"token":{"text":…,"special":…},"generated_text":…,"details":{"finish_reason":…}}`) and OpenAI
// completions' (`{"choices":[{"text":…,"finish_reason":…}],"usage":…}`), plus the error objects both
// use inside a stream.
#pragma once

#include <string>
#include <string_view>

#include "protocol/chat_json.h"

namespace hfi::json {

struct GenerationChunk {
  std::string text;           // the new text; empty for special tokens (not part of generated_text)
  std::string finish_reason;  // set on the last chunk
  Usage usage;
  bool is_error = false;
  std::string error_message;
  std::string error_type;
};

// False for a chunk that is not a JSON object. Never throws.
bool parse_generation_chunk(std::string_view data, GenerationChunk& out);

}  // namespace hfi::json
