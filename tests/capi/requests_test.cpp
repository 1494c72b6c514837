// Non-blocking requests through the public C ABI: hfi_request_start, the poll tier (callbacks run
// inside hfi_client_poll), the pull tier (hfi_client_next_event), hfi_request_wait, cancellation,
// frees in any order and from any thread, release hooks, callback aborts, many requests in flight,
// per-request options, and NULL/invalid arguments of every function of the "Non-blocking requests"
// section of hfi.h.
//
// Most suites run in both I/O modes (instantiated as IoModes/<Suite>.<Test>/Caller|IoThread).
// Nothing here asserts on wall time: slow servers are scripted in the emulator and the tests check
// the order of events and the counts the API reports. Every loop has a generous hang guard, so a
// request that never progresses fails the test instead of hanging it.
#include <hfi/hfi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "support.h"

namespace {

using namespace hfi_test;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long any loop waits for the library before declaring a hang. Not a performance bound.
constexpr auto kHangGuard = std::chrono::seconds(20);
// A scripted server delay that no test ever waits out.
constexpr int kForeverMs = 60000;

// ---- small helpers -------------------------------------------------------------------------

std::string last_error() {
  const char* p = nullptr;
  size_t n = 0;
  if (hfi_last_error_message(&p, &n) != HFI_OK || !p) return "<hfi_last_error_message failed>";
  return std::string(p, n);
}

#define EXPECT_EXPLAINED() EXPECT_FALSE(last_error().empty()) << "no hfi_last_error_message() after the failure"
#define EXPECT_CLEARED() EXPECT_EQ(last_error(), "") << "hfi_last_error_message() not cleared"

template <class T>
T* sentinel() {
  static char byte;
  return reinterpret_cast<T*>(&byte);
}

struct RequestDeleter {
  void operator()(hfi_request* r) const { hfi_request_free(r); }
};
struct RequestOptionsDeleter {
  void operator()(hfi_request_options* o) const { hfi_request_options_free(o); }
};
struct EventDeleter {
  void operator()(hfi_event* e) const { hfi_event_free(e); }
};
using RequestPtr = std::unique_ptr<hfi_request, RequestDeleter>;
using RequestOptionsPtr = std::unique_ptr<hfi_request_options, RequestOptionsDeleter>;
using EventPtr = std::unique_ptr<hfi_event, EventDeleter>;

RequestOptionsPtr make_request_options() {
  hfi_request_options* o = nullptr;
  EXPECT_EQ(hfi_request_options_new(&o), HFI_OK);
  return RequestOptionsPtr(o);
}

std::string answer_to(const std::string& prompt) { return "Hello! You said: " + prompt; }

bool is_final(int32_t type) { return type == HFI_EVENT_DONE || type == HFI_EVENT_ERROR; }

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}


std::string describe(const RecordedEvent& e) {
  std::ostringstream out;
  out << "type=" << e.type << " choice=" << e.choice << " text=[" << e.text << "] json=[" << e.json << "]";
  if (e.type == HFI_EVENT_TOOL_CALL)
    out << " tool=" << e.tool_index << "/" << e.tool_id << "/" << e.tool_name << "/[" << e.tool_arguments << "]";
  if (e.type == HFI_EVENT_USAGE) out << " usage=" << e.usage[0] << "," << e.usage[1] << "," << e.usage[2];
  out << " status=" << e.status << " error=[" << e.error_message << "]";
  return out.str();
}

std::vector<std::string> describe_all(const std::vector<RecordedEvent>& events) {
  std::vector<std::string> out;
  for (const RecordedEvent& e : events) out.push_back(describe(e));
  return out;
}

// What one started request delivered, by callback or by pull, and its user data's release.
// The event vectors are touched only by the thread that receives the events; the counters may be
// read from anywhere.
struct Tracker {
  std::vector<RecordedEvent> events;
  std::vector<std::thread::id> threads;  // thread of each delivery
  std::vector<hfi_request*> requests;    // hfi_event_request() of each event
  int abort_at = -1;                     // callback: return non-zero for the event with this index
  std::function<void(const hfi_event*, Tracker&)> on_event;  // extra work inside the callback

  std::atomic<int> calls{0};
  std::atomic<int> deltas{0};
  std::atomic<bool> final_seen{false};
  std::atomic<int> finals{0};
  std::atomic<int> released{0};
  std::atomic<int> calls_after_release{0};
  std::mutex release_mutex;
  std::vector<std::thread::id> release_threads;

  std::string text() const {
    std::string out;
    for (const RecordedEvent& e : events)
      if (e.type == HFI_EVENT_DELTA && e.choice == 0) out += e.text;
    return out;
  }
  size_t count(int32_t type) const {
    size_t n = 0;
    for (const RecordedEvent& e : events) n += e.type == type;
    return n;
  }
  void record(const hfi_event* ev) {
    if (released.load() != 0) ++calls_after_release;
    RecordedEvent e = record_event(ev);
    if (e.type == HFI_EVENT_DELTA) ++deltas;
    if (is_final(e.type)) {
      ++finals;
      final_seen = true;
    }
    events.push_back(std::move(e));
    threads.push_back(std::this_thread::get_id());
    requests.push_back(hfi_event_request(ev));
  }
  std::vector<std::thread::id> release_thread_ids() {
    std::lock_guard<std::mutex> lock(release_mutex);
    return release_threads;
  }

  static int32_t HFI_CALL callback(const hfi_event* ev, void* user_data) {
    auto* t = static_cast<Tracker*>(user_data);
    int index = t->calls++;
    t->record(ev);
    if (t->on_event) t->on_event(ev, *t);
    return t->abort_at >= 0 && index == t->abort_at ? 1 : 0;
  }
  static void HFI_CALL release(void* user_data) {
    auto* t = static_cast<Tracker*>(user_data);
    {
      std::lock_guard<std::mutex> lock(t->release_mutex);
      t->release_threads.push_back(std::this_thread::get_id());
    }
    ++t->released;
  }
};

enum class Tier { poll, pull };

// Starts a request whose events go to `t` by callback (poll tier) or to the pull queue with `t` as
// user data (pull tier); `t` may be NULL for a pull request without user data.
RequestPtr start_request(hfi_client* client, int32_t task, const std::string& body, Tier tier, Tracker* t,
                         hfi_request_options* extra = nullptr) {
  RequestOptionsPtr own;
  hfi_request_options* o = extra;
  if (!o) {
    own = make_request_options();
    o = own.get();
  }
  if (tier == Tier::poll) { EXPECT_EQ(hfi_request_options_set_callback(o, Tracker::callback, t, Tracker::release), HFI_OK); }
  else if (t) { EXPECT_EQ(hfi_request_options_set_user_data(o, t, Tracker::release), HFI_OK); }
  hfi_request* r = nullptr;
  hfi_status st = hfi_request_start(client, task, body.data(), body.size(), o, &r);
  EXPECT_EQ(st, HFI_OK) << last_error();
  EXPECT_NE(r, nullptr);
  return RequestPtr(r);
}

RequestPtr start_stream(hfi_client* client, const std::string& prompt, Tier tier, Tracker* t) {
  return start_request(client, HFI_TASK_CHAT_STREAM, chat_body(prompt), tier, t);
}

// Calls hfi_client_wakeup() from its own thread: every `period` from the start (period > 0), and
// in any case once the hang guard expired, so that a poll(-1) loop can never hang a test.
class Waker {
 public:
  Waker(hfi_client* client, Clock::time_point give_up, milliseconds period = milliseconds(0))
      : client_(client), give_up_(give_up), period_(period), thread_([this] { run(); }) {}
  ~Waker() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  int wakeups() const { return wakeups_.load(); }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      bool expired = Clock::now() >= give_up_;
      auto next = expired ? Clock::now() + milliseconds(50)
                          : period_.count() > 0 ? std::min(give_up_, Clock::now() + period_) : give_up_;
      changed_.wait_until(lock, next, [this] { return stop_; });
      if (stop_) break;
      if (Clock::now() >= give_up_ || period_.count() > 0) {
        lock.unlock();
        EXPECT_EQ(hfi_client_wakeup(client_), HFI_OK);
        ++wakeups_;
        lock.lock();
      }
    }
  }
  hfi_client* client_;
  Clock::time_point give_up_;
  milliseconds period_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false;
  std::atomic<int> wakeups_{0};
  std::thread thread_;
};

