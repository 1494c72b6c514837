#include "providers/task_response.h"

#include <new>

#include "providers/jobs.h"
#include "providers/provider_outputs.h"
#include "providers/task_steps.h"

namespace hfi::providers {
namespace {

void downloaded(const JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  if (job.task->output == tasks::Output::json) return downloaded_json_result(job, response, out);
  media_done(std::string(response.body), response.content_type, job.media_type, job.provider->name, out);
}

void step(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  if (!job.task || !job.provider) return fail(out, HFI_E_INVALID_ARG, "a job without its task or provider");
  if (response.status < 200 || response.status > 299) {
    return fail(out, HFI_E_INVALID_ARG, "next_step takes 2xx answers; HTTP " + std::to_string(response.status) +
                                            " is the caller's to report");
  }
  if (job.phase == JobState::Phase::downloading) return downloaded(job, response, out);
  if (runs_as_job(job)) return job_answer(job, response, out);
  if (job.phase != JobState::Phase::submitted) {
    return fail(out, HFI_E_INTERNAL, std::string(job.provider->name) + " answers " + std::string(job.task->name) +
                                         " at once: there is nothing to poll");
  }
  sync_answer(job, response, out);
}

}  // namespace

void next_step(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  try {
    step(job, response, out);
  } catch (const std::bad_alloc&) {
    out = TaskStep{};
    out.code = HFI_E_NOMEM;
  } catch (...) {  // simdjson and the standard library report through codes; this is a backstop
    out = TaskStep{};
    out.code = HFI_E_INTERNAL;
  }
  if (out.kind == TaskStep::Kind::failed && out.code == HFI_OK) out.code = HFI_E_INTERNAL;
}

}  // namespace hfi::providers
