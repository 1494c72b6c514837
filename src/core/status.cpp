#include "core/status.h"

namespace hfi {

const char* status_text(hfi_status status) {
  switch (status) {
    case HFI_OK: return "ok";
    case HFI_E_INVALID_ARG: return "invalid argument";
    case HFI_E_NOMEM: return "out of memory";
    case HFI_E_UNKNOWN_OPTION: return "unknown option";
    case HFI_E_BAD_STATE: return "call not allowed in this state";
    case HFI_E_UNSUPPORTED: return "not supported";
    case HFI_E_ABI_MISMATCH: return "ABI version mismatch";
    case HFI_E_BUFFER_TOO_SMALL: return "buffer too small";
    case HFI_E_NETWORK: return "network error";
    case HFI_E_TIMEOUT: return "request timed out";
    case HFI_E_TLS: return "TLS error";
    case HFI_E_CANCELLED: return "request cancelled";
    case HFI_E_ABORTED_BY_CALLBACK: return "aborted by callback";
    case HFI_E_CONNECT_TIMEOUT: return "connect timed out";
    case HFI_E_STALL_TIMEOUT: return "stream stalled";
    case HFI_E_FIRST_BYTE_TIMEOUT: return "no response began in time";
    case HFI_E_RESOLVE: return "host name not resolved";
    case HFI_E_CONNECT: return "could not connect";
    case HFI_E_HTTP: return "HTTP error";
    case HFI_E_BAD_REQUEST: return "bad request (HTTP 400)";
    case HFI_E_AUTH: return "authentication failed (HTTP 401)";
    case HFI_E_FORBIDDEN: return "forbidden (HTTP 403)";
    case HFI_E_NOT_FOUND: return "not found (HTTP 404)";
    case HFI_E_UNPROCESSABLE: return "unprocessable request (HTTP 422)";
    case HFI_E_RATE_LIMITED: return "rate limited (HTTP 429)";
    case HFI_E_SERVER: return "server error (HTTP 5xx)";
    case HFI_E_UNAVAILABLE: return "service unavailable (HTTP 503)";
    case HFI_E_MODEL_LOADING: return "model is loading (HTTP 503)";
    case HFI_E_PAYMENT_REQUIRED: return "payment required (HTTP 402)";
    case HFI_E_PROTOCOL: return "protocol error";
    case HFI_E_STREAM_ERROR: return "error reported inside the stream";
    case HFI_E_STREAM_TRUNCATED: return "stream ended early";
    case HFI_E_TOO_LARGE: return "response too large";
    case HFI_E_INTERNAL: return "internal error";
    case HFI_NO_EVENT: return "no event";
    case HFI_PENDING: return "pending";
    default: return "unknown status";
  }
}

hfi_status status_from_http(long http_status, bool model_loading) {
  switch (http_status) {
    case 400: return HFI_E_BAD_REQUEST;
    case 401: return HFI_E_AUTH;
    case 402: return HFI_E_PAYMENT_REQUIRED;
    case 403: return HFI_E_FORBIDDEN;
    case 404: return HFI_E_NOT_FOUND;
    case 422: return HFI_E_UNPROCESSABLE;
    case 429: return HFI_E_RATE_LIMITED;
    case 503: return model_loading ? HFI_E_MODEL_LOADING : HFI_E_UNAVAILABLE;
    default: return http_status >= 500 && http_status <= 599 ? HFI_E_SERVER : HFI_E_HTTP;
  }
}

hfi_status status_from_curl(CURLcode code, bool connected) {
  switch (code) {
    case CURLE_OK: return HFI_OK;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return HFI_E_RESOLVE;
    case CURLE_COULDNT_CONNECT: return HFI_E_CONNECT;
    case CURLE_OPERATION_TIMEDOUT: return connected ? HFI_E_TIMEOUT : HFI_E_CONNECT_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED: return HFI_E_TLS;
    case CURLE_OUT_OF_MEMORY: return HFI_E_NOMEM;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return HFI_E_INVALID_ARG;
    default: return HFI_E_NETWORK;
  }
}

}  // namespace hfi
