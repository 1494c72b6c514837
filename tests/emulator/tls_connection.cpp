#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "connection.h"

namespace hfi::emu {
namespace {

class TlsConnection final : public Connection {
 public:
  TlsConnection(int fd, SSL* ssl) : fd_(fd), ssl_(ssl) {}
  ~TlsConnection() override { release(false); }

  ReadResult read_some(char* buffer, std::size_t size, int timeout_ms, std::size_t* got) override {
    if (ssl_ == nullptr) return ReadResult::error;
    // Bytes already decrypted inside OpenSSL would not wake poll(), so check them first.
    if (SSL_pending(ssl_) == 0) {
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, timeout_ms);
      if (ready == 0) return ReadResult::timeout;
      if (ready < 0) return errno == EINTR ? ReadResult::timeout : ReadResult::error;
    }
    int want = size > INT_MAX ? INT_MAX : static_cast<int>(size);
    int n = SSL_read(ssl_, buffer, want);
    if (n > 0) {
      *got = static_cast<std::size_t>(n);
      return ReadResult::data;
    }
    int reason = SSL_get_error(ssl_, n);
    ERR_clear_error();
    if (reason == SSL_ERROR_ZERO_RETURN) return ReadResult::eof;
    // A renegotiation or post-handshake message consumed the readable bytes; try again later.
    if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return ReadResult::timeout;
    if (reason == SSL_ERROR_SYSCALL && n == 0) return ReadResult::eof;  // peer closed without close_notify
    return ReadResult::error;
  }

  bool write_all(std::string_view bytes) override {
    if (ssl_ == nullptr) return false;
    while (!bytes.empty()) {
      int chunk = bytes.size() > INT_MAX ? INT_MAX : static_cast<int>(bytes.size());
      int n = SSL_write(ssl_, bytes.data(), chunk);
      if (n <= 0) {
        ERR_clear_error();
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  void close_gracefully() override { release(true); }
  void close_abruptly() override { release(false); }

 private:
  void release(bool notify_peer) {
    if (ssl_ == nullptr) return;
    if (notify_peer) SSL_shutdown(ssl_);
    ERR_clear_error();
    SSL_free(ssl_);  // the fd was attached without BIO_CLOSE, so it stays open
    ssl_ = nullptr;
    finish_socket(fd_);
  }
  int fd_;
  SSL* ssl_;
};

}  // namespace

std::unique_ptr<Connection> make_tls_connection(int fd, SSL_CTX* context) {
  SSL* ssl = SSL_new(context);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    if (ssl != nullptr) SSL_free(ssl);
    ERR_clear_error();
    return nullptr;
  }
  // The socket has a receive timeout (see server.cpp), so a silent client cannot pin this thread.
  if (SSL_accept(ssl) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return nullptr;
  }
  return std::make_unique<TlsConnection>(fd, ssl);
}

}  // namespace hfi::emu
