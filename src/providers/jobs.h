// The asynchronous job protocols (../shared/research/hf-clients.md §B.2), each from the answer to
// the submitting POST to the result: fal-ai's queue, together's videos, wavespeed, zai-org's
// images, novita's videos and replicate's predictions. Unlike the official clients, every
// failure state ends the job with the provider's error text, replicate's unfinished predictions
// are polled instead of failing, and nothing here counts polls: the caller's deadline does.
#pragma once

#include "providers/task_response.h"

namespace hfi::providers {

// Whether (job.task, job.provider) runs as a job rather than answering at once.
bool runs_as_job(const JobState& job);

// The answer to the exchange `job.phase` names (submitted, polling or fetching) of such a job.
void job_answer(JobState& job, const TaskHttpResponse& response, TaskStep& out);

// The wait before each poll, in milliseconds.
int poll_interval_ms(std::string_view provider);

}  // namespace hfi::providers
