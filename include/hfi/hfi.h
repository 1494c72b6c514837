/*
 * hfi — Hugging Face inference client, C ABI.
 *
 * This header is the library's only ABI promise. It is plain C99 that needs only <stdint.h> and
 * <stddef.h>, and compiles as C++ too.
 *
 * Conventions (read once, they hold for every declaration below):
 *
 *  - Functions return an ::hfi_status: 0 (#HFI_OK) on success, a negative stable code on failure,
 *    a positive code for "not an error, but nothing to hand back". Codes are never renumbered.
 *  - Objects are opaque. `hfi_X_new(&out, ...)` gives the caller an object to release with
 *    `hfi_X_free()`; passing NULL to a `_free` function is a harmless no-op.
 *  - Strings going in are UTF-8 as `(ptr, len)`; `len` may be #HFI_NUL_TERMINATED for C strings.
 *    Inputs are copied before the function returns unless documented otherwise.
 *  - Strings coming out are borrowed `(const char **ptr, size_t *len)` views, also NUL-terminated,
 *    valid until their owner is freed. Never free() them.
 *  - A function that fails because of its arguments returns #HFI_E_INVALID_ARG and explains why in
 *    hfi_last_error_message(). Failures of a request are described on the response object
 *    (hfi_response_error()), so they can be read from any thread, at any time.
 *  - Every declaration states its ownership rules, thread-safety and the version it appeared in.
 *  - Programs that load libhfi at run time define HFI_NO_PROTOTYPES, which leaves out every
 *    function declaration, include <hfi/hfi_api.h>, and reach every function through the table
 *    that hfi_get_api_v1() hands out: one dlsym() in all.
 *
 * The ABI contract is checked, not hoped for (docs/abi.md): bindings/gen/abigen.py reads this
 * header, rejects types that do not cross FFIs safely and declarations without ownership,
 * thread-safety or @since, and generates the function table, the symbol versions and the ABI
 * manifest from it. The table is ordered by @since release, then by declaration order here: a
 * released function keeps its place, and a new one takes the next release's @since.
 */
#ifndef HFI_HFI_H
#define HFI_HFI_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------------------------------
 * Export and calling-convention macros
 * ------------------------------------------------------------------------------------------- */

#if defined(_WIN32) && !defined(HFI_STATIC)
#  if defined(HFI_BUILDING)
#    define HFI_API __declspec(dllexport)
#  else
#    define HFI_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && !defined(HFI_STATIC)
#  define HFI_API __attribute__((visibility("default")))
#else
#  define HFI_API
#endif

#if defined(_WIN32) && defined(_M_IX86)
#  define HFI_CALL __cdecl
#else
#  define HFI_CALL
#endif

/* No hfi function throws: C++ callers see that in the declarations. */
#if defined(__cplusplus) && __cplusplus >= 201103L
#  define HFI_NOEXCEPT noexcept
#else
#  define HFI_NOEXCEPT
#endif

#ifdef __cplusplus
#  define HFI_BEGIN_DECL extern "C" {
#  define HFI_END_DECL }
#else
#  define HFI_BEGIN_DECL
#  define HFI_END_DECL
#endif

HFI_BEGIN_DECL

/* ---------------------------------------------------------------------------------------------
 * Versions
 * ------------------------------------------------------------------------------------------- */

/** Major version of the headers the caller compiles against. @since 0.1 */
#define HFI_VERSION_MAJOR 0
/** Minor version of the headers. @since 0.1 */
#define HFI_VERSION_MINOR 2
/** Patch version of the headers. @since 0.1 */
#define HFI_VERSION_PATCH 0
/** The version as 0xXXYYZZ (major, minor, patch), comparable with hfi_version_num(). @since 0.1 */
#define HFI_VERSION_NUM 0x000200
/** The version as text. @since 0.1 */
#define HFI_VERSION_STR "0.2.0"
/**
 * ABI generation of the headers. A program built against any release of one generation runs
 * with every later release of it: CI checks each change against the released ABI (docs/abi.md).
 * The shared library's SONAME carries it (libhfi.so.0). @since 0.1
 */
#define HFI_ABI_VERSION 0

#ifndef HFI_NO_PROTOTYPES

/**
 * The library's version as 0xXXYYZZ, for a run-time check against #HFI_VERSION_NUM.
 *
 * @ownership none.
 * @thread-safety any thread, any time.
 * @since 0.1
 */
HFI_API uint32_t HFI_CALL hfi_version_num(void) HFI_NOEXCEPT;

/**
 * The library's version as a static NUL-terminated string, e.g. "0.2.0".
 *
 * @ownership the string is static; do not free it.
 * @thread-safety any thread, any time.
 * @since 0.1
 */
HFI_API const char *HFI_CALL hfi_version_str(void) HFI_NOEXCEPT;

/**
 * The library's ABI generation, for a run-time check against #HFI_ABI_VERSION.
 *
 * @ownership none.
 * @thread-safety any thread, any time.
 * @since 0.1
 */
HFI_API uint32_t HFI_CALL hfi_abi_version(void) HFI_NOEXCEPT;

#endif /* HFI_NO_PROTOTYPES */

/* ---------------------------------------------------------------------------------------------
 * Status codes
 * ------------------------------------------------------------------------------------------- */

/** Result of every fallible function: 0 OK, negative error, positive "nothing to hand back". @since 0.1 */
typedef int32_t hfi_status;

/** Status codes. The numbers are stable: they are never reused or renumbered. @since 0.1 */
enum {
  HFI_OK = 0, /**< Success. */

  /* Misuse and resources: -1 .. -9 */
  HFI_E_INVALID_ARG = -1,      /**< NULL where an object was needed, a bad value, malformed JSON body. */
  HFI_E_NOMEM = -2,            /**< Out of memory. */
  HFI_E_UNKNOWN_OPTION = -3,   /**< Option key unknown to this library version, or set with the wrong type. */
  HFI_E_BAD_STATE = -4,        /**< The call is not allowed in the object's current state. */
  HFI_E_UNSUPPORTED = -5,      /**< Not supported by this build or this server. */
  HFI_E_ABI_MISMATCH = -6,     /**< Caller and library disagree on the ABI generation. */
  HFI_E_BUFFER_TOO_SMALL = -7, /**< A caller-provided buffer is too small. */

  /* Transport: -10 .. -19 */
  HFI_E_NETWORK = -10,            /**< Connection failed or broke before a response arrived. */
  HFI_E_TIMEOUT = -11,            /**< The total timeout (#HFI_OPT_TIMEOUT_MS) expired. */
  HFI_E_TLS = -12,                /**< TLS handshake or certificate verification failed. */
  HFI_E_CANCELLED = -13,          /**< The request was cancelled. */
  HFI_E_ABORTED_BY_CALLBACK = -14,/**< The event callback returned non-zero. */
  HFI_E_CONNECT_TIMEOUT = -15,    /**< Connecting (DNS, TCP, TLS) took longer than #HFI_OPT_CONNECT_TIMEOUT_MS. */
  HFI_E_STALL_TIMEOUT = -16,      /**< No byte arrived for #HFI_OPT_STALL_TIMEOUT_MS. */
  HFI_E_RESOLVE = -17,            /**< The host name could not be resolved. */
  HFI_E_CONNECT = -18,            /**< The server refused or could not be reached. */
  /** No response began within #HFI_OPT_FIRST_BYTE_TIMEOUT_MS of sending the request. @since 0.2 */
  HFI_E_FIRST_BYTE_TIMEOUT = -19,

  /* HTTP and API: -20 .. -29, -40 .. -49 */
  HFI_E_HTTP = -20,            /**< An HTTP error status without a more specific code below. */
  HFI_E_BAD_REQUEST = -21,     /**< HTTP 400: the server rejected the request body. */
  HFI_E_AUTH = -22,            /**< HTTP 401: missing or invalid token. */
  HFI_E_FORBIDDEN = -23,       /**< HTTP 403: the token lacks the permission. */
  HFI_E_NOT_FOUND = -24,       /**< HTTP 404: unknown model, route or provider. */
  HFI_E_UNPROCESSABLE = -25,   /**< HTTP 422: the request is well-formed but invalid for the model. */
  HFI_E_RATE_LIMITED = -26,    /**< HTTP 429: rate limit or quota; see hfi_error_retry_after_ms(). */
  HFI_E_SERVER = -27,          /**< HTTP 500, 502, 504 and other 5xx: the server or provider failed. */
  HFI_E_UNAVAILABLE = -28,     /**< HTTP 503: the service is temporarily unavailable. */
  HFI_E_MODEL_LOADING = -29,   /**< HTTP 503 with an `estimated_time`: the model is loading. */
  HFI_E_PAYMENT_REQUIRED = -40,/**< HTTP 402: credits exhausted or billing not enabled. */

