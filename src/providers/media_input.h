// The image or audio a media-in task call carries, wherever the caller put it: the binary input,
// or "inputs" in the JSON body as an http(s) URL, a data URL or base64. Providers want it as a
// URL (fal-ai, replicate, wavespeed, together), a data URL, or the bytes of a multipart file.
#pragma once

#include <string>
#include <string_view>

#include "hfi/hfi.h"
#include "providers/task_body.h"

namespace hfi::providers {

struct MediaInput {
  std::string_view bytes;  // the media itself, when the caller gave it (binary or base64)
  std::string type;        // its MIME type, given or sniffed; empty for a URL
  std::string url;         // an http(s) or data URL the caller gave instead
  std::string decoded;     // owns `bytes` when they came as base64
};

// HFI_E_INVALID_ARG when there is neither a binary input nor a usable "inputs" string.
hfi_status read_media_input(std::string_view task, std::string_view binary, std::string_view binary_type,
                            const TaskBody& body, MediaInput& out, std::string& error);

// A data URL the caller gave, decoded into `bytes` and `type` (for providers that want the file
// itself); false when `media` holds no base64 data URL.
bool decode_data_url(MediaInput& media);

// The URL a provider fetches the media from: the caller's URL, or a data URL of the bytes with
// `type` (when given) in place of the sniffed one.
std::string media_url(const MediaInput& media, std::string_view type = {});

}  // namespace hfi::providers
