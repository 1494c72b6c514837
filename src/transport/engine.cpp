#include "transport/engine.h"

#include <string.h>
#include <strings.h>

#include <algorithm>
#include <iterator>
#include <new>
#include <utility>

namespace hfi::transport {
namespace {

// After a complete response, how long a server may keep the body open before hfi stops waiting.
constexpr auto kLingerAfterComplete = std::chrono::milliseconds(250);
// Upper bound of one wait, so that deadlines computed by others are never missed by much.
constexpr int kMaxWaitMs = 1000;

std::once_flag curl_global_once;

// The Authorization line holds the token: overwrite it before the list goes back to the heap.
void free_header_list(curl_slist* list) {
  for (curl_slist* node = list; node; node = node->next) {
    if (strncasecmp(node->data, "authorization:", 14) == 0) explicit_bzero(node->data, strlen(node->data));
  }
  curl_slist_free_all(list);
}

double ms_from_us(curl_off_t us) { return us > 0 ? static_cast<double>(us) / 1000.0 : -1.0; }

}  // namespace

HeaderList::HeaderList(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    curl_slist* next = curl_slist_append(list_, line.c_str());
    if (!next) {
      free_header_list(list_);
      throw std::bad_alloc();
    }
    list_ = next;
  }
}

HeaderList::~HeaderList() { free_header_list(list_); }

Transfer::~Transfer() = default;

namespace {
TransferOutcome outcome_without_exchange(CURLcode code, hfi_status stopped) {
  TransferOutcome outcome;
  outcome.curl = code;
  outcome.stopped = stopped;
  return outcome;
}
}  // namespace

size_t Engine::on_write(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * count;
  t->last_activity_ = Clock::now();
  bool keep_going = false;
  try {
    keep_going = t->on_body(data, len);
  } catch (...) {  // only std::bad_alloc; nothing may unwind through libcurl
    t->stop_self(HFI_E_NOMEM);
  }
  // A finished response gets a short grace period instead of its stall deadline.
  if (t->complete_) t->engine_->next_deadline_ = std::min(t->engine_->next_deadline_, t->last_activity_ + kLingerAfterComplete);
  return keep_going ? len : 0;
}

size_t Engine::on_header_line(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * count;
  t->last_activity_ = Clock::now();
  t->responded_ = true;
  std::string_view line(data, len);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  try {
    t->on_header(line);
  } catch (...) {  // only std::bad_alloc; nothing may unwind through libcurl
    t->stop_self(HFI_E_NOMEM);
    return 0;
  }
  return len;
}

Clock::time_point Engine::first_deadline(const Transfer& t) {
  Clock::time_point due = Clock::time_point::max();
  if (t.settings.stall_timeout_ms > 0) due = t.started_ + std::chrono::milliseconds(t.settings.stall_timeout_ms);
  if (t.settings.total_timeout_ms > 0)
    due = std::min(due, t.started_ + std::chrono::milliseconds(t.settings.total_timeout_ms));
  if (t.settings.first_byte_timeout_ms > 0)
    due = std::min(due, t.started_ + std::chrono::milliseconds(t.settings.first_byte_timeout_ms));
  return due;
}

void Transfer::stop_self(hfi_status reason) {
  const bool callers = reason == HFI_E_CANCELLED || reason == HFI_E_ABORTED_BY_CALLBACK;
  hfi_status current = stop_reason_.load();
  for (;;) {
    const bool engines = current == HFI_E_STALL_TIMEOUT || current == HFI_E_TIMEOUT || current == HFI_E_FIRST_BYTE_TIMEOUT;
    const bool replaceable = current == HFI_OK || (callers && engines);
    if (!replaceable || stop_reason_.compare_exchange_weak(current, reason)) return;
  }
}

void Transfer::clear_stop(hfi_status reason) {
  hfi_status expected = reason;
  stop_reason_.compare_exchange_strong(expected, HFI_OK);
}