// Polls with `timeout_ms` per call until `done()` (checked before each call). Records the pending
// count of every call. False when the hang guard expired first.
bool poll_until(hfi_client* client, int32_t timeout_ms, const std::function<bool()>& done,
                std::vector<int32_t>* pendings = nullptr, Clock::duration guard = kHangGuard) {
  Clock::time_point give_up = Clock::now() + guard;
  std::unique_ptr<Waker> waker;
  if (timeout_ms < 0) waker = std::make_unique<Waker>(client, give_up);
  while (!done()) {
    if (Clock::now() > give_up) return false;
    int32_t pending = -7;
    EXPECT_EQ(hfi_client_poll(client, timeout_ms, &pending), HFI_OK) << last_error();
    EXPECT_GE(pending, 0);
    if (pendings) pendings->push_back(pending);
    // A game loop polls once per frame; a short frame keeps the test from spinning a core.
    if (timeout_ms == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

// Pulls events until `done()`, giving each to `route`. False when the hang guard expired first.
bool pull_until(hfi_client* client, const std::function<bool()>& done, const std::function<void(EventPtr)>& route,
                Clock::duration guard = kHangGuard) {
  Clock::time_point give_up = Clock::now() + guard;
  while (!done()) {
    if (Clock::now() > give_up) return false;
    hfi_event* ev = sentinel<hfi_event>();
    hfi_status st = hfi_client_next_event(client, &ev);
    if (st == HFI_NO_EVENT) {
      EXPECT_EQ(ev, nullptr);
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    EXPECT_EQ(st, HFI_OK) << last_error();
    if (st != HFI_OK) return false;
    EXPECT_NE(ev, nullptr);
    route(EventPtr(ev));
  }
  return true;
}

// Routes a pulled event to the Tracker that is its request's user data.
void route_to_tracker(EventPtr ev) {
  hfi_request* r = hfi_event_request(ev.get());
  ASSERT_NE(r, nullptr) << "a pulled event of a started request has no request";
  auto* t = static_cast<Tracker*>(hfi_request_user_data(r));
  ASSERT_NE(t, nullptr) << "a pulled event's request has no user data";
  t->record(ev.get());
}

// Drives poll and pull tiers together until done().
bool drive_until(hfi_client* client, const std::function<bool()>& done, Clock::duration guard = kHangGuard) {
  Clock::time_point give_up = Clock::now() + guard;
  while (!done()) {
    if (Clock::now() > give_up) return false;
    EXPECT_EQ(hfi_client_poll(client, 10, nullptr), HFI_OK);
    for (;;) {
      hfi_event* ev = nullptr;
      hfi_status st = hfi_client_next_event(client, &ev);
      if (st != HFI_OK) break;
      route_to_tracker(EventPtr(ev));
    }
  }
  return true;
}

// Aborts the test binary if it is still armed when the hang guard expires: a call that never
// returns cannot be interrupted, and CTest reports the abort as a failure.
class HangGuard {
 public:
  explicit HangGuard(const char* what) : what_(what), thread_([this] { run(); }) {}
  ~HangGuard() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      disarmed_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (changed_.wait_for(lock, kHangGuard, [this] { return disarmed_; })) return;
    std::fprintf(stderr, "FATAL: %s did not return within the hang guard\n", what_);
    std::fflush(stderr);
    std::abort();
  }
  const char* what_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool disarmed_ = false;
  std::thread thread_;
};

// Runs `f` on this thread under a HangGuard.
template <class F>
void must_return(const char* what, F&& f) {
  HangGuard guard(what);
  f();
}

// Threads that keep every CPU busy while they live: the scheduler then preempts hfi's threads at
// arbitrary points, which widens the windows of races between the I/O thread and the application.
class CpuLoad {
 public:
  CpuLoad() {
    unsigned n = std::max(2u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i)
      threads_.emplace_back([this] {
        volatile unsigned long spin = 0;
        while (!stop_.load(std::memory_order_relaxed)) spin = spin + 1;
      });
  }
  ~CpuLoad() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Waits (without any hfi call) until `cond` holds or the hang guard expires.
bool eventually(const std::function<bool()>& cond) {
  Clock::time_point give_up = Clock::now() + kHangGuard;
  while (!cond()) {
    if (Clock::now() > give_up) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

ResponsePtr final_response(hfi_request* r, hfi_status expected) {
  hfi_response* resp = sentinel<hfi_response>();
  EXPECT_EQ(hfi_request_wait(r, 0, &resp), expected);
  if (resp == sentinel<hfi_response>()) resp = nullptr;
  EXPECT_NE(resp, nullptr);
  return ResponsePtr(resp);
}

std::string mode_name(int32_t mode) { return mode == HFI_IO_THREAD ? "IoThread" : "Caller"; }

struct RequestModeName {
  std::string operator()(const ::testing::TestParamInfo<int32_t>& info) const { return mode_name(info.param); }
};

// ---- fixtures --------------------------------------------------------------------------------

// Trackers are user data whose release hooks may run as late as hfi_client_free: they live in the
// fixture, which outlives every client a test makes.
class ArenaTest : public EmulatorTest {
 protected:
  Tracker& tracker() {
    arena_.push_back(std::make_unique<Tracker>());
    return *arena_.back();
  }

 private:
  std::vector<std::unique_ptr<Tracker>> arena_;
};

class RequestsTest : public ArenaTest, public ::testing::WithParamInterface<int32_t> {
 protected:
  int32_t mode() const { return GetParam(); }
  ClientPtr make_client() { return client_for(emu_, mode()); }
  // Polls (or waits) until the emulator has received `n` requests in total.
  bool until_received(hfi_client* client, size_t n) {
    return poll_until(client, 10, [&] { return emu_.requests().size() >= n; });
  }
};

class RequestsPoll : public RequestsTest {};
class RequestsPull : public RequestsTest {};
class RequestsWait : public RequestsTest {};
class RequestsCancel : public RequestsTest {};
class RequestsFree : public RequestsTest {};
class RequestsRelease : public RequestsTest {};
class RequestsAbort : public RequestsTest {};
class RequestsReentry : public RequestsTest {};
class RequestsOptions : public RequestsTest {};
class RequestsMany : public RequestsTest {};

// ---- poll tier -------------------------------------------------------------------------------

struct DriveCase {
  int32_t mode;
  int32_t timeout_ms;  // per hfi_client_poll call
};

class RequestsDrive : public ArenaTest, public ::testing::WithParamInterface<DriveCase> {};

std::string drive_case_name(const ::testing::TestParamInfo<DriveCase>& info) {
  std::string t = info.param.timeout_ms < 0 ? "PollForever" : "Poll" + std::to_string(info.param.timeout_ms);
  return mode_name(info.param.mode) + "_" + t;
}

// N streams with callbacks, driven only by hfi_client_poll on this thread: each callback runs on
// this thread, sees its own request, and gets exactly its answer followed by exactly one DONE; the
// pending count only goes down and ends at 0. With -1, another thread keeps calling
// hfi_client_wakeup() meanwhile.
TEST_P(RequestsDrive, EveryStreamCompletesOnThePollingThread) {
  const DriveCase c = GetParam();
  ClientPtr client = client_for(emu_, c.mode);
  constexpr int kRequests = 8;
  std::vector<Tracker*> trackers;
  std::vector<RequestPtr> requests;
  std::vector<std::string> prompts;
  for (int i = 0; i < kRequests; ++i) {
    trackers.push_back(&tracker());
    prompts.push_back("request number " + std::to_string(i) + " says hi");
    requests.push_back(start_stream(client.get(), prompts.back(), Tier::poll, trackers.back()));
  }
  // Another thread reads the statuses meanwhile: PENDING, then the final status, never back.
  std::atomic<bool> stop_reader{false};
  std::atomic<int> status_regressions{0}, bad_statuses{0};
  std::thread reader([&] {
    std::vector<hfi_status> last(kRequests, HFI_PENDING);
    while (!stop_reader) {
      for (int i = 0; i < kRequests; ++i) {
        hfi_status st = hfi_request_status(requests[static_cast<size_t>(i)].get());
        if (st != HFI_PENDING && st != HFI_OK) ++bad_statuses;
        if (last[static_cast<size_t>(i)] == HFI_OK && st == HFI_PENDING) ++status_regressions;
        last[static_cast<size_t>(i)] = st;
      }
      std::this_thread::yield();
    }
  });
  std::unique_ptr<Waker> periodic;
  if (c.timeout_ms < 0) periodic = std::make_unique<Waker>(client.get(), Clock::now() + kHangGuard, milliseconds(5));

  std::vector<int32_t> pendings;
  int32_t last_pending = kRequests;
  bool finished = poll_until(
      client.get(), c.timeout_ms,
      [&] {
        if (!pendings.empty()) last_pending = pendings.back();
        for (auto& t : trackers)
          if (!t->final_seen) return false;
        return last_pending == 0;
      },
      &pendings);
  periodic.reset();
  stop_reader = true;
  reader.join();
  ASSERT_TRUE(finished) << "the streams did not complete through hfi_client_poll(" << c.timeout_ms << ")";

  const std::thread::id me = std::this_thread::get_id();
  for (int i = 0; i < kRequests; ++i) {
    SCOPED_TRACE("request " + std::to_string(i));
    Tracker& t = *trackers[static_cast<size_t>(i)];
    EXPECT_EQ(t.text(), answer_to(prompts[static_cast<size_t>(i)]));
    ASSERT_FALSE(t.events.empty());
    EXPECT_EQ(t.events.back().type, HFI_EVENT_DONE);
    EXPECT_EQ(t.count(HFI_EVENT_DONE), 1u);
    EXPECT_EQ(t.count(HFI_EVENT_ERROR), 0u);
    EXPECT_EQ(t.count(HFI_EVENT_FINISH), 1u);
    for (std::thread::id id : t.threads) EXPECT_EQ(id, me) << "a callback ran on another thread";
    for (hfi_request* r : t.requests) EXPECT_EQ(r, requests[static_cast<size_t>(i)].get());
    EXPECT_EQ(hfi_request_status(requests[static_cast<size_t>(i)].get()), HFI_OK);
    EXPECT_EQ(hfi_request_user_data(requests[static_cast<size_t>(i)].get()), &t);
    ResponsePtr resp = final_response(requests[static_cast<size_t>(i)].get(), HFI_OK);
    EXPECT_EQ(text(resp.get(), hfi_response_content), answer_to(prompts[static_cast<size_t>(i)]));
    EXPECT_EQ(text(resp.get(), hfi_response_finish_reason), "stop");
    EXPECT_EQ(t.released.load(), 0) << "released before hfi_request_free";
  }
  ASSERT_FALSE(pendings.empty());
  EXPECT_LE(pendings.front(), kRequests);
  for (size_t i = 1; i < pendings.size(); ++i) EXPECT_LE(pendings[i], pendings[i - 1]) << "pending went up at " << i;
  EXPECT_EQ(pendings.back(), 0);
  EXPECT_EQ(status_regressions.load(), 0);
  EXPECT_EQ(bad_statuses.load(), 0);
  // Nothing more arrives afterwards.
  int32_t pending = -1;
  EXPECT_EQ(hfi_client_poll(client.get(), 0, &pending), HFI_OK);
  EXPECT_EQ(pending, 0);
  for (auto& t : trackers) EXPECT_EQ(t->count(HFI_EVENT_DONE), 1u);
  requests.clear();
  client.reset();
  for (auto& t : trackers) EXPECT_EQ(t->released.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(IoModes, RequestsDrive,
                         ::testing::Values(DriveCase{HFI_IO_CALLER, 0}, DriveCase{HFI_IO_CALLER, 50},
                                           DriveCase{HFI_IO_CALLER, -1}, DriveCase{HFI_IO_THREAD, 0},
                                           DriveCase{HFI_IO_THREAD, 50}, DriveCase{HFI_IO_THREAD, -1}),
                         drive_case_name);

// hfi_client_poll(client, 0) never waits for the network: while a stream's chunks are 200 ms apart
// it keeps returning between them, with the request still pending. Checked by counting returns
// that brought nothing new, for every point of the stream, not by timing them.
TEST_P(RequestsPoll, PollZeroReturnsBetweenTheChunksOfASlowStream) {
  ClientPtr client = make_client();
  emu_.script(R"({"default_sse":true,"chunk_delay_ms":200})");
  Tracker& t = tracker();
  const std::string prompt = "a b c";
  RequestPtr r = start_stream(client.get(), prompt, Tier::poll, &t);
  std::map<int, int> empty_returns_at;  // deltas seen so far -> poll(0) returns with pending 1 and no new event
  int seen = 0;
  std::vector<int32_t> pendings;
  Clock::time_point give_up = Clock::now() + kHangGuard;
  while (!t.final_seen && Clock::now() < give_up) {
    int32_t pending = -1;
    ASSERT_EQ(hfi_client_poll(client.get(), 0, &pending), HFI_OK);
    pendings.push_back(pending);
    int now_seen = t.calls.load();
    if (now_seen == seen && pending == 1) ++empty_returns_at[t.deltas.load()];
    seen = now_seen;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ASSERT_TRUE(t.final_seen.load()) << "the stream never completed through hfi_client_poll(0) (" << t.calls.load()
                                   << " events in " << pendings.size() << " polls)";
  EXPECT_EQ(t.text(), answer_to(prompt));
  const int words = 6;  // "Hello! ", "You ", "said: ", "a ", "b ", "c"
  EXPECT_EQ(t.deltas.load(), words);
  for (int k = 0; k < words; ++k)
    EXPECT_GE(empty_returns_at[k], 10) << "hfi_client_poll(0) waited for the network after delta " << k;
  for (size_t i = 1; i < pendings.size(); ++i) EXPECT_LE(pendings[i], pendings[i - 1]);
  while (!pendings.empty() && pendings.back() != 0) {
    int32_t pending = -1;
    ASSERT_EQ(hfi_client_poll(client.get(), 10, &pending), HFI_OK);
    if (pending == 0) break;
  }
}

// The pending count and the final events agree: when hfi_client_poll says no request is pending,
// every request's DONE has been dispatched; and a poll that dispatched the last DONE does not count
// the request as pending any more (otherwise `while (pending) hfi_client_poll(c, -1, &pending)`
// would block forever after the last event). Repeated, since the I/O thread races the poller.
TEST_P(RequestsPoll, PendingReachesZeroOnlyWithTheFinalEventDelivered) {
  ClientPtr client = make_client();
  // With HFI_IO_CALLER, poll(0) is covered by other tests; here a short wait drives the I/O.
  const int32_t timeout = mode() == HFI_IO_THREAD ? 0 : 5;
  int zero_before_done = 0, done_but_pending = 0;
  for (int round = 0; round < 300; ++round) {
    Tracker& t = tracker();
    RequestPtr r = start_stream(client.get(), "round " + std::to_string(round), Tier::poll, &t);
    Clock::time_point give_up = Clock::now() + kHangGuard;
    int32_t pending = 1;
    while (pending != 0 && Clock::now() < give_up) {
      int before = t.finals.load();
      ASSERT_EQ(hfi_client_poll(client.get(), timeout, &pending), HFI_OK);
      if (t.finals.load() > before && pending != 0) ++done_but_pending;
    }
    ASSERT_EQ(pending, 0) << "round " << round << ": never reached pending 0";
    if (!t.final_seen) {
      ++zero_before_done;
      ASSERT_TRUE(poll_until(client.get(), 10, [&] { return t.final_seen.load(); }));
    }
    EXPECT_EQ(t.count(HFI_EVENT_DONE), 1u);
  }
  EXPECT_EQ(zero_before_done, 0) << "hfi_client_poll reported 0 pending before the last DONE was dispatched";
  EXPECT_EQ(done_but_pending, 0) << "the poll that dispatched a request's DONE still counted it as pending";
}

// A request whose server holds back its response headers (a model loading, a long queue) must not
// hold back the client's other requests to the same server.
TEST_P(RequestsPoll, ADelayedResponseDoesNotHoldBackTheNextRequest) {
  Tracker& slow = tracker();
  Tracker& fast = tracker();
  ClientPtr client = make_client();
  emu_.script("{\"delay_ms\":" + std::to_string(kForeverMs) + "}");
  RequestPtr a = start_stream(client.get(), "slow one", Tier::poll, &slow);
  ASSERT_TRUE(until_received(client.get(), 1)) << "the first request never reached the server";
  RequestPtr b = start_stream(client.get(), "fast one", Tier::poll, &fast);
  bool done = poll_until(client.get(), 20, [&] { return fast.final_seen.load(); });
  EXPECT_TRUE(done) << "the second request did not complete while the first waited for its headers; the server got "
                    << emu_.requests().size() << " request(s)";
  EXPECT_EQ(fast.text(), done ? answer_to("fast one") : "");
  EXPECT_EQ(hfi_request_status(a.get()), HFI_PENDING);
}

// Two requests started together: the one whose stream stalls must not hold back the other.
TEST_P(RequestsPoll, RequestsStartedTogetherDoNotWaitForEachOther) {
  Tracker& a = tracker();
  Tracker& b = tracker();
  ClientPtr client = make_client();
  // Whichever request reaches the server first stalls after its first word.
  emu_.script(R"({"default_sse":true,"stall_after":2,"stall_ms":60000})");
  RequestPtr ra = start_stream(client.get(), "together a", Tier::poll, &a);
  RequestPtr rb = start_stream(client.get(), "together b", Tier::poll, &b);
  bool one_done = poll_until(client.get(), 20, [&] { return a.final_seen || b.final_seen; });
  EXPECT_TRUE(one_done) << "neither request completed while the other stalled; the server got "
                        << emu_.requests().size() << " request(s), events " << a.calls.load() << " and "
                        << b.calls.load();
  if (one_done) {
    Tracker& done = a.final_seen ? a : b;
    EXPECT_EQ(done.text(), answer_to(a.final_seen ? "together a" : "together b"));
    EXPECT_EQ(hfi_request_status((a.final_seen ? rb : ra).get()), HFI_PENDING);
  }
}

// The same two cases over TLS, against a server without HTTP/2 (no ALPN): a stream that stalls and
// a response that holds back its headers do not hold back the client's next request.
TEST_P(RequestsPoll, NoHeadOfLineWaitOverTlsWithoutHttp2) {
  hfi::emu::Options eo;
  eo.tls = true;
  eo.tls_dir = ::testing::TempDir() + "hfi-requests-tls-" + std::to_string(mode());
  hfi::emu::Emulator emu(eo);
  std::string error;
  ASSERT_TRUE(emu.start(&error)) << error;
  Tracker& a = tracker();
  Tracker& b = tracker();
  Tracker& c = tracker();
  Tracker& d = tracker();
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu.base_url());
  set_str(o.get(), HFI_OPT_CA_BUNDLE, emu.ca_pem_path());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_IO_MODE, mode());
  ClientPtr client = client_with(o.get());
  ASSERT_NE(client, nullptr);
  // Started together; whichever reaches the server first stalls.
  emu.script(R"({"default_sse":true,"stall_after":2,"stall_ms":60000})");
  RequestPtr ra = start_stream(client.get(), "tls a", Tier::poll, &a);
  RequestPtr rb = start_stream(client.get(), "tls b", Tier::poll, &b);
  EXPECT_TRUE(poll_until(client.get(), 20, [&] { return a.final_seen || b.final_seen; }))
      << "neither request completed while the other stalled";
  // A response that holds back its headers, then another request.
  emu.script("{\"delay_ms\":" + std::to_string(kForeverMs) + "}");
  size_t before = emu.requests().size();
  RequestPtr rc = start_stream(client.get(), "tls c", Tier::poll, &c);
  ASSERT_TRUE(poll_until(client.get(), 10, [&] { return emu.requests().size() > before; }));
  RequestPtr rd = start_stream(client.get(), "tls d", Tier::poll, &d);
  EXPECT_TRUE(poll_until(client.get(), 20, [&] { return d.final_seen.load(); }))
      << "the request after a delayed response did not complete";
  EXPECT_EQ(d.text(), answer_to("tls d"));
  EXPECT_EQ(hfi_request_status(rc.get()), HFI_PENDING);
}

// hfi_client_poll(-1) with nothing in flight returns only when another thread wakes it.
TEST_P(RequestsPoll, PollForeverReturnsOnWakeupFromAnotherThread) {
  ClientPtr client = make_client();
  for (int round = 0; round < 3; ++round) {
    std::atomic<bool> woken{false};
    std::thread waker([&] {
      std::this_thread::sleep_for(milliseconds(50));
      woken = true;
      EXPECT_EQ(hfi_client_wakeup(client.get()), HFI_OK);
    });
    int32_t pending = -1;
    must_return("hfi_client_poll(-1) with a wakeup", [&] { EXPECT_EQ(hfi_client_poll(client.get(), -1, &pending), HFI_OK); });
    EXPECT_TRUE(woken.load()) << "hfi_client_poll(-1) returned without an event or a wakeup";
    EXPECT_EQ(pending, 0);
    waker.join();
  }
}

// The same while a request is in flight whose server sends nothing.
TEST_P(RequestsPoll, PollForeverReturnsOnWakeupWhileAStreamStalls) {
  ClientPtr client = make_client();
  emu_.script(R"({"default_sse":true,"stall_after":2,"stall_ms":60000})");
  Tracker& t = tracker();
  RequestPtr r = start_stream(client.get(), "stall", Tier::poll, &t);
  // Until the two events before the stall ("role", "Hello! ") were dispatched.
  ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.calls.load() >= 2; }));
  std::atomic<bool> woken{false};
  std::thread waker([&] {
    std::this_thread::sleep_for(milliseconds(100));
    woken = true;
    EXPECT_EQ(hfi_client_wakeup(client.get()), HFI_OK);
  });
  int32_t pending = -1;
  must_return("hfi_client_poll(-1) with a wakeup", [&] { EXPECT_EQ(hfi_client_poll(client.get(), -1, &pending), HFI_OK); });
  EXPECT_TRUE(woken.load());
  EXPECT_EQ(pending, 1);
  EXPECT_EQ(hfi_request_status(r.get()), HFI_PENDING);
  waker.join();
}

// A wakeup given while nobody polls makes the next hfi_client_poll(-1) return at once.
TEST_P(RequestsPoll, WakeupBeforePollIsNotLost) {
  ClientPtr client = make_client();
  std::thread([&] { EXPECT_EQ(hfi_client_wakeup(client.get()), HFI_OK); }).join();
  int32_t pending = -1;
  must_return("hfi_client_poll(-1) after a wakeup", [&] { EXPECT_EQ(hfi_client_poll(client.get(), -1, &pending), HFI_OK); });
  EXPECT_EQ(pending, 0);
}

// Callback requests and pull requests share one client; each tier gets only its own requests.
TEST_P(RequestsPoll, PollAndPullTiersCoexist) {
  ClientPtr client = make_client();
  constexpr int kEach = 4;
  std::vector<Tracker*> trackers;
  std::vector<RequestPtr> requests;
  std::vector<std::string> prompts;
  for (int i = 0; i < 2 * kEach; ++i) {
    trackers.push_back(&tracker());
    prompts.push_back("mixed " + std::to_string(i));
    requests.push_back(start_stream(client.get(), prompts.back(), i % 2 ? Tier::pull : Tier::poll, trackers.back()));
  }
  ASSERT_TRUE(drive_until(client.get(), [&] {
    for (auto& t : trackers)
      if (!t->final_seen) return false;
    return true;
  }));
  for (int i = 0; i < 2 * kEach; ++i) {
    Tracker& t = *trackers[static_cast<size_t>(i)];
    EXPECT_EQ(t.text(), answer_to(prompts[static_cast<size_t>(i)])) << i;
    EXPECT_EQ(t.count(HFI_EVENT_DONE), 1u) << i;
    EXPECT_EQ(t.calls.load(), i % 2 ? 0 : static_cast<int>(t.events.size())) << "callback/pull mix-up for " << i;
    for (hfi_request* r : t.requests) EXPECT_EQ(r, requests[static_cast<size_t>(i)].get());
  }
}

// ---- pull tier -------------------------------------------------------------------------------

// Requests without a callback: their events come out of hfi_client_next_event, each belongs to its
// request (hfi_event_request) whose user data routes it, each is freed with hfi_event_free, and
// the queue says HFI_NO_EVENT when it is empty.
TEST_P(RequestsPull, NextEventReturnsEachRequestsEvents) {
  ClientPtr client = make_client();
  hfi_event* ev = sentinel<hfi_event>();
  EXPECT_EQ(hfi_client_next_event(client.get(), &ev), HFI_NO_EVENT);
  EXPECT_EQ(ev, nullptr);
  EXPECT_CLEARED();

  constexpr int kRequests = 6;
  std::vector<Tracker*> trackers;
  std::vector<RequestPtr> requests;
  std::vector<std::string> prompts;
  for (int i = 0; i < kRequests; ++i) {
    trackers.push_back(&tracker());
    prompts.push_back("pulled " + std::to_string(i) + " words here");
    requests.push_back(start_stream(client.get(), prompts.back(), Tier::pull, trackers.back()));
    EXPECT_EQ(hfi_request_user_data(requests.back().get()), trackers.back());
  }
  std::map<hfi_request*, Tracker*> by_request;
  for (int i = 0; i < kRequests; ++i) by_request[requests[static_cast<size_t>(i)].get()] = trackers[static_cast<size_t>(i)];
  int foreign = 0;
  ASSERT_TRUE(pull_until(
      client.get(),
      [&] {
        for (auto& t : trackers)
          if (!t->final_seen) return false;
        return true;
      },
      [&](EventPtr e) {
        hfi_request* r = hfi_event_request(e.get());
        auto it = by_request.find(r);
        if (it == by_request.end()) {
          ++foreign;
          return;
        }
        EXPECT_EQ(hfi_request_user_data(r), it->second);
        it->second->record(e.get());
      }));
  EXPECT_EQ(foreign, 0);
  const std::thread::id me = std::this_thread::get_id();
  for (int i = 0; i < kRequests; ++i) {
    SCOPED_TRACE("request " + std::to_string(i));
    Tracker& t = *trackers[static_cast<size_t>(i)];
    EXPECT_EQ(t.text(), answer_to(prompts[static_cast<size_t>(i)]));
    ASSERT_FALSE(t.events.empty());
    EXPECT_EQ(t.events.back().type, HFI_EVENT_DONE);
    EXPECT_EQ(t.count(HFI_EVENT_DONE), 1u);
    EXPECT_EQ(t.calls.load(), 0);
    for (const RecordedEvent& e : t.events)
      if (e.type == HFI_EVENT_DELTA) { EXPECT_FALSE(e.json.empty()); }
    for (std::thread::id id : t.threads) EXPECT_EQ(id, me);
    ResponsePtr resp = final_response(requests[static_cast<size_t>(i)].get(), HFI_OK);
    EXPECT_EQ(text(resp.get(), hfi_response_content), answer_to(prompts[static_cast<size_t>(i)]));
  }
  ev = sentinel<hfi_event>();
  EXPECT_EQ(hfi_client_next_event(client.get(), &ev), HFI_NO_EVENT);
  EXPECT_EQ(ev, nullptr);
  requests.clear();
  client.reset();
  for (auto& t : trackers) EXPECT_EQ(t->released.load(), 1);
}

// A pull request without user data: its events still carry the request; user data is NULL.
TEST_P(RequestsPull, RequestWithoutUserData) {
  ClientPtr client = make_client();
  std::string body = chat_body("bare");
  hfi_request* raw = nullptr;
  ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), HFI_NUL_TERMINATED, nullptr, &raw),
            HFI_OK)
      << last_error();
  RequestPtr r(raw);
  EXPECT_EQ(hfi_request_user_data(r.get()), nullptr);
  Tracker& t = tracker();
  ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, [&](EventPtr e) {
    EXPECT_EQ(hfi_event_request(e.get()), r.get());
    t.record(e.get());
  }));
  EXPECT_EQ(t.text(), answer_to("bare"));
}

