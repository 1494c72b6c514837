// The HTTP/1.1 server: one listening socket, an accept thread, and a fixed pool
// of workers that each serve one connection at a time for as long as it is kept
// alive. Knows nothing about chat or scripting: it asks a Handler for a Reply.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http_request.h"
#include "reply.h"
#include "stop_signal.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace hfi::emu {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 64;
  SSL_CTX* tls = nullptr;  // borrowed; null = plain HTTP
};

using Handler = std::function<Reply(const HttpRequest&)>;

class Server {
 public:
  static constexpr int kListenBacklog = 1024;
  static constexpr int kSocketTimeoutSeconds = 30;  // bounds a blocked read/write/handshake
  static constexpr int kKeepAliveTimeoutMs = 60000;

  ~Server() { stop(); }
  bool start(const ServerConfig& config, Handler handler, std::string* error);
  void stop();
  int port() const { return port_; }

 private:
  bool bind_and_listen(const ServerConfig& config, std::string* error);
  void accept_loop();
  void worker_loop();
  void serve(int fd);
  bool connections_starved();  // some accepted connection has no worker to take it

  Handler handler_;
  SSL_CTX* tls_ = nullptr;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written by stop() so the accept loop need not poll on a timer
  int port_ = 0;
  StopSignal stop_;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::deque<int> pending_;  // accepted, not yet taken by a worker
  std::size_t idle_workers_ = 0;
  std::set<int> active_;     // being served; shut down on stop
  std::atomic<bool> running_{false};
};

}  // namespace hfi::emu
