#include "scripted_reply.h"

#include <nlohmann/json.hpp>

#include "default_routes.h"
#include "tape_reply.h"

namespace hfi::emu {
namespace {

Reply body_source(EmulatorState& state, const ScriptStep& step, const HttpRequest& request) {
  int status = step.status.value_or(200);
  if (step.tape) {
    const nlohmann::json* record = state.tapes.find(*step.tape);
    if (record != nullptr) return tape_reply(*record);
    return json_reply(500, R"({"error":"scripted tape is not loaded"})");
  }
  if (step.sse) {
    Reply reply;
    reply.status = status;
    reply.streamed = true;
    reply.headers.emplace_back("Content-Type", "text/event-stream");
    reply.pieces = *step.sse;
    return reply;
  }
  if (step.body) return json_reply(status, *step.body);
  if (step.default_sse) return default_reply(state, request, /*force_stream=*/true);
  if (status >= 400) {
    nlohmann::ordered_json error = {
        {"error", {{"message", "emulated " + std::to_string(status)}, {"type", "emulated"}}}};
    return json_reply(status, error.dump());
  }
  if (status < 300) return default_reply(state, request, /*force_stream=*/false);
  Reply redirect;  // 3xx without a body: typically paired with a "Location" header
  redirect.status = status;
  return redirect;
}

}  // namespace

Reply scripted_reply(EmulatorState& state, const ScriptStep& step, const HttpRequest& request) {
  Reply reply = body_source(state, step, request);
  if (step.status && reply.status != *step.status) {
    reply.status = *step.status;
    reply.reason.clear();  // a recorded reason phrase belongs to the recorded status
  }
  if (step.content_type) reply.set_header("Content-Type", *step.content_type);
  for (const auto& [name, value] : step.headers) reply.set_header(name, value);
  reply.faults = step.faults;
  return reply;
}

}  // namespace hfi::emu
