/* hfi-bench: hfi's client for the side-by-side benchmark (../shared/bench, "The JSON line contract").
 *
 * usage: hfi-bench MODE SECONDS CONCURRENCY URL [VARIANT...]
 *   MODE         chat | stream | embed (embed: not supported yet, exits 0 without a line)
 *   SECONDS      measured window; a warm-up of min(1 s, 20 % of SECONDS) comes first
 *   CONCURRENCY  requests kept in flight (1 = strictly sequential)
 *   URL          the full endpoint, used as hfi's base URL (it ends with /chat/completions)
 *   VARIANT      thread  use HFI_IO_THREAD (one internal I/O thread) instead of HFI_IO_CALLER
 *                poll    at concurrency 1 too, use hfi_request_start + hfi_client_poll
 *                h2      HTTP/2 cleartext with prior knowledge: hfi has no option for it, so this
 *                        prints nothing and exits 0 ("not supported")
 *
 * Only the public C ABI is used, as an application would: sequential runs call hfi_chat() or
 * hfi_chat_stream(); concurrent runs start requests with hfi_request_start() and dispatch their
 * callbacks with hfi_client_poll() on this one thread. Every stream chunk therefore goes through
 * hfi's SSE parser, its JSON chunk parser and the event callback below.
 *
 * Prints one JSON line on stdout:
 *   {"client","mode","concurrency","req_per_s","units_per_s","p50_ms","p99_ms","cpu_us_per_req"}
 * and exits 1 on any failed request (transport error or non-200 status).
 */
#define _POSIX_C_SOURCE 200809L

#include <hfi/hfi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char CHAT_BODY[] =
    "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"messages\":[{\"role\":\"user\","
    "\"content\":\"How many G in huggingface?\"}]}";
static const char STREAM_BODY[] =
    "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"messages\":[{\"role\":\"user\","
    "\"content\":\"How many G in huggingface?\"}],\"stream\":true}";

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru); /* every thread of the process, user + system */
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* ---- the measurement window ------------------------------------------------------------- */

typedef struct {
  double seconds;     /* length of the measured window */
  double warm_until;  /* the first completion at or after this starts the window */
  int measuring;
  double t0, end;     /* the window, once measuring */
  double cpu0;
  long reqs, units;
  double *lat;
  size_t nlat, cap;
} tally;

static void tally_init(tally *t, double seconds) {
  double warm = seconds * 0.2 < 1.0 ? seconds * 0.2 : 1.0;
  memset(t, 0, sizeof *t);
  t->seconds = seconds;
  t->warm_until = now_s() + warm;
  t->cap = 1 << 16;
  t->lat = malloc(t->cap * sizeof *t->lat);
  if (!t->lat) {
    fprintf(stderr, "hfi-bench: out of memory\n");
    exit(1);
  }
}

/* A request completed at `when` after `latency` seconds with `units` units. Returns whether to
   start another one in its place: during warm-up always, then while the window is open. The
   completion that ends the warm-up is not counted; it opens the window. */
