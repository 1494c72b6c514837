#include "providers/provider_outputs.h"

#include <string>
#include <utility>

#include "protocol/base64.h"
#include "protocol/json_write.h"
#include "protocol/media_type.h"
#include "providers/media_outputs.h"
#include "providers/task_steps.h"
#include "tasks/json_tree.h"
#include "tasks/task_output.h"

namespace hfi::providers {
namespace {

using tasks::JsonNode;

std::string provider_name(const JobState& job) { return std::string(job.provider->name); }

// Through the task's normaliser, so that provider shapes end in exactly the hf-inference output.
void json_done(const JobState& job, std::string_view json, std::string_view who, TaskStep& out) {
  std::string normalised, error;
  if (!tasks::normalize_output(job.task->name, json, normalised, error)) {
    return fail(out, HFI_E_PROTOCOL, std::string(who) + ": " + error);
  }
  out = TaskStep{};
  out.kind = TaskStep::Kind::done;
  out.output_json = std::move(normalised);
}

// "/images/0/url" -> "images[0].url", for messages.
std::string member_name(std::string_view pointer) {
  std::string out;
  size_t at = 1;
  while (at <= pointer.size()) {
    const size_t next = pointer.find('/', at);
    const std::string_view part = pointer.substr(at, next == std::string_view::npos ? next : next - at);
    if (!part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos) {
      out += "[" + std::string(part) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += part;
    }
    if (next == std::string_view::npos) break;
    at = next + 1;
  }
  return out;
}

bool is_string(const JsonNode* node) { return node && node->kind == JsonNode::Kind::kString; }
bool is_number(const JsonNode* node) { return node && node->kind == JsonNode::Kind::kNumber; }

// OpenAI transcriptions (deepinfra, together): {text, segments[{start, end, text}]} -> the spec's
// {text, chunks[{text, timestamp[start, end]}]}. Numbers are copied as their raw tokens.
bool transcription_to_spec(const JsonNode& root, std::string& json, std::string& got) {
  const JsonNode* text = root.is_object() ? root.find("text") : nullptr;
  if (!is_string(text)) {
    got = "no string \"text\"";
    return false;
  }
  json = "{\"text\":";
  tasks::write_node(*text, json);
  const JsonNode* segments = root.find("segments");
  if (segments && segments->is_array()) {
    json += ",\"chunks\":[";
    for (size_t i = 0; i < segments->items.size(); ++i) {
      const JsonNode& segment = segments->items[i];
      const JsonNode* piece = segment.is_object() ? segment.find("text") : nullptr;
      const JsonNode* start = segment.is_object() ? segment.find("start") : nullptr;
      const JsonNode* end = segment.is_object() ? segment.find("end") : nullptr;
      if (!is_string(piece) || !is_number(start) || !is_number(end)) {
        got = "segments[" + std::to_string(i) + "] without text, start and end";
        return false;
      }
      if (i) json += ',';
      json += "{\"text\":";
      tasks::write_node(*piece, json);
      json += ",\"timestamp\":[";
      tasks::write_node(*start, json);
      json += ',';
      tasks::write_node(*end, json);
      json += "]}";
    }
    json += ']';
  }
  json += '}';
  return true;
}

// OpenAI's finish reasons in TGI's words; "stop" covers both the end of sequence and a stop
// sequence, and TGI's "eos_token" is the usual case. Others (content_filter, tool_calls) have none.
std::string_view tgi_finish_reason(std::string_view raw_token) {
  if (raw_token == "\"length\"") return "length";
  if (raw_token == "\"stop\"" || raw_token == "\"eos\"") return "eos_token";
  return {};
}

// OpenAI completions -> [{generated_text, details?}]: the TGI details the spec requires
// (finish_reason, generated_tokens, prefill, tokens) exist for one choice with a usage count;
// OpenAI servers give no token lists, so those are empty.
bool completions_to_spec(const JsonNode& root, std::string& json, std::string& got) {
  const JsonNode* choices = root.find("choices");
  if (!choices || !choices->is_array() || choices->items.empty()) {
    got = "no \"choices\"";
    return false;
  }
  const JsonNode* usage = root.find("usage");
  const JsonNode* completion_tokens = usage && usage->is_object() ? usage->find("completion_tokens") : nullptr;
  json = "[";
  for (size_t i = 0; i < choices->items.size(); ++i) {
    const JsonNode& choice = choices->items[i];
    const JsonNode* text = choice.is_object() ? choice.find("text") : nullptr;
    if (!is_string(text)) {
      got = "choices[" + std::to_string(i) + "] without a string \"text\"";
      return false;
    }
    if (i) json += ',';
    json += "{\"generated_text\":";
    tasks::write_node(*text, json);
    const JsonNode* reason = choice.find("finish_reason");
    const std::string_view finish = is_string(reason) ? tgi_finish_reason(reason->raw) : std::string_view();
    if (choices->items.size() == 1 && !finish.empty() && is_number(completion_tokens)) {
      json += ",\"details\":{\"finish_reason\":\"" + std::string(finish) + "\",\"generated_tokens\":";
      tasks::write_node(*completion_tokens, json);
      json += ",\"prefill\":[],\"tokens\":[]}";
    }
    json += '}';
  }
  json += ']';
  return true;
}

// Shapes that need rewriting before the normaliser; false when `body` is in none of them.
bool rewrite_provider_shape(const JobState& job, std::string_view body, std::string& json, TaskStep& out,
                            bool& failed) {
  const std::string_view task = job.task->name;
  if (task != "automatic-speech-recognition" && task != "text-generation") return false;
  tasks::JsonTree tree;
  std::string error;
  if (!tree.parse(body, error)) return false;  // the normaliser says what is wrong
  const JsonNode& root = tree.root();
  if (!root.is_object()) return false;
  std::string got;
  bool ok;
  if (task == "automatic-speech-recognition" && root.find("segments")) {
    ok = transcription_to_spec(root, json, got);
  } else if (task == "text-generation" && root.find("choices") && !root.find("generated_text")) {
    ok = completions_to_spec(root, json, got);
  } else {
    return false;
  }
  if (!ok) {
    failed = true;
    fail(out, HFI_E_PROTOCOL, provider_name(job) + ": " + std::string(task) + ": " + got);
  }
  return true;
}

void done_with_json(std::string json, TaskStep& out) {
  out = TaskStep{};
  out.kind = TaskStep::Kind::done;
  out.output_json = std::move(json);
}

void text_output(const JobState& job, std::string_view text, TaskStep& out) {
  std::string json = "{\"text\":";
  json::append_json_string(json, text);
  json += '}';
  json_done(job, json, provider_name(job), out);
}

// fal-ai segmentation gives one mask image; the spec's output is a list of labelled masks.
void mask_output(std::string_view image, std::string_view who, TaskStep& out) {
  if (media::sniff(image).rfind("image/", 0) != 0) {
    return fail(out, HFI_E_PROTOCOL, std::string(who) + ": the mask is not an image");
  }
  std::string json = "[{\"label\":\"mask\",\"mask\":\"";
  base64::append_encoded(json, image);
  json += "\"}]";
  done_with_json(std::move(json), out);
}

bool is_base64_image_provider(std::string_view provider) {
  return provider == "together" || provider == "nebius" || provider == "nscale" || provider == "hyperbolic";
}

void chat_output(std::string_view body, TaskStep& out) {
  // The chat layer (protocol/chat_json) reads completions; here the answer only has to be one.
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (!parse_answer(parser, body, "chat-completion", doc, out)) return;
  simdjson::dom::array choices;
  if (doc["choices"].get(choices)) return fail(out, HFI_E_PROTOCOL, "chat-completion: the answer has no \"choices\"");
  done_with_json(std::string(body), out);
}

}  // namespace

void fal_result(JobState& job, std::string_view body, TaskStep& out) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (!parse_answer(parser, body, "fal-ai", doc, out)) return;
  const std::string_view task = job.task->name;
  std::string_view pointer;
  std::string_view type_pointer;
  if (task == "automatic-speech-recognition") {
    if (doc["text"].error() == simdjson::SUCCESS) return json_done(job, body, "fal-ai", out);
    pointer = "/text";
  } else if (task == "text-to-image" || task == "image-to-image") {
    pointer = doc["images"].error() == simdjson::SUCCESS ? "/images/0/url" : "/image/url";
    type_pointer = doc["images"].error() == simdjson::SUCCESS ? "/images/0/content_type" : "/image/content_type";
  } else if (task == "text-to-video" || task == "image-to-video") {
    pointer = "/video/url";
    type_pointer = "/video/content_type";
  } else if (task == "text-to-speech") {
    pointer = "/audio/url";
    type_pointer = "/audio/content_type";
  } else if (task == "image-segmentation") {
    pointer = "/image/url";
  } else {
    return fail(out, HFI_E_UNSUPPORTED, "fal-ai: no result shape known for " + std::string(task));
  }
  const std::string_view url = string_at(doc, pointer);
  if (url.empty()) {
    simdjson::dom::element problem;
    if (!doc["detail"].get(problem) || !doc["error"].get(problem)) {
      return fail(out, HFI_E_SERVER, "fal-ai: " + error_text(problem));
    }
    return fail(out, HFI_E_PROTOCOL, "fal-ai: the answer has no " + member_name(pointer));
  }
  if (!type_pointer.empty()) job.media_type = std::string(string_at(doc, type_pointer));
  if (task != "image-segmentation") return media_from_url(job, url, "fal-ai", out);
  std::string image, type;
  if (is_http_url(url)) return media_from_url(job, url, "fal-ai", out);  // the mask comes with the download
  if (!decode_data_url(url, image, type)) {
    return fail(out, HFI_E_PROTOCOL, "fal-ai: image.url is neither a base64 data: URL nor http(s)");
  }
  mask_output(image, "fal-ai", out);
}

