#include "capi/guard.h"

#include <cstring>

namespace hfi::capi {
namespace {
thread_local std::string last_error_message;
// Every call clears the message, accessors in a stream's hot path included: a trivially
// destructible flag is read without the std::string's thread-local initialisation wrapper.
thread_local bool has_last_error = false;
}  // namespace

void clear_last_error() {
  if (!has_last_error) return;
  last_error_message.clear();
  has_last_error = false;
}

hfi_status fail(hfi_status code, std::string message) {
  try {
    last_error_message = std::move(message);
    has_last_error = true;
  } catch (...) {
    // Keep the code even if the message cannot be stored.
  }
  return code;
}

const std::string& last_error() { return last_error_message; }

bool checked(const void* object, const char* what) noexcept {
  clear_last_error();
  if (object) return true;
  try {
    fail(HFI_E_INVALID_ARG, std::string(what) + " is NULL");
  } catch (...) {
    // Out of memory for the message: the sentinel still tells the caller.
  }
  return false;
}

bool input_text(const char* ptr, size_t len, std::string_view& out) {
  if (!ptr) {
    if (len != 0 && len != HFI_NUL_TERMINATED) return false;
    out = {};
    return true;
  }
  out = len == HFI_NUL_TERMINATED ? std::string_view(ptr, std::strlen(ptr)) : std::string_view(ptr, len);
  return true;
}

hfi_status output_text(std::string_view text, const char** ptr, size_t* len) {
  if (!ptr) return fail(HFI_E_INVALID_ARG, "the output pointer is NULL");
  *ptr = text.data() != nullptr ? text.data() : "";
  if (len) *len = text.size();
  return HFI_OK;
}

}  // namespace hfi::capi