  /* Protocol: -30 .. -39 */
  HFI_E_PROTOCOL = -30,         /**< The response is not what the protocol promises (bad JSON, bad SSE). */
  HFI_E_STREAM_ERROR = -31,     /**< The server reported an error inside a stream it had started with 200. */
  HFI_E_STREAM_TRUNCATED = -32, /**< The stream ended before its end marker; partial output is kept. */
  HFI_E_TOO_LARGE = -33,        /**< A response or one stream event exceeded its size limit. */

  HFI_E_INTERNAL = -99, /**< A bug in hfi; please report it. */

  /* Not errors */
  HFI_NO_EVENT = 1, /**< The pull queue is empty right now. */
  HFI_PENDING = 2   /**< The request is still running. */
};

#ifndef HFI_NO_PROTOTYPES

/**
 * English text for a status code, e.g. "rate limited (HTTP 429)". Unknown codes get "unknown status".
 *
 * @ownership the string is static; do not free it.
 * @thread-safety any thread, any time.
 * @since 0.1
 */
HFI_API const char *HFI_CALL hfi_status_str(hfi_status status) HFI_NOEXCEPT;

/**
 * A message explaining the last failure of an hfi call made on this thread, for C callers who want
 * to print why an argument was rejected. Every fallible hfi function clears it when it starts.
 * Bindings should read request failures from hfi_response_error() instead.
 *
 * @param[out] ptr  receives the message (empty when the last call succeeded). May not be NULL.
 * @param[out] len  receives its length in bytes. May be NULL.
 * @ownership the text is owned by hfi and valid until the next hfi call on this thread.
 * @thread-safety thread-local: it describes calls made by the calling thread only.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_last_error_message(const char **ptr, size_t *len) HFI_NOEXCEPT;

#endif /* HFI_NO_PROTOTYPES */

/** Length value meaning "the string is NUL-terminated; measure it". @since 0.1 */
#define HFI_NUL_TERMINATED ((size_t)-1)

/* ---------------------------------------------------------------------------------------------
 * Objects
 * ------------------------------------------------------------------------------------------- */

/** Builder for client settings; see hfi_client_options_new(). @since 0.1 */
typedef struct hfi_client_options hfi_client_options;
/** A client: configuration, token, connection pool. Thread-safe; see hfi_client_new(). @since 0.1 */
typedef struct hfi_client hfi_client;
/** The immutable result of one request, successful or not. @since 0.1 */
typedef struct hfi_response hfi_response;
/** One event of a streamed response, borrowed by an event callback. @since 0.1 */
typedef struct hfi_event hfi_event;
/** Detail of a failure (HTTP status, provider message, retry-after), borrowed from its owner. @since 0.1 */
typedef struct hfi_error hfi_error;

/* ---------------------------------------------------------------------------------------------
 * Client options
 * ------------------------------------------------------------------------------------------- */

/**
 * Option keys. String keys are 1000–1999, integer keys 2000–2999; a key is never reused.
 * @since 0.1
 */
enum {
  /** Access token (an `hf_...` token, or a provider's key). Default: resolved as huggingface_hub
   *  does: `HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN`, the file at `HF_TOKEN_PATH`, `$HF_HOME/token`,
   *  `~/.cache/huggingface/token`. A token found that way is sent only to Hugging Face hosts
   *  (huggingface.co, hf.co, huggingface.cloud, hf.space and their subdomains), never to another
   *  router or base URL; a token set here is sent to the configured server, whatever it is. */
  HFI_OPT_TOKEN = 1001,
  /** Router base URL. Default `https://router.huggingface.co`; chat goes to `<router>/v1/chat/completions`. */
  HFI_OPT_ROUTER_URL = 1002,
  /** Base URL of an OpenAI-compatible server (TGI, vLLM, llama.cpp, Inference Endpoints, a
   *  gateway) used instead of the router. `/v1/chat/completions` is appended unless the path
   *  already ends with `/chat/completions` (a path ending in `/v1` gets `/chat/completions`). */
  HFI_OPT_BASE_URL = 1003,
  /** Provider policy for router chat: a provider name (`groq`, `together`, ...), `fastest`,
   *  `cheapest`, or `auto` (the default: the router decides). Sent as the router's `model:provider`
   *  suffix; a suffix already present in the request's model wins. Ignored with #HFI_OPT_BASE_URL. */
  HFI_OPT_PROVIDER = 1004,
  /** Text appended to the User-Agent header (`hfi/<version> <suffix>`). */
  HFI_OPT_USER_AGENT = 1005,
  /** Adds one request header, as `Name: value` (no CR or LF). Each call adds one; an empty value
   *  clears all added headers. A header set here replaces hfi's own header of the same name. */
  HFI_OPT_HEADER = 1006,
  /** Organisation to bill, sent as `X-HF-Bill-To`. */
  HFI_OPT_BILL_TO = 1007,
  /** Path of a PEM file of CA certificates to trust instead of the system's. Verification itself
   *  can never be turned off. */
  HFI_OPT_CA_BUNDLE = 1008,
  /** Proxy URL (e.g. `http://proxy:3128`). Default: the `https_proxy`/`HTTPS_PROXY`, `http_proxy`,
   *  `ALL_PROXY` and `NO_PROXY` environment variables, as libcurl reads them. */
  HFI_OPT_PROXY = 1009,
  /** Hub URL for provider mappings (hfi_task() with `auto` or a named provider). Default
   *  `https://huggingface.co`. The token goes there under the rules of #HFI_OPT_TOKEN.
   *  @since 0.2 */
  HFI_OPT_HUB_URL = 1010,
  /** A provider's own API key, as `provider=key` (e.g. `together=tgp_...`). Each call adds one
   *  (a provider given again is replaced); an empty value clears them. hfi_task() calls that
   *  provider directly with it (never through the router), and it is sent to that provider's
   *  host only. @since 0.2 */
  HFI_OPT_PROVIDER_KEY = 1011,
  /** Where a provider is reached with its own key, as `provider=url` (a proxy, a gateway, or a
   *  local emulator), instead of its public API host. Each call adds one; empty clears them.
   *  @since 0.2 */
  HFI_OPT_PROVIDER_URL = 1012,
  /** Adds one tier of chat targets for failover and load balancing (hfi_chat(), hfi_chat_stream()
   *  and chat requests started with hfi_request_start()); an empty value clears them. A tier is
   *  one or more equivalent targets separated by `|`, each written
   *  `<where>[; key=<key>][; weight=<1..1000>][; model=<model>]`, where `<where>` is an
   *  OpenAI-compatible base URL (as #HFI_OPT_BASE_URL) or a provider the router serves (`groq`,
   *  `together`, ..., or `auto`, `fastest`, `cheapest`), reached through the router with the HF
   *  token. `key` is sent as `Bearer <key>` to that target only; without it a base URL gets the HF
   *  token only if it is a Hugging Face host. `model` replaces the request's model there (providers
   *  name models differently).
   *
   *  Each request tries the tiers in the order they were added; within a tier, a target of weight
   *  w comes first with probability w / (the tier's total weight). An attempt that fails in a way
   *  a retry could cure (see #HFI_OPT_MAX_RETRIES), before any stream event reached the caller,
   *  moves at once to the next target this request has not tried; when all were tried, retries
   *  (with their waits) go round them again. A target that failed #HFI_OPT_BREAKER_FAILURES times
   *  in a row, or that asked for a pause (`Retry-After`), is left out of new requests for
   *  #HFI_OPT_BREAKER_COOLDOWN_MS (or the pause); when every target is resting, all are tried.
   *  hfi_response_target(), hfi_event_target() and hfi_response_attempts() say who served and
   *  after how many attempts. Not combinable with #HFI_OPT_BASE_URL. Example:
   *  `https://gw-a.example/v1; key=sk-a; weight=3 | https://gw-b.example/v1; key=sk-b`, then
   *  `together`. @since 0.2 */
  HFI_OPT_TARGET = 1013,

