#include "core/token.h"

#include <cstdlib>
#include <fstream>

namespace hfi {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// huggingface_hub removes CR and LF anywhere and trims spaces at both ends.
std::string clean(std::string raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw)
    if (c != '\r' && c != '\n') out.push_back(c);
  wipe(raw);
  size_t begin = out.find_first_not_of(" \t");
  if (begin == std::string::npos) {
    wipe(out);
    return {};
  }
  size_t end = out.find_last_not_of(" \t");
  std::string trimmed = out.substr(begin, end - begin + 1);
  wipe(out);
  return trimmed;
}

std::string token_file_path() {
  std::string path = env("HF_TOKEN_PATH");
  if (!path.empty()) return path;
  std::string hf_home = env("HF_HOME");
  if (hf_home.empty()) {
    std::string cache = env("XDG_CACHE_HOME");
    if (cache.empty()) {
      std::string home = env("HOME");
      if (home.empty()) return {};
      cache = home + "/.cache";
    }
    hf_home = cache + "/huggingface";
  }
  return hf_home + "/token";
}

}  // namespace

FoundToken find_token_in_environment() {
  FoundToken found;
  for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
    std::string value = clean(env(name));
    if (!value.empty()) {
      found.value = Secret(std::move(value));
      found.source = name;
      return found;
    }
  }
  std::string path = token_file_path();
  if (path.empty()) return found;
  std::ifstream file(path, std::ios::binary);
  if (!file) return found;
  // Sized once, so no reallocation leaves stray copies of the token on the heap.
  file.seekg(0, std::ios::end);
  std::streamoff size = file.tellg();
  if (size <= 0 || size > 64 * 1024) return found;
  file.seekg(0, std::ios::beg);
  std::string raw(static_cast<size_t>(size), '\0');
  file.read(raw.data(), size);
  std::string value = clean(raw);
  wipe(raw);
  if (!value.empty()) {
    found.value = Secret(std::move(value));
    found.source = path;
  }
  return found;
}

}  // namespace hfi
