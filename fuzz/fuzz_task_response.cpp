// The task response layer on any answer: the input names a task, a provider, the job's phase and
// the answer's content type, then gives the body. next_step must always decide something sensible
// (a done step of a media task has bytes or a URL; a poll names a URL), and any URL a provider
// gives is mapped by job_url without leaving the provider's host.
#include <string>

#include "core/url.h"
#include "fuzz_input.h"
#include "providers/mapping.h"
#include "providers/task_response.h"

using namespace hfi::providers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hfi_fuzz::Input in(data, size);
  const std::string_view task_name = in.line(), provider_name = in.line(), content_type = in.line();
  const uint8_t phase = in.byte(), polls = in.byte();
  const std::string_view body = in.rest();

  const auto& tasks = hfi::tasks::all_tasks();
  const auto& providers = all_providers();
  JobState job;
  job.task = hfi::tasks::find_task(task_name);
  if (!job.task) job.task = &tasks[task_name.size() % tasks.size()];
  job.provider = find_provider(provider_name);
  if (!job.provider) job.provider = &providers[provider_name.size() % providers.size()];
  job.provider_model = "org/model";
  job.phase = static_cast<JobState::Phase>(phase % 4);
  job.polls = polls % 8;
  job.request_id = polls & 1 ? "req-1" : "";
  job.result_url = polls & 2 ? "https://queue.fal.run/org/model/requests/req-1" : "";

  TaskHttpResponse response;
  response.status = 200 + phase % 3;
  response.content_type = content_type;
  response.body = body;
  TaskStep step;
  next_step(job, response, step);
  if ((step.kind == TaskStep::Kind::poll || step.kind == TaskStep::Kind::fetch ||
       step.kind == TaskStep::Kind::download) && step.url.empty())
    hfi_fuzz::broken();
  if (step.kind == TaskStep::Kind::failed && step.code == HFI_OK) hfi_fuzz::broken();

  std::string url, error;
  if (!job.provider->direct_base.empty() &&
      job_url(*job.provider, body, false, "https://router.huggingface.co", job.provider->direct_base, url, error) ==
          HFI_OK) {
    hfi::UrlParts out, direct, queue;
    std::string why;
    if (hfi::parse_http_url(url, out, why) && hfi::parse_http_url(job.provider->direct_base, direct, why)) {
      const bool queue_host =
          !job.provider->queue_base.empty() && hfi::parse_http_url(job.provider->queue_base, queue, why) &&
          queue.host == out.host;
      if (out.host != direct.host && !queue_host) hfi_fuzz::broken();  // a key would go to another host
    }
  }
  job_url(*job.provider, body, true, "https://router.huggingface.co", job.provider->direct_base, url, error);

  std::vector<MappingEntry> entries;
  if (parse_mapping(body, entries, error)) {
    std::string why;
    choose_auto(entries, job.task->name, why);
  }
  return 0;
}
