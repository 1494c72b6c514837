/*
 * hfi.hpp: a header-only C++17 face of hfi over the C ABI of <hfi/hfi.h>.
 *
 * It adds no ABI: every call goes through the functions of hfi.h, so a program built with this
 * header runs with any later libhfi of the same ABI generation. What it gives:
 *   - RAII handles (hfi::client, hfi::response, hfi::request, hfi::event), movable, not copyable;
 *   - std::string_view in, and views out that live as long as their owner;
 *   - errors both ways: the plain calls throw hfi::error, the try_ calls return hfi::result<T>
 *     (an expected-style value-or-error) and never throw;
 *   - streaming with lambdas (an exception thrown in one aborts the request and is rethrown from
 *     the call, never across the C ABI);
 *   - non-blocking requests: hfi::request to poll, wait or turn into a std::future, the pull
 *     queue, hfi::client::poll, and client::chat_async / client::task_async.
 *
 * Thread-safety is the C ABI's: a client serves many threads at once; a request, response or
 * event is used by one thread at a time.
 *
 * @since 0.2
 */
#ifndef HFI_HFI_HPP
#define HFI_HFI_HPP

#include <hfi/hfi.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hfi {

/** What a failure was: hfi's status code and what the server said. @since 0.2 */
struct error_info {
  hfi_status status = HFI_OK;  /**< The status code (HFI_E_...). */
  int http_status = 0;         /**< The HTTP status of the failed response; 0 when none arrived. */
  std::string message;         /**< The provider's message, or hfi's explanation. */
  std::string type;            /**< The error's type as the server named it, or empty. */
  std::string body;            /**< The error response's body, or empty. */
  std::string provider;        /**< Who answered, when known. */
  /** How long the server asked to wait (Retry-After); empty when it did not say. */
  std::optional<std::chrono::milliseconds> retry_after;

  /** "hfi: <status text>[ (HTTP n)]: <message>". */
  std::string describe() const {
    std::string head = "hfi: ";
    const char* s = hfi_status_str(status);
    std::string status_text = s ? s : "unknown status";
    if (http_status >= 400) {  // a failure after a successful exchange (a bad body) names no HTTP error
      // The status text names the usual code ("server error (HTTP 5xx)"): the actual one replaces it.
      size_t generic = status_text.find(" (HTTP ");
      if (generic != std::string::npos) status_text.erase(generic);
      status_text += " (HTTP " + std::to_string(http_status) + ")";
    }
    head += status_text;
    return message.empty() ? head : head + ": " + message;
  }
};

/** The exception the throwing calls raise. @since 0.2 */
class error : public std::runtime_error {
 public:
  /** An exception carrying `info`; what() is info.describe(). */
  explicit error(error_info info) : std::runtime_error(info.describe()), info_(std::move(info)) {}
  /** Everything known about the failure. */
  const error_info& info() const noexcept { return info_; }
  /** The status code (HFI_E_...). */
  hfi_status status() const noexcept { return info_.status; }
  /** The HTTP status of the failed response; 0 when none arrived. */
  int http_status() const noexcept { return info_.http_status; }

 private:
  error_info info_;
};

/**
 * A value or the error_info of why there is none (the try_ calls). value() throws hfi::error
 * when there is no value. @since 0.2
 */
