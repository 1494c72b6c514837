/* A program using an installed hfi, as a user's project would. */
#include <hfi/hfi.h>
#include <stdio.h>

int main(void) {
  hfi_client *client = NULL;
  hfi_status st = hfi_client_new(&client, NULL);
  if (st != HFI_OK) {
    fprintf(stderr, "hfi_client_new: %s\n", hfi_status_str(st));
    return 1;
  }
  hfi_client_free(client);
  if (hfi_version_num() != HFI_VERSION_NUM) {
    fprintf(stderr, "header %s but library %s\n", HFI_VERSION_STR, hfi_version_str());
    return 1;
  }
  printf("consumer ok: hfi %s\n", hfi_version_str());
  return 0;
}
