/* many_streams: N concurrent streamed chat requests from one process and one hfi client.
 *
 *   many_streams --url URL [--streams N] [--io-thread] [--pull] [--expect-file F]
 *                [--seconds S] [--connect-timeout-ms MS] [--sample-ms MS] [--quiet]
 *
 * Starts N streamed requests at once with hfi_request_start() against URL (an OpenAI-compatible
 * server, set as HFI_OPT_BASE_URL: a path ending in /chat/completions is used as it is), then
 * runs one loop until every request has ended: hfi_client_poll(client, 20, &pending) with a
 * callback per request (default), or, with --pull, hfi_client_next_event() drained, each event
 * routed by hfi_request_user_data(hfi_event_request(ev)). Only the public C ABI is used.
 *
 * Every stream's text is compared, as it arrives, with the contents of --expect-file (the
 * concatenated `delta.content` of the canned answer the server sends). The program keeps about
 * 24 bytes of its own per stream, all allocated before the baseline, so that memory growth
 * during the run is hfi's (and libcurl's).
 *
 * Measured, from /proc/self/status:
 *   - Threads before the client exists, the most seen while it runs, and after it is freed.
 *   - VmRSS after the client was created (the baseline, no request started yet) and, sampled
 *     every --sample-ms, while requests are in flight. "Per in-flight stream" is
 *     (RSS - baseline) / in-flight count (started, not ended) at the sample where the most
 *     streams were answering at once (had delivered an event and not ended; ties: the largest
 *     RSS). (VmHWM - baseline) / that count is reported too: it includes the end of the run,
 *     when every stream holds its whole answer.
 *
 * The soft RLIMIT_NOFILE is raised to the hard limit first (one socket per stream over
 * HTTP/1.1). Output: a human summary on stderr, one JSON line on stdout. Exit status 0 only if
 * every stream completed with the expected text; 2 on a bad command line.
 *
 * C99 plus POSIX and Linux's /proc.
 */
#define _POSIX_C_SOURCE 200809L
#include <hfi/hfi.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

enum { ST_RUNNING = 0, ST_DONE = 1 };

/* Per-stream state of the application: small on purpose. */
typedef struct slot {
  hfi_request *request;
  uint32_t matched;  /* bytes of the expected text seen so far */
  int32_t status;    /* final status */
  uint8_t ended;     /* terminal event seen, request not freed yet */
  uint8_t freed;
  uint8_t answering; /* at least one event arrived */
  uint8_t wrong;     /* the text differs from the expected one */
} slot;

typedef struct run_state {
  const char *expected;
  size_t expected_len;
  int check;
  long events;
  int answering; /* started, at least one event, not ended */
  int ended_pending;
  uint32_t *ended_list; /* indexes of streams whose terminal event arrived, to free */
  slot *slots;
  hfi_status first_error;
  char first_error_text[200];
} run_state;

static run_state R;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

/* VmRSS, VmHWM (KiB) and Threads from /proc/self/status; -1 when unreadable. */
typedef struct proc_sample {
  long rss_kib, hwm_kib, threads;
} proc_sample;

static proc_sample read_proc(void) {
  proc_sample s = {-1, -1, -1};
  char line[256];
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return s;
  while (fgets(line, sizeof line, f)) {
    if (!strncmp(line, "VmRSS:", 6)) s.rss_kib = strtol(line + 6, NULL, 10);
    else if (!strncmp(line, "VmHWM:", 6)) s.hwm_kib = strtol(line + 6, NULL, 10);
    else if (!strncmp(line, "Threads:", 8)) s.threads = strtol(line + 8, NULL, 10);
  }
  fclose(f);
  return s;
}

static void on_event(slot *s, const hfi_event *ev) {
  const char *text;
  size_t len;
  ++R.events;
  if (!s->answering) {
    s->answering = 1;
    ++R.answering;
  }
  switch (hfi_event_type(ev)) {
    case HFI_EVENT_DELTA:
      if (R.check && hfi_event_text(ev, &text, &len) == HFI_OK && !s->wrong) {
        if (s->matched + len > R.expected_len || memcmp(R.expected + s->matched, text, len) != 0) s->wrong = 1;
        else s->matched += (uint32_t)len;
      }
      break;
    case HFI_EVENT_DONE:
    case HFI_EVENT_ERROR:
      s->status = hfi_event_status(ev);
      s->ended = 1;
      --R.answering;
      R.ended_list[R.ended_pending++] = (uint32_t)(s - R.slots);
      if (s->status != HFI_OK && R.first_error == HFI_OK) {
        const char *message = "";
        R.first_error = s->status;
        hfi_error_message(hfi_event_error(ev), &message, NULL);
        snprintf(R.first_error_text, sizeof R.first_error_text, "%s", message ? message : "");
      }
      break;
    default:
      break;
  }
}

