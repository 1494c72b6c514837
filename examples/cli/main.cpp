// hfi: the command-line tool: chat here, every other task in tasks.cpp; both on hfi.hpp.
//
// stdout carries the answer and nothing else; the summary line and errors go to stderr.
#include <hfi/hfi.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "arguments.h"
#include "io.h"
#include "request_body.h"
#include "tasks.h"

namespace hfi_cli {
namespace {

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

int usage_error(const std::string& message) {
  std::fprintf(stderr, "hfi: error: %s (see 'hfi --help')\n", message.c_str());
  return kExitUsage;
}

// The client options from the flags; problem() names a flag whose value hfi refused.
FlagOptions configure(const ChatArguments& args) {
  FlagOptions flags = server_options(args.server);
  if (args.provider) flags.apply("--provider '" + *args.provider + "'", [&](auto& o) { o.provider(*args.provider); });
  if (args.timeout_ms)
    flags.apply("--timeout " + std::to_string(*args.timeout_ms),
                [&](auto& o) { o.timeout(std::chrono::milliseconds(*args.timeout_ms)); });
  if (args.retries)
    flags.apply("--retries " + std::to_string(*args.retries),
                [&](auto& o) { o.set(HFI_OPT_MAX_RETRIES, static_cast<int64_t>(*args.retries)); });
  return flags;
}

std::string milliseconds(double ms) { return std::to_string(static_cast<long long>(ms + 0.5)) + " ms"; }

// [hfi] <model> via <url> · <prompt>+<completion> tokens · first byte N ms · total N ms
void print_summary(const hfi::response& response, const ChatArguments& args) {
  std::string model(response.model());
  std::string line = "[hfi] " + (model.empty() ? args.model : model);
  if (!response.url().empty()) line += " via " + std::string(response.url());
  hfi::usage usage = response.usage();
  if (usage.prompt_tokens >= 0 && usage.completion_tokens >= 0)
    line += " · " + std::to_string(usage.prompt_tokens) + "+" + std::to_string(usage.completion_tokens) + " tokens";
  hfi::timings timings = response.timings();
  if (timings.first_byte_ms >= 0) line += " · first byte " + milliseconds(timings.first_byte_ms);
  if (timings.total_ms >= 0) line += " · total " + milliseconds(timings.total_ms);
  if (args.verbose) {
    if (!response.finish_reason().empty()) line += " · finish " + std::string(response.finish_reason());
    if (!response.request_id().empty()) line += " · request id " + std::string(response.request_id());
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

// The answer on stdout: the text (unless a stream already printed it) and a newline, then one
// `name(arguments)` line per tool call.
void print_answer(const hfi::response& response, bool already_printed) {
  std::string_view content = already_printed ? std::string_view() : response.content();
  write_stdout(content);
  std::vector<hfi::tool_call> calls = response.tool_calls();
  if (already_printed || !content.empty() || calls.empty()) write_stdout("\n");
  for (const hfi::tool_call& call : calls) {
    write_stdout(call.name);
    write_stdout("(");
    write_stdout(call.arguments);
    write_stdout(")\n");
  }
}

// One request and its output; `answer` (when given) receives the answer's text for a history.
int exchange(const hfi::client& client, const ChatArguments& args, const std::vector<ChatTurn>& turns,
             const std::string& tools, std::string* answer) {
  std::string body = chat_request_body(args, turns, tools);
  bool printed = false;  // some answer text is on stdout
  auto on_event = [&](const hfi::event& event) {
    if (g_interrupted) return false;  // ends the request with HFI_E_ABORTED_BY_CALLBACK
    if (!args.json && event.type() == HFI_EVENT_DELTA && !event.text().empty()) {
      write_stdout(event.text());
      std::fflush(stdout);
      printed = true;
    }
    return true;
  };
  if (args.stream) catch_sigint();
  hfi::result<hfi::response> result = args.stream ? client.try_chat_stream(body, on_event) : client.try_chat(body);

  if (!result) {
    if (printed) write_stdout("\n");  // end the partial answer's line
    std::fflush(stdout);
    const hfi::error_info& error = result.error();
    if (error.status == HFI_E_INVALID_ARG) {  // refused before sending: the body (e.g. --tools-json)
      std::string why = error.message;
      if (args.tools_file) why += " (is --tools-json '" + *args.tools_file + "' a JSON array?)";
      return usage_error(why);
    }
    if (g_interrupted) {
      std::fprintf(stderr, "hfi: interrupted\n");
      return kExitInterrupted;
    }
    print_request_error(error);
    return kExitRequestFailed;
  }
  const hfi::response& response = result.value();
  if (args.json) {
    print_line(response.json());
  } else {
    print_answer(response, printed);
  }
  if (answer) *answer = std::string(response.content());
  std::fflush(stdout);
  print_summary(response, args);
  return kExitOk;
}

// A conversation: a prompt per line of stdin, each sent with the history so far. A failed
// exchange is reported and leaves the history as it was; /reset forgets it, /exit or EOF ends.
int conversation(const hfi::client& client, const ChatArguments& args, const std::string& tools,
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
    if (prompt == "-" && !read_file("-", &prompt)) return usage_error("cannot read the prompt from stdin");
    prompt = without_trailing(prompt, "\r\n");
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
    try {
      images.push_back(hfi::data_url(bytes));
    } catch (const hfi::error& e) {
      return usage_error("--image '" + path + "': " + e.info().message);
    }
  }

  FlagOptions flags = configure(args);
  if (!flags.problem().empty()) return usage_error(flags.problem());
  auto client = hfi::client::create(flags.options());
  if (!client) {
    if (client.error().status == HFI_E_INVALID_ARG) return usage_error(client.error().message);
    print_request_error(client.error());
    return kExitRequestFailed;
  }
  if (args.interactive) return conversation(*client, args, tools, images);
  return exchange(*client, args, {{"user", prompt, images}}, tools, nullptr);
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