void replicate_output(JobState& job, const simdjson::dom::element& output, TaskStep& out) {
  const std::string_view task = job.task->name;
  std::string_view text;
  if (job.task->output == tasks::Output::media) {
    if (output.get(text) && output.at(0).get(text)) {
      return fail(out, HFI_E_PROTOCOL, "replicate: the output is not a URL or a list of URLs");
    }
    return media_from_url(job, text, "replicate", out);
  }
  if (task != "automatic-speech-recognition") {
    return fail(out, HFI_E_UNSUPPORTED, "replicate: no output shape known for " + std::string(task));
  }
  if (!output.get(text)) return text_output(job, text, out);
  simdjson::dom::array pieces;
  if (!output.get(pieces)) {  // text in pieces, as the model streamed it
    std::string joined;
    for (simdjson::dom::element piece : pieces) {
      if (piece.get(text)) return fail(out, HFI_E_PROTOCOL, "replicate: the output list holds a non-string");
      joined += text;
    }
    return text_output(job, joined, out);
  }
  for (const char* key : {"transcription", "translation", "text"}) {
    if (!output[key].get(text)) return text_output(job, text, out);
  }
  if (!output["txt_file"].get(text)) {
    if (!is_http_url(text)) return fail(out, HFI_E_PROTOCOL, "replicate: output.txt_file is not an http(s) URL");
    out = TaskStep{};
    out.kind = TaskStep::Kind::download;
    out.url = std::string(text);
    job.phase = JobState::Phase::downloading;
    return;
  }
  fail(out, HFI_E_PROTOCOL, "replicate: the output has no transcription, translation or txt_file");
}

