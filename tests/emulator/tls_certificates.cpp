#include "tls_certificates.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace hfi::emu {
namespace {

struct KeyFree { void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); } };
struct CertFree { void operator()(X509* cert) const { X509_free(cert); } };
struct FileClose { void operator()(FILE* file) const { std::fclose(file); } };
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;
using File = std::unique_ptr<FILE, FileClose>;

constexpr long kBackdateSeconds = 3600;       // tolerate a client clock slightly behind ours
constexpr long kLifetimeSeconds = 24 * 3600;  // a test run never needs more

std::string openssl_error(const std::string& what) {
  unsigned long code = ERR_get_error();
  char text[256] = "";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return what + (code != 0 ? std::string(": ") + text : std::string());
}

Key new_p256_key() { return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")); }

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) return false;
  bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

bool set_random_serial(X509* cert) {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7F;  // serials must be positive
  BIGNUM* number = BN_bin2bn(bytes, sizeof bytes, nullptr);
  bool ok = number != nullptr && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert)) != nullptr;
  BN_free(number);
  return ok;
}

Cert new_certificate(EVP_PKEY* subject_key, const char* common_name) {
  Cert cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1 || !set_random_serial(cert.get())) return nullptr;
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("hfi"), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1,
                                 -1, 0) != 1)
    return nullptr;
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), kLifetimeSeconds) == nullptr ||
      X509_set_pubkey(cert.get(), subject_key) != 1)
    return nullptr;
  return cert;
}

Cert make_ca(EVP_PKEY* ca_key) {
  Cert ca = new_certificate(ca_key, "hfi-emulator test CA");
  if (!ca || X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) != 1) return nullptr;
  if (!add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash"))
    return nullptr;
  if (X509_sign(ca.get(), ca_key, EVP_sha256()) == 0) return nullptr;
  return ca;
}

Cert make_server_cert(EVP_PKEY* server_key, X509* ca, EVP_PKEY* ca_key) {
  Cert cert = new_certificate(server_key, "localhost");
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)) != 1) return nullptr;
  if (!add_extension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), ca, NID_key_usage, "critical,digitalSignature") ||
      !add_extension(cert.get(), ca, NID_ext_key_usage, "serverAuth") ||
      !add_extension(cert.get(), ca, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
      !add_extension(cert.get(), ca, NID_subject_key_identifier, "hash") ||
      !add_extension(cert.get(), ca, NID_authority_key_identifier, "keyid:always"))
    return nullptr;
  if (X509_sign(cert.get(), ca_key, EVP_sha256()) == 0) return nullptr;
  return cert;
}

File open_for_writing(const std::string& path, mode_t mode) {
  File file(std::fopen(path.c_str(), "wb"));
  if (file) ::chmod(path.c_str(), mode);
  return file;
}

}  // namespace

bool write_tls_files(const std::string& dir, TlsFiles* files, std::string* error) {
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  files->ca_pem = dir + "/ca.pem";
  files->server_pem = dir + "/server.pem";
  files->server_key = dir + "/server.key";

  Key ca_key = new_p256_key();
  Key server_key = new_p256_key();
  if (!ca_key || !server_key) return *error = openssl_error("generating P-256 keys"), false;
  Cert ca = make_ca(ca_key.get());
  if (!ca) return *error = openssl_error("building the test CA certificate"), false;
  Cert server = make_server_cert(server_key.get(), ca.get(), ca_key.get());
  if (!server) return *error = openssl_error("building the server certificate"), false;

  File ca_file = open_for_writing(files->ca_pem, 0644);
  File server_file = open_for_writing(files->server_pem, 0644);
  File key_file = open_for_writing(files->server_key, 0600);
  if (!ca_file || !server_file || !key_file) return *error = "cannot write certificate files in " + dir, false;
  bool written = PEM_write_X509(ca_file.get(), ca.get()) == 1 && PEM_write_X509(server_file.get(), server.get()) == 1 &&
                 PEM_write_X509(server_file.get(), ca.get()) == 1 &&
                 PEM_write_PrivateKey(key_file.get(), server_key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (!written) return *error = openssl_error("writing PEM files"), false;
  return true;
}

SSL_CTX* make_server_tls_context(const TlsFiles& files, std::string* error) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return *error = openssl_error("SSL_CTX_new"), nullptr;
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(context, files.server_pem.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context, files.server_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(context) != 1) {
    *error = openssl_error("loading the server certificate");
    SSL_CTX_free(context);
    return nullptr;
  }
  return context;
}

}  // namespace hfi::emu