// The pull queue and the poll tier deliver the very same events for the same scripted answer
// (and so does the blocking hfi_chat_stream): type, choice, text, raw JSON, tool-call fields,
// usage, final status and error message; the final responses agree too.
struct Scenario {
  const char* name;
  std::string step;  // emulator script step
  int32_t task;
  hfi_status status;
};

std::string data(const std::string& json) { return "data: " + json + "\n\n"; }

std::vector<Scenario> scenarios() {
  const std::string role =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})";
  const std::string reasoning =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"reasoning_content":"let me think"},"finish_reason":null}]})";
  const std::string second_choice =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":1,"delta":{"content":"other"},"finish_reason":null}]})";
  const std::string usage =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}})";
  const std::string tool_first =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]})";
  const std::string tool_args1 =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"location\":"}}]},"finish_reason":null}]})";
  const std::string tool_args2 =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" \"Paris\"}"}}]},"finish_reason":null}]})";
  const std::string tool_second =
      R"({"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":null}]})";
  const std::string stream_error = R"({"error":{"message":"the model crashed","type":"server_error"}})";
  const std::string whole =
      R"({"id":"w1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"whole answer"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})";
  const std::string whole_tools =
      R"({"id":"w2","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},"finish_reason":"tool_calls"}]})";

  std::vector<Scenario> out;
  out.push_back({"text, reasoning, two choices, usage",
                 sse_step({data(role), data(reasoning), data(delta_chunk("Hel")), data(second_choice),
                           data(delta_chunk("lo ")), data(delta_chunk("world")), data(finish_chunk("stop")),
                           data(usage), "data: [DONE]\n\n"}),
                 HFI_TASK_CHAT_STREAM, HFI_OK});
  out.push_back({"tool calls",
                 sse_step({data(tool_first), data(tool_args1), data(tool_args2), data(tool_second),
                           data(finish_chunk("tool_calls")), "data: [DONE]\n\n"}),
                 HFI_TASK_CHAT_STREAM, HFI_OK});
  out.push_back({"error event inside the stream",
                 sse_step({data(role), data(delta_chunk("partial ")), data(stream_error)}), HFI_TASK_CHAT_STREAM,
                 HFI_E_STREAM_ERROR});
  out.push_back({"stream without an end", sse_step({data(role), data(delta_chunk("cut "))}), HFI_TASK_CHAT_STREAM,
                 HFI_E_STREAM_TRUNCATED});
  out.push_back({"stream dropped by the server",
                 sse_step({data(role), data(delta_chunk("a ")), data(delta_chunk("b ")), data(finish_chunk("stop")),
                           "data: [DONE]\n\n"},
                          ",\"drop_after\":3"),
                 HFI_TASK_CHAT_STREAM, HFI_E_STREAM_TRUNCATED});
  out.push_back({"HTTP 429", R"({"status":429,"headers":{"Retry-After":"7"},"body":"{\"error\":\"slow down\"}"})",
                 HFI_TASK_CHAT_STREAM, HFI_E_RATE_LIMITED});
  out.push_back({"whole JSON answer to a stream request", "{\"body\":" + json_str(whole) + "}", HFI_TASK_CHAT_STREAM,
                 HFI_OK});
  out.push_back({"whole JSON tool call to a stream request", "{\"body\":" + json_str(whole_tools) + "}",
                 HFI_TASK_CHAT_STREAM, HFI_OK});
  out.push_back({"non-streamed chat", "{\"body\":" + json_str(whole) + "}", HFI_TASK_CHAT, HFI_OK});
  out.push_back({"non-streamed chat, HTTP 500", R"({"status":500})", HFI_TASK_CHAT, HFI_E_SERVER});
  return out;
}

struct TierRun {
  std::vector<RecordedEvent> events;
  hfi_status status = HFI_PENDING;
  std::string content, reasoning, finish, error_message, tool_summary;
  int64_t usage[3] = {-1, -1, -1};
};

TierRun summarize(Tracker& t, hfi_request* r) {
  TierRun run;
  run.events = t.events;
  hfi_response* resp = nullptr;
  run.status = hfi_request_wait(r, -1, &resp);
  ResponsePtr owned(resp);
  EXPECT_NE(resp, nullptr);
  if (!resp) return run;
  EXPECT_EQ(hfi_response_status(resp), run.status);
  run.content = text(resp, hfi_response_content);
  run.reasoning = text(resp, hfi_response_reasoning);
  run.finish = text(resp, hfi_response_finish_reason);
  if (const hfi_error* err = hfi_response_error(resp)) run.error_message = text(err, hfi_error_message);
  hfi_response_usage(resp, &run.usage[0], &run.usage[1], &run.usage[2]);
  size_t n = 0;
  hfi_response_tool_call_count(resp, &n);
  for (size_t i = 0; i < n; ++i)
    run.tool_summary += text_at(resp, i, hfi_response_tool_call_id) + ":" + text_at(resp, i, hfi_response_tool_call_name) +
                        ":" + text_at(resp, i, hfi_response_tool_call_arguments) + ";";
  return run;
}

TEST_P(RequestsPull, PullAndPollDeliverIdenticalEvents) {
  ClientPtr client = make_client();
  for (const Scenario& s : scenarios()) {
    SCOPED_TRACE(s.name);
    std::string body = chat_body("same script");

    emu_.script(s.step);
    Tracker& polled = tracker();
    RequestPtr a = start_request(client.get(), s.task, body, Tier::poll, &polled);
    ASSERT_TRUE(poll_until(client.get(), 20, [&] { return polled.final_seen.load(); }));
    TierRun by_poll = summarize(polled, a.get());

    emu_.script(s.step);
    Tracker& pulled = tracker();
    RequestPtr b = start_request(client.get(), s.task, body, Tier::pull, &pulled);
    ASSERT_TRUE(pull_until(client.get(), [&] { return pulled.final_seen.load(); }, route_to_tracker));
    TierRun by_pull = summarize(pulled, b.get());

    EXPECT_EQ(by_poll.status, s.status) << hfi_status_str(by_poll.status);
    EXPECT_EQ(by_pull.status, s.status) << hfi_status_str(by_pull.status);
    EXPECT_EQ(describe_all(by_pull.events), describe_all(by_poll.events));
    ASSERT_FALSE(by_poll.events.empty());
    EXPECT_EQ(by_poll.events.back().type, s.status == HFI_OK ? HFI_EVENT_DONE : HFI_EVENT_ERROR);
    EXPECT_EQ(by_poll.events.back().status, s.status);
    EXPECT_EQ(polled.finals.load(), 1);
    EXPECT_EQ(pulled.finals.load(), 1);
    if (s.status != HFI_OK) { EXPECT_FALSE(by_poll.events.back().error_message.empty()); }
    if (s.task == HFI_TASK_CHAT) { EXPECT_EQ(by_poll.events.size(), 1u) << "a non-streamed request has only its final event"; }
    EXPECT_EQ(by_pull.content, by_poll.content);
    EXPECT_EQ(by_pull.reasoning, by_poll.reasoning);
    EXPECT_EQ(by_pull.finish, by_poll.finish);
    EXPECT_EQ(by_pull.error_message, by_poll.error_message);
    EXPECT_EQ(by_pull.tool_summary, by_poll.tool_summary);
    for (int k = 0; k < 3; ++k) EXPECT_EQ(by_pull.usage[k], by_poll.usage[k]);
    if (s.task == HFI_TASK_CHAT_STREAM) {
      // The stream's deltas are the response's content, whichever tier carried them.
      EXPECT_EQ(polled.text(), by_poll.content);
      // The blocking call sees the same events.
      emu_.script(s.step);
      StreamResult blocking = stream_chat(client.get(), body);
      EXPECT_EQ(blocking.status, s.status);
      EXPECT_EQ(describe_all(blocking.recording.events), describe_all(by_poll.events)) << "hfi_chat_stream differs";
    }
    emu_.reset();
  }
}

// ---- wait ------------------------------------------------------------------------------------

// hfi_request_wait: 0 checks (HFI_PENDING while the server has not answered, `*out` NULL); -1
// returns the final status with the response; each call gives a new response with the same
// content; callback events are dispatched on the waiting thread.
TEST_P(RequestsWait, ZeroIsPendingThenForeverGivesTheResponse) {
  ClientPtr client = make_client();
  emu_.script(R"({"delay_ms":300})");
  Tracker& t = tracker();
  const std::string prompt = "wait for me";
  RequestPtr r = start_stream(client.get(), prompt, Tier::poll, &t);
  hfi_response* resp = sentinel<hfi_response>();
  EXPECT_EQ(hfi_request_wait(r.get(), 0, &resp), HFI_PENDING);
  EXPECT_EQ(resp, nullptr);
  EXPECT_EQ(hfi_request_status(r.get()), HFI_PENDING);
  EXPECT_EQ(hfi_request_wait(r.get(), 0, nullptr), HFI_PENDING);

  hfi_status st = HFI_PENDING;
  must_return("hfi_request_wait(-1)", [&] { st = hfi_request_wait(r.get(), -1, &resp); });
  ResponsePtr first(resp);
  EXPECT_EQ(st, HFI_OK);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(hfi_response_status(first.get()), HFI_OK);
  EXPECT_EQ(text(first.get(), hfi_response_content), answer_to(prompt));
  // Every event was delivered before wait returned, on this thread.
  EXPECT_TRUE(t.final_seen.load());
  EXPECT_EQ(t.text(), answer_to(prompt));
  EXPECT_EQ(t.count(HFI_EVENT_DONE), 1u);
  for (std::thread::id id : t.threads) EXPECT_EQ(id, std::this_thread::get_id());

  hfi_response* again = nullptr;
  EXPECT_EQ(hfi_request_wait(r.get(), 0, &again), HFI_OK);
  ResponsePtr second(again);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second.get(), first.get());
  EXPECT_EQ(text(second.get(), hfi_response_content), text(first.get(), hfi_response_content));
  EXPECT_EQ(text(second.get(), hfi_response_json), text(first.get(), hfi_response_json));
  EXPECT_EQ(hfi_request_wait(r.get(), -1, nullptr), HFI_OK);
  EXPECT_EQ(hfi_request_status(r.get()), HFI_OK);
  // The events went to the callback during wait: a later poll has nothing more for it.
  EXPECT_EQ(hfi_client_poll(client.get(), 0, nullptr), HFI_OK);
  EXPECT_EQ(t.count(HFI_EVENT_DONE), 1u);
}

