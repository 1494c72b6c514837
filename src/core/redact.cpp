#include "core/redact.h"

#include <algorithm>
#include <cctype>

namespace hfi {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

bool contains_ci(std::string_view text, std::string_view part) {
  return std::search(text.begin(), text.end(), part.begin(), part.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

bool token_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

bool is_credential_header(std::string_view name) {
  for (std::string_view part : {"auth", "key", "token", "secret", "cookie", "signature", "session"})
    if (contains_ci(name, part)) return true;
  return false;
}

std::string shown_header_line(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_credential_header(line.substr(0, colon))) return std::string(line);
  std::string shown(line.substr(0, colon + 1));
  if (colon + 1 < line.size()) {
    shown += ' ';
    shown += kRedacted;
  }
  return shown;
}

std::string shown_url(std::string_view url) {
  const size_t query = url.find('?');
  if (query == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, query)) + "?" + std::string(kRedacted);
}

SecretScrubber::SecretScrubber(std::vector<Secret> secrets) {
  for (Secret& s : secrets)
    if (s.get().size() >= 4) secrets_.push_back(std::move(s));  // a shorter one would blank ordinary words
}

void SecretScrubber::scrub(std::string& text) const {
  for (const Secret& s : secrets_) {
    for (size_t at = text.find(s.get()); at != std::string::npos; at = text.find(s.get(), at + kRedacted.size()))
      text.replace(at, s.get().size(), kRedacted);
  }
  // Tokens the client does not hold (a server echoing another credential) are just as secret.
  for (size_t at = text.find("hf_"); at != std::string::npos; at = text.find("hf_", at + 1)) {
    if (at > 0 && token_char(text[at - 1])) continue;
    size_t end = at + 3;
    while (end < text.size() && token_char(text[end])) ++end;
    if (end - at - 3 >= 20) text.replace(at, end - at, kRedacted);
  }
}

}  // namespace hfi
