// build_task_request: which body builder serves a (task, provider) pair, and the parts every
// request shares (the route, the provider's model id in the path, the provider's fixed headers).
#include "providers/task_request.h"

#include "providers/audio_bodies.h"
#include "providers/chat_body.h"
#include "providers/hf_inference.h"
#include "providers/image_api_bodies.h"
#include "providers/media_bodies.h"
#include "providers/openai_bodies.h"
#include "providers/task_body.h"

namespace hfi::providers {
namespace {

bool is_path_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// Provider model ids go into URL paths as they are (fal's have three segments): each segment
// plain, none "." or "..", so that an id cannot leave the provider's routes or add a query.
bool is_path_id(std::string_view id) {
  if (id.empty()) return false;
  size_t start = 0;
  while (start <= id.size()) {
    size_t end = id.find('/', start);
    if (end == std::string_view::npos) end = id.size();
    const std::string_view segment = id.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment) {
      if (!is_path_char(c)) return false;
    }
    start = end + 1;
  }
  return true;
}

hfi_status check_path_model(const TaskCallInput& in, const TaskRoute& route, std::string& error) {
  std::string_view id = in.provider_model;
  if (in.provider->name == "replicate") {
    const size_t colon = id.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view version = id.substr(colon + 1);
      bool plain = !version.empty();
      for (char c : version) plain = plain && is_path_char(c);
      if (!plain) {
        error = "replicate version \"" + std::string(version.substr(0, 200)) + "\" is not a version id";
        return HFI_E_INVALID_ARG;
      }
      id = id.substr(0, colon);
    }
  }
  if (route.path.find("{id}") != std::string_view::npos && !is_path_id(id)) {
    error = std::string(in.provider->name) + " model id \"" + std::string(id.substr(0, 200)) +
            "\" cannot go into a URL path";
    return HFI_E_INVALID_ARG;
  }
  return HFI_OK;
}

hfi_status hf_inference_request(const TaskCallInput& in, TaskHttpRequest& out, std::string& error) {
  TaskInput hf{in.task, in.model, in.json, in.binary, in.binary_type};
  HttpRequest built;
  hfi_status st = build_hf_inference_request(hf, built, error);
  if (st != HFI_OK) return st;
  constexpr std::string_view kPrefix = "/hf-inference";
  out.path = built.path.substr(kPrefix.size());  // TaskHttpRequest paths follow the provider's prefix
  out.content_type = std::move(built.content_type);
  out.headers = std::move(built.headers);
  if (in.task->name == "chat-completion") {
    // TGI's JSON schema shape and the model first, as for every chat provider.
    st = provider_chat_body("hf-inference", in.model, in.json, out.body, error);
  } else {
    out.body = std::move(built.body);
  }
  if (st != HFI_OK) return st;
  if (out.content_type == "application/json") {
    TaskBody body;
    std::string ignored;
    if (parse_task_body(in.task->name, out.body, body, ignored) == HFI_OK) out.stream = body.stream;
  }
  return HFI_OK;
}

hfi_status provider_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  const std::string_view name = in.provider->name;
  const std::string_view task = in.task->name;
  if (task == "chat-completion") return provider_chat_body(name, in.provider_model, in.json, out.body, error);
  if (task == "text-generation") return completions_body(in.provider_model, in.json, out.body, error);
  if (task == "feature-extraction") return embeddings_body(in.provider_model, in.json, out.body, error);
  if (name == "fal-ai") return fal_body(in, body, out, error);
  if (name == "replicate") return replicate_body(in, body, out, error);
  if (name == "wavespeed") return wavespeed_body(in, body, out, error);
  if (name == "novita") return novita_body(in, body, out, error);
  if (name == "nscale") return nscale_body(in, body, out, error);
  if (name == "nebius") return nebius_body(in, body, out, error);
  if (name == "hyperbolic") return hyperbolic_body(in, body, out, error);
  if (name == "zai-org") return zai_body(in, body, out, error);
  if (task == "text-to-speech" || task == "automatic-speech-recognition") return openai_audio_body(in, body, out, error);
  if (name == "together") return together_media_body(in, body, out, error);
  error = std::string(name) + " does not serve " + std::string(task);
  return HFI_E_UNSUPPORTED;
}

}  // namespace

hfi_status build_task_request(const TaskCallInput& in, TaskHttpRequest& out, std::string& error) {
  try {
    out = TaskHttpRequest{};
    if (!in.task) {
      error = "unknown task";
      return HFI_E_INVALID_ARG;
    }
    if (!in.provider) {
      error = std::string(in.task->name) + ": no provider given";
      return HFI_E_INVALID_ARG;
    }
    if (in.provider->name == "hf-inference") return hf_inference_request(in, out, error);
    const TaskRoute* route = find_route(*in.provider, in.task->name);
    if (!route) {
      error = std::string(in.provider->name) + " does not serve " + std::string(in.task->name);
      return HFI_E_UNSUPPORTED;
    }
    if (hfi_status st = check_path_model(in, *route, error); st != HFI_OK) return st;
    if (!in.binary.empty() && in.task->binary == tasks::BinaryInput::none) {
      error = std::string(in.task->name) + " takes no image or audio input";
      return HFI_E_INVALID_ARG;
    }
    TaskBody body;
    if (hfi_status st = parse_task_body(in.task->name, in.json, body, error); st != HFI_OK) return st;
    out.path = route_path(*in.provider, *route, in.provider_model);
    out.queued = route->queued;
    out.content_type = "application/json";
    if (hfi_status st = provider_body(in, body, out, error); st != HFI_OK) {
      out = TaskHttpRequest{};
      return st;
    }
    out.stream = body.stream;
    for (std::string_view header : in.provider->headers) out.headers.emplace_back(header);
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

hfi_status build_custom_endpoint_request(const TaskCallInput& in, TaskHttpRequest& out, std::string& error) {
  try {
    out = TaskHttpRequest{};
    TaskInput hf{in.task, in.model, in.json, in.binary, in.binary_type};
    HttpRequest built;
    hfi_status st = build_hf_inference_body(hf, built, error);
    if (st != HFI_OK) return st;
    out.body = std::move(built.body);
    out.content_type = std::move(built.content_type);
    out.headers = std::move(built.headers);
    if (out.content_type == "application/json") {
      TaskBody body;
      std::string ignored;
      if (parse_task_body(in.task->name, out.body, body, ignored) == HFI_OK) out.stream = body.stream;
    }
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