template <class T>
class result {
 public:
  /** A result holding a value. */
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  /** A result holding why there is no value. */
  result(error_info e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT: implicit by design

  /** True when it holds a value. */
  bool ok() const noexcept { return v_.index() == 0; }
  /** ok(). */
  explicit operator bool() const noexcept { return ok(); }
  /** The value. @throws hfi::error when there is none. */
  T& value() & {
    check();
    return std::get<0>(v_);
  }
  /** The value, moved out. @throws hfi::error when there is none. */
  T&& value() && {
    check();
    return std::get<0>(std::move(v_));
  }
  /** Member access to the value. @throws hfi::error when there is none. */
  T* operator->() { return &value(); }
  /** The value. @throws hfi::error when there is none. */
  T& operator*() & { return value(); }
  /** The failure; an error_info with HFI_OK when there is a value. */
  const error_info& error() const noexcept {
    static const error_info none;
    return ok() ? none : std::get<1>(v_);
  }

 private:
  void check() const {
    if (!ok()) throw hfi::error(std::get<1>(v_));
  }
  std::variant<T, error_info> v_;
};

namespace detail {

inline std::string_view view(const char* p, size_t n) { return p ? std::string_view(p, n) : std::string_view(); }

template <class Object, class Getter>
std::string_view text(const Object* object, Getter getter) {
  const char* p = nullptr;
  size_t n = 0;
  return object && getter(object, &p, &n) == HFI_OK ? view(p, n) : std::string_view();
}

/** The failure of a call just made on this thread (hfi_last_error_message). */
inline error_info last_error(hfi_status status) {
  const char* p = nullptr;
  size_t n = 0;
  hfi_last_error_message(&p, &n);
  error_info e;
  e.status = status;
  e.message = std::string(view(p, n));
  return e;
}

inline error_info from_error(hfi_status status, const hfi_error* err, std::string_view provider) {
  error_info e;
  e.status = status;
  e.provider = std::string(provider);
  if (!err) return e;
  hfi_status code = hfi_error_code(err);
  if (code != HFI_OK) e.status = code;
  e.http_status = hfi_error_http_status(err);
  e.message = std::string(text(err, hfi_error_message));
  e.type = std::string(text(err, hfi_error_type));
  e.body = std::string(text(err, hfi_error_body));
  int64_t wait = hfi_error_retry_after_ms(err);
  if (wait >= 0) e.retry_after = std::chrono::milliseconds(wait);
  return e;
}

inline void check(hfi_status status) {
  if (status < 0) throw hfi::error(last_error(status));
}

template <class T, void (*Free)(T*)>
class handle {
 public:
  handle() noexcept = default;
  explicit handle(T* p) noexcept : p_(p) {}
  handle(handle&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  handle& operator=(handle&& o) noexcept {
    if (this != &o) reset(std::exchange(o.p_, nullptr));
    return *this;
  }
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  ~handle() { reset(); }
  T* get() const noexcept { return p_; }
  T* release() noexcept { return std::exchange(p_, nullptr); }
  void reset(T* p = nullptr) noexcept {
    if (p_) Free(p_);
    p_ = p;
  }

 private:
  T* p_ = nullptr;
};

inline int32_t milliseconds(std::chrono::milliseconds timeout) {
  if (timeout.count() < 0) return -1;
  return timeout.count() > INT32_MAX ? INT32_MAX : static_cast<int32_t>(timeout.count());
}

}  // namespace detail

/** Token counts. -1 where the server sent none. @since 0.2 */
struct usage {
  int64_t prompt_tokens = -1;      /**< Tokens of the prompt. */
  int64_t completion_tokens = -1;  /**< Tokens generated. */
  int64_t total_tokens = -1;       /**< Both. */
};

/** How long a request took, in milliseconds; -1 where unknown. @since 0.2 */
struct timings {
  double total_ms = -1;       /**< From sending the request to its end. */
  double first_byte_ms = -1;  /**< From sending the request to the first byte of the answer's body. */
};

/** One tool call of a response; the views live as long as the response. @since 0.2 */
struct tool_call {
  std::string_view id;         /**< The call's id. */
  std::string_view name;       /**< The function's name. */
  std::string_view arguments;  /**< Its arguments, JSON text. */
};

/** The result of one request, owned. Its views stay valid while it lives. @since 0.2 */
class response {
 public:
  /** An empty response (every getter gives an empty value). */
  response() noexcept = default;
  /** Takes ownership of `r` (freed with hfi_response_free). */
  explicit response(hfi_response* r) noexcept : r_(r) {}

  /** The C handle, still owned by this object. */
  hfi_response* get() const noexcept { return r_.get(); }
  /** True unless empty. */
  explicit operator bool() const noexcept { return r_.get() != nullptr; }

  /** HFI_OK, or why the request failed (HFI_E_INVALID_ARG for an empty response). */
  hfi_status status() const { return r_.get() ? hfi_response_status(r_.get()) : HFI_E_INVALID_ARG; }
  /** The HTTP status of the answer. */
  int http_status() const { return hfi_response_http_status(r_.get()); }
  /** The answer's text (chat), or the main text of a text task. */
  std::string_view content() const { return detail::text(r_.get(), hfi_response_content); }
  /** The model's reasoning text, when it gave one. */
  std::string_view reasoning() const { return detail::text(r_.get(), hfi_response_reasoning); }
  /** Why the model stopped (`stop`, `length`, `tool_calls`, ...). */
  std::string_view finish_reason() const { return detail::text(r_.get(), hfi_response_finish_reason); }
  /** The model that answered. */
  std::string_view model() const { return detail::text(r_.get(), hfi_response_model); }
  /** The response as JSON (a task's output in the shape of its spec). */
  std::string_view json() const { return detail::text(r_.get(), hfi_response_json); }
  /** The server's request id, for support. */
  std::string_view request_id() const { return detail::text(r_.get(), hfi_response_request_id); }
  /** The URL the request went to. */
  std::string_view url() const { return detail::text(r_.get(), hfi_response_url); }
  /** Which failover target served it (HFI_OPT_TARGET), or empty. */
  std::string_view target() const { return detail::text(r_.get(), hfi_response_target); }
  /** The provider that served a task. */
  std::string_view provider() const { return detail::text(r_.get(), hfi_response_provider); }
  /** The MIME type of bytes(). */
  std::string_view media_type() const { return detail::text(r_.get(), hfi_response_media_type); }
  /** Attempts made, retries and failovers included. */
  int attempts() const { return hfi_response_attempts(r_.get()); }