Engine::Engine(bool io_thread, ConnectionSettings connection) : connection_(std::move(connection)) {
  std::call_once(curl_global_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
  if (multi_ && io_thread) io_thread_ = std::thread([this] { io_loop(); });
}

Engine::~Engine() {
  shutdown();
  spare_handles_.clear();
  if (multi_) curl_multi_cleanup(multi_);
}

void Engine::shutdown() {
  quit_ = true;
  if (io_thread_.joinable()) {
    curl_multi_wakeup(multi_);
    io_thread_.join();
  }
  std::lock_guard<std::mutex> driver(driver_mutex_);
  std::vector<std::shared_ptr<Transfer>> pending;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    closed_ = true;
    pending.swap(submitted_);
    to_stop_.clear();
  }
  pending.insert(pending.end(), deferred_.begin(), deferred_.end());
  deferred_.clear();
  for (auto& t : pending) {
    t->stop_self(HFI_E_CANCELLED);
    t->on_complete(outcome_without_exchange(CURLE_OK, HFI_E_CANCELLED));
  }
  while (!active_.empty()) finish(active_.begin()->first, CURLE_OK, HFI_E_CANCELLED);
}

void Engine::wakeup() { curl_multi_wakeup(multi_); }

// After queueing work: only a driver already past its step() needs telling, and waking one that
// is not waiting costs a send() plus a poll round that ends at once. A driver whose step() comes
// after the queueing sees the work; one whose step() came before set driving_ first, and the
// queue's mutex makes that store visible here.
void Engine::wake_driver() {
  if (driving_.load()) curl_multi_wakeup(multi_);
}

void Engine::submit(std::shared_ptr<Transfer> transfer) {
  {
    std::unique_lock<std::mutex> lock(queue_mutex_);
    if (closed_) {
      lock.unlock();
      transfer->stop_self(HFI_E_CANCELLED);
      transfer->on_complete(outcome_without_exchange(CURLE_OK, HFI_E_CANCELLED));
      return;
    }
    submitted_.push_back(std::move(transfer));
  }
  wake_driver();
}

void Engine::stop(Transfer& transfer, hfi_status reason) {
  transfer.stop_self(reason);
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (closed_) return;  // shutdown has ended everything already
    to_stop_.push_back(transfer.shared_from_this());
  }
  wake_driver();
}

bool Engine::try_drive(const std::function<bool()>& done, Clock::time_point until) {
  std::unique_lock<std::mutex> driver(driver_mutex_, std::try_to_lock);
  if (!driver.owns_lock()) return false;
  driving_ = true;
  for (;;) {
    step();
    if (done()) break;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) break;
    wait_for_activity(static_cast<int>(std::min<long long>(left, kMaxWaitMs)));
  }
  driving_ = false;
  driver.unlock();
  wake_waiters();
  return true;
}

void Engine::add_waker(Waker* waker) {
  std::lock_guard<std::mutex> lock(wakers_mutex_);
  wakers_.push_back(waker);
}

void Engine::remove_waker(Waker* waker) {
  std::lock_guard<std::mutex> lock(wakers_mutex_);
  wakers_.erase(std::remove(wakers_.begin(), wakers_.end(), waker), wakers_.end());
}

void Engine::wake_waiters() {
  std::lock_guard<std::mutex> lock(wakers_mutex_);
  for (Waker* w : wakers_) w->wake();
}

void Engine::io_loop() {
  std::lock_guard<std::mutex> driver(driver_mutex_);
  driving_ = true;  // for good: this thread is the only driver
  while (!quit_) {
    step();
    if (!quit_) wait_for_activity(kMaxWaitMs);
  }
}

void Engine::step() {
  std::vector<std::shared_ptr<Transfer>> incoming, stopping;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    incoming.swap(submitted_);
    stopping.swap(to_stop_);
  }
  const Clock::time_point now = Clock::now();
  for (auto& t : incoming) {
    if (t->settings.not_before > now) deferred_.push_back(std::move(t));
    else admit(std::move(t));
  }
  admit_due(now);
  for (auto& t : stopping) {
    if (active_.count(t.get())) {
      finish(t.get(), CURLE_OK, t->stop_reason_.load());
    } else {
      // Waiting for its time: admitting it now ends it at once, with its stop reason.
      auto it = std::find(deferred_.begin(), deferred_.end(), t);
      if (it == deferred_.end()) continue;
      std::shared_ptr<Transfer> waiting = std::move(*it);
      deferred_.erase(it);
      admit(std::move(waiting));
    }
  }
  int running = 0;
  curl_multi_perform(multi_, &running);
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&t));
    // A hook may have asked to stop (e.g. a callback abort) and made curl fail with a write error.
    if (t && active_.count(t)) finish(t, msg->data.result, t->stop_reason_.load());
  }
  check_deadlines();
}

