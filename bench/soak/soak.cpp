// hfi-soak: many requests through one client against two local emulators that fail a share of
// them at random, checking that every request resolves exactly once.
//
// Requests go through the public C ABI only, in four ways at once: started streams whose events a
// callback gets (dispatched by hfi_client_poll), started streams drained from the pull queue,
// blocking hfi_chat and blocking hfi_chat_stream on worker threads. The two emulators are two
// targets of one tier (HFI_OPT_TARGET), so a retryable fault moves the request to the other one.
//
// Checked (exit status 1 when any fails): each started request ends with exactly one final event
// and its release hook runs exactly once; each blocking call returns exactly one response; every
// success carries the whole answer; no log line holds the token. Printed: requests, faults the
// emulators injected, retries and failovers (counted from the client's log), outcomes by status,
// the resolved-once count, peak RSS, time and requests per second.
#include <curl/curl.h>
#include <hfi/hfi.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "emulator.h"

namespace {

const char* const kToken = "hf_test_soak_token_not_a_real_one_0123";

struct Settings {
  long requests = 100000;
  int concurrency = 64;
  double fault_rate = 0.10;
  unsigned long seed = 1;
  int blocking_threads = 2;
};

struct Slot {
  long index = -1;
  std::atomic<int> finals{0};
  std::atomic<int> releases{0};
  std::string streamed;
};

struct Tally {
  std::mutex mutex;
  std::map<std::string, long> outcomes;
  long resolved_once = 0;
  long violations = 0;
  long incomplete_successes = 0;
  void outcome(hfi_status status, bool complete) {
    std::lock_guard<std::mutex> lock(mutex);
    ++outcomes[status == HFI_OK ? "ok" : hfi_status_str(status)];
    if (status == HFI_OK && !complete) ++incomplete_successes;
  }
  void resolved(bool once, long index, const char* how) {
    std::lock_guard<std::mutex> lock(mutex);
    if (once) {
      ++resolved_once;
    } else {
      ++violations;
      std::fprintf(stderr, "request %ld (%s) did not resolve exactly once\n", index, how);
    }
  }
};

struct LogCounts {
  std::atomic<long> retries{0}, failovers{0}, rests{0}, token_leaks{0};
  static void HFI_CALL callback(int32_t, const char* message, size_t len, void* user_data) {
    auto* self = static_cast<LogCounts*>(user_data);
    const std::string line(message, len);
    if (line.find(kToken) != std::string::npos) ++self->token_leaks;
    if (line.find(" retrying in ") != std::string::npos) ++self->retries;
    if (line.find(" moving from target ") != std::string::npos) ++self->failovers;
    if (line.find(" rests: ") != std::string::npos) ++self->rests;
  }
};

const char* const kAnswer = "Hello! You said: soak";

void HFI_CALL release_slot(void* user_data) { static_cast<Slot*>(user_data)->releases.fetch_add(1); }

int32_t HFI_CALL on_event(const hfi_event* ev, void* user_data) {
  auto* slot = static_cast<Slot*>(user_data);
  const int32_t type = hfi_event_type(ev);
  if (type == HFI_EVENT_DELTA) {
    const char* p = nullptr;
    size_t n = 0;
    if (hfi_event_text(ev, &p, &n) == HFI_OK) slot->streamed.append(p, n);
  }
  if (type == HFI_EVENT_DONE || type == HFI_EVENT_ERROR) slot->finals.fetch_add(1);
  return 0;
}

bool complete(const hfi_response* r) {
  const char* p = nullptr;
  size_t n = 0;
  return hfi_response_content(r, &p, &n) == HFI_OK && std::string(p, n) == kAnswer;
}

bool parse_args(int argc, char** argv, Settings& s) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (!value) return false;
    if (arg == "--requests") s.requests = std::atol(value);
    else if (arg == "--concurrency") s.concurrency = std::atoi(value);
    else if (arg == "--fault-rate") s.fault_rate = std::atof(value);
    else if (arg == "--seed") s.seed = std::strtoul(value, nullptr, 10);
    else return false;
    ++i;
  }
  return s.requests > 0 && s.concurrency > 0 && s.fault_rate >= 0 && s.fault_rate <= 1;
}

