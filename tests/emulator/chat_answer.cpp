#include "chat_answer.h"

#include <ctime>
#include <nlohmann/json.hpp>
#include <vector>

#include "text_util.h"

namespace hfi::emu {
namespace {

using Json = nlohmann::ordered_json;  // keep members in the order real servers send them

constexpr std::size_t kToolArgumentFragments = 3;

std::vector<std::string> tool_argument_fragments() {
  std::string arguments = kToolArguments;
  std::vector<std::string> fragments;
  std::size_t step = (arguments.size() + kToolArgumentFragments - 1) / kToolArgumentFragments;
  for (std::size_t at = 0; at < arguments.size(); at += step) fragments.push_back(arguments.substr(at, step));
  return fragments;
}

Json usage_json(std::size_t prompt, std::size_t completion) {
  return {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}};
}

Json tool_call_json(const std::string& name) {
  return {{"id", kToolCallId}, {"type", "function"}, {"function", {{"name", name}, {"arguments", kToolArguments}}}};
}

struct StreamWriter {
  const ChatQuery& query;
  const std::string& id;
  long created;
  Reply& reply;

  void event(const Json& payload) { reply.pieces.push_back("data: " + payload.dump() + "\n\n"); }

  void chunk(Json delta, const Json& finish_reason) {
    Json choice = {{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish_reason}};
    Json payload = {{"id", id},
                    {"object", "chat.completion.chunk"},
                    {"created", created},
                    {"model", query.model},
                    {"choices", Json::array({choice})}};
    if (query.include_usage) payload["usage"] = nullptr;  // as OpenAI does when a usage chunk will follow
    event(payload);
  }

  void usage(std::size_t completion) {
    event({{"id", id},
           {"object", "chat.completion.chunk"},
           {"created", created},
           {"model", query.model},
           {"choices", Json::array()},
           {"usage", usage_json(query.prompt_words, completion)}});
  }
};

Reply streamed_answer(const ChatQuery& query, const std::string& id, long created) {
  Reply reply;
  reply.streamed = true;
  reply.headers.emplace_back("Content-Type", "text/event-stream");
  reply.headers.emplace_back("Cache-Control", "no-cache");
  StreamWriter out{query, id, created, reply};
  std::size_t completion;
  if (query.tool_name) {
    Json call = {{"index", 0},
                 {"id", kToolCallId},
                 {"type", "function"},
                 {"function", {{"name", *query.tool_name}, {"arguments", ""}}}};
    out.chunk({{"role", "assistant"}, {"content", nullptr}, {"tool_calls", Json::array({call})}}, nullptr);
    std::vector<std::string> fragments = tool_argument_fragments();
    for (const auto& fragment : fragments)
      out.chunk({{"tool_calls", Json::array({{{"index", 0}, {"function", {{"arguments", fragment}}}}})}}, nullptr);
    out.chunk(Json::object(), "tool_calls");
    completion = fragments.size();
  } else {
    out.chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
    std::vector<std::string> words = split_keeping_spaces(chat_answer_text(query));
    for (const auto& word : words) out.chunk({{"content", word}}, nullptr);
    out.chunk(Json::object(), "stop");
    completion = words.size();
  }
  if (query.include_usage) out.usage(completion);
  reply.pieces.push_back("data: [DONE]\n\n");
  return reply;
}

Reply whole_answer(const ChatQuery& query, const std::string& id, long created) {
  Json message;
  std::string finish_reason;
  std::size_t completion;
  if (query.tool_name) {
    message = {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", Json::array({tool_call_json(*query.tool_name)})}};
    finish_reason = "tool_calls";
    completion = kToolArgumentFragments;
  } else {
    std::string text = chat_answer_text(query);
    message = {{"role", "assistant"}, {"content", text}};
    finish_reason = "stop";
    completion = split_keeping_spaces(text).size();
  }
  Json body = {{"id", id},
               {"object", "chat.completion"},
               {"created", created},
               {"model", query.model},
               {"choices", Json::array({{{"index", 0}, {"message", message}, {"finish_reason", finish_reason}}})},
               {"usage", usage_json(query.prompt_words, completion)}};
  return json_reply(200, body.dump());
}

}  // namespace

std::string chat_answer_text(const ChatQuery& query) { return "Hello! You said: " + query.last_user_text; }

Reply chat_answer_reply(const ChatQuery& query, const std::string& completion_id, bool stream) {
  long created = static_cast<long>(std::time(nullptr));
  return stream ? streamed_answer(query, completion_id, created) : whole_answer(query, completion_id, created);
}

}  // namespace hfi::emu
