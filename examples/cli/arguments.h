// Command line of the `hfi` tool: what it accepts, its help text, its exit codes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hfi_cli {

// Exit codes, documented in the help text.
enum ExitCode : int {
  kExitOk = 0,
  kExitRequestFailed = 1,  // the request failed: network, TLS, timeout, HTTP/API error, protocol
  kExitUsage = 2,          // bad flags, missing prompt, an option value the library rejected
  kExitInterrupted = 130   // Ctrl-C (SIGINT) during a streamed answer
};

inline constexpr const char* kDefaultModel = "meta-llama/Llama-3.1-8B-Instruct";

// Where a command sends its requests and how it authenticates: the flags every command shares.
struct ServerFlags {
  std::optional<std::string> base_url, router_url, hub_url;
  std::vector<std::string> headers;
  std::optional<bool> token_from_env;  // unset: the library's default (look in the environment)
};

// Takes one of the shared flags (--base-url, --router-url, --hub-url, --header, --no-env-token,
// --token-from-env) with its value; false for any other flag.
bool take_server_flag(const std::string& flag, const std::string& value, ServerFlags* server);

struct ChatArguments {
  ServerFlags server;
  std::optional<std::string> provider;
  std::string model = kDefaultModel;
  std::optional<std::string> system;
  bool stream = true;
  bool json = false;
  std::optional<long long> max_tokens;
  std::optional<double> temperature;
  std::optional<long long> timeout_ms;
  std::optional<long long> retries;
  std::optional<std::string> tools_file;
  std::optional<std::string> tool_choice;
  bool verbose = false;
  std::vector<std::string> images;  // --image FILE: shown to a vision model with the prompt
  bool interactive = false;         // a conversation read line by line from stdin
  std::string prompt;  // "-": read it from stdin
};

enum class Command { kChat, kHelp, kChatHelp, kVersion };

struct CommandLine {
  Command command = Command::kHelp;
  ChatArguments chat;
  std::string error;  // non-empty: a usage error, to report with kExitUsage
};

CommandLine parse_command_line(int argc, char** argv);

// `hfi --help` and `hfi chat --help`.
std::string main_help();
std::string chat_help();

}  // namespace hfi_cli
