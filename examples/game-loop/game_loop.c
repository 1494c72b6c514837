/* A 60 fps game loop that streams many chat answers without ever blocking a frame.
 *
 *   game_loop ROUTER_URL [--poll | --pull] [--io-thread] [--streams N] [--total M]
 *             [--stagger K] [--words W] [--frames F | --seconds S] [--work-ms X]
 *             [--model ID] [--expect-emulator] [--quiet] [--trace FILE.csv]
 *
 * Every frame (16.67 ms) does its work, then sleeps until the next frame boundary. The work is:
 * start streams (all in the first frame, or K per frame with --stagger), hand hfi one slice of
 * time to move the network and deliver events, and consume those events (append the text of
 * each stream to its buffer), then optionally burn --work-ms of "game" CPU time.
 *
 *   --poll (default)  each request has a callback; hfi_client_poll(client, 0, &pending) once per
 *                     frame runs the callbacks on this (the main) thread.
 *   --pull            no callbacks; hfi_client_next_event() is drained each frame and every event
 *                     is routed to its stream by hfi_request_user_data(hfi_event_request(ev)).
 *   --io-thread       HFI_IO_THREAD: hfi's own thread moves the network; the frame only dispatches.
 *                     Default HFI_IO_CALLER: the network moves inside the per-frame hfi call.
 *
 * With --total M > N, a new stream starts whenever one ends, so N stay in flight until M have
 * started. The loop ends when every stream has ended, or at the frame / time limit (default
 * 60 s; streams still running then are cancelled and count as failed).
 *
 * With --expect-emulator each stream's text must be exactly what hfi-emulator answers by
 * default: "Hello! You said: " followed by the prompt. Prompts differ per stream, so a text
 * routed to the wrong stream is caught too. --words W makes each prompt W words longer (the
 * emulator streams one event per word, so W sets how long a stream lasts).
 *
 * At the end it prints frame statistics, including the time spent inside hfi per frame, and
 * one JSON line; it exits 1 if a stream failed or a text was wrong, 2 on a bad command line.
 *
 * Plain C99 plus POSIX clocks (clock_gettime, clock_nanosleep); only the public hfi C ABI. */
#define _POSIX_C_SOURCE 200809L
#include <hfi/hfi.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FRAME_NS 16666667LL /* 60 fps */
#define DEFAULT_SECONDS 60
#define MAX_EVENTS_PER_DRAIN 1000000L /* a bound on one frame's pull loop */

enum { MODE_POLL, MODE_PULL };
enum { S_IDLE, S_RUNNING, S_ENDED };

typedef struct stream {
  int index;
  hfi_request *request;
  int state;
  int ended_now; /* the terminal event arrived; the main loop frees the request */
  hfi_status status;
  char error[160];
  char *prompt;
  char *text;
  size_t len, cap;
  long events;
  long long started_ns, ended_ns;
} stream;

typedef struct config {
  const char *url;
  const char *model;
  int mode;
  int io_thread;
  int streams;     /* in flight at most */
  int total;       /* started in all */
  int stagger;     /* started per frame at most; 0 = no limit */
  int words;       /* extra words per prompt */
  long frames;     /* 0 = no frame limit */
  double seconds;  /* time limit */
  double work_ms;  /* simulated game work per frame */
  int expect_emulator;
  int quiet;
  const char *trace;  /* per-frame CSV, or NULL */
} config;

/* ---- time ---------------------------------------------------------------------------------- */

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until_ns(long long when) {
  struct timespec ts;
  ts.tv_sec = (time_t)(when / 1000000000LL);
  ts.tv_nsec = (long)(when % 1000000000LL);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
  }
}

static double ms_between(long long a, long long b) { return (double)(b - a) / 1e6; }

/* ---- statistics ---------------------------------------------------------------------------- */

typedef struct series {
  double *v;
  long n, cap;
} series;

