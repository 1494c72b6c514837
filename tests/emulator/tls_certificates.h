// A throwaway certificate authority and a localhost server certificate signed by
// it, generated fresh at every start so no key material lives in the repository.
#pragma once

#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace hfi::emu {

struct TlsFiles {
  std::string ca_pem;      // trust this in the client
  std::string server_pem;  // server certificate followed by the CA certificate
  std::string server_key;
};

// Writes dir/ca.pem, dir/server.pem, dir/server.key (creating dir if needed).
bool write_tls_files(const std::string& dir, TlsFiles* files, std::string* error);

// A server context (TLS 1.2+) serving the files above. Null on failure.
SSL_CTX* make_server_tls_context(const TlsFiles& files, std::string* error);

}  // namespace hfi::emu
