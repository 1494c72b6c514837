// The public headers compile on their own as strict C++11 and C++20, with and without
// HFI_NO_PROTOTYPES: tests/CMakeLists.txt builds every combination with -pedantic -Werror.
#include <hfi/hfi_api.h>

static_assert(sizeof(hfi_status) == 4, "hfi_status is int32_t");
static_assert(offsetof(hfi_api_v1, version_num) == 8, "the table's slots follow its two 32-bit fields");

#ifdef HFI_NO_PROTOTYPES
// No function is declared, so their names are free for objects: a stray prototype fails here.
static int hfi_chat = 0, hfi_client_new = 0, hfi_get_api_v1 = 0;

int hfi_header_cxx_reaches_functions_through_the_table(const hfi_api_v1* api);
int hfi_header_cxx_reaches_functions_through_the_table(const hfi_api_v1* api) {
  PFN_hfi_client_free client_free = HFI_API_V1_HAS(api, client_free) ? api->client_free : nullptr;
  return (client_free != nullptr) + hfi_chat + hfi_client_new + hfi_get_api_v1;
}
#else
static_assert(noexcept(hfi_version_num()), "hfi functions are noexcept for C++ callers");

using client_free_fn = void (*)(hfi_client*);
client_free_fn hfi_header_cxx_free_function();
client_free_fn hfi_header_cxx_free_function() { return &hfi_client_free; }

PFN_hfi_get_api_v1 hfi_header_cxx_table_entry();
PFN_hfi_get_api_v1 hfi_header_cxx_table_entry() { return &hfi_get_api_v1; }
#endif
