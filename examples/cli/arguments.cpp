#include "arguments.h"

#include "io.h"
#include "tasks.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unistd.h>

namespace hfi_cli {
namespace {

const char kExitCodes[] =
    "Exit status:\n"
    "  0    the answer was printed\n"
    "  1    the request failed (network, TLS, timeout, HTTP or API error); the reason is on stderr\n"
    "  2    usage error: unknown flag, missing prompt, invalid option value\n"
    "  130  interrupted by Ctrl-C while the answer streamed\n";

const char kEnvironment[] =
    "Environment:\n"
    "  HF_TOKEN    Hugging Face access token (also HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, HF_HOME/token,\n"
    "              ~/.cache/huggingface/token). Sent only to Hugging Face hosts, never printed.\n"
    "  HFI_TOKEN   a token to send to whatever server --router-url or --base-url names (a gateway,\n"
    "              a local emulator). Never printed.\n"
    "  https_proxy, no_proxy, ...   honoured as libcurl does.\n";

bool parse_number(const std::string& text, double* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(text.c_str(), &end);
  return errno == 0 && *end == '\0' && std::isfinite(*value);
}

bool takes_value(const std::string& flag) {
  static const char* const kValueFlags[] = {"--base-url", "--router-url", "--hub-url", "--provider",  "-m",
                                            "--model",    "--system",     "--max-tokens", "--temperature",
                                            "--timeout",  "--header",     "--tools-json", "--tool-choice",
                                            "--image",    "--retries"};
  for (const char* known : kValueFlags)
    if (flag == known) return true;
  return false;
}

// Applies one flag with its value (empty for switches); returns a usage error or "".
std::string apply_flag(const std::string& flag, const std::string& value, ChatArguments& chat) {
  if (take_server_flag(flag, value, &chat.server)) return "";
  if (flag == "--provider") chat.provider = value;
  else if (flag == "-m" || flag == "--model") chat.model = value;
  else if (flag == "--system") chat.system = value;
  else if (flag == "--tools-json") chat.tools_file = value;
  else if (flag == "--tool-choice") chat.tool_choice = value;
  else if (flag == "--image") chat.images.push_back(value);
  else if (flag == "-i" || flag == "--interactive") chat.interactive = true;
  else if (flag == "--max-tokens") {
    long long number = 0;
    if (!parse_integer(value, &number) || number < 1) return "--max-tokens needs a positive integer, got '" + value + "'";
    chat.max_tokens = number;
  } else if (flag == "--temperature") {
    double number = 0;
    if (!parse_number(value, &number) || number < 0) return "--temperature needs a number >= 0, got '" + value + "'";
    chat.temperature = number;
  } else if (flag == "--timeout") {
    // Range checks are the library's: it explains a rejected value in hfi_last_error_message().
    long long number = 0;
    if (!parse_integer(value, &number)) return "--timeout needs a number of milliseconds, got '" + value + "'";
    chat.timeout_ms = number;
  } else if (flag == "--retries") {
    long long number = 0;
    if (!parse_integer(value, &number) || number < 0) return "--retries needs a number >= 0, got '" + value + "'";
    chat.retries = number;
  } else if (flag == "--stream") chat.stream = true;
  else if (flag == "--no-stream") chat.stream = false;
  else if (flag == "--json") chat.json = true;
  else if (flag == "-v" || flag == "--verbose") chat.verbose = true;
  else return "unknown option '" + flag + "'";
  return "";
}

void parse_chat(int argc, char** argv, int first, CommandLine& line) {
  ChatArguments& chat = line.chat;
  std::vector<std::string> prompts;
  bool options_done = false;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_done || arg == "-" || arg.empty() || arg[0] != '-') {
      prompts.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      line.command = Command::kChatHelp;
      return;
    }
    std::string flag = arg;
    std::string value;
    std::size_t equals = arg.find('=');
    bool inline_value = arg.rfind("--", 0) == 0 && equals != std::string::npos;
    if (inline_value) {
      flag = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    if (takes_value(flag)) {
      if (!inline_value) {
        if (i + 1 >= argc) {
          line.error = flag + " needs a value";
          return;
        }
        value = argv[++i];
      }
    } else if (inline_value) {
      line.error = "option '" + flag + "' takes no value";
      return;
    }
    line.error = apply_flag(flag, value, chat);
    if (!line.error.empty()) return;
  }
  if (prompts.empty() && (chat.interactive || isatty(STDIN_FILENO) == 1)) {
    chat.interactive = true;  // no prompt at a terminal: a conversation
    line.command = Command::kChat;
  } else if (chat.interactive) {
    line.error = "--interactive reads the prompts from stdin: give no PROMPT";
  } else if (prompts.empty()) {
    line.error = "missing PROMPT (give the text, or - to read it from stdin, or -i for a conversation)";
  } else if (prompts.size() > 1) {
    line.error = "one PROMPT expected, got " + std::to_string(prompts.size()) + " words: quote the prompt";
  } else {
    chat.prompt = prompts.front();
    line.command = Command::kChat;
  }
}

}  // namespace

