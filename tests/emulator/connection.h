// One accepted client connection, plain TCP or TLS, behind one interface so the
// HTTP code never cares which. Writes go straight to the socket (no buffering):
// every write_all() is something the client can observe as a separate read.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

typedef struct ssl_ctx_st SSL_CTX;

namespace hfi::emu {

enum class ReadResult { data, eof, timeout, error };

class Connection {
 public:
  virtual ~Connection() = default;
  // Waits at most timeout_ms for data. On ReadResult::data, *got > 0.
  virtual ReadResult read_some(char* buffer, std::size_t size, int timeout_ms, std::size_t* got) = 0;
  virtual bool write_all(std::string_view bytes) = 0;
  // Orderly end: TLS close_notify if any, then FIN.
  virtual void close_gracefully() = 0;
  // Fault injection: FIN without TLS close_notify, mid-message if need be.
  virtual void close_abruptly() = 0;
};

// The fd stays owned by the caller, who closes it after the Connection is gone:
// that way the server can shutdown() live sockets on stop without racing a close
// and hitting a reused descriptor number.
std::unique_ptr<Connection> make_plain_connection(int fd);
// Runs the server handshake; null if it fails.
std::unique_ptr<Connection> make_tls_connection(int fd, SSL_CTX* context);

// Shared by both: FIN, then drain what the peer still sends for a moment.
// Draining matters: close() with unread input sends RST, and an RST can destroy
// response bytes the client has not read yet.
void finish_socket(int fd);

}  // namespace hfi::emu