  /** The media bytes of an image, audio or video task; empty otherwise. */
  std::string_view bytes() const {
    const void* p = nullptr;
    size_t n = 0;
    return r_.get() && hfi_response_bytes(r_.get(), &p, &n) == HFI_OK && p
               ? std::string_view(static_cast<const char*>(p), n)
               : std::string_view();
  }

  /** How long it took (-1 where unknown). */
  hfi::timings timings() const {
    hfi::timings t;
    if (r_.get()) hfi_response_timings(r_.get(), &t.total_ms, &t.first_byte_ms);
    return t;
  }

  /** Token counts (-1 where the server sent none). */
  hfi::usage usage() const {
    hfi::usage u;
    if (r_.get()) hfi_response_usage(r_.get(), &u.prompt_tokens, &u.completion_tokens, &u.total_tokens);
    return u;
  }

  /** The tool calls of a chat answer. */
  std::vector<tool_call> tool_calls() const {
    std::vector<tool_call> calls;
    size_t count = 0;
    if (!r_.get() || hfi_response_tool_call_count(r_.get(), &count) != HFI_OK) return calls;
    for (size_t i = 0; i < count; ++i) {
      tool_call c;
      const char* p = nullptr;
      size_t n = 0;
      if (hfi_response_tool_call_id(r_.get(), i, &p, &n) == HFI_OK) c.id = detail::view(p, n);
      if (hfi_response_tool_call_name(r_.get(), i, &p, &n) == HFI_OK) c.name = detail::view(p, n);
      if (hfi_response_tool_call_arguments(r_.get(), i, &p, &n) == HFI_OK) c.arguments = detail::view(p, n);
      calls.push_back(c);
    }
    return calls;
  }

  /** Why the request failed; an error_info with HFI_OK when it succeeded. */
  error_info error() const {
    hfi_status st = status();
    if (st == HFI_OK) return {};
    return detail::from_error(st, hfi_response_error(r_.get()), provider());
  }

 private:
  detail::handle<hfi_response, hfi_response_free> r_;
};

/**
 * One event of a stream: borrowed (inside a callback) or owned (taken from the pull queue with
 * client::next_event). Its views live as long as the event. @since 0.2
 */
class event {
 public:
  /** A borrowed event; valid during the callback only. */
  static event borrow(const hfi_event* ev) noexcept { return event(ev, false); }
  /** An event taken from the pull queue; freed with this object. */
  static event own(hfi_event* ev) noexcept { return event(ev, true); }

  /** Moves the event (and its ownership, if owned). */
  event(event&& o) noexcept : ev_(std::exchange(o.ev_, nullptr)), owned_(o.owned_) {}
  /** Moves the event (and its ownership, if owned). */
  event& operator=(event&& o) noexcept {
    if (this != &o) {
      free();
      ev_ = std::exchange(o.ev_, nullptr);
      owned_ = o.owned_;
    }
    return *this;
  }
  event(const event&) = delete;
  event& operator=(const event&) = delete;
  ~event() { free(); }

