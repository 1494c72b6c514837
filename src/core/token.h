// Where a token comes from when the caller does not give one: huggingface_hub's order.
#pragma once

#include <string>

#include "core/secret.h"

namespace hfi {

struct FoundToken {
  Secret value;        // empty when none was found
  std::string source;  // "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN" or the file's path; never the value
};

// HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the file at HF_TOKEN_PATH, else $HF_HOME/token, else
// $XDG_CACHE_HOME/huggingface/token, else ~/.cache/huggingface/token. Tokens are cleaned of CR, LF
// and surrounding spaces; an empty one counts as none.
FoundToken find_token_in_environment();

}  // namespace hfi
