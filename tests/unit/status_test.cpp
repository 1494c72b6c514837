// Status codes: their text, and the codes chosen for HTTP statuses and libcurl failures.
#include "core/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

constexpr hfi_status kAllCodes[] = {
    HFI_OK, HFI_E_INVALID_ARG, HFI_E_NOMEM, HFI_E_UNKNOWN_OPTION, HFI_E_BAD_STATE, HFI_E_UNSUPPORTED,
    HFI_E_ABI_MISMATCH, HFI_E_BUFFER_TOO_SMALL, HFI_E_NETWORK, HFI_E_TIMEOUT, HFI_E_TLS, HFI_E_CANCELLED,
    HFI_E_ABORTED_BY_CALLBACK, HFI_E_CONNECT_TIMEOUT, HFI_E_STALL_TIMEOUT, HFI_E_RESOLVE, HFI_E_CONNECT,
    HFI_E_FIRST_BYTE_TIMEOUT,
    HFI_E_HTTP, HFI_E_BAD_REQUEST, HFI_E_AUTH, HFI_E_FORBIDDEN, HFI_E_NOT_FOUND, HFI_E_UNPROCESSABLE,
    HFI_E_RATE_LIMITED, HFI_E_SERVER, HFI_E_UNAVAILABLE, HFI_E_MODEL_LOADING, HFI_E_PAYMENT_REQUIRED,
    HFI_E_PROTOCOL, HFI_E_STREAM_ERROR, HFI_E_STREAM_TRUNCATED, HFI_E_TOO_LARGE, HFI_E_INTERNAL,
    HFI_NO_EVENT};

// ---- status_text -----------------------------------------------------------------------------

TEST(StatusText, EveryCodeHasItsOwnText) {
  std::set<std::string> seen;
  for (hfi_status code : kAllCodes) {
    const char* text = hfi::status_text(code);
    ASSERT_NE(text, nullptr) << code;
    EXPECT_NE(std::string(text), "") << code;
    EXPECT_NE(std::string(text), "unknown status") << code;
    EXPECT_TRUE(seen.insert(text).second) << "two codes share the text '" << text << "' (" << code << ")";
  }
  EXPECT_EQ(seen.size(), sizeof(kAllCodes) / sizeof(kAllCodes[0]));
}

TEST(StatusText, NumbersAreStable) {
  // The header promises codes are never renumbered: pin them.
  EXPECT_EQ(HFI_OK, 0);
  EXPECT_EQ(HFI_E_INVALID_ARG, -1);
  EXPECT_EQ(HFI_E_NOMEM, -2);
  EXPECT_EQ(HFI_E_UNKNOWN_OPTION, -3);
  EXPECT_EQ(HFI_E_BAD_STATE, -4);
  EXPECT_EQ(HFI_E_UNSUPPORTED, -5);
  EXPECT_EQ(HFI_E_ABI_MISMATCH, -6);
  EXPECT_EQ(HFI_E_BUFFER_TOO_SMALL, -7);
  EXPECT_EQ(HFI_E_NETWORK, -10);
  EXPECT_EQ(HFI_E_TIMEOUT, -11);
  EXPECT_EQ(HFI_E_TLS, -12);
  EXPECT_EQ(HFI_E_CANCELLED, -13);
  EXPECT_EQ(HFI_E_ABORTED_BY_CALLBACK, -14);
  EXPECT_EQ(HFI_E_CONNECT_TIMEOUT, -15);
  EXPECT_EQ(HFI_E_STALL_TIMEOUT, -16);
  EXPECT_EQ(HFI_E_FIRST_BYTE_TIMEOUT, -19);
  EXPECT_EQ(HFI_E_RESOLVE, -17);
  EXPECT_EQ(HFI_E_CONNECT, -18);
  EXPECT_EQ(HFI_E_HTTP, -20);
  EXPECT_EQ(HFI_E_BAD_REQUEST, -21);
  EXPECT_EQ(HFI_E_AUTH, -22);
  EXPECT_EQ(HFI_E_FORBIDDEN, -23);
  EXPECT_EQ(HFI_E_NOT_FOUND, -24);
  EXPECT_EQ(HFI_E_UNPROCESSABLE, -25);
  EXPECT_EQ(HFI_E_RATE_LIMITED, -26);
  EXPECT_EQ(HFI_E_SERVER, -27);
  EXPECT_EQ(HFI_E_UNAVAILABLE, -28);
  EXPECT_EQ(HFI_E_MODEL_LOADING, -29);
  EXPECT_EQ(HFI_E_PROTOCOL, -30);
  EXPECT_EQ(HFI_E_STREAM_ERROR, -31);
  EXPECT_EQ(HFI_E_STREAM_TRUNCATED, -32);
  EXPECT_EQ(HFI_E_TOO_LARGE, -33);
  EXPECT_EQ(HFI_E_PAYMENT_REQUIRED, -40);
  EXPECT_EQ(HFI_E_INTERNAL, -99);
  EXPECT_EQ(HFI_NO_EVENT, 1);
}

