#include "providers/body_parts.h"

#include "providers/media_input.h"

namespace hfi::providers {

hfi_status prompt_of(const TaskCallInput& in, const TaskBody& body, std::string& raw, std::string& error) {
  if (!body.inputs || body.inputs->raw_value.empty() || body.inputs->raw_value.front() != '"') {
    error = std::string(in.task->name) + " needs inputs (a string)";
    return HFI_E_INVALID_ARG;
  }
  raw.assign(body.inputs->raw_value);
  return HFI_OK;
}

hfi_status lora_of(const TaskCallInput& in, bool& is_lora, std::string& error) {
  is_lora = in.mapping && in.mapping->adapter == "lora";
  if (is_lora && in.mapping->adapter_weights_path.empty()) {
    error = "the mapping of " + std::string(in.model) + " at " + std::string(in.provider->name) +
            " is a LoRA adapter without adapterWeightsPath";
    return HFI_E_INVALID_ARG;
  }
  return HFI_OK;
}

std::string lora_weights_url(const TaskCallInput& in) {
  std::string hub(in.hub_base);
  while (!hub.empty() && hub.back() == '/') hub.pop_back();
  return hub + "/" + std::string(in.model) + "/resolve/main/" + in.mapping->adapter_weights_path;
}

hfi_status media_url_json(const TaskCallInput& in, const TaskBody& body, std::string& url, std::string& error) {
  MediaInput media;
  if (hfi_status st = read_media_input(in.task->name, in.binary, in.binary_type, body, media, error); st != HFI_OK)
    return st;
  url = quoted(media_url(media));
  return HFI_OK;
}

hfi_status unsupported(const TaskCallInput& in, std::string& error) {
  error = std::string(in.provider->name) + " does not serve " + std::string(in.task->name);
  return HFI_E_UNSUPPORTED;
}

}  // namespace hfi::providers
