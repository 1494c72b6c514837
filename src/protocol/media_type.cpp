#include "protocol/media_type.h"

#include "protocol/base64.h"

namespace hfi::media {
namespace {

bool at(std::string_view bytes, size_t offset, std::string_view magic) {
  return bytes.size() >= offset + magic.size() && bytes.compare(offset, magic.size(), magic) == 0;
}

// ISO base media files (MP4, M4A, MOV): a box size, then "ftyp" and the major brand.
std::string_view iso_media(std::string_view bytes) {
  if (!at(bytes, 4, "ftyp") || bytes.size() < 12) return {};
  std::string_view brand = bytes.substr(8, 4);
  if (brand == "M4A " || brand == "M4B ") return "audio/mp4";
  return "video/mp4";
}

}  // namespace

std::string_view sniff(std::string_view b) {
  using namespace std::string_view_literals;
  if (at(b, 0, "\x89PNG\r\n\x1a\n"sv)) return "image/png";
  if (at(b, 0, "\xff\xd8\xff"sv)) return "image/jpeg";
  if (at(b, 0, "GIF87a") || at(b, 0, "GIF89a")) return "image/gif";
  if (at(b, 0, "RIFF") && at(b, 8, "WEBP")) return "image/webp";
  if (at(b, 0, "RIFF") && at(b, 8, "WAVE")) return "audio/wav";
  if (at(b, 0, "BM") && b.size() >= 26) return "image/bmp";
  if (at(b, 0, "II*\0"sv) || at(b, 0, "MM\0*"sv)) return "image/tiff";
  if (at(b, 0, "fLaC")) return "audio/flac";
  if (at(b, 0, "OggS")) return "audio/ogg";
  if (at(b, 0, "ID3")) return "audio/mpeg";
  // An MPEG audio frame header: 11 set sync bits, then a layer other than "reserved".
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0xff && (static_cast<unsigned char>(b[1]) & 0xe0) == 0xe0 &&
      (static_cast<unsigned char>(b[1]) & 0x06) != 0)
    return "audio/mpeg";
  if (at(b, 0, "\x1a\x45\xdf\xa3"sv)) return "video/webm";
  return iso_media(b);
}

std::string_view type_or_sniffed(std::string_view type, std::string_view bytes) {
  if (!type.empty()) return type;
  std::string_view sniffed = sniff(bytes);
  return sniffed.empty() ? std::string_view("application/octet-stream") : sniffed;
}

std::string data_url(std::string_view bytes, std::string_view type) {
  std::string out = "data:";
  out += type_or_sniffed(type, bytes);
  out += ";base64,";
  out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
  base64::append_encoded(out, bytes);
  return out;
}

std::string_view extension(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> known[] = {
      {"image/png", "png"},   {"image/jpeg", "jpg"},  {"image/gif", "gif"},   {"image/webp", "webp"},
      {"image/bmp", "bmp"},   {"image/tiff", "tiff"}, {"audio/wav", "wav"},   {"audio/x-wav", "wav"},
      {"audio/wave", "wav"},  {"audio/flac", "flac"}, {"audio/ogg", "ogg"},   {"audio/mpeg", "mp3"},
      {"audio/mp4", "m4a"},   {"audio/webm", "webm"}, {"video/mp4", "mp4"},   {"video/webm", "webm"},
  };
  const size_t semicolon = type.find(';');
  if (semicolon != std::string_view::npos) type = type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  for (const auto& [name, ext] : known)
    if (name == type) return ext;
  return "bin";
}

}  // namespace hfi::media
