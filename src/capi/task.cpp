// Tasks: hfi_task, hfi_task_start, their binary input, media outputs, the model listing, data URLs.
#include <cstring>

#include "capi/guard.h"
#include "capi/handles.h"
#include "protocol/media_type.h"

using hfi::capi::fail;
using hfi::capi::guarded;
using hfi::capi::output_text;

namespace {

// The checks both task entry points make, and the task's input from the C arguments.
template <class Out>
hfi_status task_call_input(const hfi_client* client, const char* task, const char* model, const char* json,
                           size_t len, const hfi_request_options* opts, Out** out, hfi::TaskInput& in) {
  if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
  *out = nullptr;
  if (!client) return fail(HFI_E_INVALID_ARG, "client is NULL");
  if (!task) return fail(HFI_E_INVALID_ARG, "task is NULL");
  if (!model) return fail(HFI_E_INVALID_ARG, "model is NULL");
  std::string_view body;
  if (!hfi::capi::input_text(json, len, body)) return fail(HFI_E_INVALID_ARG, "json is NULL but len is not 0");
  in.task = task;
  in.model = model;
  in.json.assign(body);
  if (opts) {
    const hfi::Client::RequestSettings& s = opts->settings;
    in.binary = s.input;
    in.binary_type = s.input_type;
    in.provider = s.provider;
    in.headers = s.headers;
    in.timeout_ms = s.timeout_ms;
    in.stall_timeout_ms = s.stall_timeout_ms;
    in.first_byte_timeout_ms = s.first_byte_timeout_ms;
    in.poll_interval_ms = s.poll_interval_ms;
    in.max_retries = s.max_retries;
  }
  return HFI_OK;
}

}  // namespace

extern "C" {

HFI_API hfi_status HFI_CALL hfi_request_options_set_input(hfi_request_options* opts, const void* data, size_t len,
                                                          const char* media_type) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    if (!data && len != 0) return fail(HFI_E_INVALID_ARG, "data is NULL but len is not 0");
    std::string type = media_type ? media_type : "";
    if (type.find_first_of("\r\n") != std::string::npos || type.find('\0') != std::string::npos)
      return fail(HFI_E_INVALID_ARG, "the media type must not contain CR or LF");
    if (!type.empty() && type.find('/') == std::string::npos)
      return fail(HFI_E_INVALID_ARG, "a media type is written type/subtype, e.g. image/png");
    opts->settings.input.assign(static_cast<const char*>(data ? data : ""), len);
    opts->settings.input_type = std::move(type);
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_task(hfi_client* client, const char* task, const char* model, const char* json,
                                     size_t len, const hfi_request_options* opts, hfi_response** out) noexcept {
  return guarded([&]() -> hfi_status {
    hfi::TaskInput in;
    if (hfi_status st = task_call_input(client, task, model, json, len, opts, out, in); st != HFI_OK) return st;
    hfi::Delivery delivery;
    if (opts) {
      delivery.callback = opts->callback;
      delivery.user_data = opts->user_data;  // not released: a blocking call does not own it
    }
    std::unique_ptr<hfi_response> response;
    std::string error;
    hfi_status st = client->impl->task(std::move(in), delivery, response, error);
    if (!response) return fail(st, error);
    *out = response.release();
    return st;
  });
}

HFI_API hfi_status HFI_CALL hfi_task_start(hfi_client* client, const char* task, const char* model,
                                           const char* json, size_t len, const hfi_request_options* opts,
                                           hfi_request** out) noexcept {
  return guarded([&]() -> hfi_status {
    hfi::TaskInput in;
    if (hfi_status st = task_call_input(client, task, model, json, len, opts, out, in); st != HFI_OK) return st;
    hfi::Delivery delivery;
    if (opts) {
      delivery.callback = opts->callback;
      delivery.user_data = opts->user_data;
      delivery.release = opts->release;
    }
    std::shared_ptr<hfi::ChatCall> call;
    std::string error;
    hfi_status st = client->impl->start_task(std::move(in), delivery, call, error);
    if (st != HFI_OK) return fail(st, error);
    if (opts) {  // the request owns the user data now
      opts->release = nullptr;
      opts->user_data = nullptr;
    }
    auto* request = new hfi_request{call, client->impl->engine()};
    call->set_handle(request);
    client->impl->submit(std::move(call));
    *out = request;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_response_bytes(const hfi_response* r, const void** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "response is NULL");
    if (!ptr || !len) return fail(HFI_E_INVALID_ARG, "ptr and len may not be NULL");
    *ptr = r->bytes.data();
    *len = r->bytes.size();
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_response_media_type(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "response is NULL");
    return output_text(r->media_type, ptr, len);
  });
}

HFI_API hfi_status HFI_CALL hfi_response_provider(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "response is NULL");
    return output_text(r->provider, ptr, len);
  });
}

HFI_API double HFI_CALL hfi_event_progress(const hfi_event* ev) noexcept {
  if (!hfi::capi::checked(ev, "event")) return -1;
  return ev->type == HFI_EVENT_PROGRESS ? ev->progress : -1;
}

HFI_API hfi_status HFI_CALL hfi_list_models(hfi_client* client, const char* model, hfi_response** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
    *out = nullptr;
    if (!client) return fail(HFI_E_INVALID_ARG, "client is NULL");
    std::unique_ptr<hfi_response> response;
    std::string error;
    hfi_status st = client->impl->list_models(model ? model : "", response, error);
    if (!response) return fail(st, error);
    *out = response.release();
    return st;
  });
}

HFI_API hfi_status HFI_CALL hfi_data_url(const void* data, size_t len, const char* media_type, char* buf,
                                         size_t buf_size, size_t* needed) noexcept {
  return guarded([&]() -> hfi_status {
    if (needed) *needed = 0;
    if (!data && len != 0) return fail(HFI_E_INVALID_ARG, "data is NULL but len is not 0");
    if (!buf && buf_size != 0) return fail(HFI_E_INVALID_ARG, "buf is NULL but buf_size is not 0");
    std::string type = media_type ? media_type : "";
    if (type.find_first_of("\r\n,;") != std::string::npos)
      return fail(HFI_E_INVALID_ARG, "the media type must not contain CR, LF, ',' or ';'");
    std::string url = hfi::media::data_url(std::string_view(static_cast<const char*>(data ? data : ""), len), type);
    if (needed) *needed = url.size() + 1;
    if (buf_size < url.size() + 1)
      return fail(HFI_E_BUFFER_TOO_SMALL, "the data URL needs " + std::to_string(url.size() + 1) + " bytes");
    std::memcpy(buf, url.c_str(), url.size() + 1);
    return HFI_OK;
  });
}

}  // extern "C"
