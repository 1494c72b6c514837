// The public header must compile as strict C++11 on its own, with noexcept declarations.
#include <hfi/hfi.h>

static_assert(sizeof(hfi_status) == 4, "hfi_status is int32_t");
static_assert(noexcept(hfi_version_num()), "hfi functions are noexcept for C++ callers");

int hfi_header_cxx_uses_prototypes();
int hfi_header_cxx_uses_prototypes() { return hfi_client_free != nullptr ? 1 : 0; }
