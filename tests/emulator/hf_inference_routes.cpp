#include "hf_inference_routes.h"

#include <nlohmann/json.hpp>

#include "base64.h"
#include "completion_answers.h"
#include "default_routes.h"
#include "task_answers.h"
#include "task_catalog.h"
#include "text_util.h"
#include "url_util.h"

namespace hfi::emu {
namespace {

using json = nlohmann::json;

Reply hf_error(int status, const std::string& message) {
  return json_reply(status, json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

struct Target {
  std::string model;
  std::string suffix;  // "", "/pipeline/<task>", "/v1/chat/completions", "/v1/completions"
  std::string task;    // from the path (pipeline form), else from the registry
};

bool parse_target(const std::string& rest, Target* target) {
  if (starts_with(rest, "/pipeline/")) {  // /pipeline/{task}/{model}
    std::string tail = rest.substr(10);
    std::size_t slash = tail.find('/');
    if (slash == std::string::npos) return false;
    target->task = tail.substr(0, slash);
    target->model = tail.substr(slash + 1);
    return !target->model.empty();
  }
  if (!starts_with(rest, "/models/")) return false;
  std::string tail = rest.substr(8);
  for (const char* suffix : {"/pipeline/feature-extraction", "/pipeline/sentence-similarity", "/v1/chat/completions",
                             "/v1/completions"}) {
    if (ends_with(tail, suffix) && tail.size() > std::string(suffix).size()) {
      target->suffix = suffix;
      tail.resize(tail.size() - target->suffix.size());
      break;
    }
  }
  if (starts_with(target->suffix, "/pipeline/")) target->task = target->suffix.substr(10);
  target->model = percent_decode(tail);
  return !target->model.empty();
}

std::string registry_task(const EmulatorState& state, const std::string& model) {
  std::optional<ModelRecord> record = state.registry.find(model);
  if (!record) return {};
  auto entry = record->mapping.find("hf-inference");
  if (entry != record->mapping.end() && entry->is_object() && entry->contains("task") && (*entry)["task"].is_string())
    return catalog_task_name((*entry)["task"].get<std::string>());
  return catalog_task_name(record->pipeline_tag);
}

// Image/audio tasks take the raw bytes as the body, or JSON with base64 in
// "inputs" (or "inputs"."image" for the question-answering ones).
bool read_input(const TaskSpec& task, const HttpRequest& request, TaskInput* input, Reply* error) {
  input->task = task.name;
  json body = json::parse(request.body, nullptr, false);
  bool json_body = body.is_object();
  if (!task.binary_input) {
    if (!json_body) {
      *error = hf_error(400, "Body must be a JSON object");
      return false;
    }
    input->body = std::move(body);
    return true;
  }
  if (!json_body) {
    input->binary = request.body;
    return true;
  }
  const json& inputs = body.contains("inputs") ? body["inputs"] : body.value("image", json());
  const json& encoded = inputs.is_object() && inputs.contains("image") ? inputs["image"] : inputs;
  if (encoded.is_string()) {
    std::string text = encoded.get<std::string>();
    if (starts_with(text, "data:") && text.find(',') != std::string::npos) text = text.substr(text.find(',') + 1);
    if (!base64_decode(text, &input->binary)) {
      *error = hf_error(400, "`inputs` is not valid base64");
      return false;
    }
  }
  input->body = std::move(body);
  return true;
}

}  // namespace

Reply hf_inference_reply(EmulatorState& state, const HttpRequest& request, const std::string& rest, bool force_stream) {
  Target target;
  if (!parse_target(rest, &target)) return hf_error(404, "Not Found: " + request.path);
  if (request.method != "POST") {
    Reply reply = hf_error(405, "Method Not Allowed: use POST");
    reply.set_header("Allow", "POST");
    return reply;
  }
  std::string task_name = target.task.empty() ? registry_task(state, target.model) : target.task;
  if (target.suffix == "/v1/chat/completions") return chat_route_reply(state, request, force_stream);
  if (task_name.empty()) return hf_error(404, "Model " + target.model + " does not exist");
  if (target.suffix == "/v1/completions") return openai_completions_reply(request.body, ++state.completions);
  const TaskSpec* task = find_task_spec(task_name);
  if (task == nullptr || !task->hf_inference)
    return hf_error(400, "Model " + target.model + " is not served by hf-inference for task " + task_name);
  if (task->name == "chat-completion") return chat_route_reply(state, request, force_stream);
  TaskInput input;
  Reply error;
  if (!read_input(*task, request, &input, &error)) return error;
  if (task->name == "text-generation" && (force_stream || input.body.value("stream", false))) {
    if (!input.body.contains("inputs") || !input.body["inputs"].is_string())
      return hf_error(422, "Error in `inputs`: a string is required");
    return tgi_stream_reply(input.body["inputs"].get<std::string>());
  }
  return task_answer(input);
}

}  // namespace hfi::emu