void Engine::admit_due(Clock::time_point now) {
  if (deferred_.empty()) return;
  std::vector<std::shared_ptr<Transfer>> due;
  auto waiting = std::partition(deferred_.begin(), deferred_.end(),
                                [now](const std::shared_ptr<Transfer>& t) { return t->settings.not_before > now; });
  std::move(waiting, deferred_.end(), std::back_inserter(due));
  deferred_.erase(waiting, deferred_.end());
  for (auto& t : due) admit(std::move(t));
}

void Engine::wait_for_activity(int max_ms) {
  long curl_ms = -1;
  curl_multi_timeout(multi_, &curl_ms);
  long wait = max_ms;
  if (curl_ms >= 0 && curl_ms < wait) wait = curl_ms;
  Clock::time_point next = next_deadline_;
  for (const auto& t : deferred_) next = std::min(next, t->settings.not_before);
  if (next != Clock::time_point::max()) {
    auto until = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
    if (until < wait) wait = until < 0 ? 0 : static_cast<long>(until);
  }
  if (wait > 0) curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait), nullptr);
}

// Handles keep their options from one transfer to the next: configure() sets every option that
// differs between transfers, each time, so nothing of one request (URL, headers, body, where its
// data goes) can reach the next, and the options every transfer shares are set only once. The
// pointers a spare handle holds are stale until then; libcurl reads them only during a transfer.
std::unique_ptr<EasyHandle> Engine::take_handle() {
  if (spare_handles_.empty()) return new_handle();
  std::unique_ptr<EasyHandle> handle = std::move(spare_handles_.back());
  spare_handles_.pop_back();
  return handle;
}

std::unique_ptr<EasyHandle> Engine::new_handle() const {
  auto handle = std::make_unique<EasyHandle>();
  CURL* h = handle->easy = curl_easy_init();
  if (!h) return nullptr;
  const ConnectionSettings& c = connection_;
  bool ok = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header_line) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  // Redirects are never followed: libcurl would forward custom credential headers to other hosts.
  ok &= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
  // Long generations sit idle on NAT paths; keep-alive probes keep the mapping open.
  ok &= curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 30L) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 15L) == CURLE_OK;
  if (c.connect_timeout_ms > 0)
    ok &= curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(c.connect_timeout_ms)) == CURLE_OK;
  if (!c.ca_bundle.empty()) ok &= curl_easy_setopt(h, CURLOPT_CAINFO, c.ca_bundle.c_str()) == CURLE_OK;
  if (!c.proxy.empty()) ok &= curl_easy_setopt(h, CURLOPT_PROXY, c.proxy.c_str()) == CURLE_OK;
  if (!ok) {
    return nullptr;
  }
  return handle;
}

bool Engine::configure(Transfer& t) {
  CURL* h = t.handle_->easy;
  const TransferSettings& s = t.settings;
  bool ok = curl_easy_setopt(h, CURLOPT_URL, s.url.c_str()) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_PRIVATE, &t) == CURLE_OK;
  if (s.get) {
    ok &= curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) == CURLE_OK;
  } else {
    ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDS, s.body.data()) == CURLE_OK;
    ok &= curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(s.body.size())) == CURLE_OK;
  }
  ok &= curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, s.follow_redirects ? 1L : 0L) == CURLE_OK;
  if (s.follow_redirects) {
    ok &= curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L) == CURLE_OK;
    ok &= curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK;
  }
  ok &= curl_easy_setopt(h, CURLOPT_HTTPHEADER, s.headers ? s.headers->get() : nullptr) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_WRITEDATA, &t) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_HEADERDATA, &t) == CURLE_OK;
  ok &= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.handle_->error) == CURLE_OK;
  // Over TLS, wait for a connection that may multiplex (HTTP/2) instead of opening one per
  // request. Not for plain http: there libcurl 7.88 makes every transfer wait for the first to end.
  const long pipewait = s.url.compare(0, 8, "https://") == 0 ? 1L : 0L;
  ok &= curl_easy_setopt(h, CURLOPT_PIPEWAIT, pipewait) == CURLE_OK;
  return ok;
}

