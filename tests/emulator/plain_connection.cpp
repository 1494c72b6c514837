#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "connection.h"

namespace hfi::emu {

void finish_socket(int fd) {
  if (fd < 0) return;
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  for (int rounds = 0; rounds < 20; ++rounds) {  // at most ~200 ms
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10) <= 0) break;
    ssize_t n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
    if (n <= 0) break;
  }
}

namespace {

class PlainConnection final : public Connection {
 public:
  explicit PlainConnection(int fd) : fd_(fd) {}
  ~PlainConnection() override { release(); }

  ReadResult read_some(char* buffer, std::size_t size, int timeout_ms, std::size_t* got) override {
    if (fd_ < 0) return ReadResult::error;
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, timeout_ms);
    if (ready == 0) return ReadResult::timeout;
    if (ready < 0) return errno == EINTR ? ReadResult::timeout : ReadResult::error;
    ssize_t n = ::recv(fd_, buffer, size, 0);
    if (n == 0) return ReadResult::eof;
    if (n < 0) return (errno == EINTR || errno == EAGAIN) ? ReadResult::timeout : ReadResult::error;
    *got = static_cast<std::size_t>(n);
    return ReadResult::data;
  }

  bool write_all(std::string_view bytes) override {
    if (fd_ < 0) return false;
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  void close_gracefully() override { release(); }
  void close_abruptly() override { release(); }

 private:
  void release() {
    if (fd_ < 0) return;
    finish_socket(fd_);
    fd_ = -1;
  }
  int fd_;
};

}  // namespace

std::unique_ptr<Connection> make_plain_connection(int fd) { return std::make_unique<PlainConnection>(fd); }

}  // namespace hfi::emu
