#include "media_files.h"

#include "base64.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

// Generated for the emulator: a 2x2 RGB PNG, 16 samples of 8 kHz mono PCM, a
// FLAC stream with only its STREAMINFO block, an ISO-BMFF file with ftyp and an
// empty movie header, and a WebM EBML header with an Info segment.
constexpr const char* kPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mN4kKAARAwQCgApjgWBT3E7xQAAAABJRU5ErkJggg==";
constexpr const char* kWav =
    "UklGRkQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YSAAAAAk+gz+9AHcBST6DP70AdwFJPoM/vQB3AUk+gz+9AHcBQ==";
constexpr const char* kFlac = "ZkxhQ4AAACIQABAAAAAAAAAAAfQA8AAAAAAAAAAAAAAAAAAAAAAAAAAA";
constexpr const char* kMp4 =
    "AAAAHGZ0eXBpc29tAAACAGlzb21pc28ybXA0MQAAAHRtb292AAAAbG12aGQAAAAAAAAAAAAAAAAAAAPoAAAAAAABAAABAAAAAAAAAAAAAAAAAQAAAA"
    "AAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB";
constexpr const char* kWebm =
    "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYECGFOAZ6oVSalmpSrXsYMPQkBNgIxoZmktZW11bGF0b3JXQYxoZmktZW11bGF0b3I=";

std::string decoded(const char* text) {
  std::string bytes;
  base64_decode(text, &bytes);
  return bytes;
}

}  // namespace

std::string media_bytes(const std::string& extension) {
  if (extension == "png") return decoded(kPng);
  if (extension == "wav") return decoded(kWav);
  if (extension == "flac") return decoded(kFlac);
  if (extension == "mp4") return decoded(kMp4);
  if (extension == "webm") return decoded(kWebm);
  return {};
}

std::string media_content_type(const std::string& extension) {
  if (extension == "png") return "image/png";
  if (extension == "wav") return "audio/wav";
  if (extension == "flac") return "audio/flac";
  if (extension == "mp4") return "video/mp4";
  if (extension == "webm") return "video/webm";
  return {};
}

std::string media_extension_for_task(const std::string& task) {
  if (ends_with(task, "-to-video")) return "mp4";
  if (task == "text-to-speech" || task == "text-to-audio" || task == "audio-to-audio") return "flac";
  return "png";
}

std::string media_extension_for_type(const std::string& content_type) {
  std::string type = to_lower(content_type);
  for (const char* extension : {"png", "wav", "flac", "mp4", "webm"})
    if (starts_with(type, media_content_type(extension))) return extension;
  if (starts_with(type, "audio/x-wav") || starts_with(type, "audio/wave")) return "wav";
  if (starts_with(type, "audio/x-flac")) return "flac";
  return {};
}

Reply media_reply(const std::string& extension) {
  Reply reply;
  reply.headers.emplace_back("Content-Type", media_content_type(extension));
  reply.pieces.push_back(media_bytes(extension));
  return reply;
}

Reply media_file_reply(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return json_reply(405, R"({"error":"Method Not Allowed"})");
  std::string name = request.path.substr(std::string(kFilesPrefix).size());
  std::size_t dot = name.rfind('.');
  std::string extension = dot == std::string::npos ? "" : to_lower(name.substr(dot + 1));
  if (name.find('/') != std::string::npos || media_bytes(extension).empty())
    return json_reply(404, R"({"error":"File not found"})");
  return media_reply(extension);
}

std::string sniff_media_type(const std::string& bytes) {
  auto at = [&](std::size_t offset, std::string_view magic) { return bytes.compare(offset, magic.size(), magic) == 0; };
  if (at(0, "\x89PNG")) return "image/png";
  if (at(0, "\xFF\xD8\xFF")) return "image/jpeg";
  if (at(0, "GIF8")) return "image/gif";
  if (at(0, "RIFF") && at(8, "WEBP")) return "image/webp";
  if (at(0, "RIFF") && at(8, "WAVE")) return "audio/wav";
  if (at(0, "fLaC")) return "audio/flac";
  if (at(0, "ID3") || at(0, "\xFF\xFB")) return "audio/mpeg";
  if (at(0, "OggS")) return "audio/ogg";
  if (at(4, "ftyp")) return "video/mp4";
  if (at(0, "\x1A\x45\xDF\xA3")) return "video/webm";
  return "application/octet-stream";
}

}  // namespace hfi::emu
