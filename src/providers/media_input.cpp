#include "providers/media_input.h"

#include "protocol/base64.h"
#include "protocol/media_type.h"

namespace hfi::providers {

hfi_status read_media_input(std::string_view task, std::string_view binary, std::string_view binary_type,
                            const TaskBody& body, MediaInput& out, std::string& error) {
  out = MediaInput{};
  if (!binary.empty()) {
    out.bytes = binary;
    out.type.assign(media::type_or_sniffed(binary_type, binary));
    return HFI_OK;
  }
  std::string text;
  if (!body.inputs || !string_value(body.inputs->raw_value, text) || text.empty()) {
    error = std::string(task) + ": give the image or audio bytes, or \"inputs\" as a URL or base64 string";
    return HFI_E_INVALID_ARG;
  }
  if (text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0 || text.rfind("data:", 0) == 0) {
    out.url = std::move(text);
    return HFI_OK;
  }
  if (!base64::append_decoded(out.decoded, text) || out.decoded.empty()) {
    error = std::string(task) + ": \"inputs\" is neither a URL nor base64";
    return HFI_E_INVALID_ARG;
  }
  out.bytes = out.decoded;
  out.type.assign(media::type_or_sniffed({}, out.bytes));
  return HFI_OK;
}

bool decode_data_url(MediaInput& media) {
  const std::string& url = media.url;
  const size_t comma = url.find(',');
  if (url.rfind("data:", 0) != 0 || comma == std::string::npos) return false;
  const std::string_view header(url.data() + 5, comma - 5);
  constexpr std::string_view kBase64 = ";base64";
  if (header.size() < kBase64.size() || header.substr(header.size() - kBase64.size()) != kBase64) return false;
  std::string decoded;
  if (!base64::append_decoded(decoded, std::string_view(url).substr(comma + 1)) || decoded.empty()) return false;
  media.decoded = std::move(decoded);
  media.bytes = media.decoded;
  media.type.assign(media::type_or_sniffed(header.substr(0, header.size() - kBase64.size()), media.bytes));
  media.url.clear();
  return true;
}

std::string media_url(const MediaInput& media, std::string_view type) {
  if (!media.url.empty()) return media.url;
  return media::data_url(media.bytes, type.empty() ? std::string_view(media.type) : type);
}

}  // namespace hfi::providers
