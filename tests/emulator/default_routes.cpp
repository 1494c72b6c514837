#include "default_routes.h"

#include <nlohmann/json.hpp>

#include "chat_answer.h"
#include "chat_request.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

Reply hf_error_reply(int status, const std::string& message) {
  return json_reply(status, nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Reply chat_reply(EmulatorState& state, const HttpRequest& request, bool force_stream) {
  if (request.method != "POST") {
    Reply reply = hf_error_reply(405, "Method Not Allowed: use POST");
    reply.set_header("Allow", "POST");
    return reply;
  }
  if (!state.require_token.empty() && request.header("authorization") != "Bearer " + state.require_token)
    return hf_error_reply(401, "Invalid credentials in Authorization header");
  ChatQuery query;
  Reply error;
  if (!parse_chat_request(request.body, &query, &error)) return error;
  std::string id = "chatcmpl-emu-" + std::to_string(++state.completions);
  return chat_answer_reply(query, id, query.stream || force_stream);
}

Reply models_reply() {
  nlohmann::ordered_json model = {
      {"id", "emulator/echo"}, {"object", "model"}, {"created", 0}, {"owned_by", "hfi-emulator"}};
  nlohmann::ordered_json list = {{"object", "list"}, {"data", nlohmann::ordered_json::array({model})}};
  return json_reply(200, list.dump());
}

}  // namespace

Reply default_reply(EmulatorState& state, const HttpRequest& request, bool force_stream) {
  if (ends_with(request.path, "/chat/completions")) return chat_reply(state, request, force_stream);
  if (ends_with(request.path, "/v1/models") && (request.method == "GET" || request.method == "HEAD"))
    return models_reply();
  return hf_error_reply(404, "Not Found: " + request.path);
}

}  // namespace hfi::emu
