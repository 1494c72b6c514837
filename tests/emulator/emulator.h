// hfi-emulator: a local HTTP(S) server that speaks the Hugging Face router's
// chat-completions protocol, records every request, and can be scripted per
// request to inject faults or replay recorded real interactions.
// The control protocol is documented in README.md next to this file.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hfi::emu {

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 = ephemeral; read the real one with Emulator::port()
  bool tls = false;
  std::string tls_dir;      // where ca.pem, server.pem, server.key are written; required when tls
  std::string tapes_path;   // interactions.ndjson; optional, enables the "tape" step
  std::string require_token;  // non-empty: chat routes need "Authorization: Bearer <it>" else 401
  int threads = 64;         // connections served at the same time (keep-alive holds one each)
  // Called once per emulated (non-control) request with "METHOD /path -> STATUS".
  // Runs on server threads; must be thread-safe. Empty = silent.
  std::function<void(const std::string&)> log;
};

struct RecordedRequest {
  std::string method, path, query;
  std::map<std::string, std::string> headers;  // lower-cased names; repeated headers joined with ", "
  std::string body;
};

class Emulator {
 public:
  explicit Emulator(Options o = {});
  ~Emulator();  // stops
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Binds and serves on background threads; returns once the socket listens.
  bool start(std::string* error = nullptr);
  void stop();
  int port() const;
  std::string base_url() const;     // "http://127.0.0.1:PORT" or "https://..."
  std::string ca_pem_path() const;  // TLS only; empty otherwise

  // Same JSON as POST /_emulator/script (one step or an array).
  // Throws std::invalid_argument with the reason when the JSON is malformed.
  void script(const std::string& step_json);
  std::vector<RecordedRequest> requests() const;
  void reset();  // same as POST /_emulator/reset

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hfi::emu
