#include "default_routes.h"

#include <nlohmann/json.hpp>

#include "chat_answer.h"
#include "chat_request.h"
#include "hub_routes.h"
#include "media_files.h"
#include "provider_routes.h"
#include "tape_reply.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

Reply hf_error_reply(int status, const std::string& message) {
  return json_reply(status, nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// Replay applies when switched on (POST /_emulator/replay) or asked for by the
// request itself, which lets one test replay without affecting others.
bool wants_replay(const EmulatorState& state, const HttpRequest& request) {
  return state.replay.enabled() || iequals(request.header("x-emulator-replay"), "on") ||
         request.has_header("x-emulator-tape");
}

const nlohmann::json* replayed_record(EmulatorState& state, const HttpRequest& request) {
  std::string id = request.header("x-emulator-tape");
  if (!id.empty()) return state.tapes.find(id);
  return state.replay.match(request);
}

}  // namespace

Reply chat_route_reply(EmulatorState& state, const HttpRequest& request, bool force_stream) {
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

Reply default_reply(EmulatorState& state, const HttpRequest& request, bool force_stream) {
  if (wants_replay(state, request)) {
    if (const nlohmann::json* record = replayed_record(state, request)) {
      Reply reply = tape_reply(*record);
      reply.set_header("X-Emulator-Tape", record->value("id", ""));
      return reply;
    }
    if (request.has_header("x-emulator-tape"))
      return hf_error_reply(404, "no loaded tape has id \"" + request.header("x-emulator-tape") + "\"");
  }
  if (starts_with(request.path, kFilesPrefix)) return media_file_reply(request);
  if (is_hub_model_path(request.path)) return hub_model_reply(state.registry, request);
  if (is_router_models_path(request.path)) return router_models_reply(state.registry, request);
  if (ends_with(request.path, "/v1/models") && (request.method == "GET" || request.method == "HEAD")) {
    HttpRequest listing = request;  // "/together/v1/models" and the like list the same models
    listing.path = "/v1/models";
    return router_models_reply(state.registry, listing);
  }
  std::string provider, rest;
  bool direct = false;
  if (split_provider_path(request.path, &provider, &direct, &rest))
    return provider_reply(state, request, provider, direct, rest, force_stream);
  if (ends_with(request.path, "/chat/completions")) return chat_route_reply(state, request, force_stream);
  return hf_error_reply(404, "Not Found: " + request.path);
}

}  // namespace hfi::emu