TEST(StatusText, HttpCodesNameTheirStatus) {
  EXPECT_NE(std::string(hfi::status_text(HFI_E_BAD_REQUEST)).find("400"), std::string::npos);
  EXPECT_NE(std::string(hfi::status_text(HFI_E_AUTH)).find("401"), std::string::npos);
  EXPECT_NE(std::string(hfi::status_text(HFI_E_PAYMENT_REQUIRED)).find("402"), std::string::npos);
  EXPECT_NE(std::string(hfi::status_text(HFI_E_FORBIDDEN)).find("403"), std::string::npos);
  EXPECT_NE(std::string(hfi::status_text(HFI_E_NOT_FOUND)).find("404"), std::string::npos);
  EXPECT_NE(std::string(hfi::status_text(HFI_E_UNPROCESSABLE)).find("422"), std::string::npos);
  EXPECT_EQ(std::string(hfi::status_text(HFI_E_RATE_LIMITED)), "rate limited (HTTP 429)");  // the header's example
  EXPECT_NE(std::string(hfi::status_text(HFI_E_UNAVAILABLE)).find("503"), std::string::npos);
  EXPECT_NE(std::string(hfi::status_text(HFI_E_MODEL_LOADING)).find("503"), std::string::npos);
}

TEST(StatusText, UnknownCodes) {
  for (hfi_status code : {-8, -9, -34, -39, -41, -98, -100, 3, 42, INT32_MIN, INT32_MAX})
    EXPECT_STREQ(hfi::status_text(code), "unknown status") << code;
}

// ---- status_from_http ------------------------------------------------------------------------

TEST(StatusFromHttp, ClientErrors) {
  EXPECT_EQ(hfi::status_from_http(400, false), HFI_E_BAD_REQUEST);
  EXPECT_EQ(hfi::status_from_http(401, false), HFI_E_AUTH);
  EXPECT_EQ(hfi::status_from_http(402, false), HFI_E_PAYMENT_REQUIRED);
  EXPECT_EQ(hfi::status_from_http(403, false), HFI_E_FORBIDDEN);
  EXPECT_EQ(hfi::status_from_http(404, false), HFI_E_NOT_FOUND);
  EXPECT_EQ(hfi::status_from_http(422, false), HFI_E_UNPROCESSABLE);
  EXPECT_EQ(hfi::status_from_http(429, false), HFI_E_RATE_LIMITED);
}

TEST(StatusFromHttp, OtherClientErrorsAreGenericHttpErrors) {
  EXPECT_EQ(hfi::status_from_http(405, false), HFI_E_HTTP);
  EXPECT_EQ(hfi::status_from_http(408, false), HFI_E_HTTP);
  EXPECT_EQ(hfi::status_from_http(413, false), HFI_E_HTTP);
  EXPECT_EQ(hfi::status_from_http(418, false), HFI_E_HTTP);
  EXPECT_EQ(hfi::status_from_http(499, false), HFI_E_HTTP);
  EXPECT_EQ(hfi::status_from_http(600, false), HFI_E_HTTP);
}