// A positive timeout returns HFI_PENDING while the server delays; the request is still alive.
TEST_P(RequestsWait, PositiveTimeoutIsPendingWhileTheServerDelays) {
  ClientPtr client = make_client();
  emu_.script("{\"delay_ms\":" + std::to_string(kForeverMs) + "}");
  Tracker& t = tracker();
  RequestPtr r = start_stream(client.get(), "slow", Tier::poll, &t);
  hfi_response* resp = sentinel<hfi_response>();
  EXPECT_EQ(hfi_request_wait(r.get(), 100, &resp), HFI_PENDING);
  EXPECT_EQ(resp, nullptr);
  EXPECT_EQ(t.calls.load(), 0);
  EXPECT_EQ(hfi_request_cancel(r.get()), HFI_OK);
  hfi_status st = HFI_PENDING;
  must_return("hfi_request_wait(-1) after cancel", [&] { st = hfi_request_wait(r.get(), -1, &resp); });
  ResponsePtr owned(resp);
  EXPECT_EQ(st, HFI_E_CANCELLED);
}

// Calling hfi_request_wait(req, 0) in a loop is enough to finish a request: "the request
// progresses inside hfi_client_poll(), hfi_client_next_event() and hfi_request_wait() calls".
TEST_P(RequestsWait, WaitZeroInALoopCompletesTheRequest) {
  ClientPtr client = make_client();
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    Tracker& t = tracker();
    RequestPtr r = start_stream(client.get(), "tick", tier, &t);
    Clock::time_point give_up = Clock::now() + kHangGuard;
    hfi_status st = HFI_PENDING;
    long calls = 0;
    while (st == HFI_PENDING && Clock::now() < give_up) {
      st = hfi_request_wait(r.get(), 0, nullptr);
      ++calls;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    ASSERT_EQ(st, HFI_OK) << "still " << hfi_status_str(st) << " after " << calls << " calls of hfi_request_wait(0)";
    if (tier == Tier::poll) { EXPECT_EQ(t.text(), answer_to("tick")); }
    // Drain the pull queue for the next round.
    if (tier == Tier::pull) {
      ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
    }
  }
}

// A wait that returns has delivered every event, the final one included, both for a started
// request (hfi_request_wait) and for the blocking hfi_chat_stream, also while other threads drive
// the network for it (HFI_IO_CALLER) or the I/O thread does. Many short streams at once, on busy
// CPUs, to catch the moment the request has ended but its final event is not queued yet.
TEST_P(RequestsWait, ReturnsOnlyAfterTheFinalEventWasDelivered) {
  ClientPtr client = make_client();
  constexpr int kThreads = 6, kRounds = 500;
  std::atomic<int> missing_final{0}, blocking_missing_final{0}, bad_status{0};
  CpuLoad load;
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < kRounds; ++i) {
        std::string prompt = "w" + std::to_string(th) + " " + std::to_string(i);
        if (i % 2) {
          StreamResult r = stream_chat(client.get(), chat_body(prompt));
          bad_status += r.status != HFI_OK;
          if (r.recording.events.empty() || r.recording.events.back().type != HFI_EVENT_DONE) ++blocking_missing_final;
        } else {
          auto t = std::make_unique<Tracker>();
          RequestOptionsPtr o = make_request_options();
          EXPECT_EQ(hfi_request_options_set_callback(o.get(), Tracker::callback, t.get(), nullptr), HFI_OK);
          std::string body = chat_body(prompt);
          hfi_request* r = nullptr;
          EXPECT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), body.size(), o.get(), &r), HFI_OK);
          bad_status += hfi_request_wait(r, -1, nullptr) != HFI_OK;
          if (!t->final_seen) ++missing_final;
          hfi_request_free(r);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad_status.load(), 0);
  EXPECT_EQ(missing_final.load(), 0) << "hfi_request_wait(-1) returned before the DONE callback, of "
                                     << kThreads * kRounds / 2;
  EXPECT_EQ(blocking_missing_final.load(), 0) << "hfi_chat_stream returned without calling back DONE, of "
                                              << kThreads * kRounds / 2;
}

// HFI_TASK_CHAT: answered whole, yet callbacks and the pull queue still get exactly one DONE.
TEST_P(RequestsWait, NonStreamedChatEndsWithOneDoneEvent) {
  ClientPtr client = make_client();
  const std::string prompt = "not streamed";
  {
    Tracker& t = tracker();
    RequestPtr r = start_request(client.get(), HFI_TASK_CHAT, chat_body(prompt), Tier::poll, &t);
    hfi_response* resp = nullptr;
    EXPECT_EQ(hfi_request_wait(r.get(), -1, &resp), HFI_OK);
    ResponsePtr owned(resp);
    ASSERT_NE(owned, nullptr);
    EXPECT_EQ(text(owned.get(), hfi_response_content), answer_to(prompt));
    ASSERT_EQ(t.events.size(), 1u);
    EXPECT_EQ(t.events[0].type, HFI_EVENT_DONE);
    EXPECT_EQ(t.events[0].status, HFI_OK);
    EXPECT_EQ(t.requests[0], r.get());
    EXPECT_EQ(t.threads[0], std::this_thread::get_id());
    // The request did not ask to stream.
    ASSERT_FALSE(emu_.requests().empty());
    EXPECT_EQ(emu_.requests().back().body.find("\"stream\":true"), std::string::npos);
  }
  {
    Tracker& t = tracker();
    RequestPtr r = start_request(client.get(), HFI_TASK_CHAT, chat_body(prompt), Tier::pull, &t);
    ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
    ASSERT_EQ(t.events.size(), 1u);
    EXPECT_EQ(t.events[0].type, HFI_EVENT_DONE);
    EXPECT_EQ(t.requests[0], r.get());
    hfi_response* resp = nullptr;
    EXPECT_EQ(hfi_request_wait(r.get(), -1, &resp), HFI_OK);
    ResponsePtr owned(resp);
    EXPECT_EQ(text(owned.get(), hfi_response_content), answer_to(prompt));
    EXPECT_EQ(text(owned.get(), hfi_response_finish_reason), "stop");
  }
}

// A request nobody polls still completes inside hfi_request_wait(-1), pull request included.
TEST_P(RequestsWait, ForeverAloneDrivesAPullRequest) {
  ClientPtr client = make_client();
  Tracker& t = tracker();
  RequestPtr r = start_stream(client.get(), "only wait", Tier::pull, &t);
  hfi_status st = HFI_PENDING;
  hfi_response* resp = nullptr;
  must_return("hfi_request_wait(-1)", [&] { st = hfi_request_wait(r.get(), -1, &resp); });
  ResponsePtr owned(resp);
  EXPECT_EQ(st, HFI_OK);
  EXPECT_EQ(text(owned.get(), hfi_response_content), answer_to("only wait"));
  // Its events are all in the pull queue.
  ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
  EXPECT_EQ(t.text(), answer_to("only wait"));
}

// ---- cancel ----------------------------------------------------------------------------------

void expect_cancelled(Tracker& t, hfi_request* r, const std::string& full) {
  EXPECT_EQ(hfi_request_status(r), HFI_E_CANCELLED);
  ASSERT_FALSE(t.events.empty());
  EXPECT_EQ(t.events.back().type, HFI_EVENT_ERROR);
  EXPECT_EQ(t.events.back().status, HFI_E_CANCELLED);
  EXPECT_FALSE(t.events.back().error_message.empty());
  EXPECT_EQ(t.finals.load(), 1);
  EXPECT_EQ(t.count(HFI_EVENT_DONE), 0u);
  EXPECT_TRUE(starts_with(full, t.text())) << "[" << t.text() << "] is not a prefix of [" << full << "]";
  ResponsePtr resp = final_response(r, HFI_E_CANCELLED);
  EXPECT_EQ(hfi_response_status(resp.get()), HFI_E_CANCELLED);
  EXPECT_EQ(text(resp.get(), hfi_response_content), t.text()) << "partial text not kept";
  const hfi_error* err = hfi_response_error(resp.get());
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(hfi_error_code(err), HFI_E_CANCELLED);
}

// Cancelled from another thread right after the start, before anything was sent (the server would
// answer after a long delay if it got the request).
TEST_P(RequestsCancel, RightAfterStartFromAnotherThread) {
  ClientPtr client = make_client();
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    emu_.script("{\"delay_ms\":" + std::to_string(kForeverMs) + "}");
    Tracker& t = tracker();
    RequestPtr r = start_stream(client.get(), "never", tier, &t);
    std::thread([&] { EXPECT_EQ(hfi_request_cancel(r.get()), HFI_OK); }).join();
    if (tier == Tier::poll) ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
    else ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
    expect_cancelled(t, r.get(), answer_to("never"));
    EXPECT_EQ(t.events.size(), 1u) << "only the ERROR event";
    EXPECT_EQ(hfi_request_cancel(r.get()), HFI_OK) << "cancelling again";
    EXPECT_EQ(hfi_request_status(r.get()), HFI_E_CANCELLED);
    emu_.reset();
  }
  // The client still works.
  Tracker& t = tracker();
  RequestPtr r = start_stream(client.get(), "after", Tier::poll, &t);
  ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
  EXPECT_EQ(t.text(), answer_to("after"));
}

// Cancelled while the server holds back its status line: ends at once, not when the server answers.
TEST_P(RequestsCancel, WhileTheServerDelaysItsHeaders) {
  ClientPtr client = make_client();
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    size_t before = emu_.requests().size();
    emu_.script("{\"delay_ms\":" + std::to_string(kForeverMs) + "}");
    Tracker& t = tracker();
    RequestPtr r = start_stream(client.get(), "delayed", tier, &t);
    ASSERT_TRUE(until_received(client.get(), before + 1));
    EXPECT_EQ(hfi_request_status(r.get()), HFI_PENDING);
    std::thread([&] { EXPECT_EQ(hfi_request_cancel(r.get()), HFI_OK); }).join();
    if (tier == Tier::poll) ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
    else ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
    expect_cancelled(t, r.get(), answer_to("delayed"));
    EXPECT_EQ(t.text(), "");
  }
}

// Cancelled from another thread after the first DELTA: the text so far is kept, then one ERROR.
TEST_P(RequestsCancel, MidStreamKeepsThePartialText) {
  ClientPtr client = make_client();
  const std::string prompt = "one two three four five six seven eight nine ten";
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    emu_.script(R"({"default_sse":true,"chunk_delay_ms":100})");
    Tracker& t = tracker();
    RequestPtr r = start_stream(client.get(), prompt, tier, &t);
    std::atomic<bool> cancelled{false};
    std::thread canceller([&] {
      if (!eventually([&] { return t.deltas.load() >= 1; })) return;
      EXPECT_EQ(hfi_request_cancel(r.get()), HFI_OK);
      cancelled = true;
    });
    bool ended = tier == Tier::poll
                     ? poll_until(client.get(), 20, [&] { return t.final_seen.load(); })
                     : pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker);
    canceller.join();
    ASSERT_TRUE(ended);
    ASSERT_TRUE(cancelled.load());
    expect_cancelled(t, r.get(), answer_to(prompt));
    EXPECT_FALSE(t.text().empty());
    EXPECT_NE(t.text(), answer_to(prompt)) << "the 100 ms chunks should not all have arrived";
  }
}

// Cancelling a request that has completed changes nothing.
TEST_P(RequestsCancel, AfterCompletionChangesNothing) {
  ClientPtr client = make_client();
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    Tracker& t = tracker();
    RequestPtr r = start_stream(client.get(), "done already", tier, &t);
    if (tier == Tier::poll) ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
    else ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
    ASSERT_EQ(hfi_request_status(r.get()), HFI_OK);
    std::thread([&] { EXPECT_EQ(hfi_request_cancel(r.get()), HFI_OK); }).join();
    EXPECT_EQ(hfi_request_cancel(r.get()), HFI_OK);
    // Give a cancellation every chance to (wrongly) land.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(hfi_client_poll(client.get(), 10, nullptr), HFI_OK);
    hfi_event* ev = sentinel<hfi_event>();
    EXPECT_EQ(hfi_client_next_event(client.get(), &ev), HFI_NO_EVENT);
    EXPECT_EQ(ev, nullptr);
    EXPECT_EQ(hfi_request_status(r.get()), HFI_OK);
    EXPECT_EQ(t.finals.load(), 1);
    EXPECT_EQ(t.events.back().type, HFI_EVENT_DONE);
    ResponsePtr resp = final_response(r.get(), HFI_OK);
    EXPECT_EQ(text(resp.get(), hfi_response_content), answer_to("done already"));
    EXPECT_EQ(hfi_response_error(resp.get()), nullptr);
  }
}

// Many threads cancel many requests at once while this thread polls.
TEST_P(RequestsCancel, ConcurrentCancelsFromManyThreads) {
  ClientPtr client = make_client();
  constexpr int kRequests = 12;
  emu_.script(R"({"default_sse":true,"chunk_delay_ms":50,"repeat":12})");
  std::vector<Tracker*> trackers;
  std::vector<RequestPtr> requests;
  for (int i = 0; i < kRequests; ++i) {
    trackers.push_back(&tracker());
    requests.push_back(start_stream(client.get(), "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 " + std::to_string(i),
                                    i % 3 == 2 ? Tier::pull : Tier::poll, trackers.back()));
  }
  std::atomic<bool> go{false};
  std::vector<std::thread> cancellers;
  for (int i = 0; i < kRequests; ++i) {
    cancellers.emplace_back([&, i] {
      while (!go) std::this_thread::yield();
      for (int k = 0; k < 3; ++k) EXPECT_EQ(hfi_request_cancel(requests[static_cast<size_t>(i)].get()), HFI_OK);
    });
  }
  ASSERT_TRUE(drive_until(client.get(), [&] {
    if (!go) go = true;
    for (auto& t : trackers)
      if (!t->final_seen) return false;
    return true;
  }));
  for (auto& th : cancellers) th.join();
  for (int i = 0; i < kRequests; ++i) {
    SCOPED_TRACE(i);
    hfi_status st = hfi_request_status(requests[static_cast<size_t>(i)].get());
    // A request may have finished before its canceller ran; most will be cancelled.
    EXPECT_TRUE(st == HFI_E_CANCELLED || st == HFI_OK) << hfi_status_str(st);
    EXPECT_EQ(trackers[static_cast<size_t>(i)]->finals.load(), 1);
    EXPECT_EQ(trackers[static_cast<size_t>(i)]->events.back().status, st);
  }
}

// ---- free --------------------------------------------------------------------------------------

// hfi_request_free on a running request cancels it; its user data is released once; no callback
// runs after the release; the client keeps working.
TEST_P(RequestsFree, RunningRequestIsCancelledAndTheClientGoesOn) {
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    Tracker& t = tracker();
    ClientPtr client = make_client();
    emu_.script(R"({"default_sse":true,"stall_after":2,"stall_ms":60000})");
    RequestPtr r = start_stream(client.get(), "freed while running", tier, &t);
    if (tier == Tier::poll) ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.deltas.load() >= 1; }));
    else ASSERT_TRUE(pull_until(client.get(), [&] { return t.deltas.load() >= 1; }, route_to_tracker));
    int calls_at_free = t.calls.load();
    r.reset();
    // Keep driving until the client reports nothing pending and the user data was released.
    int32_t pending = -1;
    ASSERT_TRUE(eventually([&] {
      EXPECT_EQ(hfi_client_poll(client.get(), 10, &pending), HFI_OK);
      for (;;) {
        hfi_event* ev = nullptr;
        if (hfi_client_next_event(client.get(), &ev) != HFI_OK) break;
        hfi_event_free(ev);  // events of a freed request: not routed through its (freed) handle
      }
      return pending == 0 && t.released.load() == 1;
    })) << "pending " << pending << ", released " << t.released.load();
    EXPECT_EQ(t.calls_after_release.load(), 0) << "a callback ran after the release hook";
    (void)calls_at_free;
    // The client goes on.
    emu_.reset();
    Tracker& next = tracker();
    RequestPtr again = start_stream(client.get(), "next one", Tier::poll, &next);
    ASSERT_TRUE(poll_until(client.get(), 20, [&] { return next.final_seen.load(); }));
    EXPECT_EQ(next.text(), answer_to("next one"));
    client.reset();
    EXPECT_EQ(t.released.load(), 1);
  }
}