void Engine::admit(std::shared_ptr<Transfer> transfer) {
  Transfer& t = *transfer;
  t.started_ = t.last_activity_ = Clock::now();
  t.complete_ = false;  // the same transfer may be admitted again for a call's next exchange
  t.responded_ = false;
  hfi_status early = t.stop_reason_.load();
  if (early != HFI_OK) {
    t.on_complete(outcome_without_exchange(CURLE_OK, early));
    return;
  }
  t.engine_ = this;
  t.handle_ = take_handle();
  if (!t.handle_ || !configure(t) || curl_multi_add_handle(multi_, t.handle_->easy) != CURLM_OK) {
    t.handle_.reset();
    t.on_complete(outcome_without_exchange(CURLE_OUT_OF_MEMORY, HFI_OK));
    return;
  }
  active_.emplace(&t, std::move(transfer));
  next_deadline_ = std::min(next_deadline_, first_deadline(t));
  t.on_start();
}

void Engine::finish(Transfer* t, CURLcode code, hfi_status stopped) {
  auto it = active_.find(t);
  if (it == active_.end()) return;
  std::shared_ptr<Transfer> keep = std::move(it->second);
  active_.erase(it);

  TransferOutcome outcome;
  outcome.curl = code;
  outcome.stopped = stopped;
  CURL* h = t->handle_->easy;
  outcome.curl_message = t->handle_->error;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &outcome.http_status);
  curl_off_t connect_us = 0, first_byte_us = 0, total_us = 0;
  curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
  curl_easy_getinfo(h, CURLINFO_STARTTRANSFER_TIME_T, &first_byte_us);
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total_us);
  outcome.connected = connect_us > 0;
  outcome.first_byte_ms = ms_from_us(first_byte_us);
  outcome.total_ms = ms_from_us(total_us);
  if (outcome.total_ms < 0 || stopped != HFI_OK)
    outcome.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - t->started_).count();

  curl_multi_remove_handle(multi_, h);
  spare_handles_.push_back(std::move(t->handle_));
  keep->on_complete(outcome);
}

// Stall and total deadlines are checked only when the earliest of them may have passed; the
// earliest is recomputed on each scan, since activity keeps pushing stall deadlines back.
void Engine::check_deadlines() {
  auto now = Clock::now();
  if (now < next_deadline_) return;
  next_deadline_ = Clock::time_point::max();
  std::vector<std::pair<Transfer*, hfi_status>> expired;
  for (auto& [t, owner] : active_) {
    (void)owner;
    const TransferSettings& s = t->settings;
    Clock::time_point due = Clock::time_point::max();
    hfi_status reason = HFI_OK;
    if (t->complete_) {
      due = t->last_activity_ + kLingerAfterComplete;
      reason = HFI_OK;
    } else {
      if (s.stall_timeout_ms > 0) {
        due = t->last_activity_ + std::chrono::milliseconds(s.stall_timeout_ms);
        reason = HFI_E_STALL_TIMEOUT;
      }
      if (s.total_timeout_ms > 0) {
        auto total_due = t->started_ + std::chrono::milliseconds(s.total_timeout_ms);
        if (total_due <= due) {
          due = total_due;
          reason = HFI_E_TIMEOUT;
        }
      }
      if (s.first_byte_timeout_ms > 0 && !t->responded_) {
        auto first_due = t->started_ + std::chrono::milliseconds(s.first_byte_timeout_ms);
        if (first_due < due) {
          due = first_due;
          reason = HFI_E_FIRST_BYTE_TIMEOUT;
        }
      }
    }
    if (due <= now) expired.emplace_back(t, reason);
    else next_deadline_ = std::min(next_deadline_, due);
  }
  for (auto& [t, reason] : expired) finish(t, CURLE_OK, reason);
}

}  // namespace hfi::transport
