// Response and error accessors. Responses are immutable once handed out, so these only read.
#include "capi/guard.h"
#include "core/objects.h"

using hfi::capi::fail;
using hfi::capi::guarded;
using hfi::capi::output_text;

namespace {

template <class Object>
hfi_status text_of(const Object* object, const std::string Object::*field, const char** ptr, size_t* len) {
  return guarded([&]() -> hfi_status {
    if (!object) return fail(HFI_E_INVALID_ARG, "the object is NULL");
    return output_text(object->*field, ptr, len);
  });
}

hfi_status tool_call_text(const hfi_response* r, size_t index, std::string hfi::json::ToolCall::*field,
                          const char** ptr, size_t* len) {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "response is NULL");
    if (index >= r->tool_calls.size())
      return fail(HFI_E_INVALID_ARG, "tool call index " + std::to_string(index) + " is out of range");
    return output_text(r->tool_calls[index].*field, ptr, len);
  });
}

}  // namespace

extern "C" {

HFI_API void HFI_CALL hfi_response_free(hfi_response* response) noexcept { delete response; }

HFI_API hfi_status HFI_CALL hfi_response_status(const hfi_response* response) noexcept {
  return hfi::capi::checked(response, "response") ? response->status : HFI_E_INVALID_ARG;
}

HFI_API int32_t HFI_CALL hfi_response_http_status(const hfi_response* response) noexcept {
  return hfi::capi::checked(response, "response") ? response->http_status : -1;
}

HFI_API hfi_status HFI_CALL hfi_response_content(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return text_of(r, &hfi_response::content, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_response_reasoning(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return text_of(r, &hfi_response::reasoning, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_response_finish_reason(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return text_of(r, &hfi_response::finish_reason, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_response_model(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return text_of(r, &hfi_response::model, ptr, len);
}

HFI_API int32_t HFI_CALL hfi_response_attempts(const hfi_response* r) noexcept {
  return hfi::capi::checked(r, "response") ? r->attempts : -1;
}

HFI_API hfi_status HFI_CALL hfi_response_target(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "response is NULL");
    return output_text(r->target, ptr, len);
  });
}

HFI_API hfi_status HFI_CALL hfi_response_json(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "the object is NULL");
    return output_text(hfi::response_json(*r), ptr, len);
  });
}

HFI_API hfi_status HFI_CALL hfi_response_request_id(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return text_of(r, &hfi_response::request_id, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_response_url(const hfi_response* r, const char** ptr, size_t* len) noexcept {
  return text_of(r, &hfi_response::url, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_response_usage(const hfi_response* r, int64_t* prompt_tokens,
                                               int64_t* completion_tokens, int64_t* total_tokens) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "response is NULL");
    if (prompt_tokens) *prompt_tokens = r->prompt_tokens;
    if (completion_tokens) *completion_tokens = r->completion_tokens;
    if (total_tokens) *total_tokens = r->total_tokens;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_response_timings(const hfi_response* r, double* total_ms, double* first_byte_ms) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r) return fail(HFI_E_INVALID_ARG, "response is NULL");
    if (total_ms) *total_ms = r->total_ms;
    if (first_byte_ms) *first_byte_ms = r->first_byte_ms;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_response_tool_call_count(const hfi_response* r, size_t* count) noexcept {
  return guarded([&]() -> hfi_status {
    if (!r || !count) return fail(HFI_E_INVALID_ARG, "response or count is NULL");
    *count = r->tool_calls.size();
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_response_tool_call_id(const hfi_response* r, size_t index, const char** ptr,
                                                      size_t* len) noexcept {
  return tool_call_text(r, index, &hfi::json::ToolCall::id, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_response_tool_call_name(const hfi_response* r, size_t index, const char** ptr,
                                                        size_t* len) noexcept {
  return tool_call_text(r, index, &hfi::json::ToolCall::name, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_response_tool_call_arguments(const hfi_response* r, size_t index,
                                                             const char** ptr, size_t* len) noexcept {
  return tool_call_text(r, index, &hfi::json::ToolCall::arguments, ptr, len);
}

HFI_API const hfi_error* HFI_CALL hfi_response_error(const hfi_response* r) noexcept {
  return hfi::capi::checked(r, "response") && r->status != HFI_OK ? &r->error : nullptr;
}

HFI_API hfi_status HFI_CALL hfi_error_code(const hfi_error* e) noexcept {
  return hfi::capi::checked(e, "error") ? e->code : HFI_E_INVALID_ARG;
}

HFI_API int32_t HFI_CALL hfi_error_http_status(const hfi_error* e) noexcept {
  return hfi::capi::checked(e, "error") ? e->http_status : -1;
}

HFI_API int64_t HFI_CALL hfi_error_retry_after_ms(const hfi_error* e) noexcept {
  return hfi::capi::checked(e, "error") ? e->retry_after_ms : -1;
}

HFI_API hfi_status HFI_CALL hfi_error_rate_limit(const hfi_error* e, int64_t* limit, int64_t* remaining,
                                                 int64_t* reset_ms) noexcept {
  return guarded([&]() -> hfi_status {
    if (!e) return fail(HFI_E_INVALID_ARG, "error is NULL");
    if (limit) *limit = e->rate_limit.limit;
    if (remaining) *remaining = e->rate_limit.remaining;
    if (reset_ms) *reset_ms = e->rate_limit.reset_ms;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_error_rate_limit_policy(const hfi_error* e, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!e) return fail(HFI_E_INVALID_ARG, "error is NULL");
    return output_text(e->rate_limit.policy, ptr, len);
  });
}

HFI_API hfi_status HFI_CALL hfi_error_message(const hfi_error* e, const char** ptr, size_t* len) noexcept {
  return text_of(e, &hfi_error::message, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_error_type(const hfi_error* e, const char** ptr, size_t* len) noexcept {
  return text_of(e, &hfi_error::type, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_error_body(const hfi_error* e, const char** ptr, size_t* len) noexcept {
  return text_of(e, &hfi_error::body, ptr, len);
}

}  // extern "C"
