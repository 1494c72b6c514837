// Shared by the micro-benchmarks: locating and reading the canned responses of the side-by-side
// benchmark (../shared/bench/www), and cutting the SSE stream into its `data:` payloads.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace hfi_bench {

// The directory of the canned responses: --www=DIR on the command line, else $HFI_BENCH_WWW_DIR,
// else the path CMake compiled in (HFI_BENCH_WWW_DIR, default ${PROJECT_SOURCE_DIR}/../shared/bench/www).
// Call after benchmark::Initialize(), which removes the flags it knows.
inline std::string www_dir(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg(argv[i]);
    if (arg.substr(0, 6) == "--www=") return std::string(arg.substr(6));
  }
  if (const char* env = std::getenv("HFI_BENCH_WWW_DIR")) return env;
  return HFI_BENCH_WWW_DIR;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s (pass --www=DIR or set HFI_BENCH_WWW_DIR)\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The payloads of the stream's `data:` lines (one line per event in this file), [DONE] excluded.
inline std::vector<std::string> sse_payloads(const std::string& stream) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t eol = stream.find('\n', pos);
    if (eol == std::string::npos) eol = stream.size();
    std::string_view line(stream.data() + pos, eol - pos);
    if (line.substr(0, 6) == "data: " && line.substr(6) != "[DONE]") out.emplace_back(line.substr(6));
    pos = eol + 1;
  }
  return out;
}

}  // namespace hfi_bench
