// hfi: the command-line tool: chat here, on the public C ABI (<hfi/hfi.h>); every other task in
// tasks.cpp, on hfi.hpp.
//
// stdout carries the answer and nothing else; the summary line and errors go to stderr.
#include <hfi/hfi.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "arguments.h"
#include "request_body.h"
#include "tasks.h"

namespace hfi_cli {
namespace {

struct OptionsFree {
  void operator()(hfi_client_options* options) const { hfi_client_options_free(options); }
};
struct ClientFree {
  void operator()(hfi_client* client) const { hfi_client_free(client); }
};
struct ResponseFree {
  void operator()(hfi_response* response) const { hfi_response_free(response); }
};
using Options = std::unique_ptr<hfi_client_options, OptionsFree>;
using Client = std::unique_ptr<hfi_client, ClientFree>;
using Response = std::unique_ptr<hfi_response, ResponseFree>;

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_sigint(int) { g_interrupted = 1; }

// The first Ctrl-C stops the stream at its next event; a second one (SA_RESETHAND) kills at once.
void catch_sigint() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_sigint;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

std::string view(hfi_status (*getter)(const hfi_response*, const char**, size_t*), const hfi_response* response) {
  const char* text = nullptr;
  size_t len = 0;
  if (getter(response, &text, &len) != HFI_OK || text == nullptr) return {};
  return std::string(text, len);
}

std::string last_error_message() {
  const char* text = nullptr;
  size_t len = 0;
  if (hfi_last_error_message(&text, &len) != HFI_OK || text == nullptr) return {};
  return std::string(text, len);
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "hfi: error: %s (see 'hfi --help')\n", message.c_str());
  return kExitUsage;
}

// A call failed for a reason other than its arguments (memory, libcurl initialisation).
int library_error(hfi_status status) {
  std::fprintf(stderr, "hfi: error: %s: %s\n", hfi_status_str(status), last_error_message().c_str());
  return kExitRequestFailed;
}

void write_stdout(const char* text, size_t len) {
  std::fwrite(text, 1, len, stdout);
}

struct StreamState {
  bool print_deltas = false;
  bool printed = false;  // some answer text is on stdout
};

int32_t HFI_CALL on_event(const hfi_event* event, void* user_data) {
  auto* state = static_cast<StreamState*>(user_data);
  if (g_interrupted) return 1;  // ends the request with HFI_E_ABORTED_BY_CALLBACK
  const char* text = nullptr;
  size_t len = 0;
  if (state->print_deltas && hfi_event_type(event) == HFI_EVENT_DELTA && hfi_event_text(event, &text, &len) == HFI_OK &&
      len > 0) {
    write_stdout(text, len);
    std::fflush(stdout);
    state->printed = true;
  }
  return 0;
}

std::string read_stream(std::FILE* file) {
  std::string text;
  char buffer[65536];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, got);
  return text;
}

