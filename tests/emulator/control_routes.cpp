#include "control_routes.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

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

nlohmann::json parse_object(const std::string& body) {
  nlohmann::json object = nlohmann::json::parse(body, nullptr, false);
  if (!object.is_object()) throw std::invalid_argument("body must be a JSON object");
  return object;
}

// POST /_emulator/mappings {"model", "mapping", "merge"?, "pipeline_tag"?}
Reply mappings_reply(EmulatorState& state, const HttpRequest& request) {
  try {
    nlohmann::json body = parse_object(request.body);
    if (!body.contains("model") || !body["model"].is_string() || body["model"].get<std::string>().empty())
      throw std::invalid_argument("\"model\" must be a non-empty string");
    if (!body.contains("mapping")) throw std::invalid_argument("\"mapping\" is required");
    bool merge = body.value("merge", false);
    std::string tag = body.contains("pipeline_tag") && body["pipeline_tag"].is_string() ? body["pipeline_tag"].get<std::string>() : "";
    state.registry.set(body["model"].get<std::string>(), body["mapping"], merge, tag);
    return ok_reply();
  } catch (const std::exception& problem) {
    return error_reply(400, problem.what());
  }
}

JobKnobs read_knobs(const nlohmann::json& body, JobKnobs knobs) {
  for (const auto& [key, value] : body.items()) {
    if (key == "model") continue;
    if (key == "polls_before_done" && value.is_number_integer() && value.get<int>() >= 0) knobs.polls_before_done = value.get<int>();
    else if (key == "fail" && value.is_boolean()) knobs.fail = value.get<bool>();
    else if (key == "never_finish" && value.is_boolean()) knobs.never_finish = value.get<bool>();
    else throw std::invalid_argument("unknown or ill-typed member \"" + key + "\"");
  }
  return knobs;
}

// POST /_emulator/jobs {"polls_before_done"?, "fail"?, "never_finish"?, "model"?}
Reply jobs_reply(EmulatorState& state, const HttpRequest& request) {
  try {
    nlohmann::json body = parse_object(request.body);
    if (body.contains("model")) {
      if (!body["model"].is_string()) throw std::invalid_argument("\"model\" must be a string");
      state.jobs.set_model_knobs(body["model"].get<std::string>(), read_knobs(body, JobKnobs{}));
    } else {
      state.jobs.set_default_knobs(read_knobs(body, JobKnobs{}));
    }
    return ok_reply();
  } catch (const std::exception& problem) {
    return error_reply(400, problem.what());
  }
}

Reply replay_reply(EmulatorState& state, const HttpRequest& request) {
  if (request.method == "POST") {
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("on") || !body["on"].is_boolean())
      return error_reply(400, "body must be {\"on\": true|false}");
    state.replay.set_enabled(body["on"].get<bool>());
    state.replay.rewind();
  } else if (request.method != "GET") {
    return method_not_allowed("GET, POST");
  }
  nlohmann::ordered_json answer = {{"ok", true}, {"on", state.replay.enabled()}, {"records", state.replay.size()}};
  return json_reply(200, answer.dump());
}

// POST /_emulator/faults {"rate", "seed"?, "steps", "match"?: {"path"}}
Reply faults_reply(EmulatorState& state, const HttpRequest& request) {
  try {
    nlohmann::json body = parse_object(request.body);
    for (const auto& member : body.items())
      if (member.key() != "rate" && member.key() != "seed" && member.key() != "steps" && member.key() != "match")
        throw std::invalid_argument("unknown member \"" + member.key() + "\" (rate, seed, steps, match)");
    if (!body.contains("rate") || !body["rate"].is_number() || body["rate"].get<double>() < 0 ||
        body["rate"].get<double>() > 1)
      throw std::invalid_argument("\"rate\" must be a number from 0 to 1");
    const double rate = body["rate"].get<double>();
    uint64_t seed = 1;
    if (body.contains("seed")) {
      if (!body["seed"].is_number_unsigned()) throw std::invalid_argument("\"seed\" must be a non-negative integer");
      seed = body["seed"].get<uint64_t>();
    }
    std::vector<ScriptStep> steps;
    if (body.contains("steps")) {
      if (!body["steps"].is_array()) throw std::invalid_argument("\"steps\" must be an array of script steps");
      if (!body["steps"].empty())
        steps = parse_script(body["steps"].dump(), [&](const std::string& id) { return state.tapes.has(id); });
    }
    if (rate > 0 && steps.empty()) throw std::invalid_argument("a rate above 0 needs at least one step");
    std::string path;
    if (body.contains("match")) {
      const nlohmann::json& match = body["match"];
      if (!match.is_object() || match.size() != 1 || !match.contains("path") || !match["path"].is_string())
        throw std::invalid_argument("\"match\" must be {\"path\": \"...\"}");
      path = match["path"].get<std::string>();
    }
    state.faults.configure(rate, seed, std::move(steps), std::move(path));
    return ok_reply();
  } catch (const std::exception& problem) {
    return error_reply(400, problem.what());
  }
}

}  // namespace

void reset_state(EmulatorState& state) {
  state.script.clear();
  state.faults.reset();
  state.log.clear();
  state.registry.reset();
  state.jobs.reset();
  state.replay.set_enabled(false);
  state.replay.rewind();
}

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
  if (route == "faults") {
    if (method == "GET") return json_reply(200, state.faults.to_json());
    return method == "POST" ? faults_reply(state, request) : method_not_allowed("GET, POST");
  }
  if (route == "requests") return method == "GET" ? json_reply(200, state.log.to_json()) : method_not_allowed("GET");
  if (route == "reset") {
    if (method != "POST") return method_not_allowed("POST");
    reset_state(state);
    return ok_reply();
  }
  if (route == "mappings") {
    if (method == "GET") {
      nlohmann::ordered_json all = nlohmann::ordered_json::object();
      for (const ModelRecord& record : state.registry.all()) all[record.id] = record.mapping;
      return json_reply(200, all.dump());
    }
    return method == "POST" ? mappings_reply(state, request) : method_not_allowed("GET, POST");
  }
  if (route == "mappings/reset") {
    if (method != "POST") return method_not_allowed("POST");
    state.registry.reset();
    return ok_reply();
  }
  if (route == "jobs") {
    if (method == "GET") return json_reply(200, state.jobs.to_json());
    return method == "POST" ? jobs_reply(state, request) : method_not_allowed("GET, POST");
  }
  if (route == "jobs/reset") {
    if (method != "POST") return method_not_allowed("POST");
    state.jobs.reset();
    return ok_reply();
  }
  if (route == "replay") return replay_reply(state, request);
  if (route == "tapes") return method == "GET" ? json_reply(200, state.tapes.summary_json()) : method_not_allowed("GET");
  if (starts_with(route, "tapes/")) {
    if (method != "GET") return method_not_allowed("GET");
    std::string record = state.tapes.record_json(route.substr(6));
    return record.empty() ? error_reply(404, "no loaded tape has id \"" + route.substr(6) + "\"") : json_reply(200, record);
  }
  return error_reply(404, "Not Found: " + request.path);
}

}  // namespace hfi::emu
