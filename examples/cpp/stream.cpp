// Streams a chat answer with hfi.hpp, the C++17 face of hfi.
//
//   stream [BASE_URL] PROMPT...
//
// With BASE_URL (an OpenAI-compatible server: the hfi emulator, TGI, vLLM) it talks to that server;
// with an empty one, to the Hugging Face router with the token from HF_TOKEN or the token file.
#include <hfi/hfi.hpp>

#include <cstdio>
#include <iostream>
#include <string>

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  std::string base_url = argc > 1 ? argv[1] : "";
  std::string prompt;
  for (int i = 2; i < argc; ++i) prompt += (prompt.empty() ? "" : " ") + std::string(argv[i]);
  if (prompt.empty()) prompt = "Say hello in one short sentence.";

  hfi::client_options options;
  if (!base_url.empty()) options.base_url(base_url + "/v1");
  auto client = hfi::client::create(options);
  if (!client) {
    std::cerr << client.error().describe() << "\n";
    return 2;
  }
  const std::string body = R"({"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[{"role":"user","content":)" +
                           quoted(prompt) + "}]}";
  try {
    hfi::response r = client->chat_stream(body, [](const hfi::event& ev) {
      if (ev.type() == HFI_EVENT_DELTA) {
        std::cout << ev.text() << std::flush;
      }
      return true;
    });
    std::cout << "\n";
    hfi::usage u = r.usage();
    if (u.total_tokens >= 0) std::cerr << u.total_tokens << " tokens\n";
    return 0;
  } catch (const hfi::error& e) {
    std::cerr << "\n" << e.what() << "\n";
    if (e.info().retry_after) std::cerr << "retry after " << e.info().retry_after->count() << " ms\n";
    return 1;
  }
}