  /** Milliseconds allowed for DNS, TCP and TLS. Default 10000. 0 = libcurl's default. */
  HFI_OPT_CONNECT_TIMEOUT_MS = 2001,
  /** Milliseconds allowed for a whole request. Default 0: no limit (streams can be long). */
  HFI_OPT_TIMEOUT_MS = 2002,
  /** Milliseconds without receiving a byte before the request fails with #HFI_E_STALL_TIMEOUT.
   *  Default 120000. 0 = no stall detection. */
  HFI_OPT_STALL_TIMEOUT_MS = 2003,
  /** Who drives the network: #HFI_IO_CALLER (default) or #HFI_IO_THREAD. */
  HFI_OPT_IO_MODE = 2004,
  /** Largest response body accepted, in bytes. Default 64 MiB. */
  HFI_OPT_MAX_RESPONSE_BYTES = 2005,
  /** Largest single stream event accepted, in bytes. Default 64 MiB. */
  HFI_OPT_MAX_EVENT_BYTES = 2006,
  /** 1 (default): look for a token in the environment and token files when #HFI_OPT_TOKEN is not
   *  set. 0: never (useful in tests and sandboxes). */
  HFI_OPT_TOKEN_FROM_ENV = 2007,
  /** 1: allow plain `http://` to hosts other than loopback. Default 0: `http://` only to
   *  localhost, 127.0.0.0/8 and ::1, so a token never crosses a network in clear text. */
  HFI_OPT_ALLOW_INSECURE_HTTP = 2008,
  /** Milliseconds a provider mapping fetched from the Hub is reused. Default 300000 (5 min);
   *  0 = fetched for every call. @since 0.2 */
  HFI_OPT_MAPPING_TTL_MS = 2009,
  /** Times a failed attempt is tried again. Default 2. Retried: connection failures, stalls
   *  before any byte, HTTP 408, 409, 429 and 5xx, and whatever the server's `x-should-retry: true`
   *  asks for (`false` forbids it); never once stream events reached the caller. The wait is the
   *  server's `retry-after-ms` or `Retry-After`, else 0.5 s doubling up to 8 s, less up to 25 %
   *  jitter; the attempts share #HFI_OPT_TIMEOUT_MS. hfi_response_attempts() counts them.
   *  @since 0.2 */
  HFI_OPT_MAX_RETRIES = 2011,
  /** Longest server-requested wait (`Retry-After`) hfi sleeps before a retry, in milliseconds.
   *  Default 60000. A server asking for more gets no retry: its error, with
   *  hfi_error_retry_after_ms(), goes to the caller. @since 0.2 */
  HFI_OPT_MAX_RETRY_AFTER_MS = 2012,
  /** Milliseconds hfi may spend waiting for a model that is loading (HTTP 503 with an
   *  `estimated_time`), retrying after each estimate (1 to 30 s). Default 0: such an answer is
   *  #HFI_E_MODEL_LOADING at once. @since 0.2 */
  HFI_OPT_WAIT_FOR_MODEL_MS = 2013,
  /** Milliseconds from sending a request to the start of its response (the status line) before it
   *  fails with #HFI_E_FIRST_BYTE_TIMEOUT (and is retried). Default 0: no limit of its own (the
   *  stall timeout still applies). @since 0.2 */
  HFI_OPT_FIRST_BYTE_TIMEOUT_MS = 2014,
  /** Consecutive retryable failures after which a target (#HFI_OPT_TARGET) rests. Default 3;
   *  0 = never (a server's `Retry-After` still rests it). @since 0.2 */
  HFI_OPT_BREAKER_FAILURES = 2015,
  /** Milliseconds a target rests once #HFI_OPT_BREAKER_FAILURES is reached. Default 30000. After
   *  it, one more failure rests it again; a success resets its count. @since 0.2 */
  HFI_OPT_BREAKER_COOLDOWN_MS = 2016,
  /** Milliseconds after a request's start past which no retry or failover begins: the attempt
   *  that failed is the answer, and its error message says the retry time was spent. Default 0:
   *  bounded by the retry count and #HFI_OPT_TIMEOUT_MS only. @since 0.2 */
  HFI_OPT_MAX_RETRY_TIME_MS = 2017
};

/** I/O modes for #HFI_OPT_IO_MODE. @since 0.1 */
enum {
  /** No thread is created: the network is driven inside the calls that wait for it. */
  HFI_IO_CALLER = 0,
  /** One internal thread drives the network; callbacks still run on the caller's thread. */
  HFI_IO_THREAD = 1
};

#ifndef HFI_NO_PROTOTYPES

/**
 * Create an options builder holding the defaults.
 *
 * @param[out] out receives the builder. May not be NULL.
 * @return #HFI_OK, #HFI_E_INVALID_ARG, #HFI_E_NOMEM.
 * @ownership the caller owns `*out` and releases it with hfi_client_options_free(). A client made
 *            from it keeps its own copy, so the builder may be freed or reused right after.
 * @thread-safety a builder must not be used by two threads at once; different builders are independent.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_client_options_new(hfi_client_options **out) HFI_NOEXCEPT;

/**
 * Release an options builder. NULL is a no-op.
 *
 * @ownership takes `opts`; the token it held is wiped from memory.
 * @thread-safety must not race with other calls on the same builder.
 * @since 0.1
 */
HFI_API void HFI_CALL hfi_client_options_free(hfi_client_options *opts) HFI_NOEXCEPT;

/**
 * Set a string option (keys 1000–1999).
 *
 * @param opts  the builder.
 * @param key   one of the string `HFI_OPT_*` keys.
 * @param value UTF-8 text; NULL with `len` 0 (or an empty string) resets the option to its default,
 *              except #HFI_OPT_HEADER, where it clears the added headers.
 * @param len   length in bytes, or #HFI_NUL_TERMINATED.
 * @return #HFI_OK; #HFI_E_UNKNOWN_OPTION for an unknown or non-string key; #HFI_E_INVALID_ARG for
 *         a NULL builder or a value that is invalid for the key (a URL that is not http(s), a
 *         header with CR/LF or without a colon, text that is not UTF-8, embedded NUL).
 * @ownership the value is copied.
 * @thread-safety as hfi_client_options_new().
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_client_options_set_str(hfi_client_options *opts, int32_t key,
                                                       const char *value, size_t len) HFI_NOEXCEPT;

/**
 * Set an integer option (keys 2000–2999).
 *
 * @return #HFI_OK; #HFI_E_UNKNOWN_OPTION for an unknown or non-integer key; #HFI_E_INVALID_ARG for
 *         a NULL builder or a value out of range (negative timeouts, an unknown I/O mode, ...).
 * @ownership none.
 * @thread-safety as hfi_client_options_new().
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_client_options_set_int(hfi_client_options *opts, int32_t key,
                                                       int64_t value) HFI_NOEXCEPT;

#endif /* HFI_NO_PROTOTYPES */

/** Log levels (hfi_client_options_set_log()): each includes the ones before it. @since 0.2 */
enum {
  HFI_LOG_ERROR = 1, /**< A request failed for good. */
  HFI_LOG_WARN = 2,  /**< A retry, a move to another target, a target left to rest. */
  HFI_LOG_INFO = 3,  /**< Each attempt: where it went, and its status and time. */
  HFI_LOG_DEBUG = 4  /**< Each request and response header line (credentials redacted). */
};

/**
 * Receives one log line (no line end). `message` is valid during the call only.
 * Lines never contain a credential: the values of `Authorization`, `Proxy-Authorization`,
 * `api-key`, `x-api-key`, cookies and any header naming a key, token, secret or signature are
 * `[redacted]`, URLs lose their query string, and every token and key the client holds (and
 * anything shaped like an `hf_` token) is replaced by `[redacted]` wherever it appears.
 * @since 0.2
 */
typedef void(HFI_CALL *hfi_log_cb)(int32_t level, const char *message, size_t len, void *user_data);

#ifndef HFI_NO_PROTOTYPES

/**
 * Send the client's log lines up to `max_level` to `cb`. NULL `cb` turns logging off (the default).
 *
 * @param max_level #HFI_LOG_ERROR to #HFI_LOG_DEBUG.
 * @return #HFI_OK; #HFI_E_INVALID_ARG for a NULL builder or a level out of range.
 * @ownership `user_data` stays the caller's; it must outlive every client made from the builder.
 * @thread-safety as hfi_client_options_new(). The callback runs on whichever thread drives the
 *                network (the I/O thread, or a thread inside a blocking call or hfi_client_poll()),
 *                never twice at once for one client; it must not call hfi functions on that client.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_client_options_set_log(hfi_client_options *opts, hfi_log_cb cb, void *user_data,
                                                       int32_t max_level) HFI_NOEXCEPT;

/* ---------------------------------------------------------------------------------------------
 * Client
 * ------------------------------------------------------------------------------------------- */

