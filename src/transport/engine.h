// The transport: one libcurl multi handle per client, driven by exactly one thread at a time.
//
// Who drives: with an I/O thread, that thread, always. Without one (HFI_IO_CALLER), whichever
// waiting caller takes the driver lock first pumps the multi handle for everybody until its own
// request needs attention, then hands the role on by waking the other waiters. libcurl handles
// are therefore only ever touched by the current driver, while any thread may submit or stop a
// transfer (both go through a locked queue, plus curl_multi_wakeup when a driver may be waiting).
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "hfi/hfi.h"

namespace hfi::transport {

using Clock = std::chrono::steady_clock;

// Header lines as libcurl takes them, built once and shared by every transfer that sends the same
// lines (a client's own headers serve all of its requests). Never changed once built, so any
// number of transfers may use it at the same time. An Authorization line holds the token: it is
// overwritten before its memory goes back to the heap.
class HeaderList {
 public:
  explicit HeaderList(const std::vector<std::string>& lines);  // complete "Name: value" lines
  ~HeaderList();
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

// What changes from one transfer to the next.
struct TransferSettings {
  std::string url;
  std::shared_ptr<const HeaderList> headers;  // null: none
  std::string body;                           // POSTed as is
  bool get = false;                           // a GET (body unused) instead of a POST
  // Only for downloads that carry no credentials: libcurl would forward custom credential
  // headers to whatever host a redirect names.
  bool follow_redirects = false;
  int64_t total_timeout_ms = 0;               // 0: none
  int64_t stall_timeout_ms = 0;               // 0: none
  int64_t first_byte_timeout_ms = 0;          // until the response's status line; 0: none
  Clock::time_point not_before{};             // admitted no earlier (a job's poll interval)
};

// What every transfer of an engine shares: set once on each easy handle, which then serves one
// transfer after another with only the options of TransferSettings set again.
struct ConnectionSettings {
  std::string ca_bundle;  // empty: the system's trust store
  std::string proxy;      // empty: libcurl's environment rules
  int64_t connect_timeout_ms = 0;
};

struct TransferOutcome {
  CURLcode curl = CURLE_OK;
  hfi_status stopped = HFI_OK;  // why the engine ended it early (cancel, abort, timeouts), or OK
  long http_status = 0;
  bool connected = false;
  double total_ms = -1;
  double first_byte_ms = -1;
  std::string curl_message;
};

// An easy handle and the buffer libcurl writes its error message into, reused together (the
// buffer is 256 bytes no request object needs to carry).
struct EasyHandle {
  EasyHandle() = default;
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;
  ~EasyHandle() { if (easy) curl_easy_cleanup(easy); }
  CURL* easy = nullptr;
  char error[CURL_ERROR_SIZE] = {};
};

// One HTTP exchange. Subclasses consume the response; every hook runs on the driver thread.
class Engine;

class Transfer : public std::enable_shared_from_this<Transfer> {
 public:
  virtual ~Transfer();

  TransferSettings settings;

  // The exchange was handed to libcurl (each time the transfer is admitted).
  virtual void on_start() {}
  // A raw header line without its line end; status lines of every response block included.
  virtual void on_header(std::string_view line) { (void)line; }
  // Body bytes. Return false to end the transfer; call stop_self() first to say why.
  virtual bool on_body(const char* data, size_t len) = 0;
  // Called exactly once, after the handle is gone.
  virtual void on_complete(const TransferOutcome& outcome) = 0;

  // Driver thread: the response is complete; if the server keeps the connection open without
  // finishing the body, end the transfer successfully after a short grace period.
  void mark_complete() { complete_ = true; }
  // End with `reason`: from inside a hook (once it returns), or through Engine::stop. The first
  // reason stands, except that the caller's cancel or abort replaces the engine's own timeouts.
  void stop_self(hfi_status reason);
  // Driver thread, before the transfer is submitted again (a retry after a stall): forgets
  // `reason` unless another one (a cancel) replaced it.
  void clear_stop(hfi_status reason);

 protected:
  // Driver thread, inside on_complete: the engine that ran the exchange, to submit the next
  // exchange of a multi-step call (the object is the same transfer, admitted again).
  Engine* engine() const { return engine_; }

 private:
  friend class Engine;
  std::atomic<hfi_status> stop_reason_{HFI_OK};
  std::unique_ptr<EasyHandle> handle_;  // while the engine runs the exchange
  Clock::time_point started_{};
  Clock::time_point last_activity_{};
  bool complete_ = false;
  bool responded_ = false;  // a response line arrived
  Engine* engine_ = nullptr;
};

// Something waiting to be told that the driver role is free.
class Waker {
 public:
  virtual ~Waker() = default;
  virtual void wake() = 0;
};

class Engine {
 public:
  explicit Engine(bool io_thread, ConnectionSettings connection = {});
  ~Engine();  // stops every transfer still in flight (they complete with HFI_E_CANCELLED)

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  bool has_io_thread() const { return io_thread_.joinable(); }

  // Any thread.
  void submit(std::shared_ptr<Transfer> transfer);
  void stop(Transfer& transfer, hfi_status reason);

  // Caller mode. Becomes the driver if nobody is and pumps until `done()` is true or `until`
  // (at least one round of work even if `until` has passed); false if another thread is driving
  // (register a Waker first to hear when it stops).
  bool try_drive(const std::function<bool()>& done, Clock::time_point until = Clock::time_point::max());
  // Interrupts a wait inside the driver (any thread).
  void wakeup();
  // Cancels every transfer and stops the I/O thread; later submissions end at once as cancelled.
  // Idempotent; the destructor calls it.
  void shutdown();
  void add_waker(Waker* waker);
  void remove_waker(Waker* waker);

 private:
  void step();  // admit, stop, perform, collect, deadlines: one round of work, no waiting
  void wait_for_activity(int max_ms);
  void admit(std::shared_ptr<Transfer> transfer);
  void admit_due(Clock::time_point now);  // deferred transfers whose time has come
  bool configure(Transfer& t);
  void finish(Transfer* t, CURLcode code, hfi_status stopped);
  void check_deadlines();
  void wake_waiters();
  void wake_driver();
  void io_loop();
  std::unique_ptr<EasyHandle> take_handle();
  std::unique_ptr<EasyHandle> new_handle() const;
  static Clock::time_point first_deadline(const Transfer& t);
  static size_t on_write(char* data, size_t size, size_t count, void* user);
  static size_t on_header_line(char* data, size_t size, size_t count, void* user);

  const ConnectionSettings connection_;
  CURLM* multi_ = nullptr;
  std::mutex driver_mutex_;
  // Set by the holder of driver_mutex_ before its first step() and cleared after its last wait:
  // while it is false, nobody can be inside curl_multi_poll, and whoever drives next starts with
  // a step() that sees everything queued before.
  std::atomic<bool> driving_{false};

  std::mutex queue_mutex_;
  std::vector<std::shared_ptr<Transfer>> submitted_;
  std::vector<std::shared_ptr<Transfer>> to_stop_;

  // Driver-only: submitted transfers waiting for their not_before time.
  std::vector<std::shared_ptr<Transfer>> deferred_;

  // Driver-only state.
  std::unordered_map<Transfer*, std::shared_ptr<Transfer>> active_;
  std::vector<std::unique_ptr<EasyHandle>> spare_handles_;
  Clock::time_point next_deadline_ = Clock::time_point::max();

  std::mutex wakers_mutex_;
  std::vector<Waker*> wakers_;

  std::atomic<bool> quit_{false};
  bool closed_ = false;  // under queue_mutex_
  std::thread io_thread_;
};

}  // namespace hfi::transport
