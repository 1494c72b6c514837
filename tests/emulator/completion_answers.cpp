#include "completion_answers.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "chat_request.h"
#include "task_answers.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

std::string dump(const ojson& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

Reply sse_reply(std::vector<std::string> events) {
  Reply reply;
  reply.streamed = true;
  reply.headers.emplace_back("Content-Type", "text/event-stream");
  reply.pieces = std::move(events);
  return reply;
}

bool parse_object(const std::string& body, json* object, Reply* error) {
  *object = json::parse(body, nullptr, false);
  if (object->is_object()) return true;
  *error = openai_error_reply(400, "request body is not a JSON object");
  return false;
}

}  // namespace

Reply tgi_stream_reply(const std::string& prompt) {
  std::string generated = generated_text_of(prompt);
  std::vector<std::string> pieces = split_keeping_spaces(generated);
  std::vector<std::string> events;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    bool last = i + 1 == pieces.size();
    ojson event = {{"index", i},
                   {"token", {{"id", 1000 + i}, {"text", pieces[i]}, {"logprob", -0.1}, {"special", false}}},
                   {"generated_text", last ? json(generated) : json(nullptr)},
                   {"details", last ? json{{"finish_reason", "eos_token"}, {"generated_tokens", pieces.size()}, {"seed", 0}}
                                    : json(nullptr)}};
    events.push_back("data:" + dump(event) + "\n\n");
  }
  return sse_reply(std::move(events));
}

Reply openai_completions_reply(const std::string& body, long sequence) {
  json request;
  Reply error;
  if (!parse_object(body, &request, &error)) return error;
  if (!request.contains("prompt") || !request["prompt"].is_string())
    return openai_error_reply(422, "`prompt` must be a string");
  std::string model = request.value("model", "");
  std::string generated = generated_text_of(request["prompt"].get<std::string>());
  std::string id = "cmpl-emu-" + std::to_string(sequence);
  long created = static_cast<long>(std::time(nullptr));
  std::size_t prompt_words = count_words(request["prompt"].get<std::string>());
  std::vector<std::string> pieces = split_keeping_spaces(generated);
  ojson usage = {{"prompt_tokens", prompt_words}, {"completion_tokens", pieces.size()},
                 {"total_tokens", prompt_words + pieces.size()}};
  if (request.value("stream", false)) {
    std::vector<std::string> events;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      bool last = i + 1 == pieces.size();
      ojson chunk = {{"id", id}, {"object", "text_completion"}, {"created", created}, {"model", model},
                     {"choices", ojson::array({{{"index", 0}, {"text", pieces[i]}, {"logprobs", nullptr},
                                                {"finish_reason", last ? json("stop") : json(nullptr)}}})}};
      events.push_back("data: " + dump(chunk) + "\n\n");
    }
    events.push_back("data: [DONE]\n\n");
    return sse_reply(std::move(events));
  }
  ojson answer = {{"id", id}, {"object", "text_completion"}, {"created", created}, {"model", model},
                  {"choices", ojson::array({{{"index", 0}, {"text", generated}, {"logprobs", nullptr},
                                             {"finish_reason", "stop"}}})},
                  {"usage", usage}};
  return json_reply(200, dump(answer));
}

Reply openai_embeddings_reply(const std::string& body) {
  json request;
  Reply error;
  if (!parse_object(body, &request, &error)) return error;
  std::vector<std::string> texts;
  const json& input = request.contains("input") ? request["input"] : request.value("inputs", json());
  if (input.is_string()) texts.push_back(input.get<std::string>());
  else if (input.is_array())
    for (const json& item : input)
      if (item.is_string()) texts.push_back(item.get<std::string>());
  if (texts.empty() || (input.is_array() && texts.size() != input.size()))
    return openai_error_reply(422, "`input` must be a string or a list of strings");
  std::size_t dimensions = request.contains("dimensions") && request["dimensions"].is_number_integer() &&
                                   request["dimensions"].get<int>() > 0
                               ? request["dimensions"].get<std::size_t>()
                               : 8;
  ojson data = ojson::array();
  std::size_t words = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", embedding_of(texts[i], dimensions)}});
    words += count_words(texts[i]);
  }
  ojson answer = {{"object", "list"}, {"data", data}, {"model", request.value("model", "")},
                  {"usage", {{"prompt_tokens", words}, {"total_tokens", words}}}};
  return json_reply(200, dump(answer));
}

}  // namespace hfi::emu