/**
 * Create a client. Reads the token (see #HFI_OPT_TOKEN) once, here.
 *
 * @param[out] out  receives the client. May not be NULL.
 * @param opts      settings, or NULL for all defaults. Copied: the builder may be freed after.
 * @return #HFI_OK, #HFI_E_INVALID_ARG (with the reason in hfi_last_error_message()), #HFI_E_NOMEM,
 *         #HFI_E_INTERNAL if libcurl cannot be initialised.
 * @ownership the caller owns `*out` and releases it with hfi_client_free().
 * @thread-safety any thread. The client itself may then be used from many threads at once.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_client_new(hfi_client **out, const hfi_client_options *opts) HFI_NOEXCEPT;

/**
 * Release a client: cancels its started requests that are still running, closes its connections,
 * stops its I/O thread, wipes its token. NULL is a no-op.
 *
 * @ownership takes `client`. Responses, requests and pulled events obtained from it stay valid
 *            and are freed with their own functions, in any order.
 * @thread-safety must not race with another call on the same client (no blocking call, poll or
 *                start in progress); hfi_request_cancel() and the `_free` functions of its
 *                requests may still run on other threads.
 * @since 0.1
 */
HFI_API void HFI_CALL hfi_client_free(hfi_client *client) HFI_NOEXCEPT;

/* ---------------------------------------------------------------------------------------------
 * Chat completions
 * ------------------------------------------------------------------------------------------- */

/**
 * Send a chat completion and wait for the whole answer.
 *
 * The body is the OpenAI chat-completions request the router takes
 * (`{"model":"...","messages":[...], ...}`), passed through as it is, except: `model` is moved
 * first and gets the #HFI_OPT_PROVIDER suffix when one applies, and a `stream` member that is
 * not false is set to false (an absent `stream` already means false and stays absent; a body
 * that needs none of these changes is sent byte for byte). New API fields therefore need no new
 * hfi function.
 *
 * @param client the client.
 * @param json   the request body, UTF-8 JSON object with a `model` string.
 * @param len    its length, or #HFI_NUL_TERMINATED.
 * @param[out] out receives the response, also when the request failed (its hfi_response_error()
 *                 explains why). Set to NULL only when this function returns #HFI_E_INVALID_ARG or
 *                 #HFI_E_NOMEM before any request was made. May not be NULL.
 * @return #HFI_OK, or the request's error code (the same as hfi_response_status()).
 * @ownership the body is copied. The caller owns `*out` and releases it with hfi_response_free().
 * @thread-safety any thread; many threads may call it at once on one client.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_chat(hfi_client *client, const char *json, size_t len,
                                     hfi_response **out) HFI_NOEXCEPT;

#endif /* HFI_NO_PROTOTYPES */

/** Event types reported by hfi_event_type(). @since 0.1 */
enum {
  HFI_EVENT_DELTA = 1,     /**< A piece of the answer's text: hfi_event_text(). */
  HFI_EVENT_REASONING = 2, /**< A piece of the model's reasoning text: hfi_event_text(). */
  HFI_EVENT_TOOL_CALL = 3, /**< A piece of a tool call: hfi_event_tool_call_index() and friends. */
  HFI_EVENT_USAGE = 4,     /**< Token counts: hfi_event_usage(). */
  HFI_EVENT_FINISH = 5,    /**< A choice finished; hfi_event_text() is the finish reason. */
  HFI_EVENT_RAW = 6,       /**< A stream chunk that carried none of the above (e.g. the role). */
  HFI_EVENT_DONE = 7,      /**< Last event of a successful stream. */
  HFI_EVENT_ERROR = 8,     /**< Last event of a failed stream: hfi_event_status(), hfi_event_error(). */
  /** A task's job is still running (hfi_task(), hfi_task_start()): hfi_event_text() is the
   *  provider's status word ("IN_QUEUE", "processing", ...), hfi_event_json() its answer,
   *  hfi_event_progress() how far along it is. @since 0.2 */
  HFI_EVENT_PROGRESS = 9
};

/**
 * Event callback of a streamed request.
 *
 * @param event     the event, borrowed for the duration of the call.
 * @param user_data the pointer given when the request was made.
 * @return 0 to continue; any other value aborts the request, which then ends with
 *         #HFI_E_ABORTED_BY_CALLBACK and calls the callback no more.
 * @since 0.1
 */
typedef int32_t(HFI_CALL *hfi_event_cb)(const hfi_event *event, void *user_data);

#ifndef HFI_NO_PROTOTYPES

/**
 * Send a chat completion as a stream and call `cb` for each event as it arrives.
 *
 * The body is passed through as for hfi_chat(), with `stream` set to true. Events arrive in
 * order: DELTA, REASONING, TOOL_CALL, USAGE, FINISH and RAW events as the server sends them, then
 * exactly one DONE or ERROR event. The concatenated DELTA texts equal hfi_response_content().
 * If the server answers a stream request with a complete JSON response instead, the same events
 * are synthesised from it.
 *
 * @param client    the client.
 * @param json      the request body (see hfi_chat()).
 * @param len       its length, or #HFI_NUL_TERMINATED.
 * @param cb        the event callback. May not be NULL.
 * @param user_data passed to `cb` unchanged; hfi never dereferences it.
 * @param[out] out  receives the response (accumulated content, tool calls, usage, finish reason,
 *                  and a chat.completion JSON assembled from the stream), also on failure, where it
 *                  keeps what arrived before the failure. May be NULL if not wanted.
 * @return #HFI_OK, or the request's error code.
 * @ownership the body is copied. The caller owns `*out`. Events are borrowed during the callback.
 * @thread-safety any thread; many threads may stream at once on one client. `cb` runs only on the
 *                calling thread, inside this call, never concurrently with itself.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_chat_stream(hfi_client *client, const char *json, size_t len,
                                            hfi_event_cb cb, void *user_data, hfi_response **out) HFI_NOEXCEPT;

/* ---------------------------------------------------------------------------------------------
 * Responses
 * ------------------------------------------------------------------------------------------- */

/**
 * Release a response. NULL is a no-op.
 *
 * @ownership takes `response`; every view obtained from it becomes invalid.
 * @thread-safety must not race with other calls on the same response.
 * @since 0.1
 */
HFI_API void HFI_CALL hfi_response_free(hfi_response *response) HFI_NOEXCEPT;

