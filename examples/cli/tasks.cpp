// The task commands of `hfi` (generate, summarize, translate, embed, classify, image, video,
// speak, transcribe, task, models), built on hfi.hpp.
//
// stdout carries the output and nothing else: the text of text tasks, the task's JSON for the
// others (or with --json), the bytes of a media task with `-o -`. Progress and errors go to stderr.
#include "tasks.h"

#include <hfi/hfi.hpp>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "arguments.h"
#include "io.h"
#include "models_table.h"
#include "request_body.h"

namespace hfi_cli {
namespace {

enum class Input { kText, kTexts, kFile, kTextOrImage, kGeneric, kNone };
enum class Output { kText, kJson, kMedia, kAuto };

struct TaskCommand {
  const char* name;
  const char* task;           // the Hugging Face task id ("" for task/models: chosen at run time)
  const char* default_model;  // "" when -m is required
  Input input;
  Output output;
  const char* usage;
  const char* summary;
};

const TaskCommand kCommands[] = {
    {"generate", "text-generation", "meta-llama/Llama-3.1-8B-Instruct", Input::kText, Output::kText,
     "hfi generate [options] PROMPT", "continue PROMPT (text-generation); the text on stdout"},
    {"summarize", "summarization", "facebook/bart-large-cnn", Input::kText, Output::kText,
     "hfi summarize [options] TEXT", "summarise TEXT ('-': stdin)"},
    {"translate", "translation", "Helsinki-NLP/opus-mt-en-fr", Input::kText, Output::kText,
     "hfi translate [options] TEXT", "translate TEXT with a translation model"},
    {"embed", "feature-extraction", "sentence-transformers/all-MiniLM-L6-v2", Input::kTexts, Output::kJson,
     "hfi embed [options] TEXT...", "one embedding vector per TEXT, as a JSON array of arrays"},
    {"classify", "text-classification", "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
     Input::kTextOrImage, Output::kJson, "hfi classify [options] TEXT | hfi classify [options] --image FILE",
     "labels and scores of TEXT (text-classification) or of an image (image-classification)"},
    {"image", "text-to-image", "black-forest-labs/FLUX.1-schnell", Input::kText, Output::kMedia,
     "hfi image [options] -o FILE PROMPT", "generate an image from PROMPT into FILE ('-': stdout)"},
    {"video", "text-to-video", "Wan-AI/Wan2.1-T2V-14B", Input::kText, Output::kMedia,
     "hfi video [options] -o FILE PROMPT", "generate a video from PROMPT into FILE, showing the job's progress"},
    {"speak", "text-to-speech", "hexgrad/Kokoro-82M", Input::kText, Output::kMedia,
     "hfi speak [options] -o FILE TEXT", "speak TEXT into an audio FILE"},
    {"transcribe", "automatic-speech-recognition", "openai/whisper-large-v3", Input::kFile, Output::kText,
     "hfi transcribe [options] FILE", "the transcript of an audio FILE"},
    {"task", "", "", Input::kGeneric, Output::kAuto,
     "hfi task [options] TASK [--body JSON] [--input FILE]",
     "any task: the body as JSON, a binary input, or both; text, JSON or -o FILE for media"},
    {"models", "", "", Input::kNone, Output::kText, "hfi models [options] [MODEL]",
     "the router's chat models: a row per provider with its pricing and latency (--json: the router's JSON)"},
};

struct TaskArguments {
  const TaskCommand* command = nullptr;
  std::string model;
  std::vector<std::string> words;  // the positional arguments
  std::optional<std::string> output_file, input_file, image_file, body;
  ServerFlags server;
  std::vector<std::string> providers;
  std::optional<long long> timeout_ms, retries, poll_ms;
  bool json = false;
  bool quiet = false;
};

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_task_sigint(int) { g_interrupted = 1; }

const TaskCommand* find_command(const std::string& name) {
  for (const TaskCommand& c : kCommands)
    if (name == c.name) return &c;
  return nullptr;
}

int usage_error(const std::string& message, const TaskCommand* command) {
  std::fprintf(stderr, "hfi: error: %s (see 'hfi %s --help')\n", message.c_str(), command ? command->name : "");
  return kExitUsage;
}

// Parses the options after the command; returns a usage error or "".
std::string parse(int argc, char** argv, TaskArguments& a, bool* help) {
  static const char* const kValueFlags[] = {"-m",           "--model",   "-o",        "--output",  "--input",
                                            "--image",      "--body",    "--base-url", "--router-url",
                                            "--hub-url",    "--provider", "--header",  "--timeout", "--retries",
                                            "--poll-interval"};
  bool options_done = false;
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_done || arg == "-" || arg.empty() || arg[0] != '-') {
      a.words.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      *help = true;
      return "";
    }
    std::string flag = arg, value;
    size_t equals = arg.find('=');
    bool inline_value = arg.rfind("--", 0) == 0 && equals != std::string::npos;
    if (inline_value) {
      flag = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    bool takes_value = false;
    for (const char* known : kValueFlags) takes_value = takes_value || flag == known;
    if (takes_value && !inline_value) {
      if (i + 1 >= argc) return flag + " needs a value";
      value = argv[++i];
    } else if (!takes_value && inline_value) {
      return "option '" + flag + "' takes no value";
    }
    long long number = 0;
    if (flag == "-m" || flag == "--model") a.model = value;
    else if (flag == "-o" || flag == "--output") a.output_file = value;
    else if (flag == "--input") a.input_file = value;
    else if (flag == "--image") a.image_file = value;
    else if (flag == "--body") a.body = value;
    else if (take_server_flag(flag, value, &a.server)) continue;
    else if (flag == "--provider") a.providers.push_back(value);
    else if (flag == "--timeout" || flag == "--retries" || flag == "--poll-interval") {
      if (!parse_integer(value, &number) || number < 0) return flag + " needs a number >= 0, got '" + value + "'";
      (flag == "--timeout" ? a.timeout_ms : flag == "--retries" ? a.retries : a.poll_ms) = number;
    } else if (flag == "--json") a.json = true;
    else if (flag == "-q" || flag == "--quiet") a.quiet = true;
    else return "unknown option '" + flag + "'";
  }
  return "";
}

std::string command_help(const TaskCommand& c) {
  std::string text = std::string("Usage: ") + c.usage + "\n\n" + c.summary + ".\n";
  if (*c.default_model) text += std::string("Default model: ") + c.default_model + " (-m to choose another).\n";
  text +=
      "\n"
      "Options:\n"
      "  -m, --model MODEL      the Hub model id\n"
      "  --provider P           who serves it: auto (default), a provider (fal-ai, together, replicate,\n"
      "                         hf-inference, ...); repeat it for a list tried in order\n"
      "  -o, --output FILE      where media outputs go ('-': stdout)\n"
      "  --json                 print the task's JSON output instead of its text\n"
      "  --timeout MS           give up after MS milliseconds (jobs included)\n"
      "  --retries N            retries of a failed attempt (default 2)\n"
      "  --poll-interval MS     how often a job is polled (default: the provider's pace)\n"
      "  --header 'Name: value' add a request header (repeatable)\n"
      "  --router-url URL, --hub-url URL, --base-url URL\n"
      "                         the router, the Hub (provider mappings), or a server of your own\n"
      "  --no-env-token         do not look for a token (HF_TOKEN, token files)\n"
      "  -q, --quiet            no progress lines on stderr\n"
      "  -h, --help             this text\n";
  if (c.input == Input::kGeneric)
    text +=
        "  --body JSON            the task-spec request: {\"inputs\": ..., \"parameters\": {...}}\n"
        "  --input FILE           a binary input (image, audio); '-': stdin\n";
  if (c.input == Input::kTextOrImage) text += "  --image FILE           classify an image instead of a text\n";
  if (c.input == Input::kNone)
    text +=
        "\nOne row per model and provider: its status, context length, price in US$ per million input\n"
        "and output tokens, time to the first token, tokens per second, and whether it takes tools\n"
        "and a JSON schema. --provider keeps that provider's rows (repeatable); MODEL lists one model.\n";
  text += "\nText arguments '-' are read from stdin.\n\n";
  return text + kTaskExitCodes;
}

// Progress of a job on stderr: one rewritten line on a terminal, a line per change elsewhere.
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) == 1) {}
  ~Progress() {
    if (drawn_) std::fputc('\n', stderr);
  }
  bool on_event(const hfi::event& ev) {
    if (g_interrupted) return false;
    if (quiet_ || ev.type() != HFI_EVENT_PROGRESS) return true;
    std::string status(ev.text());
    double fraction = ev.progress();
    std::string line = "[hfi] " + (status.empty() ? std::string("working") : status);
    if (fraction >= 0) line += " " + std::to_string(static_cast<int>(std::lround(fraction * 100))) + "%";
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
    if (tty_) {
      std::fprintf(stderr, "\r%s · %llds\033[K", line.c_str(), static_cast<long long>(elapsed.count()));
      drawn_ = true;
    } else if (line != last_) {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    last_ = line;
    return true;
  }

 private:
  bool quiet_, tty_, drawn_ = false;
  std::string last_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

int request_failed(const hfi::error_info& e) {
  print_request_error(e);
  if (g_interrupted) {
    std::fprintf(stderr, "hfi: interrupted\n");
    return kExitInterrupted;
  }
  return e.status == HFI_E_INVALID_ARG || e.status == HFI_E_UNSUPPORTED ? kExitUsage : kExitRequestFailed;
}

bool write_output(const std::string& path, std::string_view bytes) {
  if (path == "-") return std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size();
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// `hfi models`: the table, or with --json the router's own JSON.
int list_models(const hfi::client& client, const TaskArguments& a) {
  hfi::response listing;
  try {
    listing = a.words.empty() ? client.list_models() : client.list_models(a.words[0]);
  } catch (const hfi::error& e) {
    return request_failed(e.info());
  }
  if (a.json) {
    print_line(listing.json());
    return kExitOk;
  }
  std::string error;
  std::string table = models_table(listing.json(), a.providers, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "hfi: error: %s (--json prints it as it came)\n", error.c_str());
    return kExitRequestFailed;
  }
  if (table.empty()) {
    std::fprintf(stderr, "[hfi] no chat model%s\n", a.providers.empty() ? "" : " served by the --provider given");
    return kExitOk;
  }
  std::fputs(table.c_str(), stdout);
  return kExitOk;
}

}  // namespace

