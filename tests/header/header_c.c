/* The public headers compile on their own as strict C99 and C11, with and without
 * HFI_NO_PROTOTYPES: tests/CMakeLists.txt builds every combination with -pedantic -Werror. */
#include <hfi/hfi_api.h>
#include <hfi/hfi.h> /* again: the include guards hold */

/* Every status code fits the int32_t that carries it. */
typedef char hfi_status_is_32_bits[sizeof(hfi_status) == 4 ? 1 : -1];
/* The table is two 32-bit fields, then one function pointer per slot. */
typedef char hfi_api_slots_start_at_8[offsetof(hfi_api_v1, version_num) == 8 ? 1 : -1];
typedef char hfi_api_is_slots_only[(sizeof(hfi_api_v1) - 8) % sizeof(PFN_hfi_chat) == 0 ? 1 : -1];

#ifdef HFI_NO_PROTOTYPES
/* No function is declared, so their names are free for objects: a stray prototype fails here. */
static int hfi_version_num, hfi_chat, hfi_client_new, hfi_get_api_v1, hfi_data_url;

int hfi_header_c_reaches_functions_through_the_table(const hfi_api_v1 *api);
int hfi_header_c_reaches_functions_through_the_table(const hfi_api_v1 *api) {
  PFN_hfi_chat chat = HFI_API_V1_HAS(api, chat) ? api->chat : 0;
  return (chat != 0) + hfi_version_num + hfi_chat + hfi_client_new + hfi_get_api_v1 + hfi_data_url;
}
#else
/* Each PFN_ type is exactly its function's type: C refuses the assignment otherwise. */
int hfi_header_c_uses_prototypes(void);
int hfi_header_c_uses_prototypes(void) {
  PFN_hfi_client_new new_client = hfi_client_new;
  PFN_hfi_get_api_v1 get_api = hfi_get_api_v1;
  PFN_hfi_chat_stream chat_stream = hfi_chat_stream;
  return new_client != 0 && get_api != 0 && chat_stream != 0 &&
         HFI_VERSION_NUM == ((HFI_VERSION_MAJOR << 16) | (HFI_VERSION_MINOR << 8) | HFI_VERSION_PATCH);
}
#endif