/**
 * The response's outcome: #HFI_OK or the error code of the request.
 *
 * @return the outcome, or #HFI_E_INVALID_ARG for NULL.
 * @ownership none.
 * @thread-safety responses are immutable: any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_status(const hfi_response *response) HFI_NOEXCEPT;

/**
 * The HTTP status of the (last) exchange, or 0 when no response arrived.
 *
 * @return the status, or -1 for NULL.
 * @ownership none.
 * @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API int32_t HFI_CALL hfi_response_http_status(const hfi_response *response) HFI_NOEXCEPT;

/**
 * The assistant's answer text (choice 0). Empty when the model answered with tool calls only.
 * For a failed stream: the text received before the failure.
 *
 * @param response the response.
 * @param[out] ptr receives the text. May not be NULL.
 * @param[out] len receives its length. May be NULL.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership borrowed from `response`, valid until hfi_response_free().
 * @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_content(const hfi_response *response, const char **ptr,
                                                 size_t *len) HFI_NOEXCEPT;

/**
 * The model's reasoning text (choice 0; `reasoning` or `reasoning_content`), empty if none.
 *
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_reasoning(const hfi_response *response, const char **ptr,
                                                   size_t *len) HFI_NOEXCEPT;

/**
 * The finish reason of choice 0 (`stop`, `length`, `tool_calls`, `eos_token`, ...), empty if none.
 *
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_finish_reason(const hfi_response *response,
                                                       const char **ptr, size_t *len) HFI_NOEXCEPT;

/**
 * The model id the server reported, empty if none.
 *
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_model(const hfi_response *response, const char **ptr,
                                               size_t *len) HFI_NOEXCEPT;

/**
 * Token usage. Each value is -1 when the server did not report it.
 *
 * @param[out] prompt_tokens, completion_tokens, total_tokens  each may be NULL if not wanted.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_usage(const hfi_response *response, int64_t *prompt_tokens,
                                               int64_t *completion_tokens, int64_t *total_tokens) HFI_NOEXCEPT;

/**
 * Number of tool calls in choice 0 (for a stream: assembled from the deltas).
 *
 * @param[out] count receives the number. May not be NULL.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_tool_call_count(const hfi_response *response,
                                                         size_t *count) HFI_NOEXCEPT;

/**
 * Id of tool call `index` (0-based, below hfi_response_tool_call_count()).
 *
 * @return #HFI_OK, or #HFI_E_INVALID_ARG for NULL arguments or an index out of range.
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_tool_call_id(const hfi_response *response, size_t index,
                                                      const char **ptr, size_t *len) HFI_NOEXCEPT;

/**
 * Function name of tool call `index`.
 *
 * @return #HFI_OK, or #HFI_E_INVALID_ARG for NULL arguments or an index out of range.
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_tool_call_name(const hfi_response *response, size_t index,
                                                        const char **ptr, size_t *len) HFI_NOEXCEPT;

/**
 * Arguments of tool call `index`: JSON text as the model produced it (normally an object).
 *
 * @return #HFI_OK, or #HFI_E_INVALID_ARG for NULL arguments or an index out of range.
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_tool_call_arguments(const hfi_response *response,
                                                             size_t index, const char **ptr,
                                                             size_t *len) HFI_NOEXCEPT;

/**
 * The response as JSON: for hfi_chat(), the body exactly as received; for a stream, a
 * `chat.completion` object assembled from the events, so both have the same shape. Empty when no
 * successful body arrived (see hfi_error_body() for error bodies).
 *
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_json(const hfi_response *response, const char **ptr,
                                              size_t *len) HFI_NOEXCEPT;

/**
 * The server's request id (`x-request-id`, else `x-amzn-trace-id`, else `x-amz-cf-id`), empty if
 * none. Quote it when reporting a problem to the provider.
 *
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_request_id(const hfi_response *response, const char **ptr,
                                                    size_t *len) HFI_NOEXCEPT;

/**
 * The URL the request was sent to (no credentials are ever part of it). Tells which server answered.
 *
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_url(const hfi_response *response, const char **ptr,
                                             size_t *len) HFI_NOEXCEPT;

/**
 * Time from sending the request to its end, and to the first body byte, in milliseconds
 * (-1 when unknown).
 *
 * @param[out] total_ms, first_byte_ms  each may be NULL if not wanted.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_response_timings(const hfi_response *response, double *total_ms,
                                                 double *first_byte_ms) HFI_NOEXCEPT;

/**
 * How many attempts the request took: 1, plus one per retry (see #HFI_OPT_MAX_RETRIES), per move to
 * another target (#HFI_OPT_TARGET) and per wait for a loading model (#HFI_OPT_WAIT_FOR_MODEL_MS).
 *
 * @return the count, or -1 for NULL.
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.2
 */
HFI_API int32_t HFI_CALL hfi_response_attempts(const hfi_response *response) HFI_NOEXCEPT;

/**
 * The target (#HFI_OPT_TARGET) that served the request, or that failed last: its base URL or
 * provider as configured, never its key. "" when the client has no targets.
 *
 * @param[out] ptr receives the NUL-terminated text. May not be NULL.
 * @param[out] len receives its length. May be NULL.
 * @return #HFI_OK, #HFI_E_INVALID_ARG.
 * @ownership borrowed from `response`, valid until hfi_response_free().
 * @thread-safety any thread, concurrently.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_response_target(const hfi_response *response, const char **ptr,
                                                size_t *len) HFI_NOEXCEPT;

/**
 * The failure detail of a response, or NULL when it succeeded (or `response` is NULL).
 *
 * @ownership borrowed from `response`, valid until hfi_response_free().
 * @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API const hfi_error *HFI_CALL hfi_response_error(const hfi_response *response) HFI_NOEXCEPT;

/* ---------------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------------- */

/**
 * The error's status code (one of the negative `HFI_E_*`), or #HFI_E_INVALID_ARG for NULL.
 *
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_error_code(const hfi_error *error) HFI_NOEXCEPT;

/**
 * The HTTP status that caused the error, 0 if none (network failures), -1 for NULL.
 *
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API int32_t HFI_CALL hfi_error_http_status(const hfi_error *error) HFI_NOEXCEPT;

/**
 * A human-readable message: the provider's own message when it sent one (from any of the error
 * body shapes providers use), else hfi's description. Never contains the token.
 *
 * @ownership borrowed from the error's owner. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_error_message(const hfi_error *error, const char **ptr,
                                              size_t *len) HFI_NOEXCEPT;

/**
 * The provider's error type or code (`invalid_request_error`, TGI's `validation`, ...), empty if none.
 *
 * @ownership borrowed from the error's owner. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_error_type(const hfi_error *error, const char **ptr, size_t *len) HFI_NOEXCEPT;

/**
 * How long the server asked to wait before retrying (`retry-after-ms`, `Retry-After` in seconds or
 * as an HTTP date, or a model-loading `estimated_time`), in milliseconds; -1 if it did not say
 * (or `error` is NULL).
 *
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.1
 */
HFI_API int64_t HFI_CALL hfi_error_retry_after_ms(const hfi_error *error) HFI_NOEXCEPT;

/**
 * The rate limit the server reported with the error (`RateLimit`, `RateLimit-Limit/-Remaining/-Reset`
 * as the IETF drafts write them, or OpenAI-style `x-ratelimit-*-requests`), -1 where it said nothing.
 *
 * @param[out] limit, remaining, reset_ms  requests allowed per window, left in it, and milliseconds
 *                                         until it resets; each may be NULL if not wanted.
 * @return #HFI_OK or #HFI_E_INVALID_ARG for NULL `error`.
 * @ownership none. @thread-safety any thread, concurrently.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_error_rate_limit(const hfi_error *error, int64_t *limit, int64_t *remaining,
                                                 int64_t *reset_ms) HFI_NOEXCEPT;

/**
 * The server's `RateLimit-Policy` header as sent, empty if none.
 *
 * @ownership borrowed from the error's owner. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_error_rate_limit_policy(const hfi_error *error, const char **ptr,
                                                        size_t *len) HFI_NOEXCEPT;

/**
 * The raw error body the server sent (or the stream event that carried the error), empty if none.
 *
 * @ownership borrowed from the error's owner. @thread-safety any thread, concurrently.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_error_body(const hfi_error *error, const char **ptr, size_t *len) HFI_NOEXCEPT;

/* ---------------------------------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------------------------------- */

/**
 * The event's type (`HFI_EVENT_*`), or #HFI_E_INVALID_ARG for NULL.
 *
 * @ownership none. @thread-safety events are read only by the thread they are given to.
 * @since 0.1
 */
HFI_API int32_t HFI_CALL hfi_event_type(const hfi_event *event) HFI_NOEXCEPT;

/**
 * The event's text: the delta for DELTA and REASONING, the finish reason for FINISH, empty otherwise.
 *
 * @ownership borrowed: valid until the callback returns.
 * @thread-safety the receiving thread only.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_event_text(const hfi_event *event, const char **ptr, size_t *len) HFI_NOEXCEPT;

/**
 * The raw JSON of the stream chunk that produced the event (the SSE `data:` payload), empty for
 * DONE and ERROR.
 *
 * @ownership borrowed: valid until the callback returns.
 * @thread-safety the receiving thread only.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_event_json(const hfi_event *event, const char **ptr, size_t *len) HFI_NOEXCEPT;

/**
 * The index of the choice the event belongs to (0 unless the request asked for `n` > 1), or
 * #HFI_E_INVALID_ARG for NULL.
 *
 * @ownership none. @thread-safety the receiving thread only.
 * @since 0.1
 */
HFI_API int32_t HFI_CALL hfi_event_choice_index(const hfi_event *event) HFI_NOEXCEPT;

/**
 * For TOOL_CALL events: the tool call's index within its choice (fragments with the same index
 * belong to the same call), or #HFI_E_INVALID_ARG for NULL or another event type.
 *
 * @ownership none. @thread-safety the receiving thread only.
 * @since 0.1
 */
HFI_API int32_t HFI_CALL hfi_event_tool_call_index(const hfi_event *event) HFI_NOEXCEPT;

