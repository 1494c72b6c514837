#include "providers/media_bodies.h"

#include "providers/body_parts.h"
#include "providers/media_input.h"

namespace hfi::providers {
namespace {

std::string list_of(const std::string& raw) { return "[" + raw + "]"; }

// fal's speech models fetch the audio from the URL and read its type from the data URL; the
// clients send these types, in fal's spelling (wav as audio/x-wav, WebM as video/webm).
hfi_status fal_audio_type(const MediaInput& audio, std::string& type, std::string& error) {
  const std::string& t = audio.type;
  if (t == "audio/mpeg" || t == "audio/mp4" || t == "audio/x-wav") type = t;
  else if (t == "audio/wav" || t == "audio/wave") type = "audio/x-wav";
  else if (t == "audio/webm" || t == "video/webm") type = "video/webm";
  else {
    error = "fal-ai takes MP3, M4A, WAV or WebM audio, not " + (t.empty() ? std::string("unknown bytes") : t);
    return HFI_E_INVALID_ARG;
  }
  return HFI_OK;
}

// Py's `width` + `height` -> fal's `image_size` {width, height}.
void fal_image_size(Members& m) {
  const std::string* width = m.find("width");
  const std::string* height = m.find("height");
  if (!width || !height) return;
  const std::string size = "{\"width\":" + *width + ",\"height\":" + *height + "}";
  m.erase("width");
  m.erase("height");
  m.set("image_size", size);
}

hfi_status fal_loras(const TaskCallInput& in, Members& m, std::string& error) {
  bool is_lora = false;
  if (hfi_status st = lora_of(in, is_lora, error); st != HFI_OK) return st;
  if (!is_lora) return HFI_OK;
  m.set("loras", "[{\"path\":" + quoted(lora_weights_url(in)) + ",\"scale\":1}]");
  // fal's generic LoRA runner needs its base model named; SDXL is the one the clients give.
  if (in.provider_model == "fal-ai/lora") m.set("model_name", "\"stabilityai/stable-diffusion-xl-base-1.0\"");
  return HFI_OK;
}

}  // namespace

hfi_status fal_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  const std::string_view task = in.task->name;
  Members m = flat_members(body);
  std::string raw;
  hfi_status st = HFI_OK;
  if (task == "text-to-image" || task == "text-to-video") {
    if ((st = prompt_of(in, body, raw, error)) != HFI_OK) return st;
    m.set("prompt", raw);
    fal_image_size(m);
    if ((st = fal_loras(in, m, error)) != HFI_OK) return st;
    // On the sync host the image comes back inline (a data URL) instead of a URL to download.
    if (!out.queued && task == "text-to-image" && !m.find("sync_mode")) m.set("sync_mode", "true");
  } else if (task == "text-to-speech") {
    if ((st = prompt_of(in, body, raw, error)) != HFI_OK) return st;
    m.set("text", raw);
  } else if (task == "automatic-speech-recognition") {
    MediaInput audio;
    if ((st = read_media_input(task, in.binary, in.binary_type, body, audio, error)) != HFI_OK) return st;
    decode_data_url(audio);  // a caller's data URL gets fal's type spelling too
    std::string type;
    if (audio.url.empty() && (st = fal_audio_type(audio, type, error)) != HFI_OK) return st;
    m.set("audio_url", quoted(media_url(audio, type)));
  } else if (task == "image-to-image" || task == "image-to-video" || task == "image-segmentation") {
    if ((st = media_url_json(in, body, raw, error)) != HFI_OK) return st;
    m.set("image_url", raw);
    if (task == "image-to-image") {
      m.set("image_urls", list_of(raw));  // the edit models take a list
      std::string size = m.take("target_size");
      if (!size.empty()) m.set("image_size", size);
    }
    if (task == "image-segmentation" && !m.find("sync_mode")) m.set("sync_mode", "true");
  } else {
    return unsupported(in, error);
  }
  out.body = m.object();
  out.content_type = "application/json";
  return HFI_OK;
}

hfi_status replicate_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  const std::string_view task = in.task->name;
  Members input = flat_members(body);
  std::string raw;
  hfi_status st = HFI_OK;
  if (task == "text-to-image" || task == "text-to-video") {
    if ((st = prompt_of(in, body, raw, error)) != HFI_OK) return st;
    input.set("prompt", raw);
    bool is_lora = false;
    if ((st = lora_of(in, is_lora, error)) != HFI_OK) return st;
    std::string hub(in.hub_base);
    while (!hub.empty() && hub.back() == '/') hub.pop_back();
    if (is_lora) input.set("lora_weights", quoted(hub + "/" + std::string(in.model)));
  } else if (task == "text-to-speech") {
    if ((st = prompt_of(in, body, raw, error)) != HFI_OK) return st;
    input.set("text", raw);  // replicate's speech models call it text
  } else if (task == "automatic-speech-recognition" || task == "image-to-image") {
    if ((st = media_url_json(in, body, raw, error)) != HFI_OK) return st;
    if (task == "automatic-speech-recognition") {
      input.set("audio", raw);
    } else {
      // Replicate's image models name their input differently; the clients fill all four.
      input.set("image", raw);
      input.set("images", list_of(raw));
      input.set("input_image", raw);
      input.set("input_images", list_of(raw));
    }
  } else {
    return unsupported(in, error);
  }
  Members outer;
  outer.set("input", input.object());
  const size_t colon = in.provider_model.find(':');
  if (colon != std::string_view::npos) outer.set("version", quoted(in.provider_model.substr(colon + 1)));
  out.body = outer.object();
  out.content_type = "application/json";
  return HFI_OK;
}

hfi_status wavespeed_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  const std::string_view task = in.task->name;
  Members m = flat_members(body);
  std::string raw;
  hfi_status st = HFI_OK;
  if (task == "text-to-image" || task == "text-to-video") {
    if ((st = prompt_of(in, body, raw, error)) != HFI_OK) return st;
    m.set("prompt", raw);
  } else if (task == "image-to-image" || task == "image-to-video") {
    if ((st = media_url_json(in, body, raw, error)) != HFI_OK) return st;
    m.set("image", raw);
  } else {
    return unsupported(in, error);
  }
  bool is_lora = false;
  if ((st = lora_of(in, is_lora, error)) != HFI_OK) return st;
  // wavespeed fetches the adapter from the Hub itself, by repository id.
  if (is_lora) m.set("loras", "[{\"path\":" + quoted(in.model) + ",\"scale\":1}]");
  out.body = m.object();
  out.content_type = "application/json";
  return HFI_OK;
}

hfi_status novita_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  if (in.task->name != "text-to-video") return unsupported(in, error);
  Members m = flat_members(body);
  std::string raw;
  if (hfi_status st = prompt_of(in, body, raw, error); st != HFI_OK) return st;
  m.set("prompt", raw);
  std::string steps = m.take("num_inference_steps");
  if (!steps.empty()) m.set("steps", steps);
  out.body = m.object();
  out.content_type = "application/json";
  return HFI_OK;
}

}  // namespace hfi::providers
