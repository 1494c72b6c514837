#include "recorded_answers.h"

#include <string>
#include <vector>

#include "protocol/chat_json.h"
#include "protocol/error_body.h"
#include "protocol/generation_chunks.h"
#include "protocol/media_type.h"
#include "protocol/sse.h"
#include "protocol/stream_chunks.h"
#include "providers/task_response.h"
#include "task_schema.h"

namespace hfi::test {
namespace {

using Outcome = AnswerCheck::Outcome;

AnswerCheck outcome(Outcome o, std::string detail) { return AnswerCheck{o, std::move(detail), {}}; }

struct Collect : sse::Sink {
  std::vector<std::string> data;
  bool on_event(const sse::Event& ev) override {
    data.emplace_back(ev.data);
    return true;
  }
};

// The text a stream carries (chat deltas or generated tokens), or the error it reports.
AnswerCheck read_stream(const std::string& body, const tasks::TaskInfo& task, bool recorded_as_error) {
  Collect events;
  sse::Parser parser;
  parser.feed(body.data(), body.size(), events);
  parser.finish();
  std::string text, error;
  hfi::json::StreamChunkParser chat;
  hfi::json::ChunkView chunk;
  for (const std::string& data : events.data) {
    if (data == "[DONE]") continue;
    hfi::json::GenerationChunk generated;
    if (task.name == "text-generation" && hfi::json::parse_generation_chunk(data, generated)) {
      if (generated.is_error) error = generated.error_message;
      text += generated.text;
      continue;
    }
    if (!chat.parse(data, false, chunk)) {
      hfi::json::GenerationChunk other;
      if (hfi::json::parse_generation_chunk(data, other) && other.is_error) error = other.error_message;
      else return outcome(Outcome::failed, "a stream event that is not JSON: " + data.substr(0, 80));
      continue;
    }
    if (chunk.is_error) error = std::string(chunk.error_message);
    for (const hfi::json::ChoiceDelta& choice : chunk.choices) text += choice.content;
  }
  if (recorded_as_error) {
    return error.empty() ? outcome(Outcome::failed, "the stream's error was not read")
                         : outcome(Outcome::passed, "stream error read");
  }
  if (!error.empty()) return outcome(Outcome::failed, "an error in a stream recorded as a success: " + error);
  return text.empty() ? outcome(Outcome::failed, "no text read from the stream")
                      : outcome(Outcome::passed, "stream text read");
}

bool media_of_kind(const std::string& type, const tasks::TaskInfo& task) {
  const std::string name(task.name);
  const char* kind = name.find("video") != std::string::npos   ? "video/"
                     : name.find("speech") != std::string::npos ? "audio/"
                                                                : "image/";
  return type.rfind(kind, 0) == 0;
}

}  // namespace

AnswerCheck check_recorded_answer(const nlohmann::json& r, const tasks::TaskInfo& task,
                                  const providers::ProviderInfo& provider, std::string_view provider_model) {
  const int status = r.value("response_status", 0);
  const std::string content_type = r.value("content_type", "");
  if (!r["response_body"].is_string()) return outcome(Outcome::not_checked, "binary answer not recorded");
  const std::string body = r["response_body"].get<std::string>();
  if (r.value("is_stream", false)) return read_stream(body, task, r.value("is_error", false));
  if (status >= 400) {
    const hfi::json::ErrorInfo info = hfi::json::parse_error_body(body, content_type);
    return info.message.empty()
               ? outcome(Outcome::failed, "no message read from the HTTP " + std::to_string(status) + " body")
               : outcome(Outcome::passed, "error message read");
  }
  if (task.name == "chat-completion") {
    hfi::json::ChatResult result;
    return hfi::json::parse_chat_response(body, result) ? outcome(Outcome::passed, "chat completion read")
                                                   : outcome(Outcome::failed, "not a chat completion");
  }
  providers::JobState job;
  job.task = &task;
  job.provider = &provider;
  job.provider_model = std::string(provider_model);
  providers::TaskStep step;
  providers::next_step(job, providers::TaskHttpResponse{status, content_type, body}, step);
  using Kind = providers::TaskStep::Kind;
  switch (step.kind) {
    case Kind::done: {
      if (task.output == tasks::Output::media) {
        if (step.bytes.empty()) return outcome(Outcome::failed, "no media bytes");
        const std::string type(media::type_or_sniffed(step.content_type, step.bytes));
        return media_of_kind(type, task) ? outcome(Outcome::passed, "media bytes (" + type + ")")
                                         : outcome(Outcome::failed, "media of another kind: " + type);
      }
      const nlohmann::json output = nlohmann::json::parse(step.output_json, nullptr, false);
      if (output.is_discarded()) return outcome(Outcome::failed, "the output is not JSON");
      static const SchemaChecker checker;
      const std::string problem = check_output(checker, std::string(task.name), output);
      return problem.empty() ? outcome(Outcome::passed, "output valid against the task spec")
                             : outcome(Outcome::failed, "output against the task spec: " + problem);
    }
    case Kind::poll: return AnswerCheck{Outcome::passed, "job submitted: poll next", step.url};
    case Kind::fetch: return AnswerCheck{Outcome::passed, "job submitted: fetch the result next", step.url};
    case Kind::download: return AnswerCheck{Outcome::passed, "result URL: download next", step.url};
    case Kind::failed: return outcome(Outcome::failed, step.error);
  }
  return outcome(Outcome::failed, "unknown step");
}

}  // namespace hfi::test
