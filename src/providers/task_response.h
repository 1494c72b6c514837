// What a task call does with each answer it gets: a provider's response turned into the task's
// normalised output (JSON shaped as the task spec's output, or media bytes), or the next exchange
// of an asynchronous job (poll, fetch the result, download a result URL), for every (task,
// provider) pair (../shared/research/hf-clients.md §B.2–B.3). Pure functions: the core performs the
// exchanges, with the deadline, cancellation and size cap the caller asked for.
#pragma once

#include <string>
#include <string_view>

#include "hfi/hfi.h"
#include "providers/table.h"
#include "tasks/catalog.h"

namespace hfi::providers {

// A job's state between exchanges, owned by the core and updated by next_step.
struct JobState {
  const tasks::TaskInfo* task = nullptr;
  const ProviderInfo* provider = nullptr;
  std::string provider_model;
  enum class Phase { submitted, polling, fetching, downloading } phase = Phase::submitted;
  int polls = 0;             // polls answered so far
  std::string request_id;    // the provider's job id, once known
  std::string result_url;    // fal-ai: where the result is fetched once the status says COMPLETED
  std::string media_type;    // a MIME type the provider announced for the result, if any
};

// A 2xx answer of the current exchange.
struct TaskHttpResponse {
  long status = 200;
  std::string_view content_type;
  std::string_view body;
};

struct TaskStep {
  enum class Kind { done, poll, fetch, download, failed } kind = Kind::failed;
  // done: JSON tasks get `output_json` (the normalised output); media tasks get `bytes` and
  // `content_type` (sniffed when the server did not say), and `output_json` may describe them.
  std::string output_json;
  std::string bytes;
  std::string content_type;
  // poll / fetch: the provider's URL to GET with the call's own authorization (job_url() maps it
  // through the router); download: an absolute URL fetched with no authorization at all.
  std::string url;
  int interval_ms = 0;   // poll: wait this long first
  std::string status;    // poll: the provider's status word ("IN_QUEUE", "processing", ...)
  double progress = -1;  // poll: 0..1 when the provider says, else -1
  // failed: the job failed at the provider (HFI_E_HTTP... codes are the core's; here
  // HFI_E_PROTOCOL for an answer hfi cannot read, HFI_E_SERVER for a job the provider failed).
  hfi_status code = HFI_OK;
  std::string error;
};

// The answer to the exchange `job.phase` says was made; updates `job`. Never throws.
void next_step(JobState& job, const TaskHttpResponse& response, TaskStep& out);

// Where to GET a poll or fetch URL the provider gave: through the router
// ({router}/{provider}{path}?{query}, plus `_subdomain=queue` for fal-ai's queue), or directly, where
// the URL must be on the provider's own host (`direct_base`, which the client may have overridden):
// a key is never sent to another host. HFI_OK, or HFI_E_PROTOCOL with `error`.
hfi_status job_url(const ProviderInfo& provider, std::string_view provider_url, bool routed,
                   std::string_view router_base, std::string_view direct_base, std::string& out,
                   std::string& error);

}  // namespace hfi::providers
