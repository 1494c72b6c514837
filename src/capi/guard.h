// The exception firewall and argument helpers every extern "C" function goes through.
#pragma once

#include <new>
#include <string>
#include <string_view>

#include "hfi/hfi.h"

namespace hfi::capi {

// The thread-local message behind hfi_last_error_message().
void clear_last_error();
hfi_status fail(hfi_status code, std::string message);
const std::string& last_error();

// Runs `body`, turning any escaping exception into a status: nothing crosses the C boundary.
template <class Body>
hfi_status guarded(Body&& body) noexcept {
  try {
    clear_last_error();
    return body();
  } catch (const std::bad_alloc&) {
    return fail(HFI_E_NOMEM, "out of memory");
  } catch (...) {
    return fail(HFI_E_INTERNAL, "internal error");
  }
}

// For getters that answer with a sentinel instead of a status: clears the thread's message, and
// explains a NULL object there (the sentinel itself is only a number).
bool checked(const void* object, const char* what) noexcept;

// (ptr, len) input: NULL is allowed only with len 0; HFI_NUL_TERMINATED measures the string.
bool input_text(const char* ptr, size_t len, std::string_view& out);

// Borrowed (ptr, len) output of a string owned by an hfi object; `text` must be NUL-terminated
// (a std::string, or a view from hfi::EventText).
hfi_status output_text(std::string_view text, const char** ptr, size_t* len);

}  // namespace hfi::capi