TEST(StatusFromHttp, ServerErrors) {
  EXPECT_EQ(hfi::status_from_http(500, false), HFI_E_SERVER);
  EXPECT_EQ(hfi::status_from_http(502, false), HFI_E_SERVER);
  EXPECT_EQ(hfi::status_from_http(504, false), HFI_E_SERVER);
  EXPECT_EQ(hfi::status_from_http(501, false), HFI_E_SERVER);
  EXPECT_EQ(hfi::status_from_http(529, false), HFI_E_SERVER);
  EXPECT_EQ(hfi::status_from_http(599, false), HFI_E_SERVER);
}

TEST(StatusFromHttp, ServiceUnavailableAndModelLoading) {
  EXPECT_EQ(hfi::status_from_http(503, false), HFI_E_UNAVAILABLE);
  EXPECT_EQ(hfi::status_from_http(503, true), HFI_E_MODEL_LOADING);
}

TEST(StatusFromHttp, ModelLoadingOnlyMattersFor503) {
  EXPECT_EQ(hfi::status_from_http(500, true), HFI_E_SERVER);
  EXPECT_EQ(hfi::status_from_http(429, true), HFI_E_RATE_LIMITED);
  EXPECT_EQ(hfi::status_from_http(418, true), HFI_E_HTTP);
}

// ---- status_from_curl ------------------------------------------------------------------------

TEST(StatusFromCurl, Ok) {
  EXPECT_EQ(hfi::status_from_curl(CURLE_OK, true), HFI_OK);
  EXPECT_EQ(hfi::status_from_curl(CURLE_OK, false), HFI_OK);
}

TEST(StatusFromCurl, Resolve) {
  EXPECT_EQ(hfi::status_from_curl(CURLE_COULDNT_RESOLVE_HOST, false), HFI_E_RESOLVE);
  EXPECT_EQ(hfi::status_from_curl(CURLE_COULDNT_RESOLVE_PROXY, false), HFI_E_RESOLVE);
}

TEST(StatusFromCurl, Connect) { EXPECT_EQ(hfi::status_from_curl(CURLE_COULDNT_CONNECT, false), HFI_E_CONNECT); }

TEST(StatusFromCurl, TimeoutBeforeAndAfterConnecting) {
  EXPECT_EQ(hfi::status_from_curl(CURLE_OPERATION_TIMEDOUT, false), HFI_E_CONNECT_TIMEOUT);
  EXPECT_EQ(hfi::status_from_curl(CURLE_OPERATION_TIMEDOUT, true), HFI_E_TIMEOUT);
}

TEST(StatusFromCurl, TlsErrors) {
  for (CURLcode code : {CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
                        CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
                        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
                        CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
                        CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED}) {
    EXPECT_EQ(hfi::status_from_curl(code, false), HFI_E_TLS) << curl_easy_strerror(code);
    EXPECT_EQ(hfi::status_from_curl(code, true), HFI_E_TLS) << curl_easy_strerror(code);
  }
}

TEST(StatusFromCurl, BrokenConnectionsAreNetworkErrors) {
  for (CURLcode code : {CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
                        CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY}) {
    EXPECT_EQ(hfi::status_from_curl(code, true), HFI_E_NETWORK) << curl_easy_strerror(code);
  }
}

TEST(StatusFromCurl, OutOfMemory) { EXPECT_EQ(hfi::status_from_curl(CURLE_OUT_OF_MEMORY, true), HFI_E_NOMEM); }

TEST(StatusFromCurl, BadUrlsAreInvalidArguments) {
  EXPECT_EQ(hfi::status_from_curl(CURLE_UNSUPPORTED_PROTOCOL, false), HFI_E_INVALID_ARG);
  EXPECT_EQ(hfi::status_from_curl(CURLE_URL_MALFORMAT, false), HFI_E_INVALID_ARG);
}

TEST(StatusFromCurl, EveryResultIsAKnownCode) {
  std::set<hfi_status> known(std::begin(kAllCodes), std::end(kAllCodes));
  for (int code = CURLE_OK; code < CURL_LAST; ++code) {
    hfi_status st = hfi::status_from_curl(static_cast<CURLcode>(code), code % 2 == 0);
    EXPECT_TRUE(known.count(st)) << code << " -> " << st;
    if (code != CURLE_OK) { EXPECT_LT(st, 0) << code; }
  }
}

}  // namespace
