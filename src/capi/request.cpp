// Started requests: options, start, wait, cancel, free; the poll pump and the pull queue.
#include "capi/guard.h"
#include "capi/handles.h"

using hfi::capi::fail;
using hfi::capi::guarded;

namespace {

// "auto", a provider name, or names separated by commas; known providers are checked when a task
// starts (the list of providers grows with the library, the option's syntax does not).
hfi_status set_provider_list(std::string& field, std::string_view text) {
  std::string error;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!hfi::valid_provider_name(name, error)) return fail(HFI_E_INVALID_ARG, error);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
    if (rest.empty()) return fail(HFI_E_INVALID_ARG, "the provider list ends with a comma");
  }
  field.assign(text);
  return HFI_OK;
}

hfi_status check_timeout(int64_t timeout_ms) {
  return timeout_ms < -1 ? fail(HFI_E_INVALID_ARG, "a timeout is -1 (no limit), 0 or positive") : HFI_OK;
}

}  // namespace

extern "C" {

HFI_API hfi_status HFI_CALL hfi_request_options_new(hfi_request_options** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
    *out = new hfi_request_options();
    return HFI_OK;
  });
}

HFI_API void HFI_CALL hfi_request_options_free(hfi_request_options* opts) noexcept { delete opts; }

HFI_API hfi_status HFI_CALL hfi_request_options_set_callback(hfi_request_options* opts, hfi_event_cb cb,
                                                             void* user_data, hfi_release_fn release) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    if (opts->release && opts->user_data != user_data) opts->release(opts->user_data);
    opts->callback = cb;
    opts->user_data = user_data;
    opts->release = release;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_request_options_set_user_data(hfi_request_options* opts, void* user_data,
                                                              hfi_release_fn release) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    if (opts->release && opts->user_data != user_data) opts->release(opts->user_data);
    opts->user_data = user_data;
    opts->release = release;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_request_options_set_str(hfi_request_options* opts, int32_t key, const char* value,
                                                        size_t len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    if (key != HFI_REQ_HEADER && key != HFI_REQ_PROVIDER)
      return fail(HFI_E_UNKNOWN_OPTION, "unknown request string option " + std::to_string(key));
    std::string_view text;
    if (!hfi::capi::input_text(value, len, text)) return fail(HFI_E_INVALID_ARG, "value is NULL but len is not 0");
    if (key == HFI_REQ_PROVIDER) return set_provider_list(opts->settings.provider, text);
    // Validated by the same rules as client headers.
    hfi::ClientOptions scratch;
    std::string error;
    hfi_status st = hfi::set_option(scratch, HFI_OPT_HEADER, text, error);
    if (st != HFI_OK) return fail(st, error);
    if (text.empty()) opts->settings.headers.clear();
    else opts->settings.headers.push_back(scratch.headers.back());
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_request_options_set_int(hfi_request_options* opts, int32_t key,
                                                        int64_t value) noexcept {
  return guarded([&]() -> hfi_status {
    if (!opts) return fail(HFI_E_INVALID_ARG, "opts is NULL");
    if (key != HFI_REQ_TIMEOUT_MS && key != HFI_REQ_STALL_TIMEOUT_MS && key != HFI_REQ_POLL_INTERVAL_MS &&
        key != HFI_REQ_MAX_RETRIES && key != HFI_REQ_FIRST_BYTE_TIMEOUT_MS)
      return fail(HFI_E_UNKNOWN_OPTION, "unknown request integer option " + std::to_string(key));
    if (value < 0) return fail(HFI_E_INVALID_ARG, "value must not be negative");
    if (key == HFI_REQ_FIRST_BYTE_TIMEOUT_MS) {
      opts->settings.first_byte_timeout_ms = value;
      return HFI_OK;
    }
    if (key == HFI_REQ_MAX_RETRIES) {
      if (value > 100) return fail(HFI_E_INVALID_ARG, "at most 100 retries");
      opts->settings.max_retries = value;
      return HFI_OK;
    }
    if (key == HFI_REQ_POLL_INTERVAL_MS) {
      if (value > 3600000) return fail(HFI_E_INVALID_ARG, "a poll interval is at most an hour");
      opts->settings.poll_interval_ms = value;
      return HFI_OK;
    }
    (key == HFI_REQ_TIMEOUT_MS ? opts->settings.timeout_ms : opts->settings.stall_timeout_ms) = value;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_request_start(hfi_client* client, int32_t task, const char* json, size_t len,
                                              const hfi_request_options* opts, hfi_request** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
    *out = nullptr;
    if (!client) return fail(HFI_E_INVALID_ARG, "client is NULL");
    if (task != HFI_TASK_CHAT && task != HFI_TASK_CHAT_STREAM)
      return fail(HFI_E_INVALID_ARG, "unknown task " + std::to_string(task));
    std::string_view body;
    if (!json || !hfi::capi::input_text(json, len, body) || body.empty())
      return fail(HFI_E_INVALID_ARG, "the request body is NULL or empty");
    static const hfi_request_options defaults;
    const hfi_request_options& o = opts ? *opts : defaults;
    hfi::Delivery delivery;
    delivery.callback = o.callback;
    delivery.user_data = o.user_data;
    delivery.release = o.release;
    std::shared_ptr<hfi::ChatCall> call;
    std::string error;
    hfi_status st = client->impl->start(body, task == HFI_TASK_CHAT_STREAM, o.settings, delivery, call, error);
    if (st != HFI_OK) return fail(st, error);
    // The call owns the user data now: the options must not release it too.
    o.release = nullptr;
    o.user_data = nullptr;
    auto* request = new hfi_request{call, client->impl->engine()};
    call->set_handle(request);
    client->impl->submit(std::move(call));
    *out = request;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_request_wait(hfi_request* request, int32_t timeout_ms, hfi_response** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (out) *out = nullptr;
    if (!request) return fail(HFI_E_INVALID_ARG, "request is NULL");
    if (check_timeout(timeout_ms) != HFI_OK) return HFI_E_INVALID_ARG;
    std::shared_ptr<hfi::transport::Engine> engine = request->engine.lock();
    hfi_status st = engine ? request->call->wait(*engine, timeout_ms) : request->call->status();
    if (st != HFI_PENDING && out) *out = request->call->copy_response().release();
    return st;
  });
}

HFI_API hfi_status HFI_CALL hfi_request_dispatch(hfi_request* request, int32_t timeout_ms) noexcept {
  return guarded([&]() -> hfi_status {
    if (!request) return fail(HFI_E_INVALID_ARG, "request is NULL");
    if (check_timeout(timeout_ms) != HFI_OK) return HFI_E_INVALID_ARG;
    if (!request->call->has_callback())
      return fail(HFI_E_INVALID_ARG, "the request has no callback: its events go to the pull queue");
    std::shared_ptr<hfi::transport::Engine> engine = request->engine.lock();
    return engine ? request->call->dispatch(*engine, timeout_ms) : request->call->status();
  });
}

HFI_API hfi_status HFI_CALL hfi_request_cancel(hfi_request* request) noexcept {
  return guarded([&]() -> hfi_status {
    if (!request) return fail(HFI_E_INVALID_ARG, "request is NULL");
    if (auto engine = request->engine.lock()) engine->stop(*request->call, HFI_E_CANCELLED);
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_request_status(const hfi_request* request) noexcept {
  return guarded([&]() -> hfi_status {
    if (!request) return fail(HFI_E_INVALID_ARG, "request is NULL");
    return request->call->status();
  });
}

HFI_API void* HFI_CALL hfi_request_user_data(const hfi_request* request) noexcept {
  return hfi::capi::checked(request, "request") ? request->call->user_data() : nullptr;
}

HFI_API void HFI_CALL hfi_request_free(hfi_request* request) noexcept {
  if (!request) return;
  try {
    std::shared_ptr<hfi::transport::Engine> engine = request->engine.lock();
    request->call->free_handle(engine.get());
    delete request;
  } catch (...) {
    // Nothing can be reported from a free function; the process must not die for it.
  }
}

HFI_API hfi_status HFI_CALL hfi_client_poll(hfi_client* client, int32_t timeout_ms, int32_t* pending) noexcept {
  return guarded([&]() -> hfi_status {
    if (!client) return fail(HFI_E_INVALID_ARG, "client is NULL");
    if (check_timeout(timeout_ms) != HFI_OK) return HFI_E_INVALID_ARG;
    return client->impl->poll(timeout_ms, pending);
  });
}

HFI_API hfi_status HFI_CALL hfi_client_next_event(hfi_client* client, hfi_event** out) noexcept {
  return guarded([&]() -> hfi_status {
    if (!out) return fail(HFI_E_INVALID_ARG, "out is NULL");
    *out = nullptr;
    if (!client) return fail(HFI_E_INVALID_ARG, "client is NULL");
    std::unique_ptr<hfi::PulledEvent> ev = client->impl->next_event();
    if (!ev) return HFI_NO_EVENT;
    *out = ev.release();
    return HFI_OK;
  });
}

HFI_API void HFI_CALL hfi_event_free(hfi_event* event) noexcept {
  // Events borrowed by a callback belong to hfi: freeing one would be a double free later.
  if (event && event->pulled) delete static_cast<hfi::PulledEvent*>(event);
}

HFI_API hfi_request* HFI_CALL hfi_event_request(const hfi_event* event) noexcept {
  return hfi::capi::checked(event, "event") ? event->request : nullptr;
}

HFI_API hfi_status HFI_CALL hfi_client_wakeup(hfi_client* client) noexcept {
  return guarded([&]() -> hfi_status {
    if (!client) return fail(HFI_E_INVALID_ARG, "client is NULL");
    client->impl->wakeup();
    return HFI_OK;
  });
}

}  // extern "C"
