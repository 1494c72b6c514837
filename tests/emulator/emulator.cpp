#include "emulator.h"

#include <openssl/ssl.h>

#include "control_routes.h"
#include "default_routes.h"
#include "emulator_state.h"
#include "scripted_reply.h"
#include "server.h"
#include "tls_certificates.h"

namespace hfi::emu {

struct Emulator::Impl {
  Options options;
  EmulatorState state;
  Server server;
  TlsFiles tls_files;
  SSL_CTX* tls_context = nullptr;
  bool tapes_loaded = false;
  bool running = false;

  Reply handle(const HttpRequest& request) {
    if (is_control_path(request.path)) return control_reply(state, request);
    state.log.record(request);  // before answering, so a test sees it even if the answer hangs
    std::optional<ScriptStep> step = state.script.take_for(request.method, request.path);
    if (!step) step = state.faults.draw(request.method, request.path);
    Reply reply = step ? scripted_reply(state, *step, request) : default_reply(state, request, false);
    if (options.log)
      options.log(request.method + " " + request.target + " -> " + std::to_string(reply.status) +
                  (step ? " (scripted)" : ""));
    return reply;
  }

  void free_tls_context() {
    if (tls_context != nullptr) SSL_CTX_free(tls_context);
    tls_context = nullptr;
  }
};

Emulator::Emulator(Options o) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(o);
  impl_->state.require_token = impl_->options.require_token;
  impl_->state.scheme = impl_->options.tls ? "https" : "http";
}

Emulator::~Emulator() { stop(); }

bool Emulator::start(std::string* error) {
  Impl& impl = *impl_;
  if (impl.running) return true;
  std::string problem;
  if (!impl.tapes_loaded && !impl.options.tapes_path.empty()) {
    if (!impl.state.tapes.load(impl.options.tapes_path, &problem)) {
      if (error) *error = problem;
      return false;
    }
    impl.state.replay.build(impl.state.tapes);
    impl.tapes_loaded = true;
  }
  if (impl.options.tls) {
    if (impl.options.tls_dir.empty()) {
      if (error) *error = "tls needs tls_dir (where ca.pem, server.pem and server.key are written)";
      return false;
    }
    if (!write_tls_files(impl.options.tls_dir, &impl.tls_files, &problem) ||
        (impl.tls_context = make_server_tls_context(impl.tls_files, &problem)) == nullptr) {
      if (error) *error = problem;
      return false;
    }
  }
  ServerConfig config;
  config.host = impl.options.host;
  config.port = impl.options.port;
  config.threads = impl.options.threads;
  config.tls = impl.tls_context;
  if (!impl.server.start(config, [&impl](const HttpRequest& request) { return impl.handle(request); }, &problem)) {
    impl.free_tls_context();
    if (error) *error = problem;
    return false;
  }
  impl.running = true;
  return true;
}

void Emulator::stop() {
  if (!impl_ || !impl_->running) return;
  impl_->server.stop();
  impl_->free_tls_context();
  impl_->running = false;
}

int Emulator::port() const { return impl_->server.port(); }

std::string Emulator::base_url() const {
  std::string host = impl_->options.host;
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";  // a wildcard is not an address to connect to
  else if (host == "::") host = "[::1]";
  else if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(impl_->options.tls ? "https://" : "http://") + host + ":" + std::to_string(port());
}

std::string Emulator::ca_pem_path() const { return impl_->options.tls ? impl_->tls_files.ca_pem : std::string(); }

void Emulator::script(const std::string& step_json) { queue_script(impl_->state, step_json); }

std::vector<RecordedRequest> Emulator::requests() const { return impl_->state.log.snapshot(); }

void Emulator::reset() { reset_state(impl_->state); }

}  // namespace hfi::emu
