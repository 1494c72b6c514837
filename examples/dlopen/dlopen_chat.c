/* Stream a chat answer through a libhfi loaded at run time: no hfi link, one dlsym().
 *
 *   dlopen_chat BASE_URL|router ["prompt"]
 *
 * BASE_URL is an OpenAI-compatible server (the hfi emulator, TGI, vLLM, llama.cpp); `router`
 * means the Hugging Face router, with the token from HF_TOKEN. The library comes from
 * HFI_LIBRARY, else the SONAME of the headers' ABI generation (libhfi.so.0) on the usual
 * search path. This is how a game engine, a plugin host or another language's runtime uses hfi:
 * HFI_NO_PROTOTYPES leaves every function declaration out, so nothing can bind to libhfi at
 * link time, and every call goes through the table hfi_get_api_v1() hands out.
 *
 * Exits 0 when the answer streamed, 1 when the library or a call failed, 2 on a bad command line.
 * Plain C99 plus POSIX dlopen. */
#define HFI_NO_PROTOTYPES
#include <hfi/hfi_api.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HFI_STR2(x) #x
#define HFI_STR(x) HFI_STR2(x)
#define DEFAULT_LIBRARY "libhfi.so." HFI_STR(HFI_ABI_VERSION)

static const hfi_api_v1 *hfi;

static int32_t HFI_CALL print_delta(const hfi_event *event, void *user_data) {
  const char *text;
  size_t len;
  if (hfi->event_type(event) == HFI_EVENT_DELTA && hfi->event_text(event, &text, &len) == HFI_OK) {
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    ++*(long *)user_data;
  }
  return 0;
}

/* The prompt as a JSON string body; NULL when out of memory. */
static char *chat_body(const char *prompt) {
  char *body = malloc(strlen(prompt) * 6 + 128), *end = body;
  if (!body) return NULL;
  end += sprintf(end, "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"");
  for (; *prompt; ++prompt)
    end += (unsigned char)*prompt < 0x20 ? sprintf(end, "\\u%04x", (unsigned)(unsigned char)*prompt)
                                         : sprintf(end, strchr("\"\\", *prompt) ? "\\%c" : "%c", *prompt);
  strcpy(end, "\"}]}");
  return body;
}

int main(int argc, char **argv) {
  const char *library = getenv("HFI_LIBRARY") ? getenv("HFI_LIBRARY") : DEFAULT_LIBRARY;
  const char *prompt = argc > 2 ? argv[2] : "Say hello in one short sentence.";
  void *lib;
  PFN_hfi_get_api_v1 get_api;
  hfi_client_options *opts = NULL;
  hfi_client *client = NULL;
  hfi_response *response = NULL;
  char *body;
  const char *message = "";
  long deltas = 0;
  hfi_status st;

  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s BASE_URL|router [\"prompt\"]\n", argv[0]);
    return 2;
  }
  lib = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "cannot load %s: %s\n", library, dlerror());
    return 1;
  }
  /* ISO C has no cast from void * to a function pointer; POSIX guarantees this copy works. */
  {
    void *symbol = dlsym(lib, "hfi_get_api_v1");
    memcpy(&get_api, &symbol, sizeof get_api);
  }
  if (!get_api) {
    fprintf(stderr, "%s is not libhfi 0.2 or later: it has no hfi_get_api_v1\n", library);
    return 1;
  }
  st = get_api(HFI_ABI_VERSION, &hfi);
  if (st != HFI_OK) {
    fprintf(stderr, "%s refused ABI %d: status %d%s\n", library, HFI_ABI_VERSION, (int)st,
            st == HFI_E_ABI_MISMATCH ? " (HFI_E_ABI_MISMATCH)" : "");
    return 1;
  }
  if (!HFI_API_V1_HAS(hfi, chat_stream)) {
    fprintf(stderr, "%s is too old for this program\n", library);
    return 1;
  }

  body = chat_body(prompt);
  st = body ? hfi->client_options_new(&opts) : HFI_E_NOMEM;
  if (st == HFI_OK && strcmp(argv[1], "router") != 0)
    st = hfi->client_options_set_str(opts, HFI_OPT_BASE_URL, argv[1], HFI_NUL_TERMINATED);
  if (st == HFI_OK) st = hfi->client_new(&client, opts);
  if (st == HFI_OK) {
    st = hfi->chat_stream(client, body, HFI_NUL_TERMINATED, print_delta, &deltas, &response);
    if (st != HFI_OK && response) hfi->error_message(hfi->response_error(response), &message, NULL);
  } else {
    hfi->last_error_message(&message, NULL);
  }
  putchar('\n');
  if (st == HFI_OK)
    fprintf(stderr, "[%ld deltas through the hfi_api_v1 table of %s, libhfi %s, ABI %u]\n", deltas, library,
            hfi->version_str(), (unsigned)hfi->abi_version());
  else
    fprintf(stderr, "error: %s: %s\n", hfi->status_str(st), message);

  hfi->response_free(response);
  hfi->client_free(client);
  hfi->client_options_free(opts);
  free(body);
  dlclose(lib);
  return st == HFI_OK ? 0 : 1;
}
