// Client options, clients and chat calls.
#include <memory>

#include "capi/guard.h"
#include "capi/handles.h"

using hfi::capi::fail;
using hfi::capi::guarded;

extern "C" {

HFI_API hfi_status HFI_CALL hfi_client_options_new(hfi_client_options** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
    *out = new hfi_client_options();
    return HFI_OK;
  });
}

HFI_API void HFI_CALL hfi_client_options_free(hfi_client_options* opts) noexcept { delete opts; }

HFI_API hfi_status HFI_CALL hfi_client_options_set_str(hfi_client_options* opts, int32_t key,
                                                       const char* value, size_t len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    std::string_view text;
    if (!hfi::capi::input_text(value, len, text)) return fail(HFI_E_INVALID_ARG, "value is NULL but len is not 0");
    std::string error;
    hfi_status st = hfi::set_option(opts->options, key, text, error);
    return st == HFI_OK ? HFI_OK : fail(st, error);
  });
}

HFI_API hfi_status HFI_CALL hfi_client_options_set_int(hfi_client_options* opts, int32_t key,
                                                       int64_t value) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    std::string error;
    hfi_status st = hfi::set_option(opts->options, key, value, error);
    return st == HFI_OK ? HFI_OK : fail(st, error);
  });
}

HFI_API hfi_status HFI_CALL hfi_client_options_set_log(hfi_client_options* opts, hfi_log_cb cb, void* user_data,
                                                       int32_t max_level) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    if (max_level < HFI_LOG_ERROR || max_level > HFI_LOG_DEBUG)
      return fail(HFI_E_INVALID_ARG, "max_level must be HFI_LOG_ERROR to HFI_LOG_DEBUG");
    opts->options.log = {cb, user_data, max_level};
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_client_new(hfi_client** out, const hfi_client_options* opts) noexcept {
  return guarded([&]() -> hfi_status {
    if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
    *out = nullptr;
    static const hfi::ClientOptions defaults;
    std::unique_ptr<hfi::Client> impl;
    std::string error;
    hfi_status st = hfi::Client::create(opts ? opts->options : defaults, impl, error);
    if (st != HFI_OK) return fail(st, error);
    *out = new hfi_client{std::move(impl)};
    return HFI_OK;
  });
}

HFI_API void HFI_CALL hfi_client_free(hfi_client* client) noexcept {
  try {
    delete client;
  } catch (...) {
    // A destructor that throws has nowhere to report to; the process must not die for it.
  }
}

static hfi_status run_chat(hfi_client* client, const char* json, size_t len, bool stream,
                           hfi_event_cb cb, void* user_data, hfi_response** out) {
  if (out) *out = nullptr;
  if (!client) return fail(HFI_E_INVALID_ARG, "client is NULL");
  std::string_view body;
  if (!json || !hfi::capi::input_text(json, len, body) || body.empty())
    return fail(HFI_E_INVALID_ARG, "the request body is NULL or empty");
  std::unique_ptr<hfi_response> response;
  std::string error;
  hfi_status st = client->impl->chat(body, stream, cb, user_data, response, error);
  if (!response) return fail(st, error);
  if (st != HFI_OK) fail(st, response->error.message);
  if (out) *out = response.release();
  return st;
}

HFI_API hfi_status HFI_CALL hfi_chat(hfi_client* client, const char* json, size_t len,
                                     hfi_response** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
    return run_chat(client, json, len, false, nullptr, nullptr, out);
  });
}

HFI_API hfi_status HFI_CALL hfi_chat_stream(hfi_client* client, const char* json, size_t len,
                                            hfi_event_cb cb, void* user_data, hfi_response** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (!cb) {
      if (out) *out = nullptr;
      return fail(HFI_E_INVALID_ARG, "the event callback is NULL");
    }
    return run_chat(client, json, len, true, cb, user_data, out);
  });
}

}  // extern "C"