/**
 * For TOOL_CALL events: the call's id (usually only in its first fragment; empty otherwise).
 *
 * @ownership borrowed: valid until the callback returns. @thread-safety the receiving thread only.
 * @return #HFI_OK, or #HFI_E_INVALID_ARG for NULL arguments or another event type.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_event_tool_call_id(const hfi_event *event, const char **ptr,
                                                   size_t *len) HFI_NOEXCEPT;

/**
 * For TOOL_CALL events: the function name (usually only in the first fragment; empty otherwise).
 *
 * @ownership borrowed: valid until the callback returns. @thread-safety the receiving thread only.
 * @return #HFI_OK, or #HFI_E_INVALID_ARG for NULL arguments or another event type.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_event_tool_call_name(const hfi_event *event, const char **ptr,
                                                     size_t *len) HFI_NOEXCEPT;

/**
 * For TOOL_CALL events: this fragment of the arguments. Concatenate the fragments of one index.
 *
 * @ownership borrowed: valid until the callback returns. @thread-safety the receiving thread only.
 * @return #HFI_OK, or #HFI_E_INVALID_ARG for NULL arguments or another event type.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_event_tool_call_arguments(const hfi_event *event, const char **ptr,
                                                          size_t *len) HFI_NOEXCEPT;

/**
 * For USAGE events: token counts (-1 where not reported). Each out pointer may be NULL.
 *
 * @return #HFI_OK, or #HFI_E_INVALID_ARG for NULL or another event type.
 * @ownership none. @thread-safety the receiving thread only.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_event_usage(const hfi_event *event, int64_t *prompt_tokens,
                                            int64_t *completion_tokens, int64_t *total_tokens) HFI_NOEXCEPT;

/**
 * For DONE and ERROR events: the request's final status (#HFI_OK for DONE). For other events
 * #HFI_OK; #HFI_E_INVALID_ARG for NULL.
 *
 * @ownership none. @thread-safety the receiving thread only.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_event_status(const hfi_event *event) HFI_NOEXCEPT;

/**
 * For ERROR events: the failure detail; NULL for other events or NULL `event`.
 *
 * @ownership borrowed: valid until the callback returns. @thread-safety the receiving thread only.
 * @since 0.1
 */
HFI_API const hfi_error *HFI_CALL hfi_event_error(const hfi_event *event) HFI_NOEXCEPT;

/**
 * The attempt that produced the event: 1 for the first, then as hfi_response_attempts() counts.
 * Stream events all come from one attempt (no retry or failover follows a delivered event).
 *
 * @return the attempt number, or -1 for NULL.
 * @ownership none. @thread-safety the receiving thread only.
 * @since 0.2
 */
HFI_API int32_t HFI_CALL hfi_event_attempt(const hfi_event *event) HFI_NOEXCEPT;

/**
 * The target (#HFI_OPT_TARGET) the event's attempt went to, as hfi_response_target() names it;
 * "" when the client has no targets.
 *
 * @param[out] ptr receives the NUL-terminated text. May not be NULL.
 * @param[out] len receives its length. May be NULL.
 * @return #HFI_OK, #HFI_E_INVALID_ARG.
 * @ownership borrowed from the event: valid while the event is (during the callback, or until
 *            hfi_event_free() for a pulled event).
 * @thread-safety the receiving thread only.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_event_target(const hfi_event *event, const char **ptr, size_t *len) HFI_NOEXCEPT;

#endif /* HFI_NO_PROTOTYPES */

/* ---------------------------------------------------------------------------------------------
 * Non-blocking requests: start, then poll (callbacks), pull events (no callbacks) or wait
 * ------------------------------------------------------------------------------------------- */

/** One started request. See hfi_request_start(). @since 0.1 */
typedef struct hfi_request hfi_request;
/** Builder for per-request settings. See hfi_request_options_new(). @since 0.1 */
typedef struct hfi_request_options hfi_request_options;

/**
 * Release hook for the user data of a started request.
 *
 * @param user_data the pointer given with hfi_request_options_set_user_data() or
 *                  hfi_request_options_set_callback().
 * @since 0.1
 */
typedef void(HFI_CALL *hfi_release_fn)(void *user_data);

/** What a started request does. @since 0.1 */
enum {
  HFI_TASK_CHAT = 1,       /**< Chat completion, answered whole (as hfi_chat()). */
  HFI_TASK_CHAT_STREAM = 2 /**< Chat completion, streamed as events (as hfi_chat_stream()). */
};

/** Per-request option keys (integers 2000–2999, strings 1000–1999, as client options). @since 0.1 */
enum {
  /** Adds one request header `Name: value` for this request only (replaces a client header of
   *  the same name). An empty value clears the added headers. */
  HFI_REQ_HEADER = 1006,
  /** Total timeout of this request in milliseconds; overrides #HFI_OPT_TIMEOUT_MS. 0 = none. */
  HFI_REQ_TIMEOUT_MS = 2002,
  /** Stall timeout of this request in milliseconds; overrides #HFI_OPT_STALL_TIMEOUT_MS. 0 = none. */
  HFI_REQ_STALL_TIMEOUT_MS = 2003,
  /** Tasks: who serves the call: `auto` (the default, or #HFI_OPT_PROVIDER when set), a provider
   *  name, or several separated by commas, tried in that order against the model's Hub mapping
   *  (the first one that serves the model for the task is used). When the submission to one of
   *  them fails in a way a retry could cure (see #HFI_OPT_MAX_RETRIES), the call moves at once to
   *  the next of the list that serves the model; once a provider accepted a job, it stays there.
   *  @since 0.2 */
  HFI_REQ_PROVIDER = 1004,
  /** Tasks: milliseconds between two polls of an asynchronous job, instead of the provider's own
   *  interval (0.5 s to 5 s). @since 0.2 */
  HFI_REQ_POLL_INTERVAL_MS = 2010,
  /** Times a failed attempt of this request is tried again; overrides #HFI_OPT_MAX_RETRIES. @since 0.2 */
  HFI_REQ_MAX_RETRIES = 2011,
  /** First-byte timeout of this request in milliseconds; overrides #HFI_OPT_FIRST_BYTE_TIMEOUT_MS.
   *  0 = none. @since 0.2 */
  HFI_REQ_FIRST_BYTE_TIMEOUT_MS = 2014
};

#ifndef HFI_NO_PROTOTYPES

/**
 * Create a request options builder (no callback, no user data, the client's timeouts).
 *
 * @param[out] out receives the builder. May not be NULL.
 * @return #HFI_OK, #HFI_E_INVALID_ARG, #HFI_E_NOMEM.
 * @ownership the caller owns `*out` and frees it with hfi_request_options_free(). Requests copy
 *            what they need: the builder may be freed or reused right after hfi_request_start().
 * @thread-safety one thread at a time per builder.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_options_new(hfi_request_options **out) HFI_NOEXCEPT;

/**
 * Release a request options builder. NULL is a no-op. A user data pointer it still holds (given
 * but never used by a started request) is released through its hook now.
 *
 * @ownership takes `opts`.
 * @thread-safety must not race with other calls on the same builder.
 * @since 0.1
 */
HFI_API void HFI_CALL hfi_request_options_free(hfi_request_options *opts) HFI_NOEXCEPT;

