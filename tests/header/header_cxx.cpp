// The public header must compile as strict C++11 on its own, with noexcept declarations.
#include <hfi/hfi.h>

static_assert(sizeof(hfi_status) == 4, "hfi_status is int32_t");
static_assert(noexcept(hfi_version_num()), "hfi functions are noexcept for C++ callers");

using client_free_fn = void (*)(hfi_client *);
client_free_fn hfi_header_cxx_free_function();
client_free_fn hfi_header_cxx_free_function() { return &hfi_client_free; }
