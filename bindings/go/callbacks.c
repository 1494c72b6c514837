// The callback trampolines of the Go binding: task progress and the log (streams use
// stream_queue.c). A cgo.Handle travels through hfi as the request's
// user data; C converts it to and from void *, which Go may not do without `go vet` objecting.
#include <string.h>

#include "hfi_go.h"
#include "_cgo_export.h"

static int32_t HFI_CALL hfi_go_event_trampoline(const hfi_event *event, void *user_data) {
  hfi_go_event e;
  memset(&e, 0, sizeof e);
  e.type = hfi_event_type(event);
  e.progress = hfi_event_progress(event);
  hfi_event_text(event, &e.text, &e.text_len);
  hfi_event_json(event, &e.json, &e.json_len);
  return goHfiEvent(&e, (uintptr_t)user_data);
}

static void HFI_CALL hfi_go_release_trampoline(void *user_data) { goHfiRelease((uintptr_t)user_data); }

hfi_status hfi_go_set_callback(hfi_request_options *opts, uintptr_t handle) {
  return hfi_request_options_set_callback(opts, hfi_go_event_trampoline, (void *)handle,
                                          hfi_go_release_trampoline);
}

static void HFI_CALL hfi_go_log_trampoline(int32_t level, const char *message, size_t len, void *user_data) {
  goHfiLog(level, (char *)message, len, (uintptr_t)user_data);
}

hfi_status hfi_go_set_log(hfi_client_options *opts, uintptr_t handle, int32_t max_level) {
  return hfi_client_options_set_log(opts, hfi_go_log_trampoline, (void *)handle, max_level);
}