/**
 * Deliver this request's events to `cb`, called on the thread running hfi_client_poll() or
 * hfi_request_wait() for it, never on an internal thread. Without a callback the events go to
 * the client's pull queue (hfi_client_next_event()).
 *
 * @param cb        the callback, or NULL to remove it.
 * @param user_data handed to `cb`, and returned by hfi_request_user_data().
 * @param release   called once with `user_data` when the request is gone for good (freed by
 *                  hfi_request_free(), no callback running and its last pulled event freed), or
 *                  when the builder is freed (or given other user data) without having started a
 *                  request. May be NULL.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership hfi keeps `user_data` and never dereferences it; `release` frees it. The user data
 *            goes to the first request started with the builder, which then owns it: later
 *            requests from the same builder get none unless it is set again. The callback stays.
 * @thread-safety one thread at a time per builder.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_options_set_callback(hfi_request_options *opts,
                                                             hfi_event_cb cb, void *user_data,
                                                             hfi_release_fn release) HFI_NOEXCEPT;

/**
 * Attach user data (and its release hook) without a callback, e.g. to route pulled events.
 * Replaces the user data of hfi_request_options_set_callback() and keeps its callback.
 *
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership as hfi_request_options_set_callback().
 * @thread-safety one thread at a time per builder.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_options_set_user_data(hfi_request_options *opts,
                                                              void *user_data,
                                                              hfi_release_fn release) HFI_NOEXCEPT;

/**
 * Set a string request option (#HFI_REQ_HEADER).
 *
 * @return #HFI_OK, #HFI_E_UNKNOWN_OPTION, or #HFI_E_INVALID_ARG for a NULL builder or a bad value.
 * @ownership the value is copied.
 * @thread-safety one thread at a time per builder.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_options_set_str(hfi_request_options *opts, int32_t key,
                                                        const char *value, size_t len) HFI_NOEXCEPT;

/**
 * Set an integer request option (#HFI_REQ_TIMEOUT_MS, #HFI_REQ_STALL_TIMEOUT_MS).
 *
 * @return #HFI_OK, #HFI_E_UNKNOWN_OPTION, or #HFI_E_INVALID_ARG for a NULL builder or a bad value.
 * @ownership none.
 * @thread-safety one thread at a time per builder.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_options_set_int(hfi_request_options *opts, int32_t key,
                                                        int64_t value) HFI_NOEXCEPT;

/**
 * Start a request and return at once. Nothing blocks: the request progresses inside
 * hfi_client_poll(), hfi_client_next_event() and hfi_request_wait() calls, or on the client's
 * I/O thread with #HFI_IO_THREAD.
 *
 * @param client the client.
 * @param task   #HFI_TASK_CHAT or #HFI_TASK_CHAT_STREAM.
 * @param json   the request body, as for hfi_chat(); `stream` is set from the task.
 * @param len    its length, or #HFI_NUL_TERMINATED.
 * @param opts   callback, user data, headers and timeouts; NULL for none.
 * @param[out] out receives the request. May not be NULL.
 * @return #HFI_OK, #HFI_E_INVALID_ARG (bad body, task or arguments; nothing was started),
 *         #HFI_E_BAD_STATE if the client is being freed, #HFI_E_NOMEM.
 * @ownership the body and options are copied. The caller owns `*out` and frees it with
 *            hfi_request_free(), also after it completed. Each request ends with exactly one
 *            DONE or ERROR event.
 * @thread-safety any thread; starting is thread-safe on a shared client.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_start(hfi_client *client, int32_t task, const char *json,
                                              size_t len, const hfi_request_options *opts,
                                              hfi_request **out) HFI_NOEXCEPT;

/**
 * Wait up to `timeout_ms` for the request to end, dispatching its callback events on this thread.
 *
 * @param request    the request.
 * @param timeout_ms milliseconds to wait; 0 checks without blocking; -1 waits for the end.
 * @param[out] out   receives a response once the request has ended (every call then returns a
 *                   new response object with the same content). May be NULL.
 * @return #HFI_PENDING if still running after `timeout_ms`; otherwise the request's final status.
 * @ownership the caller owns `*out` and frees it with hfi_response_free().
 * @thread-safety the request's owner thread (see hfi_request_cancel() for other threads).
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_wait(hfi_request *request, int32_t timeout_ms,
                                             hfi_response **out) HFI_NOEXCEPT;

/**
 * Deliver the request's next events to its callback on this thread: those that arrived, or when
 * none did, the first to arrive within `timeout_ms`. Unlike hfi_request_wait(), it returns as
 * soon as it delivered some, so that a reader takes a request's events at its own pace (an
 * iterator, a frame loop) without a thread of its own and without polling the whole client.
 * Once it returned the final status, hfi_request_wait() with a timeout of 0 gives the response.
 *
 * @param request    a request started with a callback (hfi_request_options_set_callback()).
 * @param timeout_ms milliseconds to wait when nothing has arrived; 0 never blocks; -1 waits for
 *                   the next events.
 * @return #HFI_PENDING while the request runs (whether or not events were delivered); its final
 *         status once its last event (DONE or ERROR) was delivered; #HFI_E_INVALID_ARG for NULL,
 *         a timeout below -1, or a request without a callback.
 * @ownership none.
 * @thread-safety the request's owner thread, as hfi_request_wait().
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_request_dispatch(hfi_request *request, int32_t timeout_ms) HFI_NOEXCEPT;

/**
 * Cancel a request: it ends with #HFI_E_CANCELLED (unless it had ended already) and its ERROR
 * event is still delivered. Returns at once.
 *
 * @return #HFI_OK (also if the request had already ended), #HFI_E_INVALID_ARG for NULL.
 * @ownership none.
 * @thread-safety any thread, at any time before hfi_request_free().
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_cancel(hfi_request *request) HFI_NOEXCEPT;

/**
 * The request's status: #HFI_PENDING while it runs, then its final status.
 *
 * @return the status, or #HFI_E_INVALID_ARG for NULL.
 * @ownership none. @thread-safety any thread.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_request_status(const hfi_request *request) HFI_NOEXCEPT;

/**
 * The user data given at start (NULL if none or if `request` is NULL).
 *
 * @ownership hfi does not own what it points to. @thread-safety any thread.
 * @since 0.1
 */
HFI_API void *HFI_CALL hfi_request_user_data(const hfi_request *request) HFI_NOEXCEPT;

/**
 * Release a request. A request still running is cancelled first. NULL is a no-op. Its release
 * hook runs once no callback of it is running, possibly on this thread.
 *
 * @ownership takes `request`. Events of it still in the pull queue stay valid until freed.
 * @thread-safety any thread, once per request, not concurrently with hfi_request_wait() on it.
 *                Safe in any order with hfi_client_free() (garbage collectors free in any order).
 * @since 0.1
 */
HFI_API void HFI_CALL hfi_request_free(hfi_request *request) HFI_NOEXCEPT;

/**
 * Drive the client's requests and dispatch callback events on this thread.
 *
 * @param client     the client.
 * @param timeout_ms how long to wait for something to happen: 0 never blocks (one step of I/O,
 *                   then whatever is ready), -1 waits until an event or hfi_client_wakeup().
 * @param[out] pending receives the number of started requests whose final event (DONE or ERROR)
 *                     has not been delivered yet (dispatched, or taken from the pull queue). May
 *                     be NULL.
 * @return #HFI_OK, or #HFI_E_INVALID_ARG.
 * @ownership none.
 * @thread-safety one thread at a time per client (other threads may start and cancel requests).
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_client_poll(hfi_client *client, int32_t timeout_ms,
                                            int32_t *pending) HFI_NOEXCEPT;

/**
 * Take the next event of a started request that has no callback (the pull queue). Never blocks;
 * with #HFI_IO_CALLER it first performs one non-blocking step of I/O.
 *
 * @param client the client.
 * @param[out] out receives the event, or NULL when there is none. May not be NULL.
 * @return #HFI_OK with an event, #HFI_NO_EVENT when the queue is empty, #HFI_E_INVALID_ARG.
 * @ownership the caller owns `*out` and frees it with hfi_event_free(); views from it are valid
 *            until then.
 * @thread-safety one thread at a time per client.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_client_next_event(hfi_client *client, hfi_event **out) HFI_NOEXCEPT;

/**
 * Release an event taken from the pull queue. NULL is a no-op. Never pass an event borrowed by a
 * callback.
 *
 * @ownership takes `event`.
 * @thread-safety any thread, once per event.
 * @since 0.1
 */
HFI_API void HFI_CALL hfi_event_free(hfi_event *event) HFI_NOEXCEPT;

/**
 * The request an event belongs to (NULL for events of blocking calls, or for a NULL event). The
 * pointer identifies the request; use it only while the request has not been freed.
 *
 * @ownership borrowed. @thread-safety the thread holding the event.
 * @since 0.1
 */
HFI_API hfi_request *HFI_CALL hfi_event_request(const hfi_event *event) HFI_NOEXCEPT;

/**
 * Wake a hfi_client_poll() blocked in another thread, which then returns.
 *
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership none. @thread-safety any thread.
 * @since 0.1
 */
HFI_API hfi_status HFI_CALL hfi_client_wakeup(hfi_client *client) HFI_NOEXCEPT;

/* ---------------------------------------------------------------------------------------------
 * Tasks: every Hugging Face inference task on every provider
 * ------------------------------------------------------------------------------------------- */

