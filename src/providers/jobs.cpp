#include "providers/jobs.h"

#include <simdjson.h>

#include <string>
#include <utility>

#include "providers/provider_outputs.h"
#include "providers/task_steps.h"

namespace hfi::providers {
namespace {

using simdjson::dom::element;

bool is_video(std::string_view task) { return task == "text-to-video" || task == "image-to-video"; }

void poll(JobState& job, std::string url, std::string_view status, TaskStep& out, double progress = -1) {
  out = TaskStep{};
  out.kind = TaskStep::Kind::poll;
  out.url = std::move(url);
  out.interval_ms = poll_interval_ms(job.provider->name);
  out.status = std::string(status);
  out.progress = progress;
  job.phase = JobState::Phase::polling;
}

// Ids go into paths and queries; a provider's id with other characters is not trusted there.
bool safe_id(std::string_view id) {
  if (id.empty() || id.size() > 256) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '~';
    if (!ok) return false;
  }
  return true;
}

bool take_id(JobState& job, std::string_view id, std::string_view member, TaskStep& out) {
  const std::string who(job.provider->name);
  if (id.empty()) {
    fail(out, HFI_E_PROTOCOL, who + ": the answer has no " + std::string(member));
    return false;
  }
  if (!safe_id(id)) {
    fail(out, HFI_E_PROTOCOL, who + ": the job id \"" + std::string(id.substr(0, 64)) + "\" has unexpected characters");
    return false;
  }
  job.request_id = std::string(id);
  return true;
}

void unknown_status(const JobState& job, std::string_view status, TaskStep& out) {
  const std::string who(job.provider->name);
  if (status.empty()) return fail(out, HFI_E_PROTOCOL, who + ": the answer has no job status");
  fail(out, HFI_E_PROTOCOL, who + ": unknown job status \"" + std::string(status.substr(0, 64)) + "\"");
}

void failed_job(const JobState& job, const element& doc, std::string_view error_pointer, std::string_view status,
                TaskStep& out) {
  element problem;
  std::string text;
  if (!doc.at_pointer(error_pointer).get(problem) && !problem.is_null()) text = error_text(problem);
  if (text.empty()) text = "no reason given";
  fail(out, HFI_E_SERVER, std::string(job.provider->name) + ": the job " + std::string(status) + ": " + text);
}

// The "/status" resource of a fal-ai request URL, before its query.
std::string fal_status_url(std::string_view response_url) {
  const size_t query = response_url.find('?');
  std::string url(response_url.substr(0, query));
  url += "/status";
  if (query != std::string_view::npos) url += response_url.substr(query);
  return url;
}

// fal-ai: submit -> {request_id, status, response_url}; GET {response_url}/status until
// COMPLETED; GET response_url for the result.
void fal_queue(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  if (job.phase == JobState::Phase::fetching) return fal_result(job, response.body, out);
  simdjson::dom::parser parser;
  element doc;
  if (!parse_answer(parser, response.body, "fal-ai", doc, out)) return;
  if (job.phase == JobState::Phase::submitted) {
    if (!take_id(job, string_at(doc, "/request_id"), "request_id", out)) return;
    const std::string_view result = string_at(doc, "/response_url");
    if (!is_http_url(result)) return fail(out, HFI_E_PROTOCOL, "fal-ai: the answer has no http(s) response_url");
    job.result_url = std::string(result);
  }
  const std::string_view status = string_at(doc, "/status");
  element problem;
  if (!doc["error"].get(problem) && !problem.is_null()) return failed_job(job, doc, "/error", "failed", out);
  if (status == "IN_QUEUE" || status == "IN_PROGRESS") return poll(job, fal_status_url(job.result_url), status, out);
  if (status == "COMPLETED") {
    out = TaskStep{};
    out.kind = TaskStep::Kind::fetch;
    out.url = job.result_url;
    job.phase = JobState::Phase::fetching;
    return;
  }
  unknown_status(job, status, out);
}

// together: POST /v2/videos -> {id, status}; GET /v2/videos/{id} until completed or failed.
void together_video(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  simdjson::dom::parser parser;
  element doc;
  if (!parse_answer(parser, response.body, "together", doc, out)) return;
  if (job.phase == JobState::Phase::submitted && !take_id(job, string_at(doc, "/id"), "id", out)) return;
  const std::string_view status = string_at(doc, "/status");
  if (status == "queued" || status == "in_progress") return poll(job, "/v2/videos/" + job.request_id, status, out);
  if (status == "completed") {
    const std::string_view url = string_at(doc, "/outputs/video_url");
    if (url.empty()) return fail(out, HFI_E_PROTOCOL, "together: a completed video without outputs.video_url");
    return media_from_url(job, url, "together", out);
  }
  if (status == "failed" || status == "cancelled") return failed_job(job, doc, "/error", status, out);
  unknown_status(job, status, out);
}

// wavespeed: every answer is {code, message, data{id, status, urls{get}, outputs, error}}.
void wavespeed(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  simdjson::dom::parser parser;
  element doc;
  if (!parse_answer(parser, response.body, "wavespeed", doc, out)) return;
  element data;
  if (doc["data"].get(data) || !data.is_object()) {
    element message;
    if (!doc["message"].get(message)) return fail(out, HFI_E_SERVER, "wavespeed: " + error_text(message));
    return fail(out, HFI_E_PROTOCOL, "wavespeed: the answer has no data object");
  }
  if (job.phase == JobState::Phase::submitted) {
    if (!take_id(job, string_at(data, "/id"), "data.id", out)) return;
    const std::string_view get = string_at(data, "/urls/get");
    if (!is_http_url(get)) return fail(out, HFI_E_PROTOCOL, "wavespeed: the answer has no http(s) data.urls.get");
    job.result_url = std::string(get);
  }
  const std::string_view status = string_at(data, "/status");
  if (status == "created" || status == "processing") return poll(job, job.result_url, status, out);
  if (status == "completed") {
    const std::string_view url = string_at(data, "/outputs/0");
    if (url.empty()) return fail(out, HFI_E_PROTOCOL, "wavespeed: a completed job without data.outputs[0]");
    return media_from_url(job, url, "wavespeed", out);
  }
  if (status == "failed") return failed_job(job, data, "/error", status, out);
  unknown_status(job, status, out);
}

// zai-org: POST .../async/images/generations -> {id, task_status}; GET
// /api/paas/v4/async-result/{id} until SUCCESS or FAIL.
void zai_images(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  simdjson::dom::parser parser;
  element doc;
  if (!parse_answer(parser, response.body, "zai-org", doc, out)) return;
  if (job.phase == JobState::Phase::submitted && !take_id(job, string_at(doc, "/id"), "id", out)) return;
  const std::string_view status = string_at(doc, "/task_status");
  if (status == "PROCESSING") return poll(job, "/api/paas/v4/async-result/" + job.request_id, status, out);
  if (status == "SUCCESS") {
    const std::string_view url = string_at(doc, "/image_result/0/url");
    if (url.empty()) return fail(out, HFI_E_PROTOCOL, "zai-org: a successful job without image_result[0].url");
    return media_from_url(job, url, "zai-org", out);
  }
  if (status == "FAIL") {
    element problem;
    return failed_job(job, doc, doc["error"].get(problem) ? "/message" : "/error", "failed", out);
  }
  unknown_status(job, status, out);
}

// novita: POST /v3/async/{id} -> {task_id}; GET /v3/async/task-result?task_id= until
// TASK_STATUS_SUCCEED or TASK_STATUS_FAILED; the only provider that reports progress.
void novita_video(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  simdjson::dom::parser parser;
  element doc;
  if (!parse_answer(parser, response.body, "novita", doc, out)) return;
  const std::string url = "/v3/async/task-result?task_id=";
  if (job.phase == JobState::Phase::submitted) {
    if (!take_id(job, string_at(doc, "/task_id"), "task_id", out)) return;
    return poll(job, url + job.request_id, "", out);  // the answer has no status yet
  }
  const std::string_view status = string_at(doc, "/task/status");
  if (status == "TASK_STATUS_QUEUED" || status == "TASK_STATUS_PROCESSING") {
    double percent = -1;
    int64_t whole = 0;
    if (doc.at_pointer("/task/progress_percent").get(percent) &&
        !doc.at_pointer("/task/progress_percent").get(whole)) {
      percent = static_cast<double>(whole);
    }
    const double progress = percent >= 0 && percent <= 100 ? percent / 100 : -1;
    return poll(job, url + job.request_id, status, out, progress);
  }
  if (status == "TASK_STATUS_SUCCEED") {
    const std::string_view video = string_at(doc, "/videos/0/video_url");
    if (video.empty()) return fail(out, HFI_E_PROTOCOL, "novita: a finished task without videos[0].video_url");
    return media_from_url(job, video, "novita", out);
  }
  if (status == "TASK_STATUS_FAILED") return failed_job(job, doc, "/task/reason", "failed", out);
  unknown_status(job, status, out);
}

// replicate: with "Prefer: wait" the POST usually answers with the output; a prediction still
// starting or processing without it is polled at urls.get (the official clients give up there).
void replicate(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  simdjson::dom::parser parser;
  element doc;
  if (!parse_answer(parser, response.body, "replicate", doc, out)) return;
  if (job.phase == JobState::Phase::submitted) {
    if (!take_id(job, string_at(doc, "/id"), "id", out)) return;
    job.result_url = std::string(string_at(doc, "/urls/get"));
  }
  const std::string_view status = string_at(doc, "/status");
  element output;
  const bool has_output = !doc["output"].get(output) && !output.is_null();
  // With "Prefer: wait" replicate answers "processing" with the file already in `output` (every
  // recorded prediction: tapes #103, #188, #223...): the file is written whole, so a media task
  // takes it. Text (ASR) may still be arriving in pieces, so it waits for "succeeded".
  if (status == "processing" && has_output && job.task->output == tasks::Output::media) {
    return replicate_output(job, output, out);
  }
  if (status == "starting" || status == "processing") {
    if (!is_http_url(job.result_url)) {
      return fail(out, HFI_E_PROTOCOL, "replicate: an unfinished prediction without an http(s) urls.get");
    }
    return poll(job, job.result_url, status, out);
  }
  if (status == "succeeded") {
    if (!has_output) {
      return fail(out, HFI_E_PROTOCOL, "replicate: a succeeded prediction without output");
    }
    return replicate_output(job, output, out);
  }
  if (status == "failed" || status == "canceled" || status == "aborted") {
    return failed_job(job, doc, "/error", status, out);
  }
  unknown_status(job, status, out);
}

}  // namespace

