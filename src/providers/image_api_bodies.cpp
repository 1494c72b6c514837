#include "providers/image_api_bodies.h"

#include "providers/body_parts.h"

namespace hfi::providers {
namespace {

// {model_key: id, ...rest}: the router reads the model from the start of the body.
std::string with_model_first(std::string_view model_key, std::string_view provider_model, const Members& rest) {
  Members m;
  m.set(model_key, quoted(provider_model));
  for (const auto& [key, value] : rest.items()) {
    if (key != model_key) m.set(key, value);
  }
  return m.object();
}

// width + height -> "size": "{w}x{h}", as the OpenAI images API takes it.
hfi_status size_member(const TaskCallInput& in, Members& m, std::string& error) {
  const std::string size = size_text(m);
  if (size.empty() && (m.find("width") || m.find("height"))) {
    error = std::string(in.provider->name) + " " + std::string(in.task->name) +
            " takes width and height together, as whole numbers";
    return HFI_E_INVALID_ARG;
  }
  m.erase("width");
  m.erase("height");
  if (!size.empty()) m.set("size", quoted(size));
  return HFI_OK;
}

hfi_status finish(std::string_view model_key, const TaskCallInput& in, const Members& m, TaskHttpRequest& out) {
  out.body = with_model_first(model_key, in.provider_model, m);
  out.content_type = "application/json";
  return HFI_OK;
}

hfi_status text_to_image_only(const TaskCallInput& in, const TaskBody& body, Members& m, std::string& error) {
  if (in.task->name != "text-to-image") return unsupported(in, error);
  std::string raw;
  if (hfi_status st = prompt_of(in, body, raw, error); st != HFI_OK) return st;
  m.set("prompt", raw);
  return HFI_OK;
}

}  // namespace

hfi_status together_media_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out,
                               std::string& error) {
  const std::string_view task = in.task->name;
  Members m = flat_members(body);
  std::string raw;
  hfi_status st = HFI_OK;
  if (task == "text-to-image" || task == "text-to-video") {
    if ((st = prompt_of(in, body, raw, error)) != HFI_OK) return st;
    m.set("prompt", raw);
  } else if (task == "image-to-image" || task == "image-to-video") {
    if ((st = media_url_json(in, body, raw, error)) != HFI_OK) return st;
    if (task == "image-to-video") {
      m.set("frame_images", "[{\"input_image\":" + raw + ",\"frame\":\"first\"}]");
    } else if (in.provider_model.find("Kontext") != std::string_view::npos) {
      m.set("image_url", raw);  // FLUX.1 Kontext edits the image it is given
    } else {
      m.set("reference_images", "[" + raw + "]");
    }
    if (task == "image-to-image" && !m.find("prompt")) m.set("prompt", "\"\"");  // the route requires one
  } else {
    return unsupported(in, error);
  }
  if (task == "text-to-image" || task == "image-to-image") {
    std::string steps = m.take("num_inference_steps");
    if (!steps.empty()) m.set("steps", steps);
    m.erase("response_format");  // hfi decides how the image comes back
    m.set("response_format", "\"base64\"");  // media_outputs reads data[0].b64_json
  }
  return finish("model", in, m, out);
}

hfi_status nscale_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  Members m = flat_members(body);
  if (hfi_status st = text_to_image_only(in, body, m, error); st != HFI_OK) return st;
  if (hfi_status st = size_member(in, m, error); st != HFI_OK) return st;
  // The OpenAI images API refuses members it does not know.
  m.erase("num_inference_steps");
  m.erase("cfg_scale");
  m.erase("response_format");  // media_outputs reads data[0].b64_json
  m.set("response_format", "\"b64_json\"");
  return finish("model", in, m, out);
}

hfi_status nebius_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  Members m = flat_members(body);
  if (hfi_status st = text_to_image_only(in, body, m, error); st != HFI_OK) return st;
  m.erase("response_format");  // media_outputs reads data[0].b64_json
  m.set("response_format", "\"b64_json\"");
  return finish("model", in, m, out);
}

hfi_status hyperbolic_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  Members m = flat_members(body);
  if (hfi_status st = text_to_image_only(in, body, m, error); st != HFI_OK) return st;
  return finish("model_name", in, m, out);  // hyperbolic's image API names the model so
}

hfi_status zai_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  Members m = flat_members(body);
  if (hfi_status st = text_to_image_only(in, body, m, error); st != HFI_OK) return st;
  if (hfi_status st = size_member(in, m, error); st != HFI_OK) return st;
  return finish("model", in, m, out);
}

}  // namespace hfi::providers