static int tally_complete(tally *t, double when, double latency, long units) {
  if (!t->measuring) {
    if (when >= t->warm_until) {
      t->measuring = 1;
      t->t0 = when;
      t->end = when + t->seconds;
      t->cpu0 = cpu_s();
    }
    return 1;
  }
  if (t->nlat == t->cap) {
    double *grown = realloc(t->lat, 2 * t->cap * sizeof *t->lat);
    if (!grown) {
      fprintf(stderr, "hfi-bench: out of memory\n");
      exit(1);
    }
    t->lat = grown;
    t->cap *= 2;
  }
  t->lat[t->nlat++] = latency;
  t->reqs++;
  t->units += units;
  return when < t->end;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int tally_print(tally *t, const char *client, const char *mode, int concurrency) {
  double elapsed = now_s() - t->t0;
  double cpu = cpu_s() - t->cpu0;
  size_t i99;
  if (!t->measuring || t->reqs == 0) {
    fprintf(stderr, "hfi-bench: no request completed in the measured window\n");
    return 1;
  }
  qsort(t->lat, t->nlat, sizeof *t->lat, cmp_double);
  i99 = (size_t)((double)t->nlat * 0.99);
  if (i99 >= t->nlat) i99 = t->nlat - 1;
  printf("{\"client\":\"%s\",\"mode\":\"%s\",\"concurrency\":%d,\"req_per_s\":%.1f,\"units_per_s\":%.1f,"
         "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"cpu_us_per_req\":%.1f}\n",
         client, mode, concurrency, (double)t->reqs / elapsed, (double)t->units / elapsed,
         t->lat[t->nlat / 2] * 1e3, t->lat[i99] * 1e3, cpu * 1e6 / (double)t->reqs);
  fflush(stdout);
  return 0;
}

/* ---- failures --------------------------------------------------------------------------- */

static void die_with(hfi_status st, const hfi_response *response) {
  const char *msg = "";
  size_t len = 0;
  const hfi_error *err = hfi_response_error(response);
  if (err) hfi_error_message(err, &msg, &len);
  fprintf(stderr, "hfi-bench: request failed: %s [status %d, HTTP %d]: %.*s\n", hfi_status_str(st), (int)st,
          (int)hfi_response_http_status(response), (int)len, msg);
  exit(1);
}

static void die_setup(const char *what, hfi_status st) {
  const char *msg = "";
  size_t len = 0;
  hfi_last_error_message(&msg, &len);
  fprintf(stderr, "hfi-bench: %s: %s: %.*s\n", what, hfi_status_str(st), (int)len, msg);
  exit(1);
}

/* Units of a whole response: 1 if it carries non-empty content. */
static long content_units(const hfi_response *response) {
  const char *text = NULL;
  size_t len = 0;
  if (hfi_response_content(response, &text, &len) != HFI_OK) return 0;
  return len > 0 ? 1 : 0;
}

/* A DELTA event of choice 0 with text counts as one unit (the contract's non-empty
   choices[0].delta.content). */
static int is_content_event(const hfi_event *ev) {
  const char *text = NULL;
  size_t len = 0;
  return hfi_event_type(ev) == HFI_EVENT_DELTA && hfi_event_choice_index(ev) == 0 &&
         hfi_event_text(ev, &text, &len) == HFI_OK && len > 0;
}

/* ---- sequential: the blocking calls ---------------------------------------------------- */

static int32_t HFI_CALL count_deltas(const hfi_event *ev, void *user_data) {
  if (is_content_event(ev)) ++*(long *)user_data;
  return 0;
}

static void run_blocking(hfi_client *client, int stream, tally *t) {
  const char *body = stream ? STREAM_BODY : CHAT_BODY;
  size_t body_len = stream ? sizeof STREAM_BODY - 1 : sizeof CHAT_BODY - 1;
  for (;;) {
    hfi_response *response = NULL;
    long units = 0;
    double start = now_s(), done;
    hfi_status st = stream ? hfi_chat_stream(client, body, body_len, count_deltas, &units, &response)
                           : hfi_chat(client, body, body_len, &response);
    done = now_s();
    if (st != HFI_OK) die_with(st, response);
    if (!stream) units = content_units(response);
    hfi_response_free(response);
    if (!tally_complete(t, done, done - start, units)) break;
  }
}

/* ---- concurrent: hfi_request_start + hfi_client_poll on this thread -------------------- */

typedef struct slot slot;
typedef struct {
  hfi_client *client;
  hfi_request_options *options;
  int stream;
  slot **ended; /* slots whose request delivered its last event, to restart after the poll */
  int n_ended;
} pool;

struct slot {
  pool *owner;
  hfi_request *request;
  double start, end;
  long units;
  hfi_status status;
};

static int32_t HFI_CALL on_slot_event(const hfi_event *ev, void *user_data) {
  slot *s = user_data;
  int32_t type = hfi_event_type(ev);
  if (type == HFI_EVENT_DONE || type == HFI_EVENT_ERROR) {
    s->end = now_s(); /* the last event consumed */
    s->status = hfi_event_status(ev);
    s->owner->ended[s->owner->n_ended++] = s;
  } else if (is_content_event(ev)) {
    s->units++;
  }
  return 0;
}

static void start_slot(slot *s) {
  pool *p = s->owner;
  hfi_status st;
  s->units = 0;
  s->status = HFI_PENDING;
  st = hfi_request_options_set_callback(p->options, on_slot_event, s, NULL);
  if (st != HFI_OK) die_setup("hfi_request_options_set_callback", st);
  s->start = now_s();
  st = hfi_request_start(p->client, p->stream ? HFI_TASK_CHAT_STREAM : HFI_TASK_CHAT,
                         p->stream ? STREAM_BODY : CHAT_BODY,
                         p->stream ? sizeof STREAM_BODY - 1 : sizeof CHAT_BODY - 1, p->options, &s->request);
  if (st != HFI_OK) die_setup("hfi_request_start", st);
}

static void run_polled(hfi_client *client, int stream, int concurrency, tally *t) {
  pool p;
  slot *slots = calloc((size_t)concurrency, sizeof *slots);
  int active = concurrency, i;
  hfi_status st;
  p.client = client;
  p.stream = stream;
  p.ended = calloc((size_t)concurrency, sizeof *p.ended);
  p.n_ended = 0;
  if (!slots || !p.ended) {
    fprintf(stderr, "hfi-bench: out of memory\n");
    exit(1);
  }
  st = hfi_request_options_new(&p.options);
  if (st != HFI_OK) die_setup("hfi_request_options_new", st);
  for (i = 0; i < concurrency; i++) {
    slots[i].owner = &p;
    start_slot(&slots[i]);
  }
  while (active > 0) {
    st = hfi_client_poll(client, 1000, NULL);
    if (st != HFI_OK) die_setup("hfi_client_poll", st);
    for (i = 0; i < p.n_ended; i++) {
      slot *s = p.ended[i];
      long units = s->units;
      if (!stream) {
        /* A whole answer is read from the request's response, as an application would. */
        hfi_response *response = NULL;
        hfi_status final = hfi_request_wait(s->request, 0, &response);
        if (final != HFI_OK) die_with(final, response);
        units = content_units(response);
        hfi_response_free(response);
      } else if (s->status != HFI_OK) {
        hfi_response *response = NULL;
        hfi_request_wait(s->request, 0, &response);
        die_with(s->status, response);
      }
      hfi_request_free(s->request);
      s->request = NULL;
      if (tally_complete(t, s->end, s->end - s->start, units)) start_slot(s);
      else active--;
    }
    p.n_ended = 0;
  }
  hfi_request_options_free(p.options);
  free(p.ended);
  free(slots);
}

/* ---- main ------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  const char *mode, *url;
  double seconds;
  int concurrency, stream, use_thread = 0, force_poll = 0, i;
  char client_name[64];
  hfi_client_options *opts = NULL;
  hfi_client *client = NULL;
  hfi_status st;
  tally t;

  if (argc < 5) {
    fprintf(stderr, "usage: %s chat|stream|embed SECONDS CONCURRENCY URL [thread] [poll] [h2]\n", argv[0]);
    return 2;
  }
  mode = argv[1];
  seconds = atof(argv[2]);
  concurrency = atoi(argv[3]);
  url = argv[4];
  for (i = 5; i < argc; i++) {
    if (strcmp(argv[i], "thread") == 0) use_thread = 1;
    else if (strcmp(argv[i], "poll") == 0) force_poll = 1;
    else if (strcmp(argv[i], "h2") == 0) {
      fprintf(stderr, "hfi-bench: hfi has no option for HTTP/2 cleartext with prior knowledge: not supported\n");
      return 0;
    } else {
      fprintf(stderr, "hfi-bench: unknown variant '%s'\n", argv[i]);
      return 2;
    }
  }
  if (strcmp(mode, "embed") == 0) {
    fprintf(stderr, "hfi-bench: embed is not supported yet\n");
    return 0;
  }
  if ((strcmp(mode, "chat") != 0 && strcmp(mode, "stream") != 0) || !(seconds > 0) || concurrency < 1) {
    fprintf(stderr, "hfi-bench: bad arguments\n");
    return 2;
  }
  stream = strcmp(mode, "stream") == 0;
  snprintf(client_name, sizeof client_name, "hfi%s%s", use_thread ? "-thread" : "", force_poll ? "-poll" : "");

  if ((st = hfi_client_options_new(&opts)) != HFI_OK) die_setup("hfi_client_options_new", st);
  if ((st = hfi_client_options_set_str(opts, HFI_OPT_TOKEN, "hf_dummy", HFI_NUL_TERMINATED)) != HFI_OK)
    die_setup("HFI_OPT_TOKEN", st);
  if ((st = hfi_client_options_set_str(opts, HFI_OPT_BASE_URL, url, HFI_NUL_TERMINATED)) != HFI_OK)
    die_setup("HFI_OPT_BASE_URL", st);
  if ((st = hfi_client_options_set_int(opts, HFI_OPT_TOKEN_FROM_ENV, 0)) != HFI_OK)
    die_setup("HFI_OPT_TOKEN_FROM_ENV", st);
  if ((st = hfi_client_options_set_int(opts, HFI_OPT_IO_MODE, use_thread ? HFI_IO_THREAD : HFI_IO_CALLER)) != HFI_OK)
    die_setup("HFI_OPT_IO_MODE", st);
  if ((st = hfi_client_new(&client, opts)) != HFI_OK) die_setup("hfi_client_new", st);
  hfi_client_options_free(opts);

  tally_init(&t, seconds);
  if (concurrency == 1 && !force_poll) run_blocking(client, stream, &t);
  else run_polled(client, stream, concurrency, &t);
  st = tally_print(&t, client_name, mode, concurrency);

  hfi_client_free(client);
  free(t.lat);
  return st == 0 ? 0 : 1;
}
