// Event accessors: read-only views of an event borrowed by a callback.
#include "capi/guard.h"
#include "core/objects.h"

using hfi::capi::fail;
using hfi::capi::guarded;
using hfi::capi::output_text;

namespace {

hfi_status tool_call_text(const hfi_event* ev, const std::string_view hfi_event::*field, const char** ptr, size_t* len) {
  return guarded([&]() -> hfi_status {
    if (!ev) return fail(HFI_E_INVALID_ARG, "event is NULL");
    if (ev->type != HFI_EVENT_TOOL_CALL) return fail(HFI_E_INVALID_ARG, "not a tool-call event");
    return output_text(ev->*field, ptr, len);
  });
}

}  // namespace

extern "C" {

HFI_API int32_t HFI_CALL hfi_event_type(const hfi_event* ev) noexcept {
  return hfi::capi::checked(ev, "event") ? ev->type : HFI_E_INVALID_ARG;
}

HFI_API hfi_status HFI_CALL hfi_event_text(const hfi_event* ev, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!ev) return fail(HFI_E_INVALID_ARG, "event is NULL");
    return output_text(ev->text, ptr, len);
  });
}

HFI_API hfi_status HFI_CALL hfi_event_json(const hfi_event* ev, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!ev) return fail(HFI_E_INVALID_ARG, "event is NULL");
    return output_text(ev->json, ptr, len);
  });
}

HFI_API int32_t HFI_CALL hfi_event_choice_index(const hfi_event* ev) noexcept {
  return hfi::capi::checked(ev, "event") ? ev->choice_index : HFI_E_INVALID_ARG;
}

HFI_API int32_t HFI_CALL hfi_event_tool_call_index(const hfi_event* ev) noexcept {
  if (!hfi::capi::checked(ev, "event")) return HFI_E_INVALID_ARG;
  if (ev->type != HFI_EVENT_TOOL_CALL) return fail(HFI_E_INVALID_ARG, "not a tool-call event");
  return ev->tool_call_index;
}

HFI_API hfi_status HFI_CALL hfi_event_tool_call_id(const hfi_event* ev, const char** ptr, size_t* len) noexcept {
  return tool_call_text(ev, &hfi_event::tool_call_id, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_event_tool_call_name(const hfi_event* ev, const char** ptr, size_t* len) noexcept {
  return tool_call_text(ev, &hfi_event::tool_call_name, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_event_tool_call_arguments(const hfi_event* ev, const char** ptr, size_t* len) noexcept {
  return tool_call_text(ev, &hfi_event::tool_call_arguments, ptr, len);
}

HFI_API hfi_status HFI_CALL hfi_event_usage(const hfi_event* ev, int64_t* prompt_tokens,
                                            int64_t* completion_tokens, int64_t* total_tokens) noexcept {
  return guarded([&]() -> hfi_status {
    if (!ev) return fail(HFI_E_INVALID_ARG, "event is NULL");
    if (ev->type != HFI_EVENT_USAGE) return fail(HFI_E_INVALID_ARG, "not a usage event");
    if (prompt_tokens) *prompt_tokens = ev->prompt_tokens;
    if (completion_tokens) *completion_tokens = ev->completion_tokens;
    if (total_tokens) *total_tokens = ev->total_tokens;
    return HFI_OK;
  });
}

HFI_API hfi_status HFI_CALL hfi_event_status(const hfi_event* ev) noexcept {
  return hfi::capi::checked(ev, "event") ? ev->status : HFI_E_INVALID_ARG;
}

HFI_API const hfi_error* HFI_CALL hfi_event_error(const hfi_event* ev) noexcept {
  return hfi::capi::checked(ev, "event") && ev->type == HFI_EVENT_ERROR ? ev->error : nullptr;
}

HFI_API int32_t HFI_CALL hfi_event_attempt(const hfi_event* ev) noexcept {
  return hfi::capi::checked(ev, "event") ? ev->attempt : -1;
}

HFI_API hfi_status HFI_CALL hfi_event_target(const hfi_event* ev, const char** ptr, size_t* len) noexcept {
  return guarded([&]() -> hfi_status {
    if (!ev) return fail(HFI_E_INVALID_ARG, "event is NULL");
    return output_text(ev->target, ptr, len);
  });
}

}  // extern "C"