// Once hfi_request_free has returned, nothing more is delivered for that request: no callback (its
// handle is gone, and hfi_event_request() would hand the callback a dangling pointer), and no new
// pull event carrying the freed pointer (a pull consumer routes events by that pointer, and a new
// request may be allocated at the same address). Events queued before the free are not counted:
// the stream is drained and stalled when it is freed.
TEST_P(RequestsFree, NothingIsDeliveredForARequestAfterItsFree) {
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    Tracker& t = tracker();
    ClientPtr client = make_client();
    emu_.script(R"({"default_sse":true,"stall_after":2,"stall_ms":60000})");
    RequestPtr r = start_stream(client.get(), "freed while running", tier, &t);
    if (tier == Tier::poll) {
      ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.calls.load() >= 2; }));
    } else {
      ASSERT_TRUE(pull_until(client.get(), [&] { return t.events.size() >= 2; }, route_to_tracker));
      hfi_event* ev = nullptr;
      ASSERT_EQ(hfi_client_next_event(client.get(), &ev), HFI_NO_EVENT) << "the stream should be stalled";
    }
    const int calls_at_free = t.calls.load();
    const void* freed = r.get();
    r.reset();
    int later_with_freed_pointer = 0, later_events = 0;
    ASSERT_TRUE(eventually([&] {
      int32_t pending = -1;
      EXPECT_EQ(hfi_client_poll(client.get(), 10, &pending), HFI_OK);
      for (;;) {
        hfi_event* ev = nullptr;
        if (hfi_client_next_event(client.get(), &ev) != HFI_OK) break;
        ++later_events;
        later_with_freed_pointer += static_cast<const void*>(hfi_event_request(ev)) == freed;
        hfi_event_free(ev);
      }
      return pending == 0 && t.released.load() == 1;
    }));
    EXPECT_EQ(t.calls.load() - calls_at_free, 0)
        << "callback(s) after hfi_request_free returned; last event type " << t.events.back().type << " status "
        << t.events.back().status;
    EXPECT_EQ(later_with_freed_pointer, 0) << "of " << later_events
                                           << " pulled event(s) that appeared after hfi_request_free returned";
    EXPECT_EQ(t.calls_after_release.load(), 0) << "a callback ran after the release hook";
  }
}

// hfi_request_free from another thread (a garbage collector's) while the polling thread is inside
// the request's last callback: the release hook must wait until that callback has returned ("its
// release hook runs once no callback of it is running"). The callback gives the free up to a
// second to happen (hfi_request_free may also block until the callback returns).
TEST_P(RequestsFree, FreeFromAnotherThreadDuringTheLastCallbackDefersTheRelease) {
  for (int32_t final_type : {HFI_EVENT_DONE, HFI_EVENT_ERROR}) {
    SCOPED_TRACE(final_type == HFI_EVENT_DONE ? "DONE" : "ERROR");
    Tracker& t = tracker();
    ClientPtr client = make_client();
    if (final_type == HFI_EVENT_ERROR) emu_.script(R"({"status":429})");
    std::atomic<bool> in_last{false}, free_returned{false};
    std::atomic<int> released_inside{-1};
    t.on_event = [&](const hfi_event* ev, Tracker& self) {
      if (!is_final(hfi_event_type(ev))) return;
      in_last = true;
      Clock::time_point until = Clock::now() + milliseconds(1000);
      while (!free_returned && Clock::now() < until) std::this_thread::sleep_for(milliseconds(1));
      std::this_thread::sleep_for(milliseconds(20));  // a release on the other thread lands by now
      released_inside = self.released.load();
    };
    hfi_request* r = start_stream(client.get(), "freed by another thread", Tier::poll, &t).release();
    std::thread freer([&] {
      if (!eventually([&] { return in_last.load(); })) return;
      hfi_request_free(r);
      free_returned = true;
    });
    bool delivered = poll_until(client.get(), 20, [&] { return t.final_seen.load(); });
    must_return("the freeing thread", [&] { freer.join(); });
    ASSERT_TRUE(delivered);
    ASSERT_TRUE(free_returned.load());
    EXPECT_EQ(released_inside.load(), 0) << "the release hook ran while the request's callback was running";
    EXPECT_TRUE(eventually([&] {
      EXPECT_EQ(hfi_client_poll(client.get(), 0, nullptr), HFI_OK);
      return t.released.load() == 1;
    }));
    client.reset();
    EXPECT_EQ(t.released.load(), 1);
    emu_.reset();
  }
}

// Requests in every stage when the client goes: waiting for headers, mid-stream, completed.
struct InFlight {
  std::vector<std::unique_ptr<Tracker>> trackers;  // declared before the client in each test
  std::vector<RequestPtr> requests;
  std::vector<Tier> tiers;
  std::vector<hfi_status> expected;
  std::vector<EventPtr> kept_events;  // pulled, not freed yet
};

// Starts the requests one at a time, each with its own scripted answer, and drives each to its stage.
void start_in_flight(hfi::emu::Emulator& emu, hfi_client* client, InFlight& f) {
  struct Plan {
    std::string step;
    Tier tier;
    int deltas;  // drive until this many DELTAs arrived (-1: until it completed, -2: not at all)
    hfi_status expected;
  };
  const std::string stall = R"({"default_sse":true,"stall_after":2,"stall_ms":60000})";
  const std::string delay = "{\"delay_ms\":" + std::to_string(kForeverMs) + "}";
  // The requests waiting for their headers come last: while one does, libcurl holds back later
  // requests to the same host (see ADelayedResponseDoesNotHoldBackTheNextRequest). The last one
  // is not driven at all: it may be anywhere between "queued" and "sent".
  std::vector<Plan> plans = {
      {stall, Tier::poll, 1, HFI_E_CANCELLED}, {stall, Tier::pull, 1, HFI_E_CANCELLED},
      {"{}", Tier::poll, -1, HFI_OK},           {"{}", Tier::pull, -1, HFI_OK},
      {delay, Tier::poll, 0, HFI_E_CANCELLED},  {delay, Tier::pull, -2, HFI_E_CANCELLED},
  };
  for (const Plan& p : plans) {
    size_t before = emu.requests().size();
    emu.script(p.step);
    f.trackers.push_back(std::make_unique<Tracker>());
    Tracker& t = *f.trackers.back();
    f.requests.push_back(start_stream(client, "in flight " + std::to_string(f.requests.size()), p.tier, &t));
    f.tiers.push_back(p.tier);
    f.expected.push_back(p.expected);
    if (p.deltas == -2) continue;
    auto reached = [&] {
      if (emu.requests().size() <= before) return false;
      return p.deltas < 0 ? t.final_seen.load() : t.deltas.load() >= p.deltas;
    };
    Clock::time_point give_up = Clock::now() + kHangGuard;
    while (!reached()) {
      ASSERT_LT(Clock::now(), give_up) << "request " << f.requests.size() - 1 << " never reached its stage: the server got "
                                       << emu.requests().size() - before << " new request(s), its events: "
                                       << t.calls.load() << " by callback, " << t.events.size() << " in all";
      EXPECT_EQ(hfi_client_poll(client, 5, nullptr), HFI_OK);
      for (;;) {
        hfi_event* ev = nullptr;
        if (hfi_client_next_event(client, &ev) != HFI_OK) break;
        route_to_tracker(EventPtr(ev));
      }
    }
  }
}

// After hfi_client_free, every request reports its final status (cancelled unless it had
// completed) from status, wait(0), wait(-1) and cancel, without hanging; user data is released
// only when each request is freed.
TEST_P(RequestsFree, ClientFirstThenRequests) {
  InFlight f;
  ClientPtr client = make_client();
  ASSERT_NO_FATAL_FAILURE(start_in_flight(emu_, client.get(), f));
  must_return("hfi_client_free with requests in flight", [&] { client.reset(); });
  for (size_t i = 0; i < f.requests.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i));
    hfi_request* r = f.requests[i].get();
    EXPECT_EQ(hfi_request_status(r), f.expected[i]);
    hfi_response* resp = nullptr;
    EXPECT_EQ(hfi_request_wait(r, 0, &resp), f.expected[i]);
    ResponsePtr a(resp);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(hfi_response_status(a.get()), f.expected[i]);
    hfi_status st = HFI_PENDING;
    must_return("hfi_request_wait(-1) after hfi_client_free", [&] { st = hfi_request_wait(r, -1, &resp); });
    ResponsePtr b(resp);
    EXPECT_EQ(st, f.expected[i]);
    EXPECT_EQ(hfi_request_cancel(r), HFI_OK);
    EXPECT_EQ(hfi_request_status(r), f.expected[i]);
    EXPECT_EQ(hfi_request_user_data(r), f.trackers[i].get());
    // What arrived before the client went is kept.
    EXPECT_TRUE(starts_with(answer_to("in flight " + std::to_string(i)), text(a.get(), hfi_response_content)));
    if (f.expected[i] == HFI_OK) { EXPECT_EQ(text(a.get(), hfi_response_content), answer_to("in flight " + std::to_string(i))); }
    EXPECT_EQ(f.trackers[i]->released.load(), 0) << "released while the request handle is alive";
  }
  f.requests.clear();
  for (size_t i = 0; i < f.trackers.size(); ++i) {
    EXPECT_EQ(f.trackers[i]->released.load(), 1) << "request " << i;
    EXPECT_EQ(f.trackers[i]->calls_after_release.load(), 0);
  }
}

// The reverse order: requests freed while in flight, then the client.
TEST_P(RequestsFree, RequestsFirstThenClient) {
  InFlight f;
  ClientPtr client = make_client();
  ASSERT_NO_FATAL_FAILURE(start_in_flight(emu_, client.get(), f));
  f.requests.clear();
  must_return("hfi_client_free after its requests", [&] { client.reset(); });
  for (size_t i = 0; i < f.trackers.size(); ++i) {
    EXPECT_EQ(f.trackers[i]->released.load(), 1) << "request " << i;
    EXPECT_EQ(f.trackers[i]->calls_after_release.load(), 0);
  }
}

// The client freed on one thread while other threads free (and just before, cancel) its requests,
// as garbage collectors do.
TEST_P(RequestsFree, FromOtherThreadsAtOnce) {
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    InFlight f;
    ClientPtr client = make_client();
    ASSERT_NO_FATAL_FAILURE(start_in_flight(emu_, client.get(), f));
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    hfi_client* raw_client = client.release();
    threads.emplace_back([&] {
      while (!go) std::this_thread::yield();
      hfi_client_free(raw_client);
    });
    for (size_t i = 0; i < f.requests.size(); ++i) {
      hfi_request* r = f.requests[i].release();
      threads.emplace_back([&go, r, i] {
        while (!go) std::this_thread::yield();
        if (i % 2) { EXPECT_EQ(hfi_request_cancel(r), HFI_OK); }
        (void)hfi_request_status(r);
        hfi_request_free(r);
      });
    }
    go = true;
    for (auto& th : threads) th.join();
    for (size_t i = 0; i < f.trackers.size(); ++i) EXPECT_EQ(f.trackers[i]->released.load(), 1) << "request " << i;
    emu_.reset();
  }
}

// Pulled events outlive their request and client: their views stay valid, and the user data is
// released only with the last of them.
TEST_P(RequestsFree, PulledEventsOutliveRequestAndClient) {
  Tracker& t = tracker();
  std::vector<EventPtr> kept;
  {
    ClientPtr client = make_client();
    emu_.script(R"({"status":429,"body":"{\"error\":\"slow down\"}"})");
    RequestPtr r = start_stream(client.get(), "keep", Tier::pull, &t);
    ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, [&](EventPtr e) {
      t.record(e.get());
      kept.push_back(std::move(e));
    }));
    ASSERT_EQ(kept.size(), 1u);
    r.reset();
    EXPECT_EQ(t.released.load(), 0) << "released while a pulled event of the request is alive";
  }
  EXPECT_EQ(t.released.load(), 0) << "released while a pulled event of the request is alive";
  hfi_event* ev = kept[0].get();
  EXPECT_EQ(hfi_event_type(ev), HFI_EVENT_ERROR);
  EXPECT_EQ(hfi_event_status(ev), HFI_E_RATE_LIMITED);
  const hfi_error* err = hfi_event_error(ev);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(hfi_error_code(err), HFI_E_RATE_LIMITED);
  EXPECT_EQ(text(err, hfi_error_message), "slow down");
  EXPECT_EQ(hfi_error_http_status(err), 429);
  kept.clear();
  EXPECT_EQ(t.released.load(), 1);
}

// The same with a stream's events held while the request is still running when everything goes.
TEST_P(RequestsFree, HeldStreamEventsOfARunningRequest) {
  Tracker& t = tracker();
  std::vector<EventPtr> kept;
  {
    ClientPtr client = make_client();
    emu_.script(R"({"default_sse":true,"stall_after":3,"stall_ms":60000})");
    RequestPtr r = start_stream(client.get(), "held events", Tier::pull, &t);
    ASSERT_TRUE(pull_until(client.get(), [&] { return t.deltas.load() >= 2; }, [&](EventPtr e) {
      t.record(e.get());
      kept.push_back(std::move(e));
    }));
    client.reset();
    r.reset();
  }
  std::string joined;
  for (auto& e : kept)
    if (hfi_event_type(e.get()) == HFI_EVENT_DELTA) joined += text(e.get(), hfi_event_text);
  EXPECT_EQ(joined, "Hello! You ");
  EXPECT_EQ(t.released.load(), 0);
  kept.clear();
  EXPECT_EQ(t.released.load(), 1);
}

// ---- release hooks ---------------------------------------------------------------------------

TEST_P(RequestsRelease, CompletedRequestReleasedOnceAtFree) {
  for (Tier tier : {Tier::poll, Tier::pull}) {
    SCOPED_TRACE(tier == Tier::poll ? "callback" : "pull");
    Tracker& t = tracker();
    ClientPtr client = make_client();
    RequestPtr r = start_stream(client.get(), "complete", tier, &t);
    if (tier == Tier::poll) ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
    else ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
    EXPECT_EQ(hfi_request_wait(r.get(), -1, nullptr), HFI_OK);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(hfi_client_poll(client.get(), 0, nullptr), HFI_OK);
    EXPECT_EQ(t.released.load(), 0) << "released before hfi_request_free";
    r.reset();
    // Released at the free, or by the client's next poll at the latest (the thread it runs on is
    // checked by HookNeverRunsOnAnInternalThread).
    EXPECT_TRUE(eventually([&] {
      EXPECT_EQ(hfi_client_poll(client.get(), 0, nullptr), HFI_OK);
      return t.released.load() == 1;
    })) << "not released after hfi_request_free of a completed, delivered request";
    client.reset();
    EXPECT_EQ(t.released.load(), 1);
  }
}

// Completed via hfi_request_wait only (no poll at all), then freed.
TEST_P(RequestsRelease, WaitedRequestReleasedOnceAtFree) {
  Tracker& t = tracker();
  ClientPtr client = make_client();
  RequestPtr r = start_stream(client.get(), "waited", Tier::poll, &t);
  EXPECT_EQ(hfi_request_wait(r.get(), -1, nullptr), HFI_OK);
  r.reset();
  client.reset();
  EXPECT_EQ(t.released.load(), 1);
}