  /** The C handle. */
  const hfi_event* get() const noexcept { return ev_; }
  /** HFI_EVENT_DELTA, HFI_EVENT_REASONING, ... */
  int32_t type() const { return hfi_event_type(ev_); }
  /** The text of a DELTA or REASONING piece, the finish reason, or a job's status word. */
  std::string_view text() const { return detail::text(ev_, hfi_event_text); }
  /** The chunk's JSON, or a job's status answer. */
  std::string_view json() const { return detail::text(ev_, hfi_event_json); }
  /** The choice it belongs to. */
  int32_t choice_index() const { return hfi_event_choice_index(ev_); }
  /** Which tool call a TOOL_CALL piece belongs to. */
  int32_t tool_call_index() const { return hfi_event_tool_call_index(ev_); }
  /** The tool call's id, in its first piece. */
  std::string_view tool_call_id() const { return detail::text(ev_, hfi_event_tool_call_id); }
  /** The function's name, in its first piece. */
  std::string_view tool_call_name() const { return detail::text(ev_, hfi_event_tool_call_name); }
  /** A piece of the arguments. */
  std::string_view tool_call_arguments() const { return detail::text(ev_, hfi_event_tool_call_arguments); }
  /** A job's progress from 0 to 1; negative when the provider does not say. */
  double progress() const { return hfi_event_progress(ev_); }
  /** The counts of a USAGE event. */
  hfi::usage usage() const {
    hfi::usage u;
    hfi_event_usage(ev_, &u.prompt_tokens, &u.completion_tokens, &u.total_tokens);
    return u;
  }
  /** The request it belongs to (nullptr for blocking calls). */
  hfi_request* request() const { return hfi_event_request(ev_); }
  /** For the final ERROR event: why. */
  error_info error() const { return detail::from_error(hfi_event_status(ev_), hfi_event_error(ev_), {}); }

 private:
  event(const hfi_event* ev, bool owned) noexcept : ev_(ev), owned_(owned) {}
  void free() noexcept {
    if (owned_ && ev_) hfi_event_free(const_cast<hfi_event*>(ev_));
    ev_ = nullptr;
  }
  const hfi_event* ev_ = nullptr;
  bool owned_ = false;
};

/** A callback for events: return false to abort the request. */
using event_handler = std::function<bool(const event&)>;

/** Settings of a client. @since 0.2 */
class client_options {
 public:
  /** Sets a text option by its HFI_OPT_ key. */
  client_options& set(int32_t key, std::string_view value) {
    strings_.emplace_back(key, std::string(value));
    return *this;
  }
  /** Sets an integer option by its HFI_OPT_ key. */
  client_options& set(int32_t key, int64_t value) {
    ints_.emplace_back(key, value);
    return *this;
  }
  /** HFI_OPT_TOKEN. */
  client_options& token(std::string_view v) { return set(HFI_OPT_TOKEN, v); }
  /** HFI_OPT_BASE_URL. */
  client_options& base_url(std::string_view v) { return set(HFI_OPT_BASE_URL, v); }
  /** HFI_OPT_ROUTER_URL. */
  client_options& router_url(std::string_view v) { return set(HFI_OPT_ROUTER_URL, v); }
  /** HFI_OPT_HUB_URL. */
  client_options& hub_url(std::string_view v) { return set(HFI_OPT_HUB_URL, v); }
  /** HFI_OPT_PROVIDER. */
  client_options& provider(std::string_view v) { return set(HFI_OPT_PROVIDER, v); }
  /** HFI_OPT_HEADER (`Name: value`). */
  client_options& header(std::string_view name_colon_value) { return set(HFI_OPT_HEADER, name_colon_value); }
  /** HFI_OPT_TIMEOUT_MS. */
  client_options& timeout(std::chrono::milliseconds t) { return set(HFI_OPT_TIMEOUT_MS, static_cast<int64_t>(t.count())); }
  /** HFI_OPT_CONNECT_TIMEOUT_MS. */
  client_options& connect_timeout(std::chrono::milliseconds t) {
    return set(HFI_OPT_CONNECT_TIMEOUT_MS, static_cast<int64_t>(t.count()));
  }
  /** HFI_OPT_MAX_RETRIES. */
  client_options& max_retries(int n) { return set(HFI_OPT_MAX_RETRIES, static_cast<int64_t>(n)); }
  /** HFI_OPT_IO_MODE: hfi's own I/O thread (true) or the caller's calls (false). */
  client_options& io_thread(bool on = true) {
    return set(HFI_OPT_IO_MODE, static_cast<int64_t>(on ? HFI_IO_THREAD : HFI_IO_CALLER));
  }
  /** HFI_OPT_TOKEN_FROM_ENV. */
  client_options& token_from_env(bool on) { return set(HFI_OPT_TOKEN_FROM_ENV, static_cast<int64_t>(on ? 1 : 0)); }

  /** Builds the C builder (the client copies it). */
  result<detail::handle<hfi_client_options, hfi_client_options_free>> build() const {
    hfi_client_options* raw = nullptr;
    hfi_status st = hfi_client_options_new(&raw);
    if (st != HFI_OK) return detail::last_error(st);
    detail::handle<hfi_client_options, hfi_client_options_free> o(raw);
    for (const auto& [key, value] : strings_) {
      st = hfi_client_options_set_str(raw, key, value.data(), value.size());
      if (st != HFI_OK) return detail::last_error(st);
    }
    for (const auto& [key, value] : ints_) {
      st = hfi_client_options_set_int(raw, key, value);
      if (st != HFI_OK) return detail::last_error(st);
    }
    return o;
  }

