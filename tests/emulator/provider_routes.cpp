#include "provider_routes.h"

#include <nlohmann/json.hpp>

#include "base64.h"
#include "completion_answers.h"
#include "default_routes.h"
#include "hf_inference_routes.h"
#include "job_routes.h"
#include "media_files.h"
#include "multipart.h"
#include "provider_context.h"
#include "task_answers.h"
#include "task_catalog.h"
#include "text_util.h"
#include "url_util.h"

namespace hfi::emu {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

Reply error_reply(int status, const std::string& message) {
  return json_reply(status, json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

// Direct calls carry the provider's own key: fal-ai wants "Key <k>", the others "Bearer <k>".
bool direct_auth_ok(const ProviderSpec& provider, const HttpRequest& request) {
  std::string value = request.header("authorization");
  std::string scheme = provider.key_auth ? "Key " : "Bearer ";
  return starts_with(value, scheme) && value.size() > scheme.size();
}

bool require_json(const HttpRequest& request, json* body, Reply* error) {
  *body = json::parse(request.body, nullptr, false);
  if (body->is_object()) return true;
  *error = error_reply(400, "request body is not a JSON object");
  return false;
}

bool require_string(const json& body, const char* name, Reply* error) {
  if (body.contains(name) && body[name].is_string()) return true;
  *error = error_reply(422, std::string("`") + name + "` is required and must be a string");
  return false;
}

// The bytes behind a data URL ("data:audio/wav;base64,..."); empty for an http URL.
std::string data_url_bytes(const std::string& url) {
  std::size_t comma = url.find(',');
  std::string bytes;
  if (starts_with(url, "data:") && comma != std::string::npos) base64_decode(url.substr(comma + 1), &bytes);
  return bytes;
}

// POST /v1/images/generations: b64 images (together, nscale, nebius) or hyperbolic's images[].image.
Reply images_reply(const std::string& provider, const HttpRequest& request) {
  json body;
  Reply error;
  if (!require_json(request, &body, &error)) return error;
  if (!require_string(body, "prompt", &error)) return error;
  std::string image = base64_encode(media_bytes("png"));
  if (provider == "hyperbolic") return json_reply(200, ojson{{"images", {{{"index", 0}, {"image", image}}}}}.dump());
  ojson item = {{"index", 0}, {"b64_json", image}};
  return json_reply(200, ojson{{"id", "emu-image"}, {"model", body.value("model", "")}, {"object", "list"},
                               {"data", ojson::array({item})}}.dump());
}

// POST .../audio/speech: the raw audio (deepinfra, together).
Reply speech_reply(const HttpRequest& request) {
  json body;
  Reply error;
  if (!require_json(request, &body, &error)) return error;
  if (!require_string(body, "input", &error)) return error;
  std::string format = body.value("response_format", "wav");
  return media_reply(format == "flac" ? "flac" : "wav");
}

// POST .../audio/transcriptions, multipart with a "file" part (bytes, or a URL as a plain field).
Reply transcription_reply(const HttpRequest& request) {
  std::vector<FormPart> parts;
  if (!parse_multipart(request.header("content-type"), request.body, &parts))
    return error_reply(400, "expected a multipart/form-data body");
  const FormPart* file = nullptr;
  for (const FormPart& part : parts)
    if (part.name == "file") file = &part;
  if (file == nullptr || file->data.empty()) return error_reply(422, "the `file` part is required");
  std::string text = transcript_of(file->data);
  ojson segment = {{"id", 0}, {"start", 0.0}, {"end", 1.0}, {"text", text}};
  return json_reply(200, ojson{{"text", text}, {"language", "en"}, {"duration", 1.0},
                               {"segments", ojson::array({segment})}}.dump());
}

// fal-ai without the queue: the answer comes back on the POST itself.
Reply fal_sync_reply(const HttpRequest& request, const std::string& origin, const std::string& task) {
  json body;
  Reply error;
  if (!require_json(request, &body, &error)) return error;
  const char* required = task == "automatic-speech-recognition" ? "audio_url"
                         : starts_with(task, "image-")          ? "image_url"
                         : task == "text-to-speech" && body.contains("text") ? "text"
                                                                : "prompt";
  if (!body.contains(required) || !body[required].is_string()) {
    ojson detail = {{"loc", {"body", required}}, {"msg", "field required"}, {"type", "value_error.missing"}};
    return json_reply(422, ojson{{"detail", ojson::array({detail})}}.dump());
  }
  std::string transcript;
  if (task == "automatic-speech-recognition") transcript = transcript_of(data_url_bytes(body[required]));
  std::string file_url = origin + kFilesPrefix + "fal-sync." + media_extension_for_task(task);
  return json_reply(200, fal_result(task, file_url, transcript).dump());
}

// The task a provider-side model id stands for: the registry's mapping, else
// the id's last segment when it names a task the route serves.
std::string task_of_model(const EmulatorState& state, const ProviderSpec& provider, const std::string& id,
                          const std::string& route_task) {
  std::string task = state.registry.task_for_provider_id(provider.name, id);
  if (!task.empty()) return task;
  std::string last = id.substr(id.rfind('/') == std::string::npos ? 0 : id.rfind('/') + 1);
  for (const ProviderRouteSpec& route : provider.routes)
    if (route.task == last) return last;
  int routes_here = 0;
  for (const ProviderRouteSpec& route : provider.routes)
    if (route.path == "/{id}" || route.path.find("{id}") != std::string::npos) ++routes_here;
  return routes_here == 1 ? route_task : std::string();
}

// Replicate's version endpoint names no model; the version finds it in the registry.
std::string replicate_version_model(const EmulatorState& state, const HttpRequest& request, std::string* task) {
  json body = json::parse(request.body, nullptr, false);
  std::string version = body.is_object() && body.contains("version") && body["version"].is_string()
                            ? body["version"].get<std::string>() : "";
  for (const auto& entry : state.registry.entries_for("replicate")) {
    std::size_t colon = entry.provider_id.find(':');
    if (colon != std::string::npos && entry.provider_id.substr(colon + 1) == version) {
      *task = entry.task;
      return entry.provider_id;
    }
  }
  *task = "text-to-image";
  return "emu/version:" + version;
}

Reply task_reply(EmulatorState& state, const HttpRequest& request, const ProviderContext& context,
                 const std::string& task, const std::string& model_id, bool force_stream) {
  const std::string& provider = context.provider->name;
  if (task == "chat-completion") return chat_route_reply(state, request, force_stream);
  if (task == "text-generation") return openai_completions_reply(request.body, ++state.completions);
  if (task == "feature-extraction") return openai_embeddings_reply(request.body);
  if (provider == "fal-ai") {
    if (context.queue_host || query_value(request.query, "_subdomain") == "queue")
      return job_submit_reply(state, request, context, task, model_id);
    return fal_sync_reply(request, context.self_origin, task);
  }
  if (provider == "replicate" || provider == "wavespeed" || provider == "zai-org" || provider == "novita" ||
      (provider == "together" && ends_with(task, "-to-video")))
    return job_submit_reply(state, request, context, task, model_id);
  if (task == "text-to-image" || task == "image-to-image") return images_reply(provider, request);
  if (task == "text-to-speech") return speech_reply(request);
  if (task == "automatic-speech-recognition") return transcription_reply(request);
  return error_reply(404, provider + " does not serve " + task);
}

}  // namespace

bool split_provider_path(const std::string& path, std::string* provider, bool* direct, std::string* rest) {
  std::string tail = path;
  *direct = starts_with(tail, "/direct/");
  if (*direct) tail = tail.substr(7);
  if (tail.size() < 2 || tail[0] != '/') return false;
  std::size_t slash = tail.find('/', 1);
  *provider = tail.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  *rest = slash == std::string::npos ? "" : tail.substr(slash);
  return find_provider_spec(*provider) != nullptr || (*direct && *provider == kFalQueueHost);
}

Reply provider_reply(EmulatorState& state, const HttpRequest& request, const std::string& provider_name, bool direct,
                     const std::string& rest, bool force_stream) {
  ProviderContext context;
  context.queue_host = direct && provider_name == kFalQueueHost;
  context.provider = find_provider_spec(context.queue_host ? "fal-ai" : provider_name);
  context.direct = direct;
  context.self_origin = self_origin(state.scheme, request);
  if (direct && !direct_auth_ok(*context.provider, request)) {
    return error_reply(401, std::string("Invalid credentials: ") + provider_name + " expects \"Authorization: " +
                                (context.provider->key_auth ? "Key" : "Bearer") + " <key>\"");
  }
  if (!direct && !state.require_token.empty() && request.header("authorization") != "Bearer " + state.require_token)
    return error_reply(401, "Invalid credentials in Authorization header");
  if (context.provider->name == "hf-inference") return hf_inference_reply(state, request, rest, force_stream);
  Reply reply;
  if (job_followup_reply(state, request, context, rest, &reply)) return reply;
  if (ends_with(rest, "/chat/completions")) return chat_route_reply(state, request, force_stream);
  std::string task, model_id;
  if (context.provider->name == "replicate" && rest == "/v1/predictions") {
    model_id = replicate_version_model(state, request, &task);
  } else if (match_provider_route(*context.provider, rest, &task, &model_id)) {
    if (!model_id.empty()) task = task_of_model(state, *context.provider, percent_decode(model_id), task);
    model_id = percent_decode(model_id);
    if (task.empty()) return error_reply(404, "Model " + model_id + " not found on " + context.provider->name);
  } else {
    return error_reply(404, "Not Found: " + request.path);
  }
  if (request.method != "POST") {
    Reply refused = error_reply(405, "Method Not Allowed: use POST");
    refused.set_header("Allow", "POST");
    return refused;
  }
  return task_reply(state, request, context, task, model_id, force_stream);
}

}  // namespace hfi::emu