/**
 * Give a task its binary input (an image or audio clip): the bytes become the request body or go
 * inside the JSON as base64 or a data URL, as the task and the provider require.
 *
 * @param opts       the builder.
 * @param data       the bytes; NULL only with `len` 0, which removes the input.
 * @param len        their length.
 * @param media_type their MIME type (`image/png`, `audio/wav`, ...), or NULL to have hfi tell it
 *                   from the bytes.
 * @return #HFI_OK, #HFI_E_INVALID_ARG, #HFI_E_NOMEM.
 * @ownership the bytes and the type are copied.
 * @thread-safety one thread at a time per builder.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_request_options_set_input(hfi_request_options *opts, const void *data,
                                                          size_t len, const char *media_type) HFI_NOEXCEPT;

/**
 * Run an inference task and wait for its output.
 *
 * The provider comes from #HFI_REQ_PROVIDER (or #HFI_OPT_PROVIDER): `auto` takes the first provider
 * of the model's Hub mapping that serves the task and is not in error status (chat instead goes
 * to the router's own auto route). A provider with a key set by #HFI_OPT_PROVIDER_KEY is called
 * directly; any other goes through the router with the HF token. Asynchronous jobs (fal-ai's
 * queue, replicate, together video, wavespeed, zai-org, novita) are polled until they finish,
 * and result files are downloaded (without any credential). With #HFI_OPT_BASE_URL, the task goes
 * to that URL with the hf-inference body.
 *
 * The output: hfi_response_json() is the task's output in the shape of its task spec, whatever
 * the provider answered (for chat, the `chat.completion` object); media tasks give their bytes in
 * hfi_response_bytes() and hfi_response_media_type(); hfi_response_content() holds the main text
 * of text outputs (generated text, summary, translation, transcript); hfi_response_provider()
 * says who served it.
 *
 * @param client the client.
 * @param task   the Hugging Face task id: `chat-completion`, `text-generation`,
 *               `feature-extraction`, `sentence-similarity`, `text-to-image`, `image-to-image`,
 *               `text-to-video`, `image-to-video`, `automatic-speech-recognition`,
 *               `text-to-speech`, `audio-classification`, `audio-to-audio`, `text-classification`,
 *               `token-classification`, `zero-shot-classification`, `summarization`,
 *               `translation`, `question-answering`, `table-question-answering`, `fill-mask`,
 *               `image-classification`, `object-detection`, `image-segmentation`,
 *               `image-to-text`, `zero-shot-image-classification`, `visual-question-answering`,
 *               `document-question-answering`, `tabular-classification`, `tabular-regression`.
 * @param model  the Hub model id (`org/name`).
 * @param json   the task-spec request body (`{"inputs": ..., "parameters": {...}}`; for chat the
 *               chat-completions body), or NULL / empty when a binary input is all there is.
 *               With `"stream": true`, chat and text generation stream their events to the
 *               options' callback.
 * @param len    its length, or #HFI_NUL_TERMINATED.
 * @param opts   binary input, provider choice, headers, timeouts, and a callback receiving
 *               PROGRESS events of jobs (and stream events) on this thread; NULL for none.
 *               #HFI_REQ_TIMEOUT_MS bounds the whole call, polls included; a job without any
 *               timeout ends after 10 minutes.
 * @param[out] out receives the response, also on failure. Set to NULL only when this function
 *                 returns #HFI_E_INVALID_ARG, #HFI_E_UNSUPPORTED or #HFI_E_NOMEM before anything was
 *                 sent: an unknown task or provider, a malformed body, a missing required member,
 *                 an empty or unexpected binary input, a provider that cannot serve the task.
 *                 May not be NULL.
 * @return #HFI_OK or the call's error code (#HFI_E_UNSUPPORTED in the response when no provider
 *         of the model's mapping serves the task; #HFI_E_TIMEOUT at the deadline).
 * @ownership the inputs are copied. The caller owns `*out`. The options' user data is only
 *            handed to the callback (a blocking call does not take it).
 * @thread-safety any thread; many threads may run tasks at once on one client.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_task(hfi_client *client, const char *task, const char *model, const char *json,
                                     size_t len, const hfi_request_options *opts, hfi_response **out) HFI_NOEXCEPT;

/**
 * Start a task and return at once; it then runs as hfi_request_start() describes (poll, pull
 * queue, wait, cancel), with PROGRESS events while a job runs. Arguments as for hfi_task().
 *
 * @return #HFI_OK, or the errors hfi_task() reports before sending anything (nothing was started);
 *         #HFI_E_BAD_STATE if the client is being freed.
 * @ownership as hfi_request_start(): the caller owns `*out` and frees it with hfi_request_free().
 * @thread-safety any thread.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_task_start(hfi_client *client, const char *task, const char *model,
                                           const char *json, size_t len, const hfi_request_options *opts,
                                           hfi_request **out) HFI_NOEXCEPT;

/**
 * The media bytes of a media task (image, audio, video); empty for other responses.
 *
 * @param[out] ptr receives the bytes (not NUL-terminated). May not be NULL.
 * @param[out] len receives their length. May not be NULL.
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership borrowed from `response`, valid until hfi_response_free().
 * @thread-safety any thread, concurrently.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_response_bytes(const hfi_response *response, const void **ptr,
                                               size_t *len) HFI_NOEXCEPT;

/**
 * The MIME type of hfi_response_bytes() (`image/png`, `audio/wav`, `video/mp4`, ...), as the
 * server said or as told from the bytes; empty when there are none.
 *
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_response_media_type(const hfi_response *response, const char **ptr,
                                                    size_t *len) HFI_NOEXCEPT;

/**
 * The provider that served a task (`together`, `hf-inference`, ...), or that failed last; empty
 * when the router chose (chat with `auto`) or for chat calls.
 *
 * @return #HFI_OK or #HFI_E_INVALID_ARG.
 * @ownership borrowed from `response`. @thread-safety any thread, concurrently.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_response_provider(const hfi_response *response, const char **ptr,
                                                  size_t *len) HFI_NOEXCEPT;

/**
 * For PROGRESS events: how far the job is, from 0 to 1, or -1 when the provider does not say.
 *
 * @return the fraction; -1 for NULL, another event type, or no estimate.
 * @ownership none. @thread-safety the receiving thread only.
 * @since 0.2
 */
HFI_API double HFI_CALL hfi_event_progress(const hfi_event *event) HFI_NOEXCEPT;

/**
 * The router's chat models (`GET /v1/models`), or one of them (`GET /v1/models/{model}`), with the
 * providers serving each: status, pricing, context length, latency, throughput, tool and
 * structured-output support. The listing is hfi_response_json().
 *
 * @param client the client (not one with #HFI_OPT_BASE_URL: #HFI_E_UNSUPPORTED).
 * @param model  a model id, or NULL for all.
 * @param[out] out receives the response, also on failure. May not be NULL.
 * @return #HFI_OK or the request's error code.
 * @ownership the caller owns `*out`.
 * @thread-safety any thread.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_list_models(hfi_client *client, const char *model, hfi_response **out) HFI_NOEXCEPT;

/**
 * Write bytes as a `data:` URL (`data:image/png;base64,...`), as chat messages take images
 * (`{"type":"image_url","image_url":{"url":"data:..."}}`) and some tasks take inputs.
 *
 * @param data       the bytes; NULL only with `len` 0.
 * @param len        their length.
 * @param media_type their MIME type, or NULL to tell it from the bytes.
 * @param buf        where to write the URL and a terminating NUL; may be NULL with `buf_size` 0.
 * @param buf_size   the room at `buf`.
 * @param[out] needed receives the URL's length plus one for the NUL. May be NULL.
 * @return #HFI_OK; #HFI_E_BUFFER_TOO_SMALL (nothing written) when `buf_size` < `*needed`;
 *         #HFI_E_INVALID_ARG.
 * @ownership none. @thread-safety any thread.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_data_url(const void *data, size_t len, const char *media_type, char *buf,
                                         size_t buf_size, size_t *needed) HFI_NOEXCEPT;

#endif /* HFI_NO_PROTOTYPES */

/* ---------------------------------------------------------------------------------------------
 * Run-time loading: the function table
 * ------------------------------------------------------------------------------------------- */

/**
 * Every hfi function as a pointer, version 1 of the table, for programs that dlopen() libhfi and
 * look up one symbol. <hfi/hfi_api.h> defines it. The table only grows: a slot keeps its place
 * in every later release, and `struct_size` tells a program built against newer headers which
 * slots an older library has (#HFI_API_V1_HAS).
 * @since 0.2
 */
typedef struct hfi_api_v1 hfi_api_v1;

#ifndef HFI_NO_PROTOTYPES

/**
 * Hand out the function table, after checking that the caller was built for this library's ABI
 * generation. A dlopen() user finds this one function with dlsym(), as #PFN_hfi_get_api_v1.
 *
 * @param abi_version the #HFI_ABI_VERSION the caller was compiled with.
 * @param[out] out receives the table, or NULL on failure. May not be NULL.
 * @return #HFI_OK; #HFI_E_ABI_MISMATCH when `abi_version` is not the library's ABI generation
 *         (hfi_last_error_message() names both); #HFI_E_INVALID_ARG when `out` is NULL.
 * @ownership the table is static and valid while the library stays loaded; never free it.
 * @thread-safety any thread, any time.
 * @since 0.2
 */
HFI_API hfi_status HFI_CALL hfi_get_api_v1(uint32_t abi_version, const hfi_api_v1 **out) HFI_NOEXCEPT;

#endif /* HFI_NO_PROTOTYPES */

HFI_END_DECL

#endif /* HFI_HFI_H */
