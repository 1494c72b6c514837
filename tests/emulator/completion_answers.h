// Text-generation answers in the two wire forms providers use: TGI's
// ({"generated_text"} and its token stream) and OpenAI's completions
// (choices[0].text, streamed as SSE), plus OpenAI-style embeddings.
#pragma once

#include <string>

#include "reply.h"

namespace hfi::emu {

// TGI's generate_stream: one event per word of the generated text, the last with details.
Reply tgi_stream_reply(const std::string& prompt);
// POST .../completions with {model, prompt, stream?}: 400/422 when they are missing.
Reply openai_completions_reply(const std::string& body, long sequence);
// POST .../embeddings with {model, input: str | [str]}.
Reply openai_embeddings_reply(const std::string& body);

}  // namespace hfi::emu