// Started and freed at once, never polled; and started, never polled, client freed first.
TEST_P(RequestsRelease, NeverPolledRequests) {
  {
    Tracker& t = tracker();
    ClientPtr client = make_client();
    RequestPtr r = start_stream(client.get(), "never polled", Tier::poll, &t);
    r.reset();
    client.reset();
    EXPECT_EQ(t.released.load(), 1);
    EXPECT_EQ(t.calls_after_release.load(), 0);
  }
  {
    Tracker& t = tracker();
    ClientPtr client = make_client();
    RequestPtr r = start_stream(client.get(), "never polled", Tier::pull, &t);
    client.reset();
    EXPECT_EQ(t.released.load(), 0) << "released while the request handle is alive";
    EXPECT_EQ(hfi_request_status(r.get()), HFI_E_CANCELLED);
    EXPECT_EQ(hfi_request_user_data(r.get()), &t);
    r.reset();
    EXPECT_EQ(t.released.load(), 1);
  }
}

// The builder releases user data it never handed over, and user data it replaces.
TEST(RequestsBuilder, ReleasesUserDataItStillHolds) {
  Tracker a, b, c;
  {
    RequestOptionsPtr o = make_request_options();
    ASSERT_EQ(hfi_request_options_set_callback(o.get(), Tracker::callback, &a, Tracker::release), HFI_OK);
    EXPECT_EQ(a.released.load(), 0);
    // Replaced by set_user_data: the callback stays, `a` is released now.
    ASSERT_EQ(hfi_request_options_set_user_data(o.get(), &b, Tracker::release), HFI_OK);
    EXPECT_EQ(a.released.load(), 1);
    EXPECT_EQ(b.released.load(), 0);
    // Replaced by set_callback.
    ASSERT_EQ(hfi_request_options_set_callback(o.get(), Tracker::callback, &c, Tracker::release), HFI_OK);
    EXPECT_EQ(b.released.load(), 1);
    // Setting the same user data again does not release it.
    ASSERT_EQ(hfi_request_options_set_user_data(o.get(), &c, Tracker::release), HFI_OK);
    EXPECT_EQ(c.released.load(), 0);
  }
  EXPECT_EQ(a.released.load(), 1);
  EXPECT_EQ(b.released.load(), 1);
  EXPECT_EQ(c.released.load(), 1) << "builder freed without starting: its user data must be released";
  // Without a hook nothing is called, and freeing is still fine.
  RequestOptionsPtr o = make_request_options();
  ASSERT_EQ(hfi_request_options_set_user_data(o.get(), &a, nullptr), HFI_OK);
  o.reset();
  EXPECT_EQ(a.released.load(), 1);
}

// The user data goes to the first request started with the builder; later ones get none, the
// callback stays; freeing the builder then releases nothing.
TEST_P(RequestsRelease, UserDataGoesToTheFirstRequestOnly) {
  static std::atomic<int> calls_without_user_data{0};
  calls_without_user_data = 0;
  struct Dispatch {
    static int32_t HFI_CALL cb(const hfi_event* ev, void* ud) {
      if (!ud) {
        ++calls_without_user_data;
        return 0;
      }
      return Tracker::callback(ev, ud);
    }
  };
  Tracker& t = tracker();
  ClientPtr client = make_client();
  RequestOptionsPtr o = make_request_options();
  ASSERT_EQ(hfi_request_options_set_callback(o.get(), Dispatch::cb, &t, Tracker::release), HFI_OK);
  std::string body = chat_body("first");
  hfi_request* first = nullptr;
  hfi_request* second = nullptr;
  ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), body.size(), o.get(), &first), HFI_OK);
  RequestPtr r1(first);
  body = chat_body("second");
  ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), body.size(), o.get(), &second), HFI_OK);
  RequestPtr r2(second);
  o.reset();
  EXPECT_EQ(t.released.load(), 0) << "the builder released user data it had handed over";
  EXPECT_EQ(hfi_request_user_data(r1.get()), &t);
  EXPECT_EQ(hfi_request_user_data(r2.get()), nullptr);
  ASSERT_TRUE(poll_until(client.get(), 20, [&] {
    return hfi_request_status(r1.get()) != HFI_PENDING && hfi_request_status(r2.get()) != HFI_PENDING &&
           t.final_seen.load();
  }));
  EXPECT_EQ(hfi_request_wait(r2.get(), -1, nullptr), HFI_OK);
  EXPECT_EQ(t.text(), answer_to("first"));
  EXPECT_GT(calls_without_user_data.load(), 0) << "the second request lost the callback";
  r2.reset();
  EXPECT_EQ(t.released.load(), 0);
  r1.reset();
  EXPECT_TRUE(eventually([&] {
    EXPECT_EQ(hfi_client_poll(client.get(), 0, nullptr), HFI_OK);
    return t.released.load() == 1;
  }));
  client.reset();
  EXPECT_EQ(t.released.load(), 1);
}

// A start that fails leaves the user data with the builder, which releases it once.
TEST_P(RequestsRelease, FailedStartKeepsUserDataInTheBuilder) {
  Tracker& t = tracker();
  ClientPtr client = make_client();
  RequestOptionsPtr o = make_request_options();
  ASSERT_EQ(hfi_request_options_set_callback(o.get(), Tracker::callback, &t, Tracker::release), HFI_OK);
  hfi_request* r = sentinel<hfi_request>();
  EXPECT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, "{\"messages\":[]}", HFI_NUL_TERMINATED, o.get(), &r),
            HFI_E_INVALID_ARG);
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(hfi_request_start(client.get(), 99, "{\"model\":\"m\"}", HFI_NUL_TERMINATED, o.get(), &r), HFI_E_INVALID_ARG);
  EXPECT_EQ(t.released.load(), 0);
  // Still usable: a successful start takes it over.
  std::string body = chat_body("after failures");
  ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), body.size(), o.get(), &r), HFI_OK);
  RequestPtr owned(r);
  o.reset();
  EXPECT_EQ(t.released.load(), 0);
  EXPECT_EQ(hfi_request_wait(owned.get(), -1, nullptr), HFI_OK);
  EXPECT_EQ(t.text(), answer_to("after failures"));
  owned.reset();
  client.reset();
  EXPECT_EQ(t.released.load(), 1);
}

// The release hook is user code: like callbacks, it must never run on hfi's I/O thread. Pull and
// callback requests, freed as soon as their last event arrived, many times over.
TEST_P(RequestsRelease, HookNeverRunsOnAnInternalThread) {
  // The application side is kept as short as possible, as a game loop's would be: the request is
  // freed the moment its final event was seen.
  struct Light {
    static int32_t HFI_CALL cb(const hfi_event* ev, void* user_data) {
      if (is_final(hfi_event_type(ev))) static_cast<Tracker*>(user_data)->final_seen = true;
      return 0;
    }
  };
  ClientPtr client = make_client();
  const std::thread::id me = std::this_thread::get_id();
  // (HFI_IO_CALLER needs a wait to drive the I/O; poll(0) is tested elsewhere.)
  const int32_t timeout = mode() == HFI_IO_THREAD ? 0 : 1;
  int foreign = 0, rounds = 0;
  const std::string body = chat_body("r");
  CpuLoad load;
  for (int round = 0; round < kStressRounds; ++round, ++rounds) {
    Tracker* t = &tracker();
    Tier tier = round % 2 ? Tier::pull : Tier::poll;
    RequestOptionsPtr o = make_request_options();
    if (tier == Tier::poll) ASSERT_EQ(hfi_request_options_set_callback(o.get(), Light::cb, t, Tracker::release), HFI_OK);
    else ASSERT_EQ(hfi_request_options_set_user_data(o.get(), t, Tracker::release), HFI_OK);
    hfi_request* raw = nullptr;
    ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), body.size(), o.get(), &raw), HFI_OK);
    RequestPtr r(raw);
    Clock::time_point give_up = Clock::now() + kHangGuard;
    while (!t->final_seen && Clock::now() < give_up) {
      if (tier == Tier::poll) {
        hfi_client_poll(client.get(), timeout, nullptr);
      } else {
        hfi_event* ev = nullptr;
        if (hfi_client_next_event(client.get(), &ev) != HFI_OK) continue;
        bool last = is_final(hfi_event_type(ev));
        hfi_event_free(ev);
        if (last) t->final_seen = true;
      }
    }
    ASSERT_TRUE(t->final_seen.load());
    r.reset();
    // Whatever is left is released by the client's next poll at the latest.
    ASSERT_TRUE(eventually([&] {
      hfi_client_poll(client.get(), 1, nullptr);
      return t->released.load() == 1;
    }));
    for (std::thread::id id : t->release_thread_ids()) foreign += id != me;
  }
  EXPECT_EQ(foreign, 0) << "release hooks ran on a thread that is not the application's, in " << rounds << " rounds";
}

// The same for requests freed while running, whose cancellation the I/O thread completes: the
// application takes the final event at once and lets go of everything it holds.
TEST_P(RequestsRelease, HookNeverRunsOnAnInternalThreadAfterAFreeWhileRunning) {
  hfi::emu::Options eo;
  eo.threads = 1100;  // every round leaves a stalled connection behind on the server
  hfi::emu::Emulator emu(eo);
  std::string error;
  ASSERT_TRUE(emu.start(&error)) << error;
  ClientPtr client = client_for(emu, mode());
  const std::thread::id me = std::this_thread::get_id();
  const int32_t timeout = mode() == HFI_IO_THREAD ? 0 : 1;
  int foreign = 0, rounds = 0;
  const std::string body = chat_body("stalls");
  CpuLoad load;
  for (int round = 0; round < kStressRounds; ++round, ++rounds) {
    emu.script(R"({"default_sse":true,"stall_after":2,"stall_ms":60000})");
    Tracker* t = &tracker();
    Tier tier = round % 2 ? Tier::pull : Tier::poll;
    RequestOptionsPtr o = make_request_options();
    if (tier == Tier::poll) ASSERT_EQ(hfi_request_options_set_callback(o.get(), Tracker::callback, t, Tracker::release), HFI_OK);
    else ASSERT_EQ(hfi_request_options_set_user_data(o.get(), t, Tracker::release), HFI_OK);
    hfi_request* raw = nullptr;
    ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), body.size(), o.get(), &raw), HFI_OK);
    RequestPtr r(raw);
    // Until the stream stalls after its first word.
    Clock::time_point give_up = Clock::now() + kHangGuard;
    int seen = 0;
    while (seen < 2 && Clock::now() < give_up) {
      if (tier == Tier::poll) {
        hfi_client_poll(client.get(), timeout, nullptr);
        seen = t->calls.load();
      } else {
        hfi_event* ev = nullptr;
        if (hfi_client_next_event(client.get(), &ev) != HFI_OK) continue;
        hfi_event_free(ev);
        ++seen;
      }
    }
    ASSERT_EQ(seen, 2);
    r.reset();
    // Take whatever comes next as soon as it comes, and drop it at once.
    give_up = Clock::now() + kHangGuard;
    while (t->released.load() == 0 && Clock::now() < give_up) {
      if (tier == Tier::poll) {
        hfi_client_poll(client.get(), timeout, nullptr);
      } else {
        hfi_event* ev = nullptr;
        if (hfi_client_next_event(client.get(), &ev) == HFI_OK) hfi_event_free(ev);
      }
    }
    ASSERT_EQ(t->released.load(), 1);
    for (std::thread::id id : t->release_thread_ids()) foreign += id != me;
  }
  EXPECT_EQ(foreign, 0) << "release hooks ran on a thread that is not the application's, in " << rounds << " rounds";
}

// ---- callback abort ----------------------------------------------------------------------------

// A callback returning non-zero during hfi_client_poll ends its own request with
// HFI_E_ABORTED_BY_CALLBACK and is not called again; the other requests go on.
TEST_P(RequestsAbort, NonZeroFromACallbackAbortsOnlyItsRequest) {
  ClientPtr client = make_client();
  constexpr int kRequests = 3;
  std::vector<Tracker*> trackers;
  std::vector<RequestPtr> requests;
  for (int i = 0; i < kRequests; ++i) {
    trackers.push_back(&tracker());
    if (i == 1) trackers.back()->abort_at = 1;  // its second event (the first DELTA)
    requests.push_back(start_stream(client.get(), "abort test " + std::to_string(i), Tier::poll, trackers.back()));
  }
  ASSERT_TRUE(poll_until(client.get(), 20, [&] {
    return trackers[0]->final_seen && trackers[2]->final_seen && hfi_request_status(requests[1].get()) != HFI_PENDING;
  }));
  // Any stray callback would come now.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(hfi_client_poll(client.get(), 10, nullptr), HFI_OK);
  Tracker& aborted = *trackers[1];
  EXPECT_EQ(aborted.calls.load(), 2) << "the callback was called after it returned non-zero";
  EXPECT_EQ(aborted.finals.load(), 0);
  EXPECT_EQ(hfi_request_status(requests[1].get()), HFI_E_ABORTED_BY_CALLBACK);
  hfi_response* resp = nullptr;
  EXPECT_EQ(hfi_request_wait(requests[1].get(), -1, &resp), HFI_E_ABORTED_BY_CALLBACK);
  ResponsePtr owned(resp);
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(hfi_response_status(owned.get()), HFI_E_ABORTED_BY_CALLBACK);
  EXPECT_EQ(hfi_error_code(hfi_response_error(owned.get())), HFI_E_ABORTED_BY_CALLBACK);
  for (int i : {0, 2}) {
    EXPECT_EQ(trackers[static_cast<size_t>(i)]->text(), answer_to("abort test " + std::to_string(i)));
    EXPECT_EQ(trackers[static_cast<size_t>(i)]->count(HFI_EVENT_DONE), 1u);
    EXPECT_EQ(hfi_request_status(requests[static_cast<size_t>(i)].get()), HFI_OK);
  }
}

// The same for an abort returned from a callback dispatched by hfi_request_wait.
TEST_P(RequestsAbort, NonZeroDuringWait) {
  ClientPtr client = make_client();
  Tracker& t = tracker();
  t.abort_at = 2;
  RequestPtr r = start_stream(client.get(), "abort in wait", Tier::poll, &t);
  hfi_status st = HFI_PENDING;
  must_return("hfi_request_wait(-1)", [&] { st = hfi_request_wait(r.get(), -1, nullptr); });
  EXPECT_EQ(st, HFI_E_ABORTED_BY_CALLBACK);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(hfi_client_poll(client.get(), 10, nullptr), HFI_OK);
  EXPECT_EQ(t.calls.load(), 3);
}

// ---- re-entrancy -----------------------------------------------------------------------------

// Inside a callback, cancelling its own request and starting another are allowed.
TEST_P(RequestsReentry, CallbackCancelsItselfAndStartsAnother) {
  ClientPtr client = make_client();
  emu_.script(R"({"default_sse":true,"chunk_delay_ms":100})");
  Tracker& first = tracker();
  Tracker& second = tracker();
  RequestPtr started_inside;
  first.on_event = [&](const hfi_event* ev, Tracker& self) {
    if (hfi_event_type(ev) != HFI_EVENT_DELTA || self.deltas.load() != 1) return;
    EXPECT_EQ(hfi_request_cancel(hfi_event_request(ev)), HFI_OK);
    started_inside = start_stream(client.get(), "from a callback", Tier::poll, &second);
  };
  RequestPtr r = start_stream(client.get(), "one two three four five six", Tier::poll, &first);
  ASSERT_TRUE(poll_until(client.get(), 20, [&] { return first.final_seen && second.final_seen; }));
  expect_cancelled(first, r.get(), answer_to("one two three four five six"));
  EXPECT_EQ(second.text(), answer_to("from a callback"));
  EXPECT_EQ(second.count(HFI_EVENT_DONE), 1u);
}