bool read_file(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

std::string without_trailing(std::string text, const char* characters) {
  text.erase(text.find_last_not_of(characters) + 1);  // npos + 1 == 0: all of it
  return text;
}

// Sets the client options from the flags; on a rejected value, returns the usage error.
std::string configure(hfi_client_options* options, const ChatArguments& args) {
  struct StringOption {
    const char* flag;
    int32_t key;
    const std::optional<std::string>& value;
  };
  const StringOption strings[] = {{"--base-url", HFI_OPT_BASE_URL, args.base_url},
                                  {"--router-url", HFI_OPT_ROUTER_URL, args.router_url},
                                  {"--provider", HFI_OPT_PROVIDER, args.provider}};
  for (const StringOption& option : strings) {
    if (option.value &&
        hfi_client_options_set_str(options, option.key, option.value->data(), option.value->size()) != HFI_OK)
      return std::string(option.flag) + " '" + *option.value + "': " + last_error_message();
  }
  for (const std::string& header : args.headers) {
    if (hfi_client_options_set_str(options, HFI_OPT_HEADER, header.data(), header.size()) != HFI_OK)
      return "--header '" + header + "': " + last_error_message();
  }
  if (hfi_client_options_set_str(options, HFI_OPT_USER_AGENT, "hfi-cli", HFI_NUL_TERMINATED) != HFI_OK)
    return "user agent: " + last_error_message();
  if (args.timeout_ms && hfi_client_options_set_int(options, HFI_OPT_TIMEOUT_MS, *args.timeout_ms) != HFI_OK)
    return "--timeout " + std::to_string(*args.timeout_ms) + ": " + last_error_message();
  if (args.retries && hfi_client_options_set_int(options, HFI_OPT_MAX_RETRIES, *args.retries) != HFI_OK)
    return "--retries " + std::to_string(*args.retries) + ": " + last_error_message();
  if (args.token_from_env &&
      hfi_client_options_set_int(options, HFI_OPT_TOKEN_FROM_ENV, *args.token_from_env ? 1 : 0) != HFI_OK)
    return "--no-env-token: " + last_error_message();
  return {};
}

std::string milliseconds(double ms) { return std::to_string(static_cast<long long>(ms + 0.5)) + " ms"; }

// [hfi] <model> via <url> · <prompt>+<completion> tokens · first byte N ms · total N ms
void print_summary(const hfi_response* response, const ChatArguments& args) {
  std::string model = view(hfi_response_model, response);
  std::string line = "[hfi] " + (model.empty() ? args.model : model);
  std::string url = view(hfi_response_url, response);
  if (!url.empty()) line += " via " + url;
  int64_t prompt_tokens = -1, completion_tokens = -1;
  if (hfi_response_usage(response, &prompt_tokens, &completion_tokens, nullptr) == HFI_OK && prompt_tokens >= 0 &&
      completion_tokens >= 0)
    line += " · " + std::to_string(prompt_tokens) + "+" + std::to_string(completion_tokens) + " tokens";
  double total_ms = -1, first_byte_ms = -1;
  if (hfi_response_timings(response, &total_ms, &first_byte_ms) == HFI_OK) {
    if (first_byte_ms >= 0) line += " · first byte " + milliseconds(first_byte_ms);
    if (total_ms >= 0) line += " · total " + milliseconds(total_ms);
  }
  if (args.verbose) {
    std::string finish = view(hfi_response_finish_reason, response);
    if (!finish.empty()) line += " · finish " + finish;
    std::string request_id = view(hfi_response_request_id, response);
    if (!request_id.empty()) line += " · request id " + request_id;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

// hfi: error: <status>: <provider message> (HTTP <code>)[, retry after N s]
void print_request_error(hfi_status status, const hfi_response* response) {
  const char* description = hfi_status_str(status);
  std::string line = std::string("hfi: error: ") + description;
  const hfi_error* error = hfi_response_error(response);
  const char* text = nullptr;
  size_t len = 0;
  std::string message;
  if (error && hfi_error_message(error, &text, &len) == HFI_OK && text) message.assign(text, len);
  if (!message.empty() && message != description) line += ": " + message;
  int32_t http = error ? hfi_error_http_status(error) : hfi_response_http_status(response);
  std::string http_text = "HTTP " + std::to_string(http);
  if (http > 0 && line.find(http_text) == std::string::npos) line += " (" + http_text + ")";
  int64_t retry_ms = hfi_error_retry_after_ms(error);
  if (retry_ms >= 0) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", static_cast<double>(retry_ms) / 1000.0);
    line += std::string(", retry after ") + seconds + " s";
  }
  if (status == HFI_E_AUTH) line += "; set HF_TOKEN to a token from https://huggingface.co/settings/tokens";
  std::fprintf(stderr, "%s\n", line.c_str());
}

// The answer on stdout: the text (unless a stream already printed it) and a newline, then one
// `name(arguments)` line per tool call.
void print_answer(const hfi_response* response, bool already_printed) {
  std::string content = already_printed ? std::string() : view(hfi_response_content, response);
  write_stdout(content.data(), content.size());
  size_t calls = 0;
  if (hfi_response_tool_call_count(response, &calls) != HFI_OK) calls = 0;
  if (already_printed || !content.empty() || calls == 0) write_stdout("\n", 1);
  for (size_t i = 0; i < calls; ++i) {
    const char *name = nullptr, *arguments = nullptr;
    size_t name_len = 0, arguments_len = 0;
    if (hfi_response_tool_call_name(response, i, &name, &name_len) != HFI_OK ||
        hfi_response_tool_call_arguments(response, i, &arguments, &arguments_len) != HFI_OK)
      continue;
    write_stdout(name, name_len);
    write_stdout("(", 1);
    write_stdout(arguments, arguments_len);
    write_stdout(")\n", 2);
  }
}

// One request and its output; `answer` (when given) receives the answer's text for a history.
int exchange(hfi_client* client, const ChatArguments& args, const std::vector<ChatTurn>& turns, const std::string& tools,
             std::string* answer) {
  std::string body = chat_request_body(args, turns, tools);
  StreamState state;
  state.print_deltas = !args.json;
  hfi_response* raw_response = nullptr;
  hfi_status status;
  if (args.stream) {
    catch_sigint();
    status = hfi_chat_stream(client, body.data(), body.size(), on_event, &state, &raw_response);
  } else {
    status = hfi_chat(client, body.data(), body.size(), &raw_response);
  }
  Response response(raw_response);
  if (!response) {  // rejected before any request was made: the body (e.g. --tools-json) or memory
    if (status == HFI_E_INVALID_ARG) {
      std::string why = last_error_message();
      if (args.tools_file) why += " (is --tools-json '" + *args.tools_file + "' a JSON array?)";
      return usage_error(why);
    }
    return library_error(status);
  }

  if (status == HFI_OK) {
    if (args.json) {
      std::string json = view(hfi_response_json, response.get());
      write_stdout(json.data(), json.size());
      write_stdout("\n", 1);
    } else {
      print_answer(response.get(), state.printed);
    }
    if (answer) *answer = view(hfi_response_content, response.get());
  } else if (state.printed) {
    write_stdout("\n", 1);  // end the partial answer's line
  }
  std::fflush(stdout);
  print_summary(response.get(), args);
  if (status == HFI_OK) return kExitOk;
  if (g_interrupted) {
    std::fprintf(stderr, "hfi: interrupted\n");
    return kExitInterrupted;
  }
  print_request_error(status, response.get());
  return kExitRequestFailed;
}

// A conversation: a prompt per line of stdin, each sent with the history so far. A failed
// exchange is reported and leaves the history as it was; /reset forgets it, /exit or EOF ends.
int conversation(hfi_client* client, const ChatArguments& args, const std::string& tools,
                 const std::vector<std::string>& images) {
  const bool terminal = isatty(STDIN_FILENO) == 1;
  std::vector<ChatTurn> history;
  int last = kExitOk;
  std::string line;
  for (;;) {
    if (terminal) std::fputs(history.empty() ? "> " : ">> ", stderr);
    if (!std::getline(std::cin, line)) break;
    line = without_trailing(line, "\r");
    if (line.empty()) continue;
    if (line == "/exit" || line == "/quit") break;
    if (line == "/reset") {
      history.clear();
      std::fputs("[hfi] history cleared\n", stderr);
      continue;
    }
    history.push_back({"user", line, history.empty() ? images : std::vector<std::string>()});
    std::string answer;
    g_interrupted = 0;
    last = exchange(client, args, history, tools, &answer);
    if (last == kExitOk) {
      history.push_back({"assistant", answer, {}});
    } else {
      history.pop_back();
      if (last == kExitInterrupted) break;
    }
  }
  return last;
}

int run_chat(const ChatArguments& args) {
  std::string prompt = args.prompt;
  if (!args.interactive) {
    if (prompt == "-") prompt = without_trailing(read_stream(stdin), "\r\n");
    if (prompt.empty()) return usage_error("the prompt is empty");
  }

  std::string tools;
  if (args.tools_file) {
    if (!read_file(*args.tools_file, &tools))
      return usage_error("--tools-json: cannot read '" + *args.tools_file + "': " + std::strerror(errno));
    tools = without_trailing(tools, " \t\r\n");
    if (tools.empty()) return usage_error("--tools-json: '" + *args.tools_file + "' is empty");
  }

  std::vector<std::string> images;
  for (const std::string& path : args.images) {
    std::string bytes;
    errno = 0;
    if (!read_file(path, &bytes) || bytes.empty())
      return usage_error("--image: cannot read '" + path + "'" + (errno ? std::string(": ") + std::strerror(errno) : ""));
    size_t needed = 0;
    hfi_data_url(bytes.data(), bytes.size(), nullptr, nullptr, 0, &needed);
    std::string url(needed, '\0');
    hfi_status st = hfi_data_url(bytes.data(), bytes.size(), nullptr, &url[0], url.size(), &needed);
    if (st != HFI_OK) return usage_error("--image '" + path + "': " + last_error_message());
    url.resize(needed - 1);
    images.push_back(std::move(url));
  }

  hfi_client_options* raw_options = nullptr;
  hfi_status status = hfi_client_options_new(&raw_options);
  Options options(raw_options);
  if (status != HFI_OK) return library_error(status);
  std::string problem = configure(options.get(), args);
  if (!problem.empty()) return usage_error(problem);
  hfi_client* raw_client = nullptr;
  status = hfi_client_new(&raw_client, options.get());
  Client client(raw_client);
  if (status != HFI_OK) {
    if (status == HFI_E_INVALID_ARG) return usage_error(last_error_message());
    return library_error(status);
  }
  if (args.interactive) return conversation(client.get(), args, tools, images);
  return exchange(client.get(), args, {{"user", prompt, images}}, tools, nullptr);
}

}  // namespace
}  // namespace hfi_cli

int main(int argc, char** argv) {
  using namespace hfi_cli;
  if (hfi_abi_version() != HFI_ABI_VERSION) {
    std::fprintf(stderr, "hfi: error: libhfi %s has ABI %u, this program was built for ABI %u\n", hfi_version_str(),
                 static_cast<unsigned>(hfi_abi_version()), static_cast<unsigned>(HFI_ABI_VERSION));
    return kExitRequestFailed;
  }
  if (argc > 1 && is_task_command(argv[1])) return run_task_command(argc, argv);
  CommandLine line = parse_command_line(argc, argv);
  if (!line.error.empty()) return usage_error(line.error);
  switch (line.command) {
    case Command::kHelp: std::fputs(main_help().c_str(), stdout); return kExitOk;
    case Command::kChatHelp: std::fputs(chat_help().c_str(), stdout); return kExitOk;
    case Command::kVersion: std::printf("hfi %s (libhfi %s)\n", HFI_VERSION_STR, hfi_version_str()); return kExitOk;
    case Command::kChat: break;
  }
  return run_chat(line.chat);
}
