/* Stream a chat answer to stdout with hfi.    usage: hfi_minimal ["prompt" [router-url]]
 * The token comes from HF_TOKEN (or `hf auth login`); HFI_BASE_URL selects another
 * OpenAI-compatible server (TGI, vLLM, llama.cpp) instead of the Hugging Face router. */
#include <hfi/hfi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t HFI_CALL print_delta(const hfi_event *event, void *user_data) {
  const char *text;
  size_t len;
  (void)user_data;
  if (hfi_event_type(event) == HFI_EVENT_DELTA && hfi_event_text(event, &text, &len) == HFI_OK) {
    fwrite(text, 1, len, stdout);
    fflush(stdout);
  }
  return 0; /* non-zero would abort the request */
}

int main(int argc, char **argv) {
  const char *prompt = argc > 1 ? argv[1] : "Say hello in one short sentence.", *why = "";
  const char *router = argc > 2 ? argv[2] : getenv("HFI_ROUTER_URL"), *base = getenv("HFI_BASE_URL");
  char *body = malloc(strlen(prompt) * 6 + 200), *end = body; /* room for the worst-case escaping */
  hfi_client_options *opts = NULL;
  hfi_client *client = NULL;
  hfi_response *response = NULL;
  int64_t prompt_tokens = -1, completion_tokens = -1;
  hfi_status st = body ? hfi_client_options_new(&opts) : HFI_E_NOMEM;

  if (st == HFI_OK && router) st = hfi_client_options_set_str(opts, HFI_OPT_ROUTER_URL, router, HFI_NUL_TERMINATED);
  if (st == HFI_OK && base) st = hfi_client_options_set_str(opts, HFI_OPT_BASE_URL, base, HFI_NUL_TERMINATED);
  if (st == HFI_OK) st = hfi_client_new(&client, opts);
  if (st == HFI_OK) { /* the OpenAI chat-completions body, with the prompt as a JSON string */
    end += sprintf(end, "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\","
                        "\"stream_options\":{\"include_usage\":true},"  /* so that usage is reported */
                        "\"messages\":[{\"role\":\"user\",\"content\":\"");
    for (; *prompt; ++prompt)
      end += (unsigned char)*prompt < 0x20 ? sprintf(end, "\\u%04x", (unsigned)*prompt)
                                           : sprintf(end, strchr("\"\\", *prompt) ? "\\%c" : "%c", *prompt);
    strcpy(end, "\"}]}");
    st = hfi_chat_stream(client, body, HFI_NUL_TERMINATED, print_delta, NULL, &response);
    putchar('\n');
  }
  if (st == HFI_OK) st = hfi_response_usage(response, &prompt_tokens, &completion_tokens, NULL);
  if (st == HFI_OK) {
    fprintf(stderr, "usage: %lld prompt + %lld completion tokens\n", (long long)prompt_tokens,
            (long long)completion_tokens);
  } else { /* a failed request explains itself on its response; a rejected argument, per thread */
    if (response) hfi_error_message(hfi_response_error(response), &why, NULL);
    else hfi_last_error_message(&why, NULL);
    fprintf(stderr, "error: %s: %s\n", hfi_status_str(st), why);
  }
  hfi_response_free(response);
  hfi_client_free(client);
  hfi_client_options_free(opts);
  free(body);
  return st == HFI_OK ? 0 : 1;
}