void downloaded_json_result(const JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  const std::string_view task = job.task->name;
  const std::string who = provider_name(job);
  if (task == "image-segmentation") return mask_output(response.body, who, out);
  if (task == "automatic-speech-recognition") return text_output(job, response.body, out);
  fail(out, HFI_E_PROTOCOL, who + ": " + std::string(task) + " has no result to download");
}

void sync_answer(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  const std::string_view provider = job.provider->name;
  const std::string_view task = job.task->name;
  const std::string who(provider);
  if (provider == "fal-ai") return fal_result(job, response.body, out);
  if (job.task->output == tasks::Output::media) {
    if (is_base64_image_provider(provider) && (task == "text-to-image" || task == "image-to-image")) {
      std::string bytes, error;
      if (!generated_image(provider, response.body, bytes, error)) return fail(out, HFI_E_PROTOCOL, error);
      return media_done(std::move(bytes), {}, {}, who, out);
    }
    return media_done(std::string(response.body), response.content_type, {}, who, out);
  }
  if (task == "chat-completion") return chat_output(response.body, out);
  if (provider == "zai-org" && task == "image-to-text") {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (!parse_answer(parser, response.body, who, doc, out)) return;
    std::string_view markdown;
    if (doc["md_results"].get(markdown)) return fail(out, HFI_E_PROTOCOL, who + ": the answer has no md_results");
    std::string json = "{\"generated_text\":";
    json::append_json_string(json, markdown);
    json += '}';
    return json_done(job, json, who, out);
  }
  std::string rewritten;
  bool failed = false;
  if (rewrite_provider_shape(job, response.body, rewritten, out, failed)) {
    if (failed) return;
    return json_done(job, rewritten, who, out);
  }
  json_done(job, response.body, who, out);
}

}  // namespace hfi::providers
