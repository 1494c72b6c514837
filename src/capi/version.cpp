// Versions, the function table's ABI handshake, status text and the thread-local error message.
#include <string>

#include "capi/api_table.h"
#include "capi/guard.h"
#include "core/status.h"

extern "C" {

HFI_API uint32_t HFI_CALL hfi_version_num(void) noexcept { return HFI_VERSION_NUM; }

HFI_API const char* HFI_CALL hfi_version_str(void) noexcept { return HFI_VERSION_STR; }

HFI_API uint32_t HFI_CALL hfi_abi_version(void) noexcept { return HFI_ABI_VERSION; }

HFI_API hfi_status HFI_CALL hfi_get_api_v1(uint32_t abi_version, const hfi_api_v1** out) noexcept {
  return hfi::capi::guarded([&]() -> hfi_status {
    if (!out) return hfi::capi::fail(HFI_E_INVALID_ARG, "hfi_get_api_v1: out is NULL");
    *out = nullptr;
    if (abi_version != HFI_ABI_VERSION) {
      return hfi::capi::fail(HFI_E_ABI_MISMATCH, "hfi_get_api_v1: the caller was built for ABI " +
                                                     std::to_string(abi_version) + ", this libhfi is ABI " +
                                                     std::to_string(HFI_ABI_VERSION) + " (" HFI_VERSION_STR ")");
    }
    *out = &hfi::capi::kApiV1;
    return HFI_OK;
  });
}

HFI_API const char* HFI_CALL hfi_status_str(hfi_status status) noexcept { return hfi::status_text(status); }

// Deliberately not guarded: reading the message must not clear it.
HFI_API hfi_status HFI_CALL hfi_last_error_message(const char** ptr, size_t* len) noexcept {
  if (!ptr) return HFI_E_INVALID_ARG;
  const std::string& message = hfi::capi::last_error();
  *ptr = message.c_str();
  if (len) *len = message.size();
  return HFI_OK;
}

}  // extern "C"
