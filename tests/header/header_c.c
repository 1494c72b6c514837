/* The public header must compile as strict C99 on its own. */
#include <hfi/hfi.h>

/* Every status code must fit the int32_t that carries it. */
typedef char hfi_status_is_32_bits[sizeof(hfi_status) == 4 ? 1 : -1];

int hfi_header_c99_uses_prototypes(void);
int hfi_header_c99_uses_prototypes(void) {
  hfi_status (*new_client)(hfi_client **, const hfi_client_options *) = hfi_client_new;
  return new_client != 0 && HFI_VERSION_NUM == ((HFI_VERSION_MAJOR << 16) | (HFI_VERSION_MINOR << 8) | HFI_VERSION_PATCH);
}