// Inside a callback, freeing its own request is deferred until the callback returns: no crash,
// released once, never a callback after the release.
TEST_P(RequestsReentry, CallbackFreesItsOwnRequest) {
  ClientPtr client = make_client();
  emu_.script(R"({"default_sse":true,"chunk_delay_ms":50})");
  Tracker& t = tracker();
  Tracker& other = tracker();
  hfi_request* self = nullptr;
  int calls_at_free = -1;
  t.on_event = [&](const hfi_event* ev, Tracker& tr) {
    if (hfi_event_type(ev) == HFI_EVENT_DELTA && calls_at_free < 0) {
      calls_at_free = tr.calls.load();
      hfi_request_free(self);
    }
  };
  self = start_stream(client.get(), "free me from inside", Tier::poll, &t).release();
  RequestPtr r2 = start_stream(client.get(), "bystander", Tier::poll, &other);
  ASSERT_TRUE(poll_until(client.get(), 20, [&] { return other.final_seen.load() && t.released.load() == 1; }))
      << "released " << t.released.load();
  EXPECT_EQ(other.text(), answer_to("bystander"));
  EXPECT_EQ(t.calls_after_release.load(), 0);
  if (t.calls.load() != calls_at_free)
    ADD_FAILURE() << (t.calls.load() - calls_at_free) << " callback(s) after the callback freed its request";
}

// The same when the callback frees its request from its last event (DONE or ERROR), when the
// request has already ended: the release hook still waits for the callback to return.
TEST_P(RequestsReentry, LastCallbackFreesItsOwnRequest) {
  for (int32_t final_type : {HFI_EVENT_DONE, HFI_EVENT_ERROR}) {
    SCOPED_TRACE(final_type == HFI_EVENT_DONE ? "DONE" : "ERROR");
    Tracker& t = tracker();
    ClientPtr client = make_client();
    if (final_type == HFI_EVENT_ERROR) emu_.script(R"({"status":500})");
    hfi_request* self = nullptr;
    int released_after_free = -1;
    t.on_event = [&](const hfi_event* ev, Tracker& tr) {
      if (!is_final(hfi_event_type(ev))) return;
      EXPECT_EQ(hfi_event_type(ev), final_type);
      hfi_request_free(self);
      released_after_free = tr.released.load();  // the callback still owns its user data here
    };
    self = start_stream(client.get(), "free me last", Tier::poll, &t).release();
    ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
    EXPECT_EQ(released_after_free, 0) << "released inside the callback that freed the request";
    EXPECT_TRUE(eventually([&] {
      EXPECT_EQ(hfi_client_poll(client.get(), 0, nullptr), HFI_OK);
      return t.released.load() == 1;
    }));
    client.reset();
    EXPECT_EQ(t.released.load(), 1);
    emu_.reset();
  }
}

// ---- per-request options ---------------------------------------------------------------------

TEST_P(RequestsOptions, HeaderIsSentAndReplacesTheClientHeader) {
  OptionsPtr co = make_options();
  set_str(co.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(co.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(co.get(), HFI_OPT_IO_MODE, mode());
  set_str(co.get(), HFI_OPT_HEADER, "X-Trace: client");
  set_str(co.get(), HFI_OPT_HEADER, "X-Other: kept");
  ClientPtr client = client_with(co.get());
  RequestOptionsPtr o = make_request_options();
  ASSERT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, "X-Trace: request", HFI_NUL_TERMINATED), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, "X-Only-Here: 1", HFI_NUL_TERMINATED), HFI_OK);
  std::string body = chat_body("headers");
  for (int i = 0; i < 2; ++i) {  // the builder is reusable
    hfi_request* r = nullptr;
    ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT, body.data(), body.size(), o.get(), &r), HFI_OK);
    RequestPtr owned(r);
    EXPECT_EQ(hfi_request_wait(owned.get(), -1, nullptr), HFI_OK);
    auto seen = emu_.requests();
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().headers["x-trace"], "request");
    EXPECT_EQ(seen.back().headers["x-only-here"], "1");
    EXPECT_EQ(seen.back().headers["x-other"], "kept");
  }
  // An empty value clears the request's headers: the client's apply again.
  ASSERT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, "", 0), HFI_OK);
  hfi_request* r = nullptr;
  ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT, body.data(), body.size(), o.get(), &r), HFI_OK);
  RequestPtr owned(r);
  EXPECT_EQ(hfi_request_wait(owned.get(), -1, nullptr), HFI_OK);
  auto seen = emu_.requests();
  EXPECT_EQ(seen.back().headers["x-trace"], "client");
  EXPECT_EQ(seen.back().headers.count("x-only-here"), 0u);
}

// One request at a time keeps one easy handle busy, so every request below runs on the handle
// of the one before (finished handles are kept and get only what differs per request set again):
// nothing of a request may reach the next one.
TEST_P(RequestsOptions, NothingOfARequestReachesTheNextOnTheSameHandle) {
  OptionsPtr co = make_options();
  set_str(co.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(co.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_str(co.get(), HFI_OPT_TOKEN, "test-token-of-the-client");
  set_int(co.get(), HFI_OPT_IO_MODE, mode());
  ClientPtr client = client_with(co.get());
  auto run = [&](int32_t task, const std::string& prompt, const hfi_request_options* o) {
    std::string body = chat_body(prompt);
    hfi_request* r = nullptr;
    EXPECT_EQ(hfi_request_start(client.get(), task, body.data(), body.size(), o, &r), HFI_OK);
    RequestPtr owned(r);
    return owned ? hfi_request_wait(owned.get(), -1, nullptr) : HFI_E_INTERNAL;
  };

  // First: streamed, with headers of its own (two of them replace hfi's) and short timeouts.
  RequestOptionsPtr o = make_request_options();
  for (const char* line : {"X-Only-First: 1", "User-Agent: first/1", "Authorization: Bearer test-token-of-one-request"})
    ASSERT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, line, HFI_NUL_TERMINATED), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_int(o.get(), HFI_REQ_TIMEOUT_MS, 400), HFI_OK);
  ASSERT_EQ(hfi_request_options_set_int(o.get(), HFI_REQ_STALL_TIMEOUT_MS, 400), HFI_OK);
  EXPECT_EQ(run(HFI_TASK_CHAT_STREAM, "first", o.get()), HFI_OK);
  // Second: not streamed, no options, answered after the first request's timeouts would have hit.
  emu_.script(R"({"delay_ms":800})");
  EXPECT_EQ(run(HFI_TASK_CHAT, "second", nullptr), HFI_OK);

  auto seen = emu_.requests();
  ASSERT_EQ(seen.size(), 2u);
  auto& first = seen[0].headers;
  auto& second = seen[1].headers;
  EXPECT_EQ(first["x-only-first"], "1");
  EXPECT_EQ(first["user-agent"], "first/1");
  EXPECT_EQ(first["authorization"], "Bearer test-token-of-one-request");
  EXPECT_EQ(first["accept"], "text/event-stream");
  EXPECT_EQ(second.count("x-only-first"), 0u);
  EXPECT_EQ(second["user-agent"].rfind("hfi/", 0), 0u) << second["user-agent"];
  EXPECT_EQ(second["authorization"], "Bearer test-token-of-the-client");
  EXPECT_EQ(second["accept"], "application/json");
  EXPECT_NE(seen[1].body.find("second"), std::string::npos);
  EXPECT_EQ(seen[1].body.find("\"stream\""), std::string::npos);
}

TEST_P(RequestsOptions, TotalTimeoutOfOneRequest) {
  ClientPtr client = make_client();
  emu_.script("{\"delay_ms\":" + std::to_string(kForeverMs) + "}");
  RequestOptionsPtr o = make_request_options();
  ASSERT_EQ(hfi_request_options_set_int(o.get(), HFI_REQ_TIMEOUT_MS, 300), HFI_OK);
  Tracker& t = tracker();
  RequestPtr r = start_request(client.get(), HFI_TASK_CHAT_STREAM, chat_body("timeout"), Tier::poll, &t, o.get());
  ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
  EXPECT_EQ(hfi_request_status(r.get()), HFI_E_TIMEOUT);
  EXPECT_EQ(t.events.back().type, HFI_EVENT_ERROR);
  EXPECT_EQ(t.events.back().status, HFI_E_TIMEOUT);
}

TEST_P(RequestsOptions, StallTimeoutOfOneRequestKeepsThePartialText) {
  ClientPtr client = make_client();
  emu_.script(R"({"default_sse":true,"stall_after":3,"stall_ms":60000})");
  RequestOptionsPtr o = make_request_options();
  ASSERT_EQ(hfi_request_options_set_int(o.get(), HFI_REQ_STALL_TIMEOUT_MS, 300), HFI_OK);
  Tracker& t = tracker();
  RequestPtr r = start_request(client.get(), HFI_TASK_CHAT_STREAM, chat_body("stall here"), Tier::pull, &t, o.get());
  ASSERT_TRUE(pull_until(client.get(), [&] { return t.final_seen.load(); }, route_to_tracker));
  EXPECT_EQ(hfi_request_status(r.get()), HFI_E_STALL_TIMEOUT);
  EXPECT_EQ(t.text(), "Hello! You ");
  ResponsePtr resp = final_response(r.get(), HFI_E_STALL_TIMEOUT);
  EXPECT_EQ(text(resp.get(), hfi_response_content), "Hello! You ");
}

// ---- many in flight --------------------------------------------------------------------------

// 1,000 streams in flight at once from one client (a quarter of them pull requests), against an
// emulator that serves them all concurrently; every one gets its own answer. Each stream pauses
// for a few seconds after its first word, so that all of them are seen mid-stream at the same
// time: they really are in flight together, not one after another.
TEST_P(RequestsMany, AThousandConcurrentStreams) {
  hfi::emu::Options eo;
  eo.threads = 1100;
  hfi::emu::Emulator emu(eo);
  std::string error;
  ASSERT_TRUE(emu.start(&error)) << error;
  constexpr int kRequests = 1000;
  // Long enough for all of them to start even on a loaded machine under a sanitizer.
  constexpr int kHoldMs = kStressRounds < 1000 ? 25000 : 8000;
  emu.script(R"({"default_sse":true,"stall_after":2,"stall_ms":)" + std::to_string(kHoldMs) + R"(,"repeat":1000})");
  ClientPtr client = client_for(emu, mode());
  std::vector<Tracker*> trackers;
  std::vector<RequestPtr> requests;
  trackers.reserve(kRequests);
  requests.reserve(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    trackers.push_back(&tracker());
    requests.push_back(start_stream(client.get(), "n" + std::to_string(i), i % 4 == 3 ? Tier::pull : Tier::poll,
                                    trackers.back()));
    ASSERT_NE(requests.back(), nullptr);
  }
  int32_t pending = -1;
  EXPECT_EQ(hfi_client_poll(client.get(), 0, &pending), HFI_OK);
  EXPECT_GT(pending, 0);
  EXPECT_LE(pending, kRequests);
  size_t next_unfinished = 0;
  int most_mid_stream = 0;
  ASSERT_TRUE(drive_until(
      client.get(),
      [&] {
        int mid_stream = 0;
        for (Tracker* t : trackers) mid_stream += t->deltas.load() >= 1 && !t->final_seen;
        most_mid_stream = std::max(most_mid_stream, mid_stream);
        while (next_unfinished < trackers.size() && trackers[next_unfinished]->final_seen) ++next_unfinished;
        return next_unfinished == trackers.size();
      },
      std::chrono::seconds(240)))
      << next_unfinished << " of " << kRequests << " completed in order before the guard";
  EXPECT_EQ(most_mid_stream, kRequests) << "the streams were never all in flight at once";
  int wrong = 0;
  for (int i = 0; i < kRequests; ++i) {
    Tracker& t = *trackers[static_cast<size_t>(i)];
    bool ok = t.text() == answer_to("n" + std::to_string(i)) && t.finals.load() == 1 &&
              t.events.back().type == HFI_EVENT_DONE &&
              hfi_request_status(requests[static_cast<size_t>(i)].get()) == HFI_OK;
    if (!ok && wrong < 5)
      ADD_FAILURE() << "request " << i << ": [" << t.text() << "] final " << t.events.back().type << " status "
                    << t.events.back().status << " " << t.events.back().error_message;
    wrong += !ok;
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(hfi_client_poll(client.get(), 0, &pending), HFI_OK);
  EXPECT_EQ(pending, 0);
  EXPECT_EQ(emu.requests().size(), static_cast<size_t>(kRequests));
  requests.clear();
  client.reset();
  for (auto& t : trackers) EXPECT_EQ(t->released.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(IoModes, RequestsPoll, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsPull, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsWait, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsCancel, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsFree, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsRelease, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsAbort, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsReentry, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsOptions, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsMany, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());

// ---- NULL and invalid arguments --------------------------------------------------------------
//
// Every function of the "Non-blocking requests" section:
//   hfi_request_options_new          RequestsArguments.OptionsNew
//   hfi_request_options_free         RequestsArguments.FreeFunctionsTakeNull
//   hfi_request_options_set_callback RequestsArguments.OptionsSetters
//   hfi_request_options_set_user_data RequestsArguments.OptionsSetters
//   hfi_request_options_set_str      RequestsArguments.OptionsSetStr
//   hfi_request_options_set_int      RequestsArguments.OptionsSetInt
//   hfi_request_start                RequestsArguments.Start*
//   hfi_request_wait                 RequestsArguments.Wait
//   hfi_request_cancel               RequestsArguments.CancelStatusUserData
//   hfi_request_status               RequestsArguments.CancelStatusUserData
//   hfi_request_user_data            RequestsArguments.CancelStatusUserData
//   hfi_request_free                 RequestsArguments.FreeFunctionsTakeNull
//   hfi_client_poll                  RequestsArguments.Poll
//   hfi_client_next_event            RequestsArguments.NextEvent
//   hfi_event_free                   RequestsArguments.FreeFunctionsTakeNull, .EventFreeOfABorrowedEvent
//   hfi_event_request                RequestsArguments.EventRequest
//   hfi_client_wakeup                RequestsArguments.Wakeup
//   (hfi_status_str of HFI_PENDING)  RequestsArguments.StatusStrKnowsTheNonErrorCodes

class RequestsArguments : public ArenaTest {};

TEST_F(RequestsArguments, OptionsNew) {
  EXPECT_EQ(hfi_request_options_new(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  hfi_request_options* o = nullptr;
  EXPECT_EQ(hfi_request_options_new(&o), HFI_OK);
  EXPECT_CLEARED();
  EXPECT_NE(o, nullptr);
  hfi_request_options_free(o);
}

TEST_F(RequestsArguments, FreeFunctionsTakeNull) {
  hfi_request_options_free(nullptr);
  hfi_request_free(nullptr);
  hfi_event_free(nullptr);
}

TEST_F(RequestsArguments, OptionsSetters) {
  Tracker& t = tracker();
  EXPECT_EQ(hfi_request_options_set_callback(nullptr, Tracker::callback, &t, Tracker::release), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_request_options_set_user_data(nullptr, &t, Tracker::release), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(t.released.load(), 0) << "a rejected call must not take the user data";
  RequestOptionsPtr o = make_request_options();
  EXPECT_EQ(hfi_request_options_set_callback(o.get(), nullptr, nullptr, nullptr), HFI_OK) << "removing the callback";
  EXPECT_CLEARED();
  EXPECT_EQ(hfi_request_options_set_user_data(o.get(), nullptr, nullptr), HFI_OK);
  EXPECT_CLEARED();
}

TEST_F(RequestsArguments, OptionsSetStr) {
  EXPECT_EQ(hfi_request_options_set_str(nullptr, HFI_REQ_HEADER, "X-A: 1", HFI_NUL_TERMINATED), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  RequestOptionsPtr o = make_request_options();
  for (int32_t key : std::vector<int32_t>{0, -1, 1001, 1002, 1999, HFI_REQ_TIMEOUT_MS, HFI_REQ_STALL_TIMEOUT_MS, 3000}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(hfi_request_options_set_str(o.get(), key, "X-A: 1", HFI_NUL_TERMINATED), HFI_E_UNKNOWN_OPTION);
    EXPECT_EXPLAINED();
  }
  const std::vector<std::string> bad = {"no colon", "X-A: 1\r\nX-B: 2", "X-A: line\nfeed", ": no name",
                                        std::string("X-A: nul\0byte", 13), "X-A: \xff\xfe"};
  for (const std::string& v : bad) {
    SCOPED_TRACE(v);
    EXPECT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, v.data(), v.size()), HFI_E_INVALID_ARG);
    EXPECT_EXPLAINED();
  }
  EXPECT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, nullptr, 5), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, "X-Good: yes", HFI_NUL_TERMINATED), HFI_OK);
  EXPECT_CLEARED();
  EXPECT_EQ(hfi_request_options_set_str(o.get(), HFI_REQ_HEADER, nullptr, 0), HFI_OK) << "NULL, 0 clears";
}

TEST_F(RequestsArguments, OptionsSetInt) {
  EXPECT_EQ(hfi_request_options_set_int(nullptr, HFI_REQ_TIMEOUT_MS, 1), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  RequestOptionsPtr o = make_request_options();
  for (int32_t key : std::vector<int32_t>{0, -1, HFI_REQ_HEADER, 2001, 2004, 2999, 1003}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(hfi_request_options_set_int(o.get(), key, 1), HFI_E_UNKNOWN_OPTION);
    EXPECT_EXPLAINED();
  }
  for (int32_t key : {HFI_REQ_TIMEOUT_MS, HFI_REQ_STALL_TIMEOUT_MS}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(hfi_request_options_set_int(o.get(), key, -1), HFI_E_INVALID_ARG);
    EXPECT_EXPLAINED();
    EXPECT_EQ(hfi_request_options_set_int(o.get(), key, INT64_MIN), HFI_E_INVALID_ARG);
    EXPECT_EQ(hfi_request_options_set_int(o.get(), key, 0), HFI_OK);
    EXPECT_CLEARED();
    EXPECT_EQ(hfi_request_options_set_int(o.get(), key, 1000), HFI_OK);
  }
}

TEST_F(RequestsArguments, StartRejectsNullsAndBadValues) {
  ClientPtr client = client_for(emu_);
  const std::string body = chat_body("x");
  EXPECT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT_STREAM, body.data(), body.size(), nullptr, nullptr),
            HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  struct Case {
    const char* what;
    hfi_client* client;
    int32_t task;
    const char* json;
    size_t len;
  };
  const std::string no_model = R"({"messages":[{"role":"user","content":"hi"}]})";
  const std::vector<Case> cases = {
      {"NULL client", nullptr, HFI_TASK_CHAT_STREAM, body.data(), body.size()},
      {"task 0", client.get(), 0, body.data(), body.size()},
      {"task 3", client.get(), 3, body.data(), body.size()},
      {"task -1", client.get(), -1, body.data(), body.size()},
      {"NULL body", client.get(), HFI_TASK_CHAT_STREAM, nullptr, 10},
      {"NULL body, length 0", client.get(), HFI_TASK_CHAT, nullptr, 0},
      {"NULL body, NUL-terminated", client.get(), HFI_TASK_CHAT, nullptr, HFI_NUL_TERMINATED},
      {"empty body", client.get(), HFI_TASK_CHAT_STREAM, "", 0},
      {"not JSON", client.get(), HFI_TASK_CHAT_STREAM, "hello", HFI_NUL_TERMINATED},
      {"no model", client.get(), HFI_TASK_CHAT, no_model.c_str(), HFI_NUL_TERMINATED},
      {"JSON array", client.get(), HFI_TASK_CHAT, "[]", HFI_NUL_TERMINATED},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    hfi_request* r = sentinel<hfi_request>();
    EXPECT_EQ(hfi_request_start(c.client, c.task, c.json, c.len, nullptr, &r), HFI_E_INVALID_ARG);
    EXPECT_EQ(r, nullptr);
    EXPECT_EXPLAINED();
  }
  // Nothing was sent, nothing is pending.
  EXPECT_TRUE(emu_.requests().empty());
  int32_t pending = -1;
  EXPECT_EQ(hfi_client_poll(client.get(), 0, &pending), HFI_OK);
  EXPECT_EQ(pending, 0);
  // A good start clears the message.
  hfi_request* r = nullptr;
  EXPECT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT, body.c_str(), HFI_NUL_TERMINATED, nullptr, &r), HFI_OK);
  EXPECT_CLEARED();
  RequestPtr owned(r);
  EXPECT_EQ(hfi_request_wait(owned.get(), -1, nullptr), HFI_OK);
}

