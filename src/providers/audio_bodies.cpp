#include "providers/audio_bodies.h"

#include "protocol/media_type.h"
#include "providers/body_parts.h"
#include "providers/media_input.h"
#include "providers/multipart.h"

namespace hfi::providers {
namespace {

hfi_status speech_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error) {
  std::string raw;
  if (hfi_status st = prompt_of(in, body, raw, error); st != HFI_OK) return st;
  Members m;
  m.set("model", quoted(in.provider_model));
  m.set("input", raw);
  const Members rest = flat_members(body);
  for (const auto& [key, value] : rest.items()) m.set(key, value);
  // Kokoro has no default voice on together; the JS client picks this one.
  if (in.provider->name == "together" && !m.find("voice") &&
      in.provider_model.find("Kokoro") != std::string_view::npos)
    m.set("voice", "\"af_alloy\"");
  out.body = m.object();
  out.content_type = "application/json";
  return HFI_OK;
}

bool safe_field_name(std::string_view name) {
  return !name.empty() && name.find_first_of("\"\r\n") == std::string_view::npos;
}

hfi_status transcription_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out,
                              std::string& error) {
  MediaInput audio;
  hfi_status st = read_media_input(in.task->name, in.binary, in.binary_type, body, audio, error);
  if (st != HFI_OK) return st;
  decode_data_url(audio);
  const Members fields = flat_members(body);
  // Form fields are text: strings go as their value, numbers and booleans as written.
  std::vector<std::string> values;
  values.reserve(fields.items().size());
  for (const auto& [key, raw] : fields.items()) {
    std::string value;
    if (!string_value(raw, value)) value = raw;
    if (!safe_field_name(key) || key == "file" || key == "model") {
      error = std::string(in.provider->name) + " " + std::string(in.task->name) + ": \"" + key +
              "\" cannot be a form field of the request";
      return HFI_E_INVALID_ARG;
    }
    values.push_back(std::move(value));
  }
  std::vector<FormPart> parts;
  if (!audio.url.empty()) {
    if (in.provider->name != "together") {
      error = std::string(in.provider->name) + " " + std::string(in.task->name) +
              " needs the audio bytes (or base64 in inputs), not a URL";
      return HFI_E_INVALID_ARG;
    }
    parts.push_back({"file", "", "", audio.url});  // together fetches an http(s) file itself
  } else {
    parts.push_back({"file", "audio." + std::string(media::extension(audio.type)), audio.type, audio.bytes});
  }
  parts.push_back({"model", "", "", in.provider_model});
  size_t i = 0;
  for (const auto& item : fields.items()) parts.push_back({item.first, "", "", values[i++]});
  out.body = multipart_body(parts, out.content_type);
  return HFI_OK;
}

}  // namespace

hfi_status openai_audio_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out,
                             std::string& error) {
  if (in.task->name == "text-to-speech") return speech_body(in, body, out, error);
  if (in.task->name == "automatic-speech-recognition") return transcription_body(in, body, out, error);
  return unsupported(in, error);
}

}  // namespace hfi::providers
