// hfi-emulator: runs the emulator as a standalone process for tests written in
// other languages, the quickstart, and users' own CI.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>

#include "emulator.h"

namespace {

const char kUsage[] = R"(usage: hfi-emulator [options]

A local stand-in for the Hugging Face router (every provider's routes, the
hf-inference tasks, the media job flows), the Hub's provider mapping API and
the router's model listing; scriptable per request to inject faults, able to
replay recorded interactions, recording every request. See README.md.

options:
  --host H            address to listen on (default 127.0.0.1)
  --port N            port to listen on; 0 = pick a free one (default 0)
  --tls DIR           serve HTTPS with a fresh test CA; writes DIR/ca.pem
                      (trust this), DIR/server.pem, DIR/server.key
  --tapes FILE        interactions.ndjson with recorded real interactions,
                      for the "tape" script step and replay mode
  --require-token T   router routes answer 401 unless "Authorization: Bearer T"
  --threads N         connections served at the same time (default 64)
  --port-file FILE    write the port number to FILE once listening
  --quiet             do not log requests to stderr
  --help              show this text

Once listening it prints exactly one line to stdout:
  hfi-emulator listening on <base url>
and serves until SIGINT or SIGTERM, then exits 0.

control routes (never recorded):
  POST /_emulator/script     queue one step or an array of steps
  GET  /_emulator/script     steps still queued
  GET  /_emulator/requests   recorded requests
  POST /_emulator/reset      clear the queue and the recordings
  GET  /_emulator/health     {"ok":true}
  GET  /_emulator/tapes      loaded tapes;  GET /_emulator/tapes/<id>: one record
)";

struct Arguments {
  hfi::emu::Options options;
  std::string port_file;
  bool quiet = false;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "hfi-emulator: " << message << "\n(try --help)\n";
  std::exit(2);
}

int to_int(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 0 || value > 1000000) usage_error(flag + " needs a number, got '" + text + "'");
  return static_cast<int>(value);
}

Arguments parse(int argc, char** argv) {
  Arguments parsed;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    bool inline_value = false;
    if (std::size_t equals = flag.find('='); flag.rfind("--", 0) == 0 && equals != std::string::npos) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
      inline_value = true;
    }
    auto next = [&]() -> std::string {
      if (inline_value) return value;
      if (i + 1 >= argc) usage_error(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (flag == "--host") parsed.options.host = next();
    else if (flag == "--port") parsed.options.port = to_int(flag, next());
    else if (flag == "--tls") {
      parsed.options.tls = true;
      parsed.options.tls_dir = next();
    } else if (flag == "--tapes") parsed.options.tapes_path = next();
    else if (flag == "--require-token") parsed.options.require_token = next();
    else if (flag == "--threads") parsed.options.threads = to_int(flag, next());
    else if (flag == "--port-file") parsed.port_file = next();
    else if (flag == "--quiet") parsed.quiet = true;
    else usage_error("unknown option " + flag);
  }
  if (parsed.options.port > 65535) usage_error("--port must be at most 65535");
  if (parsed.options.threads < 1) usage_error("--threads must be at least 1");
  return parsed;
}

// Written under a temporary name and renamed, so a reader polling for the file
// never sees it half-written.
bool write_port_file(const std::string& path, int port) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << "\n";
    if (!out) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments arguments = parse(argc, argv);

  // Block the stop signals before any thread exists, so every server thread
  // inherits the mask and only the sigwait() below ever receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (!arguments.quiet) {
    static std::mutex log_mutex;
    arguments.options.log = [](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mutex);
      std::fprintf(stderr, "hfi-emulator: %s\n", line.c_str());
    };
  }
  hfi::emu::Emulator emulator(arguments.options);
  std::string error;
  if (!emulator.start(&error)) {
    std::cerr << "hfi-emulator: " << error << "\n";
    return 1;
  }
  if (!arguments.port_file.empty() && !write_port_file(arguments.port_file, emulator.port())) {
    std::cerr << "hfi-emulator: cannot write " << arguments.port_file << "\n";
    return 1;
  }
  std::cout << "hfi-emulator listening on " << emulator.base_url() << std::endl;  // endl: flushed for the parent
  if (arguments.options.tls && !arguments.quiet)
    std::cerr << "hfi-emulator: trust " << emulator.ca_pem_path() << "\n";

  int received = 0;
  sigwait(&stop_signals, &received);
  emulator.stop();
  return 0;
}