TEST_F(RequestsArguments, Wait) {
  hfi_response* resp = sentinel<hfi_response>();
  EXPECT_EQ(hfi_request_wait(nullptr, 0, &resp), HFI_E_INVALID_ARG);
  EXPECT_EQ(resp, nullptr);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_request_wait(nullptr, -1, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  ClientPtr client = client_for(emu_);
  std::string body = chat_body("w");
  hfi_request* r = nullptr;
  ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT, body.data(), body.size(), nullptr, &r), HFI_OK);
  RequestPtr owned(r);
  for (int32_t bad : {-2, -1000, INT32_MIN}) {
    SCOPED_TRACE(bad);
    resp = sentinel<hfi_response>();
    EXPECT_EQ(hfi_request_wait(owned.get(), bad, &resp), HFI_E_INVALID_ARG);
    EXPECT_EQ(resp, nullptr);
    EXPECT_EXPLAINED();
  }
  EXPECT_EQ(hfi_request_wait(owned.get(), -1, &resp), HFI_OK);
  EXPECT_CLEARED();
  hfi_response_free(resp);
}

TEST_F(RequestsArguments, CancelStatusUserData) {
  EXPECT_EQ(hfi_request_cancel(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_request_status(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_request_user_data(nullptr), nullptr);
  EXPECT_EXPLAINED();
  ClientPtr client = client_for(emu_);
  std::string body = chat_body("c");
  hfi_request* r = nullptr;
  ASSERT_EQ(hfi_request_start(client.get(), HFI_TASK_CHAT, body.data(), body.size(), nullptr, &r), HFI_OK);
  RequestPtr owned(r);
  make_request_options();  // any call
  EXPECT_EQ(hfi_request_user_data(owned.get()), nullptr);
  EXPECT_CLEARED();
  EXPECT_EQ(hfi_request_wait(owned.get(), -1, nullptr), HFI_OK);
  EXPECT_EQ(hfi_request_cancel(owned.get()), HFI_OK);
  EXPECT_CLEARED();
  EXPECT_EQ(hfi_request_status(owned.get()), HFI_OK);
}

TEST_F(RequestsArguments, Poll) {
  int32_t pending = 12345;
  EXPECT_EQ(hfi_client_poll(nullptr, 0, &pending), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_client_poll(nullptr, -1, nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  ClientPtr client = client_for(emu_);
  for (int32_t bad : {-2, -100, INT32_MIN}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(hfi_client_poll(client.get(), bad, &pending), HFI_E_INVALID_ARG);
    EXPECT_EXPLAINED();
  }
  EXPECT_EQ(hfi_client_poll(client.get(), 0, nullptr), HFI_OK);
  EXPECT_CLEARED();
  EXPECT_EQ(hfi_client_poll(client.get(), 0, &pending), HFI_OK);
  EXPECT_EQ(pending, 0);
}

TEST_F(RequestsArguments, NextEvent) {
  hfi_event* ev = sentinel<hfi_event>();
  EXPECT_EQ(hfi_client_next_event(nullptr, &ev), HFI_E_INVALID_ARG);
  EXPECT_EQ(ev, nullptr);
  EXPECT_EXPLAINED();
  ClientPtr client = client_for(emu_);
  EXPECT_EQ(hfi_client_next_event(client.get(), nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  EXPECT_EQ(hfi_client_next_event(nullptr, nullptr), HFI_E_INVALID_ARG);
  ev = sentinel<hfi_event>();
  EXPECT_EQ(hfi_client_next_event(client.get(), &ev), HFI_NO_EVENT);
  EXPECT_EQ(ev, nullptr);
  EXPECT_CLEARED();
}

TEST_F(RequestsArguments, EventRequest) {
  EXPECT_EQ(hfi_event_request(nullptr), nullptr);
  EXPECT_EXPLAINED();
  // Events of blocking calls belong to no request.
  ClientPtr client = client_for(emu_);
  struct Seen {
    int events = 0;
    int with_request = 0;
    static int32_t HFI_CALL cb(const hfi_event* ev, void* ud) {
      auto* s = static_cast<Seen*>(ud);
      ++s->events;
      s->with_request += hfi_event_request(ev) != nullptr;
      return 0;
    }
  } seen;
  std::string body = chat_body("blocking");
  hfi_response* resp = nullptr;
  EXPECT_EQ(hfi_chat_stream(client.get(), body.data(), body.size(), Seen::cb, &seen, &resp), HFI_OK);
  hfi_response_free(resp);
  EXPECT_GT(seen.events, 0);
  EXPECT_EQ(seen.with_request, 0);
}

// Freeing an event a callback borrows is ignored: it stays readable, and nothing is freed twice.
TEST_F(RequestsArguments, EventFreeOfABorrowedEvent) {
  ClientPtr client = client_for(emu_);
  Tracker& t = tracker();
  int readable_after_free = 0;
  t.on_event = [&](const hfi_event* ev, Tracker&) {
    int32_t type = hfi_event_type(ev);
    std::string before = text(ev, hfi_event_text);
    hfi_event_free(const_cast<hfi_event*>(ev));
    readable_after_free += hfi_event_type(ev) == type && text(ev, hfi_event_text) == before;
  };
  RequestPtr r = start_stream(client.get(), "borrowed", Tier::poll, &t);
  ASSERT_TRUE(poll_until(client.get(), 20, [&] { return t.final_seen.load(); }));
  EXPECT_EQ(readable_after_free, t.calls.load());
  EXPECT_EQ(t.text(), answer_to("borrowed"));
  // Also through the blocking call.
  struct Blocking {
    static int32_t HFI_CALL cb(const hfi_event* ev, void*) {
      hfi_event_free(const_cast<hfi_event*>(ev));
      return 0;
    }
  };
  std::string body = chat_body("blocking borrowed");
  hfi_response* resp = nullptr;
  EXPECT_EQ(hfi_chat_stream(client.get(), body.data(), body.size(), Blocking::cb, nullptr, &resp), HFI_OK);
  EXPECT_EQ(text(resp, hfi_response_content), answer_to("blocking borrowed"));
  hfi_response_free(resp);
}

// HFI_PENDING and HFI_NO_EVENT are status codes of this section: hfi_status_str knows them.
TEST_F(RequestsArguments, StatusStrKnowsTheNonErrorCodes) {
  for (hfi_status code : {HFI_NO_EVENT, HFI_PENDING}) {
    SCOPED_TRACE(code);
    ASSERT_NE(hfi_status_str(code), nullptr);
    EXPECT_STRNE(hfi_status_str(code), "unknown status");
  }
  EXPECT_STRNE(hfi_status_str(HFI_NO_EVENT), hfi_status_str(HFI_PENDING));
}

TEST_F(RequestsArguments, Wakeup) {
  EXPECT_EQ(hfi_client_wakeup(nullptr), HFI_E_INVALID_ARG);
  EXPECT_EXPLAINED();
  ClientPtr client = client_for(emu_);
  EXPECT_EQ(hfi_client_wakeup(client.get()), HFI_OK);
  EXPECT_CLEARED();
  EXPECT_EQ(hfi_client_poll(client.get(), -1, nullptr), HFI_OK) << "returns at once after the wakeup";
}

}  // namespace

// ---- hfi_request_dispatch: a reader takes one request's events at its own pace ----------------

class RequestsDispatch : public RequestsTest {};
INSTANTIATE_TEST_SUITE_P(IoModes, RequestsDispatch, ::testing::Values(HFI_IO_CALLER, HFI_IO_THREAD), RequestModeName());

// Called until it gives the final status, it delivers every event once, in order, on this thread.
TEST_P(RequestsDispatch, DeliversEveryEventThenTheFinalStatus) {
  ClientPtr client = make_client();
  Tracker& t = tracker();
  const std::string prompt = "one two three four five";
  RequestPtr r = start_stream(client.get(), prompt, Tier::poll, &t);
  hfi_status st = HFI_PENDING;
  must_return("hfi_request_dispatch(-1) until the end", [&] {
    while ((st = hfi_request_dispatch(r.get(), -1)) == HFI_PENDING) {
    }
  });
  EXPECT_EQ(st, HFI_OK);
  EXPECT_EQ(t.text(), "Hello! You said: " + prompt);
  EXPECT_EQ(t.finals.load(), 1);
  for (std::thread::id id : t.threads) EXPECT_EQ(id, std::this_thread::get_id());
  EXPECT_EQ(hfi_request_dispatch(r.get(), 0), HFI_OK) << "after the end it keeps the final status";
  hfi_response* resp = nullptr;
  EXPECT_EQ(hfi_request_wait(r.get(), 0, &resp), HFI_OK);
  ResponsePtr owned(resp);
  EXPECT_EQ(text(resp, hfi_response_content), "Hello! You said: " + prompt);
}

// It returns once something was delivered: with chunks 150 ms apart, the first call that delivers
// a delta returns with the request still running, long before the stream ends.
TEST_P(RequestsDispatch, ReturnsAsSoonAsItDeliveredSomething) {
  ClientPtr client = make_client();
  emu_.script(R"({"default_sse":true,"chunk_delay_ms":150})");
  Tracker& t = tracker();
  RequestPtr r = start_stream(client.get(), "a b c d e f", Tier::poll, &t);
  while (t.deltas.load() == 0) ASSERT_EQ(hfi_request_dispatch(r.get(), -1), HFI_PENDING);
  EXPECT_FALSE(t.final_seen.load());
  EXPECT_LT(t.deltas.load(), 6);
  EXPECT_EQ(hfi_request_status(r.get()), HFI_PENDING);
  // A timeout of 0 never waits: between chunks it returns with nothing new.
  const int before = t.calls.load();
  EXPECT_EQ(hfi_request_dispatch(r.get(), 0), HFI_PENDING);
  EXPECT_LE(t.calls.load() - before, 1);
  hfi_request_cancel(r.get());
  hfi_status st = HFI_PENDING;
  must_return("hfi_request_dispatch after a cancel", [&] {
    while ((st = hfi_request_dispatch(r.get(), -1)) == HFI_PENDING) {
    }
  });
  EXPECT_EQ(st, HFI_E_CANCELLED);
  EXPECT_EQ(t.finals.load(), 1);
}

TEST_P(RequestsDispatch, RefusesBadArguments) {
  EXPECT_EQ(hfi_request_dispatch(nullptr, 0), HFI_E_INVALID_ARG);
  ClientPtr client = make_client();
  Tracker& t = tracker();
  RequestPtr r = start_stream(client.get(), "x", Tier::poll, &t);
  EXPECT_EQ(hfi_request_dispatch(r.get(), -2), HFI_E_INVALID_ARG);
  RequestPtr pulled = start_stream(client.get(), "pulled", Tier::pull, nullptr);
  EXPECT_EQ(hfi_request_dispatch(pulled.get(), 0), HFI_E_INVALID_ARG);
  const char* message = nullptr;
  ASSERT_EQ(hfi_last_error_message(&message, nullptr), HFI_OK);
  EXPECT_STREQ(message, "the request has no callback: its events go to the pull queue");
  while (hfi_request_dispatch(r.get(), -1) == HFI_PENDING) {
  }
}
