// The OpenAI chat-completions request body the `hfi chat` command sends.
#pragma once

#include <string>
#include <vector>

#include "arguments.h"

namespace hfi_cli {

// `text` as a JSON string literal, quotes included. Bytes >= 0x80 pass through unchanged: the
// library rejects a body that is not UTF-8, with a message saying so.
std::string json_string(const std::string& text);

// One message of the conversation; `image_urls` (data: URLs) go with a user message.
struct ChatTurn {
  std::string role;
  std::string content;
  std::vector<std::string> image_urls;
};

// {"model":...,"messages":[system?, turns...],...} from the parsed command line; the last turn is
// the user's message (already read from stdin when PROMPT was "-"), `tools_json` the contents of
// --tools-json (empty when not given).
std::string chat_request_body(const ChatArguments& args, const std::vector<ChatTurn>& turns,
                              const std::string& tools_json);

}  // namespace hfi_cli
