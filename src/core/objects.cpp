#include "core/objects.h"

namespace hfi {

const std::string& response_json(const hfi_response& response) {
  std::call_once(response.json_once.flag, [&] {
    if (response.stream_result) response.json = json::assemble_chat_completion(*response.stream_result, response.created);
  });
  return response.json;
}

}  // namespace hfi
