#include "url_util.h"

#include <cctype>

namespace hfi::emu {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

}  // namespace

std::string percent_decode(const std::string& text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

std::vector<std::pair<std::string, std::string>> parse_query(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string part = query.substr(start, end - start);
    if (!part.empty()) {
      std::size_t equals = part.find('=');
      pairs.emplace_back(percent_decode(part.substr(0, equals)),
                         equals == std::string::npos ? std::string() : percent_decode(part.substr(equals + 1)));
    }
    start = end + 1;
  }
  return pairs;
}

std::string query_value(const std::string& query, const std::string& name) {
  for (const auto& [key, value] : parse_query(query))
    if (key == name) return value;
  return {};
}

}  // namespace hfi::emu