 private:
  std::vector<std::pair<int32_t, std::string>> strings_;
  std::vector<std::pair<int32_t, int64_t>> ints_;
};

/** Settings of one call. @since 0.2 */
class request_options {
 public:
  /** Sets a text option by its HFI_REQ_ key. */
  request_options& set(int32_t key, std::string_view value) {
    strings_.emplace_back(key, std::string(value));
    return *this;
  }
  /** Sets an integer option by its HFI_REQ_ key. */
  request_options& set(int32_t key, int64_t value) {
    ints_.emplace_back(key, value);
    return *this;
  }
  /** HFI_REQ_HEADER (`Name: value`). */
  request_options& header(std::string_view name_colon_value) { return set(HFI_REQ_HEADER, name_colon_value); }
  /** HFI_REQ_TIMEOUT_MS. */
  request_options& timeout(std::chrono::milliseconds t) { return set(HFI_REQ_TIMEOUT_MS, static_cast<int64_t>(t.count())); }
  /** HFI_REQ_MAX_RETRIES. */
  request_options& max_retries(int n) { return set(HFI_REQ_MAX_RETRIES, static_cast<int64_t>(n)); }
  /** Tasks: a provider, or several separated by commas. */
  request_options& provider(std::string_view v) { return set(HFI_REQ_PROVIDER, v); }
  /** HFI_REQ_POLL_INTERVAL_MS. */
  request_options& poll_interval(std::chrono::milliseconds t) {
    return set(HFI_REQ_POLL_INTERVAL_MS, static_cast<int64_t>(t.count()));
  }
  /** Tasks: a binary input (copied); an empty media type has hfi tell it from the bytes. */
  request_options& input(std::string_view bytes, std::string media_type = {}) {
    input_ = std::string(bytes);
    input_type_ = std::move(media_type);
    has_input_ = true;
    return *this;
  }

  /**
   * Builds the C builder with a callback (cb may be null); `release` frees `user_data` once the
   * request is gone, or with the builder when no request was started from it.
   */
  result<detail::handle<hfi_request_options, hfi_request_options_free>> build(hfi_event_cb cb, void* user_data,
                                                                             hfi_release_fn release = nullptr) const {
    hfi_request_options* raw = nullptr;
    hfi_status st = hfi_request_options_new(&raw);
    if (st != HFI_OK) return detail::last_error(st);
    detail::handle<hfi_request_options, hfi_request_options_free> o(raw);
    for (const auto& [key, value] : strings_) {
      st = hfi_request_options_set_str(raw, key, value.data(), value.size());
      if (st != HFI_OK) return detail::last_error(st);
    }
    for (const auto& [key, value] : ints_) {
      st = hfi_request_options_set_int(raw, key, value);
      if (st != HFI_OK) return detail::last_error(st);
    }
    if (has_input_) {
      st = hfi_request_options_set_input(raw, input_.data(), input_.size(),
                                         input_type_.empty() ? nullptr : input_type_.c_str());
      if (st != HFI_OK) return detail::last_error(st);
    }
    if (cb) {
      st = hfi_request_options_set_callback(raw, cb, user_data, release);
      if (st != HFI_OK) return detail::last_error(st);
    }
    return o;
  }

 private:
  std::vector<std::pair<int32_t, std::string>> strings_;
  std::vector<std::pair<int32_t, int64_t>> ints_;
  std::string input_, input_type_;
  bool has_input_ = false;
};

namespace detail {

/** The lambda of a call and the exception it threw, which must not cross the C ABI. */
struct handler_state {
  const event_handler* handler = nullptr;
  std::exception_ptr thrown;
};

extern "C" inline int32_t HFI_CALL dispatch_event(const hfi_event* ev, void* user_data) noexcept {
  auto* state = static_cast<handler_state*>(user_data);
  if (state->thrown) return 1;
  try {
    return (*state->handler)(event::borrow(ev)) ? 0 : 1;
  } catch (...) {
    state->thrown = std::current_exception();
    return 1;
  }
}

/** The handler of a started request, owned by the request (freed by its release hook). */
struct request_handler {
  explicit request_handler(event_handler h) : handler(std::move(h)) { state.handler = &handler; }
  request_handler(const request_handler&) = delete;
  request_handler& operator=(const request_handler&) = delete;
  event_handler handler;
  handler_state state;
};

extern "C" inline int32_t HFI_CALL dispatch_request_event(const hfi_event* ev, void* user_data) noexcept {
  return dispatch_event(ev, &static_cast<request_handler*>(user_data)->state);
}

extern "C" inline void HFI_CALL release_request_handler(void* user_data) noexcept {
  delete static_cast<request_handler*>(user_data);
}

inline result<response> finish(hfi_status st, hfi_response* out, handler_state* state) {
  response r(out);
  if (state && state->thrown) std::rethrow_exception(state->thrown);
  if (st == HFI_OK) return r;
  if (!r) return last_error(st);
  return r.error();
}

}  // namespace detail

/**
 * A request started without waiting (client::start_chat, client::start_task). Poll it with
 * try_get(), or wait(), or hand it to a std::future with future(); cancel() works from any
 * thread. Its handler, if it has one, runs on the thread that waits; without one its events go to
 * the client's pull queue (client::next_event). Movable, not copyable. @since 0.2
 */
class request {
 public:
  /** An empty request (its calls fail with HFI_E_INVALID_ARG). */
  request() noexcept = default;
  /** Takes ownership of `r` (freed, and cancelled if running, with hfi_request_free). */
  explicit request(hfi_request* r) : r_(r, hfi_request_free) {}