size_t keep_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// The emulator's control routes, reached without hfi. Returns the status; `answer` gets the body.
long http(const std::string& url, const std::string* post, std::string& answer) {
  CURL* h = curl_easy_init();
  if (!h) return 0;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  if (post) curl_easy_setopt(h, CURLOPT_POSTFIELDS, post->c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &keep_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  long status = 0;
  if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(h);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  if (!parse_args(argc, argv, settings)) {
    std::fprintf(stderr, "usage: hfi-soak [--requests N] [--concurrency K] [--fault-rate R] [--seed S]\n");
    return 2;
  }
  hfi::emu::Emulator a, b;
  std::string error;
  if (!a.start(&error) || !b.start(&error)) {
    std::fprintf(stderr, "emulator: %s\n", error.c_str());
    return 1;
  }
  // Every fault the emulator can inject that a chat request can meet.
  const std::string steps = R"([{"status":500},{"status":502},{"status":503},{"status":504},)"
                            R"({"status":429,"headers":{"Retry-After":"0"}},{"status":408},)"
                            R"({"status":400,"body":"{\"error\":\"bad input\"}"},)"
                            R"({"drop_after":0},{"drop_after":2},{"close_after_headers":true},)"
                            R"({"stall_after":1,"stall_ms":400},{"delay_ms":400},{"split_bytes":7},)"
                            R"({"body":"not json"}])";
  long seed = static_cast<long>(settings.seed);
  for (hfi::emu::Emulator* e : {&a, &b}) {
    const std::string faults = R"({"rate":)" + std::to_string(settings.fault_rate) + R"(,"seed":)" +
                               std::to_string(seed++) + R"(,"steps":)" + steps +
                               R"(,"match":{"path":"/v1/chat/completions"}})";
    std::string answer;
    if (http(e->base_url() + "/_emulator/faults", &faults, answer) != 200) {
      std::fprintf(stderr, "could not configure the emulator's faults\n");
      return 1;
    }
  }

  LogCounts log;
  hfi_client_options* o = nullptr;
  hfi_client_options_new(&o);
  auto set_str = [&](int32_t key, const std::string& v) { hfi_client_options_set_str(o, key, v.data(), v.size()); };
  set_str(HFI_OPT_TOKEN, kToken);
  set_str(HFI_OPT_TARGET, a.base_url() + "/v1 | " + b.base_url() + "/v1");
  hfi_client_options_set_int(o, HFI_OPT_TOKEN_FROM_ENV, 0);
  hfi_client_options_set_int(o, HFI_OPT_IO_MODE, HFI_IO_THREAD);
  hfi_client_options_set_int(o, HFI_OPT_STALL_TIMEOUT_MS, 200);
  hfi_client_options_set_int(o, HFI_OPT_FIRST_BYTE_TIMEOUT_MS, 200);
  hfi_client_options_set_int(o, HFI_OPT_BREAKER_COOLDOWN_MS, 500);
  hfi_client_options_set_log(o, &LogCounts::callback, &log, HFI_LOG_WARN);
  hfi_client* client = nullptr;
  if (hfi_client_new(&client, o) != HFI_OK) {
    std::fprintf(stderr, "client: refused\n");
    return 1;
  }
  hfi_client_options_free(o);

  const std::string body = R"({"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[{"role":"user","content":"soak"}]})";
  Tally tally;
  const auto started = std::chrono::steady_clock::now();

  // A fifth of the requests are blocking calls made by worker threads; the rest are started.
  const long blocking_total = settings.requests / 5;
  std::atomic<long> next_blocking{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < settings.blocking_threads; ++w) {
    workers.emplace_back([&, w] {
      const bool streamed = w % 2 == 1;
      for (long i; (i = next_blocking.fetch_add(1)) < blocking_total;) {
        hfi_response* r = nullptr;
        Slot slot;
        const hfi_status st = streamed ? hfi_chat_stream(client, body.data(), body.size(), &on_event, &slot, &r)
                                       : hfi_chat(client, body.data(), body.size(), &r);
        tally.outcome(st, r && complete(r) && (!streamed || slot.streamed == kAnswer));
        tally.resolved(r != nullptr && hfi_response_status(r) == st && (!streamed || slot.finals == 1), i,
                       streamed ? "blocking stream" : "blocking");
        hfi_response_free(r);
      }
    });
  }
  std::atomic<long> next{blocking_total};

  // Started requests, `concurrency` in flight, half with a callback, half through the pull queue.
  struct InFlight {
    hfi_request* request;
    std::unique_ptr<Slot> slot;
    bool pulled;
  };
  std::vector<InFlight> flight;
  std::vector<std::unique_ptr<Slot>> retired;  // kept until every release hook ran
  auto start_one = [&]() -> bool {
    const long i = next.fetch_add(1);
    if (i >= settings.requests) return false;
    auto slot = std::make_unique<Slot>();
    slot->index = i;
    const bool pulled = i % 2 == 1;
    hfi_request_options* ro = nullptr;
    hfi_request_options_new(&ro);
    if (pulled) hfi_request_options_set_user_data(ro, slot.get(), &release_slot);
    else hfi_request_options_set_callback(ro, &on_event, slot.get(), &release_slot);
    hfi_request* req = nullptr;
    hfi_status st = hfi_request_start(client, HFI_TASK_CHAT_STREAM, body.data(), body.size(), ro, &req);
    hfi_request_options_free(ro);
    if (st != HFI_OK) {
      std::fprintf(stderr, "start refused: %s\n", hfi_status_str(st));
      tally.resolved(false, i, "start");
      return true;
    }
    flight.push_back({req, std::move(slot), pulled});
    return true;
  };
  bool more = true;
  while (more || !flight.empty()) {
    while (more && static_cast<int>(flight.size()) < settings.concurrency) more = start_one();
    hfi_client_poll(client, 5, nullptr);
    hfi_event* ev = nullptr;
    while (hfi_client_next_event(client, &ev) == HFI_OK && ev) {
      on_event(ev, hfi_request_user_data(hfi_event_request(ev)));
      hfi_event_free(ev);
    }
    for (size_t k = 0; k < flight.size();) {
      InFlight& f = flight[k];
      if (hfi_request_status(f.request) == HFI_PENDING || f.slot->finals.load() == 0) {
        ++k;
        continue;
      }
      hfi_response* r = nullptr;
      const hfi_status st = hfi_request_wait(f.request, 0, &r);
      tally.outcome(st, r && complete(r) && f.slot->streamed == kAnswer);
      hfi_response_free(r);
      hfi_request_free(f.request);
      retired.push_back(std::move(f.slot));
      flight[k] = std::move(flight.back());
      flight.pop_back();
    }
  }
  for (std::thread& t : workers) t.join();
  // Release hooks run on an application thread: give the last ones a poll.
  for (int i = 0; i < 100; ++i) hfi_client_poll(client, 1, nullptr);
  for (const auto& slot : retired)
    tally.resolved(slot->finals.load() == 1 && slot->releases.load() == 1, slot->index, "started");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  hfi_client_free(client);

  long injected = 0, seen = 0;
  for (hfi::emu::Emulator* e : {&a, &b}) {
    std::string counts;
    http(e->base_url() + "/_emulator/faults", nullptr, counts);
    const char* p = std::strstr(counts.c_str(), "\"injected\":");
    const char* q = std::strstr(counts.c_str(), "\"requests\":");
    if (p) injected += std::atol(p + 11);
    if (q) seen += std::atol(q + 11);
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);

  std::printf("hfi-soak: %ld requests, %d in flight, fault rate %.2f, seed %lu\n", settings.requests,
              settings.concurrency, settings.fault_rate, settings.seed);
  std::printf("  exchanges at the emulators  %ld\n", seen);
  std::printf("  faults injected             %ld\n", injected);
  std::printf("  retries                     %ld\n", log.retries.load());
  std::printf("  failovers                   %ld\n", log.failovers.load());
  std::printf("  targets rested              %ld\n", log.rests.load());
  for (const auto& [name, count] : tally.outcomes) std::printf("  outcome %-19s %ld\n", name.c_str(), count);
  std::printf("  resolved exactly once       %ld of %ld\n", tally.resolved_once, settings.requests);
  std::printf("  successes missing text      %ld\n", tally.incomplete_successes);
  std::printf("  log lines with the token    %ld\n", log.token_leaks.load());
  std::printf("  peak RSS                    %.1f MiB (client and both emulators, one process)\n",
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("  time                        %.1f s (%.0f requests/s)\n", seconds,
              static_cast<double>(settings.requests) / seconds);
  const bool ok = tally.violations == 0 && tally.resolved_once == settings.requests &&
                  tally.incomplete_successes == 0 && log.token_leaks == 0;
  std::printf("  result                      %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