static int series_add(series *s, double x) {
  if (s->n == s->cap) {
    long cap = s->cap ? s->cap * 2 : 1024;
    double *v = (double *)realloc(s->v, (size_t)cap * sizeof *v);
    if (!v) return -1;
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = x;
  return 0;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct summary {
  long n;
  double mean, p50, p99, max;
} summary;

/* Percentiles are element floor(n*p) of the sorted values, the last one at most. */
static summary summarize(const series *s) {
  summary r = {0, 0, 0, 0, 0};
  double *v, sum = 0;
  long i, k;
  if (s->n == 0) return r;
  v = (double *)malloc((size_t)s->n * sizeof *v);
  if (!v) return r;
  memcpy(v, s->v, (size_t)s->n * sizeof *v);
  qsort(v, (size_t)s->n, sizeof *v, compare_doubles);
  for (i = 0; i < s->n; ++i) sum += v[i];
  r.n = s->n;
  r.mean = sum / (double)s->n;
  r.p50 = v[s->n / 2];
  k = (long)((double)s->n * 0.99);
  r.p99 = v[k < s->n ? k : s->n - 1];
  r.max = v[s->n - 1];
  free(v);
  return r;
}

static void print_summary(const char *name, const summary *s) {
  printf("%-34s n=%-6ld mean %.3f  p50 %.3f  p99 %.3f  max %.3f ms\n", name, s->n, s->mean, s->p50, s->p99,
         s->max);
}

/* ---- streams ------------------------------------------------------------------------------- */

static long total_events;
static int live_streams; /* started, answering (at least one event seen), not ended */

static int append(stream *s, const char *text, size_t len) {
  if (s->len + len + 1 > s->cap) {
    size_t cap = s->cap ? s->cap : 64;
    char *p;
    while (cap < s->len + len + 1) cap *= 2;
    p = (char *)realloc(s->text, cap);
    if (!p) return -1;
    s->text = p;
    s->cap = cap;
  }
  memcpy(s->text + s->len, text, len);
  s->len += len;
  s->text[s->len] = '\0';
  return 0;
}

/* One event of one stream, from a callback (--poll) or from the pull queue (--pull). */
static void on_stream_event(stream *s, const hfi_event *ev) {
  const char *text = NULL, *message = NULL;
  size_t len = 0;
  if (s->events++ == 0) ++live_streams;
  ++total_events;
  switch (hfi_event_type(ev)) {
    case HFI_EVENT_DELTA:
      if (hfi_event_text(ev, &text, &len) == HFI_OK && append(s, text, len) != 0) {
        s->status = HFI_E_NOMEM;
        snprintf(s->error, sizeof s->error, "out of memory");
      }
      break;
    case HFI_EVENT_DONE:
      s->ended_now = 1;
      break;
    case HFI_EVENT_ERROR:
      s->ended_now = 1;
      s->status = hfi_event_status(ev);
      if (hfi_error_message(hfi_event_error(ev), &message, NULL) != HFI_OK) message = "";
      snprintf(s->error, sizeof s->error, "%s: %s", hfi_status_str(s->status), message);
      break;
    default:
      break;
  }
}

static int32_t HFI_CALL stream_callback(const hfi_event *event, void *user_data) {
  on_stream_event((stream *)user_data, event);
  return 0;
}

static char *make_prompt(int index, int words) {
  /* "stream 17 of 100: w1 w2 ..." : unique per stream, ASCII, nothing to escape in JSON. */
  size_t cap = 64 + (size_t)words * 12;
  char *p = (char *)malloc(cap), *end;
  int i;
  if (!p) return NULL;
  end = p + sprintf(p, "stream %d says:", index);
  for (i = 1; i <= words; ++i) end += sprintf(end, " w%d", i);
  return p;
}

static int start_stream(hfi_client *client, hfi_request_options *ropts, const config *cfg, stream *s) {
  size_t cap = strlen(s->prompt) + strlen(cfg->model) + 128;
  char *body = (char *)malloc(cap);
  const char *why = "";
  hfi_status st;
  if (!body) return -1;
  snprintf(body, cap, "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}", cfg->model,
           s->prompt);
  /* The user data goes to the next request started with the builder only: set it each time. */
  st = cfg->mode == MODE_POLL ? hfi_request_options_set_callback(ropts, stream_callback, s, NULL)
                              : hfi_request_options_set_user_data(ropts, s, NULL);
  if (st == HFI_OK) st = hfi_request_start(client, HFI_TASK_CHAT_STREAM, body, HFI_NUL_TERMINATED, ropts, &s->request);
  free(body);
  if (st != HFI_OK) {
    hfi_last_error_message(&why, NULL);
    s->state = S_ENDED;
    s->status = st;
    snprintf(s->error, sizeof s->error, "hfi_request_start: %s: %s", hfi_status_str(st), why);
    return -1;
  }
  s->state = S_RUNNING;
  s->started_ns = now_ns();
  return 0;
}

/* ---- command line -------------------------------------------------------------------------- */

static void usage(FILE *to) {
  fprintf(to,
          "usage: game_loop ROUTER_URL [--poll | --pull] [--io-thread] [--streams N] [--total M]\n"
          "                 [--stagger K] [--words W] [--frames F | --seconds S] [--work-ms X]\n"
          "                 [--model ID] [--expect-emulator] [--quiet] [--trace FILE.csv]\n");
}

static int parse_int(const char *text, long lo, long hi, long *out) {
  char *end;
  long v;
  errno = 0;
  v = strtol(text, &end, 10);
  if (errno || end == text || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

static int parse_args(int argc, char **argv, config *cfg) {
  int i;
  long v;
  cfg->url = NULL;
  cfg->model = "emulator/echo";
  cfg->mode = MODE_POLL;
  cfg->io_thread = 0;
  cfg->streams = 100;
  cfg->total = -1;
  cfg->stagger = 0;
  cfg->words = 0;
  cfg->frames = 0;
  cfg->seconds = DEFAULT_SECONDS;
  cfg->work_ms = 0;
  cfg->expect_emulator = 0;
  cfg->quiet = 0;
  cfg->trace = NULL;
  for (i = 1; i < argc; ++i) {
    const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--poll")) cfg->mode = MODE_POLL;
    else if (!strcmp(a, "--pull")) cfg->mode = MODE_PULL;
    else if (!strcmp(a, "--io-thread")) cfg->io_thread = 1;
    else if (!strcmp(a, "--caller")) cfg->io_thread = 0;
    else if (!strcmp(a, "--expect-emulator")) cfg->expect_emulator = 1;
    else if (!strcmp(a, "--quiet")) cfg->quiet = 1;
    else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      exit(0);
    } else if (next && !strcmp(a, "--streams") && !parse_int(next, 1, 1000000, &v)) cfg->streams = (int)v, ++i;
    else if (next && !strcmp(a, "--total") && !parse_int(next, 1, 10000000, &v)) cfg->total = (int)v, ++i;
    else if (next && !strcmp(a, "--stagger") && !parse_int(next, 0, 1000000, &v)) cfg->stagger = (int)v, ++i;
    else if (next && !strcmp(a, "--words") && !parse_int(next, 0, 100000, &v)) cfg->words = (int)v, ++i;
    else if (next && !strcmp(a, "--frames") && !parse_int(next, 1, 100000000L, &v)) cfg->frames = v, ++i;
    else if (next && !strcmp(a, "--seconds") && !parse_int(next, 1, 86400, &v)) cfg->seconds = (double)v, ++i;
    else if (next && !strcmp(a, "--work-ms") && !parse_int(next, 0, 1000, &v)) cfg->work_ms = (double)v, ++i;
    else if (next && !strcmp(a, "--model")) cfg->model = next, ++i;
    else if (next && !strcmp(a, "--trace")) cfg->trace = next, ++i;
    else if (a[0] != '-' && !cfg->url) cfg->url = a;
    else {
      fprintf(stderr, "game_loop: bad argument: %s\n", a);
      return -1;
    }
  }
  if (!cfg->url) return -1;
  if (cfg->total < 0) cfg->total = cfg->streams;
  if (cfg->total < cfg->streams) cfg->streams = cfg->total;
  if (strchr(cfg->model, '"') || strchr(cfg->model, '\\')) {
    fprintf(stderr, "game_loop: the model id may not contain quotes or backslashes\n");
    return -1;
  }
  return 0;
}

/* ---- the loop ------------------------------------------------------------------------------ */

static void busy_work(double ms) {
  long long until = now_ns() + (long long)(ms * 1e6);
  volatile unsigned x = 1;
  while (now_ns() < until) x = x * 1664525u + 1013904223u;
}

int main(int argc, char **argv) {
  config cfg;
  hfi_client_options *copts = NULL;
  hfi_client *client = NULL;
  hfi_request_options *ropts = NULL;
  stream *streams;
  series hfi_ms = {0, 0, 0}, hfi_full_ms = {0, 0, 0}, start_ms = {0, 0, 0}, work_ms = {0, 0, 0},
         period_ms = {0, 0, 0}, duration_ms = {0, 0, 0};
  summary s_hfi, s_full, s_start, s_work, s_period, s_duration;
  FILE *trace = NULL;
  long long t0, next_frame, last_frame_start = 0, deadline;
  long frame = 0, late_frames = 0, full_frames = 0;
  int max_live = 0;
  int started = 0, ended = 0, in_flight = 0, ok = 0, failed = 0, wrong = 0, i;
  int32_t pending = 0;
  const char *why = "";
  hfi_status st;

  if (parse_args(argc, argv, &cfg) != 0) {
    usage(stderr);
    return 2;
  }
  streams = (stream *)calloc((size_t)cfg.total, sizeof *streams);
  if (!streams) return 1;
  for (i = 0; i < cfg.total; ++i) {
    streams[i].index = i;
    streams[i].prompt = make_prompt(i, cfg.words);
    if (!streams[i].prompt) return 1;
  }

  st = hfi_client_options_new(&copts);
  if (st == HFI_OK) st = hfi_client_options_set_str(copts, HFI_OPT_ROUTER_URL, cfg.url, HFI_NUL_TERMINATED);
  if (st == HFI_OK) st = hfi_client_options_set_int(copts, HFI_OPT_IO_MODE, cfg.io_thread ? HFI_IO_THREAD : HFI_IO_CALLER);
  if (st == HFI_OK) st = hfi_client_new(&client, copts);
  if (st == HFI_OK) st = hfi_request_options_new(&ropts);
  hfi_client_options_free(copts);
  if (st != HFI_OK) {
    hfi_last_error_message(&why, NULL);
    fprintf(stderr, "game_loop: %s: %s\n", hfi_status_str(st), why);
    return 1;
  }

  if (cfg.trace) {
    trace = fopen(cfg.trace, "w");
    if (!trace) {
      perror(cfg.trace);
      return 1;
    }
    fprintf(trace, "frame,t_ms,in_flight,answering,events,hfi_ms,work_ms\n");
  }
  t0 = now_ns();
  next_frame = t0;
  deadline = t0 + (long long)(cfg.seconds * 1e9);
  while (ended < cfg.total) {
    long long frame_start = now_ns(), a, b;
    long events_before = total_events;
    int was_full;
    if ((cfg.frames && frame >= cfg.frames) || frame_start >= deadline) break;
    if (frame > 0) series_add(&period_ms, ms_between(last_frame_start, frame_start));
    last_frame_start = frame_start;

    /* 1. Start streams: all at once, or --stagger per frame, keeping at most --streams in flight. */
    a = now_ns();
    for (i = 0; started < cfg.total && in_flight < cfg.streams && (!cfg.stagger || i < cfg.stagger); ++i) {
      stream *s = &streams[started++];
      if (start_stream(client, ropts, &cfg, s) == 0) ++in_flight;
      else ++ended, ++failed;
    }
    b = now_ns();
    if (i > 0) series_add(&start_ms, ms_between(a, b));
    if (live_streams > max_live) max_live = live_streams;
    /* "Full" frames: every stream of --streams is answering (not merely started) as the frame begins. */
    was_full = live_streams == cfg.streams;

    /* 2. Give hfi its slice of the frame and take the events: this is the time measured. */
    a = now_ns();
    if (cfg.mode == MODE_POLL) {
      hfi_client_poll(client, 0, &pending); /* callbacks run in here, on this thread */
    } else {
      hfi_event *ev = NULL;
      long n = 0;
      while (n++ < MAX_EVENTS_PER_DRAIN && hfi_client_next_event(client, &ev) == HFI_OK) {
        stream *s = (stream *)hfi_request_user_data(hfi_event_request(ev));
        if (s) on_stream_event(s, ev);
        hfi_event_free(ev);
      }
    }
    b = now_ns();
    series_add(&hfi_ms, ms_between(a, b));
    if (was_full) {
      series_add(&hfi_full_ms, ms_between(a, b));
      ++full_frames;
    }

    /* 3. Settle the streams that ended this frame (outside any callback). */
    for (i = 0; i < started; ++i) {
      stream *s = &streams[i];
      if (s->state != S_RUNNING || !s->ended_now) continue;
      hfi_request_free(s->request);
      s->request = NULL;
      s->state = S_ENDED;
      s->ended_ns = now_ns();
      series_add(&duration_ms, ms_between(s->started_ns, s->ended_ns));
      --in_flight;
      if (s->events > 0) --live_streams;
      ++ended;
      if (s->status != HFI_OK) {
        ++failed;
        if (!cfg.quiet) fprintf(stderr, "stream %d failed: %s\n", i, s->error);
        continue;
      }
      ++ok;
      if (cfg.expect_emulator) {
        static const char hello[] = "Hello! You said: ";
        size_t hl = sizeof hello - 1, pl = strlen(s->prompt);
        if (s->len != hl + pl || memcmp(s->text, hello, hl) != 0 || memcmp(s->text + hl, s->prompt, pl) != 0) {
          ++wrong;
          if (!cfg.quiet)
            fprintf(stderr, "stream %d: wrong text\n  got:      %.*s\n  expected: %s%s\n", i, (int)s->len,
                    s->text ? s->text : "", hello, s->prompt);
        }
      }
    }

    /* 4. The rest of the game's frame. */
    if (cfg.work_ms > 0) busy_work(cfg.work_ms);
    series_add(&work_ms, ms_between(frame_start, now_ns()));
    if (trace)
      fprintf(trace, "%ld,%.3f,%d,%d,%ld,%.4f,%.4f\n", frame, ms_between(t0, frame_start), in_flight,
              live_streams, total_events - events_before, hfi_ms.v[hfi_ms.n - 1], work_ms.v[work_ms.n - 1]);

    /* 5. Sleep until the next frame boundary; a frame that overran skips the boundaries it missed. */
    ++frame;
    next_frame += FRAME_NS;
    if (now_ns() >= next_frame) {
      long long behind = now_ns() - next_frame;
      long skipped = (long)(behind / FRAME_NS) + 1;
      late_frames += 1;
      next_frame += (long long)skipped * FRAME_NS;
    }
    sleep_until_ns(next_frame);
  }

  /* Streams still running at the limit are cancelled (hfi_request_free cancels) and failed. */
  for (i = 0; i < started; ++i) {
    stream *s = &streams[i];
    if (s->state != S_RUNNING) continue;
    hfi_request_free(s->request);
    s->request = NULL;
    s->state = S_ENDED;
    ++failed;
    if (!cfg.quiet) fprintf(stderr, "stream %d: still running at the time limit (%ld events so far)\n", i, s->events);
  }
  failed += cfg.total - started; /* never started before the limit */
  hfi_request_options_free(ropts);
  hfi_client_free(client);

  s_hfi = summarize(&hfi_ms);
  s_full = summarize(&hfi_full_ms);
  s_start = summarize(&start_ms);
  s_work = summarize(&work_ms);
  s_period = summarize(&period_ms);
  s_duration = summarize(&duration_ms);
  if (trace) fclose(trace);
  printf("game_loop: %s, %s, %d streams in flight at most (%d in all), %s\n",
         cfg.mode == MODE_POLL ? "poll (callbacks)" : "pull (event queue)",
         cfg.io_thread ? "HFI_IO_THREAD" : "HFI_IO_CALLER", cfg.streams, cfg.total, hfi_version_str());
  printf("frames: %ld in %.2f s (%ld overran their 16.67 ms); %ld with all %d streams answering at once "
         "(most at once: %d)\n",
         frame, ms_between(t0, now_ns()) / 1000.0, late_frames, full_frames, cfg.streams, max_live);
  printf("streams: %d completed, %d failed%s; wrong texts: %d; events: %ld\n", ok, failed,
         cfg.expect_emulator ? "" : " (texts not checked)", wrong, total_events);
  print_summary(cfg.mode == MODE_POLL ? "hfi_client_poll per frame" : "next_event drain per frame", &s_hfi);
  print_summary("  ...frames with all streams answering", &s_full);
  print_summary("hfi_request_start per frame", &s_start);
  print_summary("frame work (start to sleep)", &s_work);
  print_summary("frame period (start to start)", &s_period);
  print_summary("stream duration (start to end)", &s_duration);
  printf("{\"mode\":\"%s\",\"io\":\"%s\",\"streams\":%d,\"total\":%d,\"frames\":%ld,\"late_frames\":%ld,"
         "\"completed\":%d,\"failed\":%d,\"wrong\":%d,\"events\":%ld,"
         "\"hfi_mean_ms\":%.4f,\"hfi_p50_ms\":%.4f,\"hfi_p99_ms\":%.4f,\"hfi_max_ms\":%.4f,"
         "\"hfi_full_p99_ms\":%.4f,\"hfi_full_max_ms\":%.4f,\"full_frames\":%ld,\"max_answering\":%d,"
         "\"start_max_ms\":%.4f,\"frame_p99_ms\":%.4f,\"frame_max_ms\":%.4f}\n",
         cfg.mode == MODE_POLL ? "poll" : "pull", cfg.io_thread ? "thread" : "caller", cfg.streams, cfg.total, frame,
         late_frames, ok, failed, wrong, total_events, s_hfi.mean, s_hfi.p50, s_hfi.p99, s_hfi.max, s_full.p99,
         s_full.max, full_frames, max_live, s_start.max, s_period.p99, s_period.max);

  for (i = 0; i < cfg.total; ++i) {
    free(streams[i].prompt);
    free(streams[i].text);
  }
  free(streams);
  free(hfi_ms.v), free(hfi_full_ms.v), free(start_ms.v), free(work_ms.v), free(period_ms.v), free(duration_ms.v);
  return failed || wrong ? 1 : 0;
}