  /** Moves the request; `o` becomes empty. */
  request(request&& o) noexcept
      : r_(std::move(o.r_)),
        handler_(std::exchange(o.handler_, nullptr)),
        handed_to_future_(std::exchange(o.handed_to_future_, false)) {}
  /** Moves the request (the one held before is freed, and cancelled if running); `o` becomes empty. */
  request& operator=(request&& o) noexcept {
    if (this != &o) {
      r_ = std::move(o.r_);
      handler_ = std::exchange(o.handler_, nullptr);
      handed_to_future_ = std::exchange(o.handed_to_future_, false);
    }
    return *this;
  }
  request(const request&) = delete;
  request& operator=(const request&) = delete;

  /** The C handle (compare it with event::request()). */
  hfi_request* get() const noexcept { return r_.get(); }
  /** HFI_PENDING while it runs, then its final status. */
  hfi_status status() const { return hfi_request_status(r_.get()); }
  /** True once it ended. */
  bool done() const { return status() != HFI_PENDING; }
  /** Cancels it (any thread, also after future()); it ends with HFI_E_CANCELLED unless it had ended. */
  void cancel() const { hfi_request_cancel(r_.get()); }

  /**
   * Waits up to `timeout` (negative: no limit), running the handler's events on this thread;
   * empty while it still runs. An exception the handler threw is rethrown here.
   */
  std::optional<result<response>> wait(std::chrono::milliseconds timeout = std::chrono::milliseconds(-1)) {
    if (handed_to_future_) {
      error_info e;
      e.status = HFI_E_BAD_STATE;
      e.message = "the request's response goes to its std::future";
      return result<response>(e);
    }
    return wait_on(r_.get(), handler_, timeout);
  }
  /** Never blocks: the response once it ended, else empty. */
  std::optional<result<response>> try_get() { return wait(std::chrono::milliseconds(0)); }

  /**
   * The response as a std::future, waited for on a thread of its own (std::async): get() gives
   * it, or throws hfi::error for a failed request and rethrows what the handler threw. The
   * handler runs on that thread. Afterwards this object only cancels (cancel(), which makes
   * get() throw HFI_E_CANCELLED), reads status() and done(); wait() fails with
   * HFI_E_BAD_STATE. Like any std::async future, destroying it waits for the request's end.
   * The client must outlive that wait: get() the future, or destroy it, before the client.
   * @throws hfi::error (HFI_E_INVALID_ARG) for an empty request, (HFI_E_BAD_STATE) when called twice.
   */
  std::future<response> future() {
    if (!r_ || handed_to_future_) {
      error_info e;
      e.status = r_ ? HFI_E_BAD_STATE : HFI_E_INVALID_ARG;
      e.message = r_ ? "future() was already called on this request" : "future() of an empty request";
      throw error(e);
    }
    handed_to_future_ = true;
    return std::async(std::launch::async, [r = r_, handler = handler_] {
      return std::move(*wait_on(r.get(), handler, std::chrono::milliseconds(-1))).value();
    });
  }

 private:
  friend class client;
  request(hfi_request* r, detail::request_handler* handler) : r_(r, hfi_request_free), handler_(handler) {}

