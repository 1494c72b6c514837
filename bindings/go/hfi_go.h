/* The C side of the Go binding: callback trampolines and one-crossing event snapshots. */
#ifndef HFI_GO_H
#define HFI_GO_H

#include <stdint.h>
#include <hfi/hfi.h>

#if HFI_ABI_VERSION != 0
#error "this Go binding is written for hfi ABI generation 0"
#endif

/* What a task's progress callback reads of one event, gathered in C: one C-to-Go call per event. */
typedef struct hfi_go_event {
  int32_t type;
  const char *text; size_t text_len;
  const char *json; size_t json_len;
  double progress;
} hfi_go_event;

/* Sets the Go trampolines on `opts`: the events, and the release of `handle`. */
hfi_status hfi_go_set_callback(hfi_request_options *opts, uintptr_t handle);

/* Sends the client's log lines to the Go logger behind `handle`. */
hfi_status hfi_go_set_log(hfi_client_options *opts, uintptr_t handle, int32_t max_level);

/* ---- streams: events queued in C, taken by the reader in batches ----------------------------
 * A chat stream's events never call into Go one by one: hfi dispatches them (on the goroutine
 * waiting for the request) to a C callback that copies them into a queue, and the reader takes
 * everything queued in one cgo call, blocking in C while the queue is empty. */

typedef struct hfi_go_queued {
  int32_t type, choice_index, tool_index;
  size_t text_off, text_len, tool_id_off, tool_id_len, tool_name_off, tool_name_len, tool_args_off, tool_args_len;
  int64_t prompt_tokens, completion_tokens, total_tokens;
} hfi_go_queued;

typedef struct hfi_go_stream hfi_go_stream;

hfi_go_stream *hfi_go_stream_new(size_t max_queued);
/* Sets `stream` as the receiver of the request's events. */
hfi_status hfi_go_stream_attach(hfi_request_options *opts, hfi_go_stream *stream);
/* Blocks until events are queued, the request ended or the stream closed; hands out everything
 * queued (valid until the next take) and returns its count, 0 at the end. */
size_t hfi_go_stream_take(hfi_go_stream *stream, const hfi_go_queued **events, const char **text);
/* The request ended: the reader gets what is queued, then 0. */
void hfi_go_stream_finish(hfi_go_stream *stream);
/* The reader is gone: the callback aborts the request, and take returns 0 at once. */
void hfi_go_stream_close(hfi_go_stream *stream);
void hfi_go_stream_free(hfi_go_stream *stream);

#endif