int poll_interval_ms(std::string_view provider) {
  if (provider == "together") return 2000;
  if (provider == "zai-org") return 5000;
  // Replicate documents no interval; with "Prefer: wait" the POST has already waited a minute.
  if (provider == "replicate") return 1000;
  return 500;  // fal-ai, wavespeed, novita
}

bool runs_as_job(const JobState& job) {
  const std::string_view provider = job.provider->name;
  const std::string_view task = job.task->name;
  if (provider == "fal-ai") {
    const TaskRoute* route = find_route(*job.provider, task);
    return route && route->queued;
  }
  if (provider == "together") return is_video(task);
  if (provider == "novita") return task == "text-to-video";
  if (provider == "zai-org") return task == "text-to-image";
  return provider == "wavespeed" || provider == "replicate";
}

void job_answer(JobState& job, const TaskHttpResponse& response, TaskStep& out) {
  const std::string_view provider = job.provider->name;
  if (job.phase == JobState::Phase::polling) ++job.polls;
  if (job.phase == JobState::Phase::fetching && provider != "fal-ai") {
    return fail(out, HFI_E_INTERNAL, std::string(provider) + " jobs have no fetch step");
  }
  if (provider == "fal-ai") return fal_queue(job, response, out);
  if (provider == "together") return together_video(job, response, out);
  if (provider == "wavespeed") return wavespeed(job, response, out);
  if (provider == "zai-org") return zai_images(job, response, out);
  if (provider == "novita") return novita_video(job, response, out);
  if (provider == "replicate") return replicate(job, response, out);
  fail(out, HFI_E_INTERNAL, std::string(provider) + " runs no jobs");
}

}  // namespace hfi::providers