  static std::optional<result<response>> wait_on(hfi_request* r, detail::request_handler* handler,
                                                 std::chrono::milliseconds timeout) {
    hfi_response* out = nullptr;
    hfi_status st = hfi_request_wait(r, detail::milliseconds(timeout), &out);
    if (st == HFI_PENDING) {
      if (handler && handler->state.thrown) hfi_request_cancel(r);  // it ends soon: no more events
      return std::nullopt;
    }
    if (st == HFI_E_INVALID_ARG && !out) return result<response>(detail::last_error(st));
    return detail::finish(st, out, handler ? &handler->state : nullptr);
  }

  // Shared with the thread of future(), so that cancel() stays valid while it waits.
  std::shared_ptr<hfi_request> r_;
  detail::request_handler* handler_ = nullptr;  // owned by the C request (its release hook)
  bool handed_to_future_ = false;
};

/** A client: its settings, token and connections; thread-safe. @since 0.2 */
class client {
 public:
  /** A client with hfi's defaults (the router; the token from HF_TOKEN or the token file). */
  client() : client(client_options()) {}
  /** @throws hfi::error for an invalid option. */
  explicit client(const client_options& options) : c_(make(options).value()) {}
  /** The same without throwing. */
  static result<client> create(const client_options& options) noexcept {
    try {
      auto c = make(options);
      if (!c) return c.error();
      return client(std::move(c).value());
    } catch (const std::exception& e) {
      error_info info;
      info.status = HFI_E_NOMEM;
      info.message = e.what();
      return info;
    }
  }

  /** The C handle, for calls this header does not wrap. */
  hfi_client* get() const noexcept { return c_.get(); }

  /** A chat completion (an OpenAI chat-completions body), answered whole. @throws hfi::error */
  response chat(std::string_view json) const { return try_chat(json).value(); }
  /** As chat(), with the failure as a result. */
  result<response> try_chat(std::string_view json) const {
    hfi_response* out = nullptr;
    hfi_status st = hfi_chat(c_.get(), json.data(), json.size(), &out);
    return detail::finish(st, out, nullptr);
  }

  /**
   * A streamed chat completion: `on_event` sees each event on this thread; returning false
   * aborts. An exception it throws aborts the request and is rethrown here. The response holds
   * the whole text. @throws hfi::error
   */
  response chat_stream(std::string_view json, const event_handler& on_event) const {
    return try_chat_stream(json, on_event).value();
  }
  /** As chat_stream, with failures as a result; the handler's own exceptions still propagate. */
  result<response> try_chat_stream(std::string_view json, const event_handler& on_event) const {
    detail::handler_state state{&on_event, nullptr};
    hfi_response* out = nullptr;
    hfi_status st = hfi_chat_stream(c_.get(), json.data(), json.size(), detail::dispatch_event, &state, &out);
    return detail::finish(st, out, &state);
  }

  /**
   * Any task (`text-to-image`, `summarization`, ...) on `model`; `json` is the task-spec body,
   * or empty when the options' binary input is all there is. `on_event`, if given, sees the
   * job's PROGRESS events (and stream events) on this thread. @throws hfi::error
   */
  response task(std::string_view task, std::string_view model, std::string_view json,
                const request_options& options = {}, const event_handler& on_event = {}) const {
    return try_task(task, model, json, options, on_event).value();
  }
  /** As task(), with the failure as a result. */
  result<response> try_task(std::string_view task, std::string_view model, std::string_view json,
                            const request_options& options = {}, const event_handler& on_event = {}) const {
    detail::handler_state state{&on_event, nullptr};
    auto o = options.build(on_event ? detail::dispatch_event : nullptr, &state);
    if (!o) return o.error();
    std::string t(task), m(model);
    hfi_response* out = nullptr;
    hfi_status st = hfi_task(c_.get(), t.c_str(), m.c_str(), json.empty() ? nullptr : json.data(), json.size(),
                             o->get(), &out);
    return detail::finish(st, out, &state);
  }

  /** The router's models (or one), as the router's JSON. @throws hfi::error */
  response list_models(std::string_view model = {}) const {
    std::string m(model);
    hfi_response* out = nullptr;
    hfi_status st = hfi_list_models(c_.get(), model.empty() ? nullptr : m.c_str(), &out);
    return detail::finish(st, out, nullptr).value();
  }

  /**
   * Starts a chat and returns at once. With `stream`, the answer comes in pieces: to
   * `on_event` when given (on the thread that waits for the request), else to the pull queue
   * (next_event). wait(), try_get() or future() give the response. @throws hfi::error
   */
  request start_chat(std::string_view json, bool stream = false, const request_options& options = {},
                     event_handler on_event = {}) const {
    return start(options, std::move(on_event), [&](const hfi_request_options* o, hfi_request** r) {
      return hfi_request_start(c_.get(), stream ? HFI_TASK_CHAT_STREAM : HFI_TASK_CHAT, json.data(), json.size(), o, r);
    });
  }