static int32_t HFI_CALL callback(const hfi_event *event, void *user_data) {
  on_event((slot *)user_data, event);
  return 0;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (!f) return NULL;
  do {
    if (n == cap) {
      char *p = (char *)realloc(buf, cap ? cap * 2 : 4096);
      if (!p) break;
      buf = p;
      cap = cap ? cap * 2 : 4096;
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  if (buf) *len = n;
  return buf;
}

static void usage(FILE *to) {
  fprintf(to,
          "usage: many_streams --url URL [--streams N] [--io-thread] [--pull] [--expect-file F]\n"
          "                    [--seconds S] [--connect-timeout-ms MS] [--sample-ms MS] [--quiet]\n");
}

static int parse_long(const char *text, long lo, long hi, long *out) {
  char *end;
  long v;
  errno = 0;
  v = strtol(text, &end, 10);
  if (errno || end == text || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

int main(int argc, char **argv) {
  const char *url = NULL, *expect_file = NULL, *why = "";
  long n = 10000, seconds = 300, connect_timeout_ms = -1, sample_ms = 100, v;
  int io_thread = 0, pull = 0, quiet = 0, i;
  struct rlimit nofile;
  hfi_client_options *copts = NULL;
  hfi_client *client = NULL;
  hfi_request_options *ropts = NULL;
  hfi_status st;
  const char *body = "{\"model\":\"bench/many-streams\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  proc_sample before, base, sample, at_peak, end_sample, after;
  long max_threads = 0, peak_in_flight = 0, peak_rss = 0, completed = 0, failed = 0, wrong = 0, started = 0;
  long ended = 0, start_failed = 0, max_answering = 0, peak_answering = 0;
  long long t_start, t_started, t_all_answering = 0, t_end, deadline, next_sample;
  double per_stream_kib = 0, hwm_per_stream_kib = 0;

  for (i = 1; i < argc; ++i) {
    const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--io-thread")) io_thread = 1;
    else if (!strcmp(a, "--pull")) pull = 1;
    else if (!strcmp(a, "--poll")) pull = 0;
    else if (!strcmp(a, "--quiet")) quiet = 1;
    else if (!strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else if (next && !strcmp(a, "--url")) url = next, ++i;
    else if (next && !strcmp(a, "--expect-file")) expect_file = next, ++i;
    else if (next && !strcmp(a, "--streams") && !parse_long(next, 1, 1000000, &v)) n = v, ++i;
    else if (next && !strcmp(a, "--seconds") && !parse_long(next, 1, 86400, &v)) seconds = v, ++i;
    else if (next && !strcmp(a, "--connect-timeout-ms") && !parse_long(next, 0, 3600000, &v)) connect_timeout_ms = v, ++i;
    else if (next && !strcmp(a, "--sample-ms") && !parse_long(next, 1, 10000, &v)) sample_ms = v, ++i;
    else {
      fprintf(stderr, "many_streams: bad argument: %s\n", a);
      usage(stderr);
      return 2;
    }
  }
  if (!url) {
    usage(stderr);
    return 2;
  }

  /* One socket per stream: raise the soft descriptor limit to the hard one. */
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &nofile) != 0) perror("setrlimit(RLIMIT_NOFILE)");
  }
  getrlimit(RLIMIT_NOFILE, &nofile);
  if ((unsigned long)nofile.rlim_cur < (unsigned long)n + 64)
    fprintf(stderr, "many_streams: warning: RLIMIT_NOFILE is %lu, below %ld streams + 64\n",
            (unsigned long)nofile.rlim_cur, n);

  memset(&R, 0, sizeof R);
  if (expect_file) {
    R.expected = read_file(expect_file, &R.expected_len);
    if (!R.expected) {
      perror(expect_file);
      return 2;
    }
    R.check = 1;
  }
  R.slots = (slot *)calloc((size_t)n, sizeof *R.slots);
  R.ended_list = (uint32_t *)calloc((size_t)n, sizeof *R.ended_list);
  if (!R.slots || !R.ended_list) {
    fprintf(stderr, "many_streams: out of memory\n");
    return 1;
  }
  /* Touch the application's arrays now so that they are part of the baseline. */
  memset(R.slots, 0, (size_t)n * sizeof *R.slots);
  memset(R.ended_list, 0, (size_t)n * sizeof *R.ended_list);

  before = read_proc();
  st = hfi_client_options_new(&copts);
  if (st == HFI_OK) st = hfi_client_options_set_str(copts, HFI_OPT_BASE_URL, url, HFI_NUL_TERMINATED);
  if (st == HFI_OK) st = hfi_client_options_set_int(copts, HFI_OPT_IO_MODE, io_thread ? HFI_IO_THREAD : HFI_IO_CALLER);
  if (st == HFI_OK) st = hfi_client_options_set_int(copts, HFI_OPT_TOKEN_FROM_ENV, 0);
  if (st == HFI_OK && connect_timeout_ms >= 0)
    st = hfi_client_options_set_int(copts, HFI_OPT_CONNECT_TIMEOUT_MS, connect_timeout_ms);
  if (st == HFI_OK) st = hfi_client_new(&client, copts);
  if (st == HFI_OK) st = hfi_request_options_new(&ropts);
  hfi_client_options_free(copts);
  if (st != HFI_OK) {
    hfi_last_error_message(&why, NULL);
    fprintf(stderr, "many_streams: %s: %s\n", hfi_status_str(st), why);
    return 1;
  }
  base = read_proc();
  max_threads = base.threads;
  at_peak = base;

  /* Start all N at once. */
  t_start = now_ns();
  for (i = 0; i < n; ++i) {
    slot *s = &R.slots[i];
    st = pull ? hfi_request_options_set_user_data(ropts, s, NULL) : hfi_request_options_set_callback(ropts, callback, s, NULL);
    if (st == HFI_OK) st = hfi_request_start(client, HFI_TASK_CHAT_STREAM, body, HFI_NUL_TERMINATED, ropts, &s->request);
    if (st != HFI_OK) {
      hfi_last_error_message(&why, NULL);
      if (!start_failed++) fprintf(stderr, "many_streams: hfi_request_start: %s: %s\n", hfi_status_str(st), why);
      s->freed = 1;
      s->status = st;
      ++ended;
      continue;
    }
    ++started;
  }
  t_started = now_ns();

  /* One loop until every request ended, bounded by --seconds. */
  deadline = t_start + (long long)seconds * 1000000000LL;
  next_sample = 0;
  while (ended < n && now_ns() < deadline) {
    long long t;
    long in_flight;
    if (pull) {
      long got = 0;
      hfi_event *ev = NULL;
      while (got < 100000 && hfi_client_next_event(client, &ev) == HFI_OK) {
        slot *s = (slot *)hfi_request_user_data(hfi_event_request(ev));
        if (s) on_event(s, ev);
        hfi_event_free(ev);
        ++got;
      }
      if (got == 0) sleep_ms(1); /* the pull queue cannot be waited on: poll it */
    } else {
      int32_t pending = 0;
      hfi_client_poll(client, 20, &pending);
    }
    /* Free the requests that ended (outside the callbacks). */
    while (R.ended_pending > 0) {
      slot *s = &R.slots[R.ended_list[--R.ended_pending]];
      hfi_request_free(s->request);
      s->request = NULL;
      s->freed = 1;
      ++ended;
      if (s->status != HFI_OK) ++failed;
      else if (R.check && (s->wrong || s->matched != R.expected_len)) ++wrong;
      else ++completed;
    }
    if (R.answering > max_answering) max_answering = R.answering;
    if (!t_all_answering && R.answering == started) t_all_answering = now_ns();
    t = now_ns();
    if (t >= next_sample) {
      next_sample = t + sample_ms * 1000000LL;
      sample = read_proc();
      in_flight = started - (ended - (n - started));
      if (sample.threads > max_threads) max_threads = sample.threads;
      /* The peak: the sample with the most streams answering at once (ties: the largest RSS). */
      if (R.answering > peak_answering || (R.answering == peak_answering && sample.rss_kib > at_peak.rss_kib)) {
        peak_answering = R.answering;
        peak_in_flight = in_flight;
        at_peak = sample;
      }
      if (sample.rss_kib > peak_rss) peak_rss = sample.rss_kib;
      if (!quiet)
        fprintf(stderr, "[%6.1f s] in flight %6ld  answering %6d  ended %6ld  events %9ld  rss %7ld KiB  threads %ld\n",
                (double)(t - t_start) / 1e9, in_flight, R.answering, ended, R.events, sample.rss_kib, sample.threads);
    }
  }
  t_end = now_ns();
  end_sample = read_proc();
  if (end_sample.threads > max_threads) max_threads = end_sample.threads;

  /* Whatever is still running at the time limit is cancelled by hfi_request_free and failed. */
  for (i = 0; i < n; ++i) {
    slot *s = &R.slots[i];
    if (s->freed) continue;
    hfi_request_free(s->request);
    s->freed = 1;
    ++failed;
  }
  failed += start_failed;
  hfi_request_options_free(ropts);
  hfi_client_free(client);
  after = read_proc();

  if (peak_in_flight > 0) per_stream_kib = (double)(at_peak.rss_kib - base.rss_kib) / (double)peak_in_flight;
  if (peak_in_flight > 0) hwm_per_stream_kib = (double)(end_sample.hwm_kib - base.rss_kib) / (double)peak_in_flight;

  fprintf(stderr,
          "many_streams: %ld streams, %s, %s, %s\n"
          "  completed %ld, failed %ld, wrong text %ld%s; %ld events in %.2f s (start loop %.2f s%s)\n"
          "  RSS: baseline %ld KiB, at the peak (%ld answering, %ld in flight) %ld KiB -> %.2f KiB per in-flight stream; "
          "VmHWM %ld KiB -> %.2f KiB per stream\n"
          "  threads: %ld before the client, %ld with the client, at most %ld while running, %ld after "
          "hfi_client_free -> hfi added at most %ld\n",
          n, pull ? "pull (hfi_client_next_event)" : "poll (callbacks)", io_thread ? "HFI_IO_THREAD" : "HFI_IO_CALLER",
          url, completed, failed, wrong, R.check ? "" : " (texts not checked)", R.events,
          (double)(t_end - t_start) / 1e9, (double)(t_started - t_start) / 1e9,
          t_all_answering ? "" : ", never all answering at once", base.rss_kib, peak_answering, peak_in_flight,
          at_peak.rss_kib,
          per_stream_kib, end_sample.hwm_kib, hwm_per_stream_kib, before.threads, base.threads, max_threads,
          after.threads, max_threads - before.threads);
  if (R.first_error != HFI_OK)
    fprintf(stderr, "  first failure: %s: %s\n", hfi_status_str(R.first_error), R.first_error_text);
  printf("{\"streams\":%ld,\"mode\":\"%s\",\"io\":\"%s\",\"completed\":%ld,\"failed\":%ld,\"wrong\":%ld,"
         "\"checked\":%s,\"events\":%ld,\"seconds\":%.3f,\"start_seconds\":%.3f,\"all_answering_s\":%.3f,"
         "\"max_answering\":%ld,\"peak_answering\":%ld,\"peak_in_flight\":%ld,\"rss_base_kib\":%ld,\"rss_peak_kib\":%ld,"
         "\"rss_per_stream_kib\":%.3f,\"hwm_kib\":%ld,\"hwm_per_stream_kib\":%.3f,\"threads_before\":%ld,"
         "\"threads_max\":%ld,\"threads_after\":%ld,\"threads_added\":%ld,\"nofile\":%lu}\n",
         n, pull ? "pull" : "poll", io_thread ? "thread" : "caller", completed, failed, wrong,
         R.check ? "true" : "false", R.events, (double)(t_end - t_start) / 1e9, (double)(t_started - t_start) / 1e9,
         t_all_answering ? (double)(t_all_answering - t_start) / 1e9 : -1.0, max_answering, peak_answering,
         peak_in_flight, base.rss_kib, at_peak.rss_kib, per_stream_kib, end_sample.hwm_kib, hwm_per_stream_kib, before.threads,
         max_threads, after.threads, max_threads - before.threads, (unsigned long)nofile.rlim_cur);
  free((void *)R.expected);
  free(R.slots);
  free(R.ended_list);
  return (completed == n) ? 0 : 1;
}