bool take_server_flag(const std::string& flag, const std::string& value, ServerFlags* server) {
  if (flag == "--base-url") server->base_url = value;
  else if (flag == "--router-url") server->router_url = value;
  else if (flag == "--hub-url") server->hub_url = value;
  else if (flag == "--header") server->headers.push_back(value);
  else if (flag == "--no-env-token") server->token_from_env = false;
  else if (flag == "--token-from-env") server->token_from_env = true;
  else return false;
  return true;
}

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine line;
  std::string command = argc > 1 ? argv[1] : "";
  if (command == "-h" || command == "--help" || command == "help") {
    line.command = Command::kHelp;
  } else if (command == "--version" || command == "-V") {
    line.command = Command::kVersion;
  } else if (command == "chat") {
    parse_chat(argc, argv, 2, line);
  } else if (command.empty()) {
    line.error = "missing command (try 'hfi chat \"Hello\"')";
  } else {
    line.error = "unknown command '" + command + "'";
  }
  return line;
}

std::string main_help() {
  return std::string(
             "hfi - chat and every other inference task, with models served by Hugging Face\n"
             "Inference Providers or any OpenAI-compatible server (TGI, vLLM, llama.cpp).\n"
             "\n"
             "Usage:\n"
             "  hfi chat [options] PROMPT     print the model's answer to PROMPT ('-': read stdin)\n"
             "  hfi chat [options]            a conversation, line by line (at a terminal, or with -i)\n"
             "  hfi chat --help               the chat options\n"
             "  hfi --help | hfi --version\n"
             "\n"
             "Every other task (hfi COMMAND --help for each):\n") +
         task_commands_help() +
         "\n"
         "Examples:\n"
         "  HF_TOKEN=hf_... hfi chat \"Write a haiku about C ABIs\"\n"
         "  hfi image -o fox.png \"a red fox in the snow\"\n"
         "\n" +
         kEnvironment + "\n" + kExitCodes;
}

std::string chat_help() {
  return std::string(
             "Usage: hfi chat [options] PROMPT\n"
             "       hfi chat [options] [-i]      (a conversation)\n"
             "\n"
             "Sends PROMPT as a user message and prints the answer on stdout, streamed as it\n"
             "arrives, then a newline. A model that answers with tool calls instead gets one line\n"
             "per call: name(arguments). A summary goes to stderr:\n"
             "  [hfi] <model> via <url> · <prompt>+<completion> tokens · first byte N ms · total N ms\n"
             "PROMPT '-' reads the prompt from stdin (trailing newlines removed). Options take\n"
             "their value as '--name value' or '--name=value'; '--' ends the options.\n"
             "\n"
             "Server:\n"
             "  --router-url URL       Hugging Face router to use (default https://router.huggingface.co)\n"
             "  --base-url URL         an OpenAI-compatible server instead of the router; /v1/chat/completions\n"
             "                         is appended unless the path already ends with /chat/completions\n"
             "  --hub-url URL          the Hub, for provider mappings (default https://huggingface.co)\n"
             "  --provider P           router provider: a name (groq, together, ...), fastest, cheapest or auto\n"
             "  --header 'Name: value' add a request header (repeatable)\n"
             "  --timeout MS           give up after MS milliseconds in all (default: no limit)\n"
             "  --retries N            retries of a failed attempt (default 2; none once the answer streams)\n"
             "  --no-env-token         do not look for a token (HF_TOKEN, token files)\n"
             "  --token-from-env       look for one (the default)\n"
             "\n"
             "Request:\n"
             "  -m, --model MODEL      model id (default ") +
         kDefaultModel +
         ")\n"
         "  --system TEXT          system message sent before PROMPT\n"
         "  --image FILE           show an image to a vision model with PROMPT (repeatable)\n"
         "  --max-tokens N         upper bound on the answer's length in tokens\n"
         "  --temperature T        sampling temperature, e.g. 0.7\n"
         "  --tools-json FILE      FILE holds a JSON array of OpenAI tool definitions, sent as \"tools\"\n"
         "  --tool-choice C        auto, none, required, or the name of one tool to force\n"
         "\n"
         "Output:\n"
         "  --stream               print the answer as it arrives (default)\n"
         "  --no-stream            wait for the whole answer, then print it\n"
         "  --json                 print the response as chat.completion JSON instead of the text\n"
         "  -v, --verbose          also report the request id and finish reason on stderr\n"
         "  -i, --interactive      a conversation: one prompt per line of stdin, the history sent with each;\n"
         "                         the default with no PROMPT at a terminal. /reset forgets it, /exit ends\n"
         "  -h, --help             this text\n"
         "\n" +
         kEnvironment + "\n" + kExitCodes;
}

}  // namespace hfi_cli