  /**
   * Starts a task and returns at once. Its events (PROGRESS of a job) go to `on_event` when
   * given (on the thread that waits), else to the pull queue. @throws hfi::error
   */
  request start_task(std::string_view task, std::string_view model, std::string_view json,
                     const request_options& options = {}, event_handler on_event = {}) const {
    std::string t(task), m(model);
    return start(options, std::move(on_event), [&](const hfi_request_options* o, hfi_request** r) {
      return hfi_task_start(c_.get(), t.c_str(), m.c_str(), json.empty() ? nullptr : json.data(), json.size(), o, r);
    });
  }

  /**
   * A chat answered on a thread of its own: start_chat(...).future(). With `on_event` the answer
   * streams to it on that thread. Nothing goes to the pull queue. For a request you may cancel,
   * keep the hfi::request: start_chat, then future(). The client must outlive the future's wait.
   * @throws hfi::error when it cannot start
   */
  std::future<response> chat_async(std::string_view json, const request_options& options = {},
                                   event_handler on_event = {}) const {
    bool stream = static_cast<bool>(on_event);
    return start_chat(json, stream, options, stream ? std::move(on_event) : ignore_events()).future();
  }

  /** A task run on a thread of its own: start_task(...).future(). @throws hfi::error when it cannot start */
  std::future<response> task_async(std::string_view task, std::string_view model, std::string_view json,
                                   const request_options& options = {}, event_handler on_event = {}) const {
    return start_task(task, model, json, options, on_event ? std::move(on_event) : ignore_events()).future();
  }

  /** The next event of a request started without a handler; never blocks. */
  std::optional<event> next_event() const {
    hfi_event* ev = nullptr;
    if (hfi_client_next_event(c_.get(), &ev) != HFI_OK || !ev) return std::nullopt;
    return event::own(ev);
  }

  /** Drives the client's requests for up to `timeout` (0: one step); returns how many still run. */
  int32_t poll(std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) const {
    int32_t pending = 0;
    detail::check(hfi_client_poll(c_.get(), detail::milliseconds(timeout), &pending));
    return pending;
  }

  /** Wakes a poll() blocked in another thread. */
  void wakeup() const { hfi_client_wakeup(c_.get()); }

 private:
  using handle_type = detail::handle<hfi_client, hfi_client_free>;
  explicit client(handle_type c) noexcept : c_(std::move(c)) {}

  static event_handler ignore_events() {
    return [](const event&) { return true; };
  }

  template <class Start>
  request start(const request_options& options, event_handler on_event, Start start_request) const {
    std::unique_ptr<detail::request_handler> handler;
    if (on_event) handler = std::make_unique<detail::request_handler>(std::move(on_event));
    auto o = handler ? options.build(detail::dispatch_request_event, handler.get(), detail::release_request_handler)
                     : options.build(nullptr, nullptr);
    if (!o) throw error(o.error());
    detail::request_handler* owned_by_request = handler.release();  // the builder (then the request) frees it
    hfi_request* r = nullptr;
    detail::check(start_request(o->get(), &r));
    return request(r, owned_by_request);
  }

  static result<handle_type> make(const client_options& options) {
    auto o = options.build();
    if (!o) return o.error();
    hfi_client* raw = nullptr;
    hfi_status st = hfi_client_new(&raw, o->get());
    if (st != HFI_OK) return detail::last_error(st);
    return handle_type(raw);
  }

  handle_type c_;
};

/** Bytes as a data: URL (chat images); an empty media type has hfi tell it. @throws hfi::error */
inline std::string data_url(std::string_view bytes, const std::string& media_type = {}) {
  if (bytes.empty()) {
    error_info e;
    e.status = HFI_E_INVALID_ARG;
    e.message = "data_url: no bytes";
    throw error(e);
  }
  const char* type = media_type.empty() ? nullptr : media_type.c_str();
  size_t needed = 0;
  hfi_status st = hfi_data_url(bytes.data(), bytes.size(), type, nullptr, 0, &needed);
  if (st != HFI_E_BUFFER_TOO_SMALL) detail::check(st);
  std::string url(needed, '\0');
  detail::check(hfi_data_url(bytes.data(), bytes.size(), type, url.data(), url.size(), &needed));
  url.resize(needed - 1);
  return url;
}

/** The version of the loaded libhfi. */
inline std::string_view version() { return hfi_version_str(); }

}  // namespace hfi

#endif /* HFI_HFI_HPP */
