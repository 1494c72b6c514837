#include "io.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

namespace hfi_cli {

bool parse_integer(const std::string& text, long long* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *value = std::strtoll(text.c_str(), &end, 10);
  return errno == 0 && *end == '\0';
}

bool read_file(const std::string& path, std::string* bytes) {
  if (path == "-") {
    bytes->assign(std::istreambuf_iterator<char>(std::cin.rdbuf()), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

std::string without_trailing(std::string text, const char* characters) {
  text.erase(text.find_last_not_of(characters) + 1);  // npos + 1 == 0: all of it
  return text;
}

void write_stdout(std::string_view text) {
  if (!text.empty()) std::fwrite(text.data(), 1, text.size(), stdout);  // an empty view's data() may be null
}

void print_line(std::string_view text) {
  write_stdout(text);
  std::fputc('\n', stdout);
}

void FlagOptions::apply(const std::string& flag, const std::function<void(hfi::client_options&)>& set) {
  if (!problem_.empty()) return;
  hfi::client_options alone;
  set(alone);
  auto built = alone.build();
  if (!built) {
    problem_ = flag + ": " + built.error().message;
    return;
  }
  set(options_);
}

FlagOptions server_options(const ServerFlags& server) {
  FlagOptions flags;
  if (server.base_url) flags.apply("--base-url '" + *server.base_url + "'", [&](auto& o) { o.base_url(*server.base_url); });
  if (server.router_url)
    flags.apply("--router-url '" + *server.router_url + "'", [&](auto& o) { o.router_url(*server.router_url); });
  if (server.hub_url) flags.apply("--hub-url '" + *server.hub_url + "'", [&](auto& o) { o.hub_url(*server.hub_url); });
  for (const std::string& header : server.headers)
    flags.apply("--header '" + header + "'", [&](auto& o) { o.header(header); });
  if (server.token_from_env)
    flags.apply(*server.token_from_env ? "--token-from-env" : "--no-env-token",
                [&](auto& o) { o.token_from_env(*server.token_from_env); });
  flags.options().set(HFI_OPT_USER_AGENT, "hfi-cli");
  if (const char* token = std::getenv("HFI_TOKEN"); token && *token) flags.options().token(token);
  return flags;
}

void print_request_error(const hfi::error_info& error) {
  std::string line = "hfi: error: " + error.describe().substr(std::string_view("hfi: ").size());
  if (error.retry_after) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", static_cast<double>(error.retry_after->count()) / 1000.0);
    line += std::string(", retry after ") + seconds + " s";
  }
  if (error.status == HFI_E_AUTH)  // HF_TOKEN goes to Hugging Face hosts only
    line += "; set HF_TOKEN to a token from https://huggingface.co/settings/tokens (HFI_TOKEN for another server)";
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace hfi_cli
