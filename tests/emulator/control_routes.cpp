#include "control_routes.h"

#include <nlohmann/json.hpp>

#include "text_util.h"

namespace hfi::emu {
namespace {

Reply error_reply(int status, const std::string& message) {
  return json_reply(status, nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Reply method_not_allowed(const char* allowed) {
  Reply reply = error_reply(405, std::string("Method Not Allowed: use ") + allowed);
  reply.set_header("Allow", allowed);
  return reply;
}

Reply ok_reply() { return json_reply(200, R"({"ok":true})"); }

}  // namespace

bool is_control_path(const std::string& path) { return path == "/_emulator" || starts_with(path, kControlPrefix); }

std::size_t queue_script(EmulatorState& state, const std::string& json_text) {
  std::vector<ScriptStep> steps = parse_script(json_text, [&](const std::string& id) { return state.tapes.has(id); });
  std::size_t count = steps.size();
  state.script.push(std::move(steps));
  return count;
}

Reply control_reply(EmulatorState& state, const HttpRequest& request) {
  const std::string route = request.path.substr(std::min(request.path.size(), std::string(kControlPrefix).size()));
  const std::string& method = request.method;
  if (route == "health") return method == "GET" ? ok_reply() : method_not_allowed("GET");
  if (route == "script") {
    if (method == "GET") return json_reply(200, state.script.pending_json());
    if (method != "POST") return method_not_allowed("GET, POST");
    try {
      std::size_t queued = queue_script(state, request.body);
      return json_reply(200, R"({"ok":true,"queued":)" + std::to_string(queued) + "}");
    } catch (const ScriptError& problem) {
      return error_reply(400, problem.what());
    }
  }
  if (route == "requests") return method == "GET" ? json_reply(200, state.log.to_json()) : method_not_allowed("GET");
  if (route == "reset") {
    if (method != "POST") return method_not_allowed("POST");
    state.script.clear();
    state.log.clear();
    return ok_reply();
  }
  if (route == "tapes") return method == "GET" ? json_reply(200, state.tapes.summary_json()) : method_not_allowed("GET");
  if (starts_with(route, "tapes/")) {
    if (method != "GET") return method_not_allowed("GET");
    std::string record = state.tapes.record_json(route.substr(6));
    return record.empty() ? error_reply(404, "no loaded tape has id \"" + route.substr(6) + "\"") : json_reply(200, record);
  }
  return error_reply(404, "Not Found: " + request.path);
}

}  // namespace hfi::emu
