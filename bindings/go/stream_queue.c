// The C side of Go streams (hfi_go.h): a queue of copied events, double-buffered between the
// goroutine dispatching hfi's callbacks and the reader, with a bound that holds the dispatcher
// back while the reader is behind.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hfi_go.h"

typedef struct buffers {
  hfi_go_queued *events;
  size_t count, cap;
  char *text;
  size_t used, text_cap;
} buffers;

struct hfi_go_stream {
  pthread_mutex_t mu;
  pthread_cond_t readable, writable;
  buffers writing, reading;
  size_t max_queued;
  int finished, closed;
};

hfi_go_stream *hfi_go_stream_new(size_t max_queued) {
  hfi_go_stream *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->readable, NULL);
  pthread_cond_init(&s->writable, NULL);
  s->max_queued = max_queued;
  return s;
}

void hfi_go_stream_free(hfi_go_stream *s) {
  if (!s) return;
  free(s->writing.events);
  free(s->writing.text);
  free(s->reading.events);
  free(s->reading.text);
  pthread_cond_destroy(&s->readable);
  pthread_cond_destroy(&s->writable);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

/* Appends text to the writing buffers and returns its offset; (size_t)-1 when out of memory. */
static size_t keep_text(buffers *b, const char *p, size_t n) {
  if (n == 0) return 0;
  if (b->used + n > b->text_cap) {
    size_t cap = b->text_cap ? b->text_cap : 4096;
    while (cap < b->used + n) cap *= 2;
    char *grown = realloc(b->text, cap);
    if (!grown) return (size_t)-1;
    b->text = grown;
    b->text_cap = cap;
  }
  memcpy(b->text + b->used, p, n);
  b->used += n;
  return b->used - n;
}

static int32_t HFI_CALL on_event(const hfi_event *event, void *user_data) {
  hfi_go_stream *s = user_data;
  hfi_go_queued q;
  const char *text = NULL, *id = NULL, *name = NULL, *args = NULL;
  size_t text_len = 0, id_len = 0, name_len = 0, args_len = 0;
  int32_t abort = 0;

  memset(&q, 0, sizeof q);
  q.type = hfi_event_type(event);
  switch (q.type) {
    case HFI_EVENT_DELTA:
    case HFI_EVENT_REASONING:
    case HFI_EVENT_FINISH:
      hfi_event_text(event, &text, &text_len);
      break;
    case HFI_EVENT_TOOL_CALL:
      q.tool_index = hfi_event_tool_call_index(event);
      hfi_event_tool_call_id(event, &id, &id_len);
      hfi_event_tool_call_name(event, &name, &name_len);
      hfi_event_tool_call_arguments(event, &args, &args_len);
      break;
    case HFI_EVENT_USAGE:
      hfi_event_usage(event, &q.prompt_tokens, &q.completion_tokens, &q.total_tokens);
      break;
    default:
      return 0; /* RAW, DONE, ERROR: the end is read from the response */
  }
  q.choice_index = hfi_event_choice_index(event);

  pthread_mutex_lock(&s->mu);
  while (!s->closed && s->writing.count >= s->max_queued) pthread_cond_wait(&s->writable, &s->mu);
  if (s->closed) {
    abort = 1;
  } else {
    buffers *b = &s->writing;
    if (b->count == b->cap) {
      size_t cap = b->cap ? b->cap * 2 : 64;
      hfi_go_queued *grown = realloc(b->events, cap * sizeof *grown);
      if (grown) {
        b->events = grown;
        b->cap = cap;
      }
    }
    q.text_off = keep_text(b, text, text_len);
    q.tool_id_off = keep_text(b, id, id_len);
    q.tool_name_off = keep_text(b, name, name_len);
    q.tool_args_off = keep_text(b, args, args_len);
    q.text_len = text_len, q.tool_id_len = id_len, q.tool_name_len = name_len, q.tool_args_len = args_len;
    if (b->count == b->cap || q.text_off == (size_t)-1 || q.tool_id_off == (size_t)-1 ||
        q.tool_name_off == (size_t)-1 || q.tool_args_off == (size_t)-1) {
      abort = 1; /* out of memory: the request ends, and says why */
    } else {
      b->events[b->count++] = q;
      pthread_cond_signal(&s->readable);
    }
  }
  pthread_mutex_unlock(&s->mu);
  return abort;
}

hfi_status hfi_go_stream_attach(hfi_request_options *opts, hfi_go_stream *s) {
  return hfi_request_options_set_callback(opts, on_event, s, NULL);
}

size_t hfi_go_stream_take(hfi_go_stream *s, const hfi_go_queued **events, const char **text) {
  size_t n;
  buffers spent;
  pthread_mutex_lock(&s->mu);
  while (!s->closed && !s->finished && s->writing.count == 0) pthread_cond_wait(&s->readable, &s->mu);
  if (s->closed) {
    pthread_mutex_unlock(&s->mu);
    return 0;
  }
  /* The reader's previous batch is done with: it becomes the next writing buffer. */
  spent = s->reading;
  s->reading = s->writing;
  s->writing = spent;
  s->writing.count = 0;
  s->writing.used = 0;
  n = s->reading.count;
  pthread_cond_signal(&s->writable);
  pthread_mutex_unlock(&s->mu);
  *events = s->reading.events;
  *text = s->reading.text;
  return n;
}

void hfi_go_stream_finish(hfi_go_stream *s) {
  pthread_mutex_lock(&s->mu);
  s->finished = 1;
  pthread_cond_broadcast(&s->readable);
  pthread_mutex_unlock(&s->mu);
}

void hfi_go_stream_close(hfi_go_stream *s) {
  pthread_mutex_lock(&s->mu);
  s->closed = 1;
  pthread_cond_broadcast(&s->readable);
  pthread_cond_broadcast(&s->writable);
  pthread_mutex_unlock(&s->mu);
}
