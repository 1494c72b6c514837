#include "server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "connection.h"
#include "reply_sender.h"
#include "request_reader.h"

namespace hfi::emu {
namespace {

void set_socket_timeouts(int fd, int seconds) {
  timeval timeout{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// A client that vanishes mid-response must cost us EPIPE, not the whole process.
// Blocking SIGPIPE per thread leaves the host program's own handlers alone.
void block_sigpipe_in_this_thread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

Reply protocol_error_reply(ReadStatus status) {
  switch (status) {
    case ReadStatus::header_too_large:
      return json_reply(431, R"({"error":"Request header fields too large"})");
    case ReadStatus::body_too_large:
      return json_reply(413, R"({"error":"Request body too large"})");
    default:
      return json_reply(400, R"({"error":"Malformed HTTP request"})");
  }
}

}  // namespace

bool Server::start(const ServerConfig& config, Handler handler, std::string* error) {
  if (running_) return true;
  handler_ = std::move(handler);
  tls_ = config.tls;
  stop_.clear();
  if (!bind_and_listen(config, error)) return false;
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    return false;
  }
  running_ = true;
  int threads = config.threads > 0 ? config.threads : 1;
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
  acceptor_ = std::thread([this] { accept_loop(); });
  return true;
}

bool Server::bind_and_listen(const ServerConfig& config, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(config.port);
  int status = ::getaddrinfo(config.host.empty() ? nullptr : config.host.c_str(), service.c_str(), &hints, &found);
  if (status != 0) {
    *error = "cannot resolve " + config.host + ": " + gai_strerror(status);
    return false;
  }
  // IPv4 first: "localhost" often resolves to ::1 first, yet clients commonly try 127.0.0.1.
  std::vector<addrinfo*> candidates;
  for (addrinfo* address = found; address != nullptr; address = address->ai_next)
    if (address->ai_family == AF_INET) candidates.push_back(address);
  for (addrinfo* address = found; address != nullptr; address = address->ai_next)
    if (address->ai_family != AF_INET) candidates.push_back(address);
  std::string last_error = "no address to bind";
  for (addrinfo* address : candidates) {
    int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, address->ai_addr, address->ai_addrlen) != 0 || ::listen(fd, kListenBacklog) != 0) {
      last_error = std::strerror(errno);
      ::close(fd);
      continue;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                        : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    listen_fd_ = fd;
    break;
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0) *error = "cannot listen on " + config.host + ":" + service + ": " + last_error;
  return listen_fd_ >= 0;
}

void Server::accept_loop() {
  while (!stop_.raised()) {
    pollfd watched[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(watched, 2, -1) <= 0 || (watched[1].revents & POLLIN) != 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) stop_.sleep_for(50);  // let workers free descriptors
      continue;
    }
    int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // pieces must leave now, not later
    set_socket_timeouts(fd, kSocketTimeoutSeconds);
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.push_back(fd);
    work_ready_.notify_one();
  }
}

void Server::worker_loop() {
  block_sigpipe_in_this_thread();
  for (;;) {
    int fd;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_workers_;
      work_ready_.wait(lock, [this] { return !pending_.empty() || stop_.raised(); });
      --idle_workers_;
      if (stop_.raised()) return;
      fd = pending_.front();
      pending_.pop_front();
      active_.insert(fd);
    }
    serve(fd);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      active_.erase(fd);
    }
    ::close(fd);
  }
}

void Server::serve(int fd) {
  std::unique_ptr<Connection> connection = tls_ ? make_tls_connection(fd, tls_) : make_plain_connection(fd);
  if (!connection) return;
  RequestReader reader(*connection, stop_);
  IdlePolicy idle;
  idle.keep_alive_timeout_ms = kKeepAliveTimeoutMs;
  idle.others_waiting = [this] { return connections_starved(); };
  for (;;) {
    HttpRequest request;
    ReadStatus status = reader.next(&request, idle);
    if (status == ReadStatus::closed || status == ReadStatus::stopped) {
      connection->close_gracefully();
      return;
    }
    if (status != ReadStatus::request) {
      send_reply(*connection, protocol_error_reply(status), SendOptions{false, false}, stop_);
      return;
    }
    Reply reply;
    try {
      reply = handler_(request);
    } catch (const std::exception& failure) {
      reply = json_reply(500, std::string(R"({"error":"emulator failure"})"));
    }
    // With connections queued for a worker, hand this one back after the answer.
    // "Connection: close" says so up front, so the client never reuses it by mistake.
    bool keep_alive = request.wants_keep_alive() && !stop_.raised() && !connections_starved();
    SendOptions options{keep_alive, request.method == "HEAD"};
    if (!send_reply(*connection, reply, options, stop_)) return;
  }
}

bool Server::connections_starved() {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_.size() > idle_workers_;
}

void Server::stop() {
  if (!running_.exchange(false)) return;
  stop_.raise();
  (void)!::write(wake_pipe_[1], "x", 1);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int fd : active_) ::shutdown(fd, SHUT_RDWR);  // wakes reads and writes blocked on the socket
    work_ready_.notify_all();
  }
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
  for (int fd : pending_) ::close(fd);
  pending_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
  for (int& fd : wake_pipe_) {
    ::close(fd);
    fd = -1;
  }
}

}  // namespace hfi::emu
