// The media type of image, audio and video bytes, told from their first bytes (callers rarely
// know it, servers sometimes answer application/octet-stream), and data URLs built from them.
#pragma once

#include <string>
#include <string_view>

namespace hfi::media {

// "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff", "audio/wav",
// "audio/flac", "audio/ogg", "audio/mpeg", "audio/mp4" (m4a), "video/mp4", "video/webm" (also
// Matroska), or empty when the bytes are none of these.
std::string_view sniff(std::string_view bytes);

// `type` when given, else the sniffed type, else "application/octet-stream".
std::string_view type_or_sniffed(std::string_view type, std::string_view bytes);

// "data:<type>;base64,<bytes in base64>", with the type as type_or_sniffed() gives it.
std::string data_url(std::string_view bytes, std::string_view type = {});

// A file name extension for a media type without parameters ("audio/wav" -> "wav"); "bin" when unknown.
std::string_view extension(std::string_view type);

}  // namespace hfi::media
