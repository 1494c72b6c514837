/* Ask once and wait for the whole answer with hfi_chat().   usage: blocking [base-url] "prompt"
 * Without a base URL it asks the Hugging Face router with the token from HF_TOKEN; with one, an
 * OpenAI-compatible server (the hfi emulator, TGI, vLLM). Prints the answer, then its usage. */
#include <hfi/hfi.h>
#include <stdio.h>
#include <string.h>

static void print_error(hfi_status st, const hfi_response *response) {
  const char *message = "";
  size_t len = 0;
  const hfi_error *error = hfi_response_error(response);
  if (error) hfi_error_message(error, &message, &len);
  else hfi_last_error_message(&message, &len);
  fprintf(stderr, "error: %s: %.*s\n", hfi_status_str(st), (int)len, message);
}

int main(int argc, char **argv) {
  const char *base = argc > 1 && argv[1][0] ? argv[1] : NULL;
  const char *prompt = argc > 2 ? argv[2] : "Say hello in one short sentence.";
  char body[4096];
  const char *text = "";
  size_t len = 0;
  int64_t prompt_tokens = -1, completion_tokens = -1;
  hfi_client_options *opts = NULL;
  hfi_client *client = NULL;
  hfi_response *response = NULL;
  hfi_status st;

  if (strchr(prompt, '"') || strchr(prompt, '\\') || strlen(prompt) > 3000) {
    fprintf(stderr, "usage: blocking [base-url] \"prompt\" (no quotes or backslashes, 3000 bytes at most)\n");
    return 2;
  }
  snprintf(body, sizeof body,
           "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}",
           prompt);
  st = hfi_client_options_new(&opts);
  if (st == HFI_OK && base) st = hfi_client_options_set_str(opts, HFI_OPT_BASE_URL, base, HFI_NUL_TERMINATED);
  if (st == HFI_OK) st = hfi_client_new(&client, opts);
  hfi_client_options_free(opts);
  if (st == HFI_OK) st = hfi_chat(client, body, HFI_NUL_TERMINATED, &response); /* blocks until the answer */
  if (st == HFI_OK) {
    hfi_response_content(response, &text, &len);
    hfi_response_usage(response, &prompt_tokens, &completion_tokens, NULL);
    printf("%.*s\n", (int)len, text);
    fprintf(stderr, "usage: %lld prompt + %lld completion tokens\n", (long long)prompt_tokens,
            (long long)completion_tokens);
  } else {
    print_error(st, response);
  }
  hfi_response_free(response);
  hfi_client_free(client);
  return st == HFI_OK ? 0 : 1;
}
