#include "protocol/generation_chunks.h"

#include <simdjson.h>

namespace hfi::json {
namespace {

std::string text_of(simdjson::dom::element value) {
  std::string_view text;
  return value.get(text) ? std::string() : std::string(text);
}

int64_t count_of(simdjson::dom::object object, std::string_view key) {
  int64_t n = -1;
  return object[key].get(n) ? -1 : n;
}

}  // namespace

bool parse_generation_chunk(std::string_view data, GenerationChunk& out) {
  try {
    out = GenerationChunk{};
    static thread_local simdjson::dom::parser parser;
    simdjson::dom::object chunk;
    if (parser.parse(data.data(), data.size()).get(chunk)) return false;

    simdjson::dom::element error;
    if (!chunk["error"].get(error) && !error.is_null()) {
      out.is_error = true;
      simdjson::dom::object detail;
      if (!error.get(detail)) {
        out.error_message = text_of(detail["message"]);
        out.error_type = text_of(detail["type"]);
      } else {
        out.error_message = text_of(error);
      }
      if (out.error_type.empty()) out.error_type = text_of(chunk["error_type"]);
      return true;
    }

    simdjson::dom::object token;
    if (!chunk["token"].get(token)) {  // TGI
      bool special = false;
      if (token["special"].get(special) || !special) out.text = text_of(token["text"]);
      simdjson::dom::object details;
      if (!chunk["details"].get(details)) {
        out.finish_reason = text_of(details["finish_reason"]);
        const int64_t generated = count_of(details, "generated_tokens");
        if (generated >= 0) {
          out.usage.present = true;
          out.usage.completion_tokens = generated;
        }
      }
      return true;
    }

    simdjson::dom::array choices;  // OpenAI completions
    if (!chunk["choices"].get(choices)) {
      for (simdjson::dom::element choice : choices) {
        int64_t index = 0;
        if (!choice["index"].get(index) && index != 0) continue;
        out.text = text_of(choice["text"]);
        out.finish_reason = text_of(choice["finish_reason"]);
        break;
      }
    }
    simdjson::dom::object usage;
    if (!chunk["usage"].get(usage)) {
      out.usage.present = true;
      out.usage.prompt_tokens = count_of(usage, "prompt_tokens");
      out.usage.completion_tokens = count_of(usage, "completion_tokens");
      out.usage.total_tokens = count_of(usage, "total_tokens");
    }
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace hfi::json