bool is_task_command(const std::string& name) { return find_command(name) != nullptr; }

std::string task_commands_help() {
  std::string text;
  for (const TaskCommand& c : kCommands) {
    std::string name = c.name;
    text += "  hfi " + name + std::string(12 - name.size(), ' ') + c.summary + "\n";
  }
  return text;
}

int run_task_command(int argc, char** argv) {
  TaskArguments a;
  a.command = find_command(argv[1]);
  const TaskCommand& c = *a.command;
  a.model = c.default_model;
  bool help = false;
  std::string problem = parse(argc, argv, a, &help);
  if (!problem.empty()) return usage_error(problem, &c);
  if (help) {
    std::fputs(command_help(c).c_str(), stdout);
    return kExitOk;
  }
  for (std::string& word : a.words) {
    if (word == "-" && c.input != Input::kFile) {
      if (!read_file("-", &word)) return usage_error("cannot read stdin", &c);
      word = without_trailing(word, "\r\n");
    }
  }

  // What to send: the task, its body and its binary input.
  std::string task = c.task, body, input;
  switch (c.input) {
    case Input::kText:
      if (a.words.size() != 1) return usage_error("one text expected (quote it), got " + std::to_string(a.words.size()), &c);
      if (a.words[0].empty()) return usage_error("the text is empty", &c);
      body = "{\"inputs\":" + json_string(a.words[0]) + "}";
      break;
    case Input::kTexts:
      if (a.words.empty()) return usage_error("give at least one text", &c);
      body = "{\"inputs\":[";
      for (size_t i = 0; i < a.words.size(); ++i) body += (i ? "," : "") + json_string(a.words[i]);
      body += "]}";
      break;
    case Input::kFile:
      if (a.words.size() != 1) return usage_error("one FILE expected", &c);
      errno = 0;
      if (!read_file(a.words[0], &input) || input.empty())
        return usage_error("cannot read '" + a.words[0] + "'" + (errno ? std::string(": ") + std::strerror(errno) : ""), &c);
      break;
    case Input::kTextOrImage:
      if (a.image_file) {
        if (!a.words.empty()) return usage_error("give a TEXT or --image FILE, not both", &c);
        if (!read_file(*a.image_file, &input) || input.empty()) return usage_error("cannot read '" + *a.image_file + "'", &c);
        task = "image-classification";
        if (a.model == c.default_model) a.model = "google/vit-base-patch16-224";
      } else {
        if (a.words.size() != 1) return usage_error("one TEXT expected (quote it), or --image FILE", &c);
        body = "{\"inputs\":" + json_string(a.words[0]) + "}";
      }
      break;
    case Input::kGeneric:
      if (a.words.size() != 1) return usage_error("one TASK expected (e.g. text-to-image)", &c);
      task = a.words[0];
      if (a.body) body = *a.body;
      if (a.input_file && (!read_file(*a.input_file, &input) || input.empty()))
        return usage_error("cannot read '" + *a.input_file + "'", &c);
      if (body.empty() && input.empty()) return usage_error("give --body JSON, --input FILE or both", &c);
      if (a.model.empty()) return usage_error("-m MODEL is required", &c);
      break;
    case Input::kNone:
      if (a.words.size() > 1) return usage_error("at most one MODEL", &c);
      break;
  }
  if (c.output == Output::kMedia && !a.output_file) return usage_error("-o FILE is required ('-' for stdout)", &c);

  FlagOptions flags = server_options(a.server);
  if (!flags.problem().empty()) return usage_error(flags.problem(), &c);
  auto client = hfi::client::create(flags.options());
  if (!client) return usage_error(client.error().message, &c);

  if (c.input == Input::kNone) return list_models(*client, a);

  hfi::request_options request;
  if (!a.providers.empty()) {
    std::string list;
    for (const std::string& p : a.providers) list += (list.empty() ? "" : ",") + p;
    request.provider(list);
  }
  if (a.timeout_ms) request.timeout(std::chrono::milliseconds(*a.timeout_ms));
  if (a.retries) request.max_retries(static_cast<int>(*a.retries));
  if (a.poll_ms) request.poll_interval(std::chrono::milliseconds(*a.poll_ms));
  if (!input.empty()) request.input(input);

  std::signal(SIGINT, on_task_sigint);
  hfi::result<hfi::response> result = [&] {
    Progress progress(a.quiet);
    return client->try_task(task, a.model, body, request, [&](const hfi::event& ev) { return progress.on_event(ev); });
  }();
  if (!result) return request_failed(result.error());
  hfi::response& r = result.value();

  if (!r.bytes().empty() && (c.output == Output::kMedia || c.output == Output::kAuto) && !a.json) {
    if (!a.output_file) return usage_error("the output is " + std::string(r.media_type()) + ": give -o FILE", &c);
    if (!write_output(*a.output_file, r.bytes())) {
      std::fprintf(stderr, "hfi: error: cannot write '%s': %s\n", a.output_file->c_str(), std::strerror(errno));
      return kExitRequestFailed;
    }
    if (*a.output_file != "-")
      std::fprintf(stderr, "[hfi] wrote %s: %s, %zu bytes, by %s\n", a.output_file->c_str(),
                   std::string(r.media_type()).c_str(), r.bytes().size(), std::string(r.provider()).c_str());
    return kExitOk;
  }
  bool text = !a.json && !r.content().empty() && (c.output == Output::kText || c.output == Output::kAuto);
  print_line(text ? r.content() : r.json());
  return kExitOk;
}

}  // namespace hfi_cli
