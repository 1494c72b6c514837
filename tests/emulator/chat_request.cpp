#include "chat_request.h"

#include <nlohmann/json.hpp>

#include "text_util.h"

namespace hfi::emu {
namespace {

using nlohmann::json;

// json::value() throws on a type mismatch; a test tool must shrug at odd input instead.
std::string string_member(const json& object, const char* key, const std::string& fallback) {
  auto member = object.find(key);
  return member != object.end() && member->is_string() ? member->get<std::string>() : fallback;
}

bool true_member(const json& object, const char* key) {
  auto member = object.find(key);
  return member != object.end() && member->is_boolean() && member->get<bool>();
}

std::string message_text(const json& message) {
  auto content = message.find("content");
  if (content == message.end()) return {};
  if (content->is_string()) return content->get<std::string>();
  std::string text;
  if (content->is_array()) {
    for (const auto& part : *content) {
      if (!part.is_object()) continue;
      auto part_text = part.find("text");
      if (part_text != part.end() && part_text->is_string() && string_member(part, "type", "text") == "text")
        text += part_text->get<std::string>();
    }
  }
  return text;
}

std::string first_tool_name(const json& tools) {
  const json& first = tools.front();
  if (first.is_object() && first.contains("function") && first["function"].is_object()) {
    const json& function = first["function"];
    if (function.contains("name") && function["name"].is_string()) return function["name"].get<std::string>();
  }
  return "tool";
}

std::optional<std::string> forced_tool(const json& request) {
  auto tools = request.find("tools");
  auto choice = request.find("tool_choice");
  if (tools == request.end() || !tools->is_array() || tools->empty() || choice == request.end()) return std::nullopt;
  if (choice->is_string()) {
    if (choice->get<std::string>() == "required") return first_tool_name(*tools);
    return std::nullopt;
  }
  if (choice->is_object()) {
    auto function = choice->find("function");
    if (function != choice->end() && function->is_object() && function->contains("name") &&
        (*function)["name"].is_string())
      return (*function)["name"].get<std::string>();
    return first_tool_name(*tools);
  }
  return std::nullopt;
}

}  // namespace

Reply openai_error_reply(int status, const std::string& message) {
  nlohmann::ordered_json error = {{"error", {{"message", message}, {"type", "invalid_request_error"}}}};
  return json_reply(status, error.dump());
}

bool parse_chat_request(const std::string& body, ChatQuery* query, Reply* error) {
  json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) {
    *error = openai_error_reply(400, "Request body is not valid JSON");
    return false;
  }
  if (!request.is_object()) {
    *error = openai_error_reply(400, "Request body must be a JSON object");
    return false;
  }
  auto model = request.find("model");
  if (model == request.end() || !model->is_string() || model->get<std::string>().empty()) {
    *error = openai_error_reply(400, "Missing required parameter: 'model'");
    return false;
  }
  auto messages = request.find("messages");
  if (messages == request.end() || !messages->is_array() || messages->empty()) {
    *error = openai_error_reply(422, "Input validation error: `messages` must be a non-empty array");
    return false;
  }
  query->model = model->get<std::string>();
  query->prompt_words = 0;
  query->last_user_text.clear();
  for (const auto& message : *messages) {
    if (!message.is_object()) {
      *error = openai_error_reply(422, "Input validation error: every message must be an object");
      return false;
    }
    std::string text = message_text(message);
    query->prompt_words += count_words(text);
    if (string_member(message, "role", "") == "user") query->last_user_text = text;
  }
  query->stream = true_member(request, "stream");
  auto options = request.find("stream_options");
  query->include_usage = options != request.end() && options->is_object() && true_member(*options, "include_usage");
  query->tool_name = forced_tool(request);
  return true;
}

}  // namespace hfi::emu
