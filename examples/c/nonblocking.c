/* Three questions at once, without blocking: requests started with hfi_request_start() and
 * driven by hfi_client_poll() from a loop that could do other work between polls (a UI, a game
 * frame). Each answer is printed as its request ends.   usage: nonblocking [base-url]
 * Without a base URL it asks the Hugging Face router with the token from HF_TOKEN. */
#include <hfi/hfi.h>
#include <stdio.h>

#define QUESTIONS 3

struct answer {
  int index;
  int done;
};

/* Runs on this thread, inside hfi_client_poll(): never on an internal thread. */
static int32_t HFI_CALL on_event(const hfi_event *event, void *user_data) {
  struct answer *answer = user_data;
  if (hfi_event_type(event) == HFI_EVENT_DONE || hfi_event_type(event) == HFI_EVENT_ERROR) answer->done = 1;
  return 0;
}

int main(int argc, char **argv) {
  static const char *const questions[QUESTIONS] = {"first question", "second question", "third question"};
  const char *base = argc > 1 && argv[1][0] ? argv[1] : NULL;
  struct answer answers[QUESTIONS];
  hfi_request *requests[QUESTIONS] = {NULL};
  hfi_client_options *opts = NULL;
  hfi_request_options *ropts = NULL;
  hfi_client *client = NULL;
  hfi_status st = hfi_client_options_new(&opts);
  int i, pending = QUESTIONS, failed = 0, rounds = 0;

  if (st == HFI_OK && base) st = hfi_client_options_set_str(opts, HFI_OPT_BASE_URL, base, HFI_NUL_TERMINATED);
  if (st == HFI_OK) st = hfi_client_new(&client, opts);
  hfi_client_options_free(opts);
  if (st == HFI_OK) st = hfi_request_options_new(&ropts);
  for (i = 0; st == HFI_OK && i < QUESTIONS; i++) {
    char body[256];
    answers[i].index = i;
    answers[i].done = 0;
    snprintf(body, sizeof body,
             "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}",
             questions[i]);
    st = hfi_request_options_set_callback(ropts, on_event, &answers[i], NULL);
    if (st == HFI_OK) st = hfi_request_start(client, HFI_TASK_CHAT, body, HFI_NUL_TERMINATED, ropts, &requests[i]);
  }
  hfi_request_options_free(ropts);
  if (st != HFI_OK) {
    fprintf(stderr, "error: %s\n", hfi_status_str(st));
    pending = 0;
    failed = 1;
  }

  while (pending > 0) {
    hfi_client_poll(client, 16, NULL); /* up to one 60 fps frame; returns early when events came */
    rounds++;
    for (i = 0; i < QUESTIONS; i++) {
      hfi_response *response = NULL;
      const char *text = "";
      size_t len = 0;
      if (!answers[i].done || !requests[i]) continue;
      st = hfi_request_wait(requests[i], 0, &response); /* ended: its final status, at once */
      if (st == HFI_OK && hfi_response_content(response, &text, &len) == HFI_OK)
        printf("%d: %.*s\n", answers[i].index + 1, (int)len, text);
      else
        fprintf(stderr, "%d: error: %s\n", answers[i].index + 1, hfi_status_str(st)), failed = 1;
      hfi_response_free(response);
      hfi_request_free(requests[i]);
      requests[i] = NULL;
      pending--;
    }
  }
  fprintf(stderr, "%d answers in %d polls\n", QUESTIONS, rounds);
  hfi_client_free(client);
  return failed;
}
