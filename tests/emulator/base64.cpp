#include "base64.h"

#include <cstdint>

namespace hfi::emu {
namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    auto byte = [&](std::size_t at) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])); };
    std::uint32_t group = byte(i) << 16;
    if (i + 1 < bytes.size()) group |= byte(i + 1) << 8;
    if (i + 2 < bytes.size()) group |= byte(i + 2);
    text += kAlphabet[(group >> 18) & 63];
    text += kAlphabet[(group >> 12) & 63];
    text += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 63] : '=';
    text += i + 2 < bytes.size() ? kAlphabet[group & 63] : '=';
  }
  return text;
}

bool base64_decode(std::string_view text, std::string* bytes) {
  bytes->clear();
  std::uint32_t group = 0;
  int filled = 0;
  int padding = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    int value = sextet(c);
    if (value < 0 || padding > 0) return false;  // nothing may follow padding
    group = (group << 6) | static_cast<std::uint32_t>(value);
    if (++filled == 4) {
      bytes->push_back(static_cast<char>((group >> 16) & 0xFF));
      bytes->push_back(static_cast<char>((group >> 8) & 0xFF));
      bytes->push_back(static_cast<char>(group & 0xFF));
      group = 0;
      filled = 0;
    }
  }
  if (filled == 1 || padding > 2) return false;
  if (filled == 2) bytes->push_back(static_cast<char>((group >> 4) & 0xFF));
  if (filled == 3) {
    bytes->push_back(static_cast<char>((group >> 10) & 0xFF));
    bytes->push_back(static_cast<char>((group >> 2) & 0xFF));
  }
  return true;
}

}  // namespace hfi::emu
