#include "job_routes.h"

#include <nlohmann/json.hpp>

#include "base64.h"
#include "media_files.h"
#include "text_util.h"
#include "url_util.h"

namespace hfi::emu {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

constexpr const char* kFailure = "emulated job failure";
constexpr const char* kCreatedAt = "2025-01-01T00:00:00.000Z";

Reply reply_of(int status, const ojson& body) { return json_reply(status, body.dump()); }

bool pending(JobPhase phase) { return phase == JobPhase::queued || phase == JobPhase::running; }

std::vector<std::string> model_keys(const EmulatorState& state, const std::string& provider, const std::string& id) {
  std::vector<std::string> keys = {id};
  for (const auto& entry : state.registry.entries_for(provider))
    if (entry.provider_id == id) keys.push_back(entry.model);
  return keys;
}

Job new_job(EmulatorState& state, const ProviderContext& context, const std::string& task, const std::string& model,
            const std::string& input_json = "{}") {
  Job job;
  job.input_json = input_json;
  job.provider = context.provider->name;
  job.provider_model = model;
  job.task = task;
  job.job_base = context.job_base();
  job.file_base = context.self_origin;
  return state.jobs.create(job, model_keys(state, job.provider, model));
}

// ---- fal-ai queue ----

// fal addresses queued requests by the app's owner/name, without sub-paths.
std::string fal_app(const std::string& model) {
  std::size_t first = model.find('/');
  if (first == std::string::npos) return model;
  std::size_t second = model.find('/', first + 1);
  return second == std::string::npos ? model : model.substr(0, second);
}

std::string fal_request_url(const Job& job) {
  return job.job_base + "/" + fal_app(job.provider_model) + "/requests/" + job.id;
}

ojson fal_status(const Job& job) {
  JobPhase phase = job_phase(job);
  ojson status = {{"status", phase == JobPhase::queued    ? "IN_QUEUE"
                             : phase == JobPhase::running ? "IN_PROGRESS"
                                                          : "COMPLETED"},
                  {"request_id", job.id},
                  {"response_url", fal_request_url(job)},
                  {"status_url", fal_request_url(job) + "/status"},
                  {"cancel_url", fal_request_url(job) + "/cancel"},
                  {"logs", nullptr}};
  if (phase == JobPhase::queued) status["queue_position"] = 0;
  if (phase == JobPhase::failed || phase == JobPhase::canceled)
    status["error"] = phase == JobPhase::failed ? kFailure : "Request was cancelled";
  return status;
}

Reply fal_submit(EmulatorState& state, const ProviderContext& context, const std::string& task, const std::string& model) {
  Job job = new_job(state, context, task, model);
  ojson answer = {{"status", "IN_QUEUE"}, {"request_id", job.id}, {"response_url", fal_request_url(job)},
                  {"status_url", fal_request_url(job) + "/status"}, {"cancel_url", fal_request_url(job) + "/cancel"},
                  {"queue_position", 0}};
  return reply_of(200, answer);
}

bool fal_followup(EmulatorState& state, const std::string& rest, Reply* reply) {
  std::size_t at = rest.find("/requests/");
  if (at == std::string::npos) return false;
  std::string tail = rest.substr(at + 10);
  std::string id = tail.substr(0, tail.find('/'));
  std::string action = tail.size() > id.size() ? tail.substr(id.size()) : "";
  if (action == "/status") {
    std::optional<Job> job = state.jobs.poll(id);
    *reply = job ? reply_of(200, fal_status(*job)) : reply_of(404, {{"detail", "Request not found"}});
    return true;
  }
  if (action == "/cancel") {
    std::optional<Job> job = state.jobs.cancel(id);
    if (!job) *reply = reply_of(404, {{"detail", "Request not found"}});
    else if (job->canceled) *reply = reply_of(202, {{"status", "CANCELLATION_REQUESTED"}});
    else *reply = reply_of(400, {{"status", "ALREADY_COMPLETED"}});
    return true;
  }
  if (!action.empty()) return false;
  std::optional<Job> job = state.jobs.peek(id);
  if (!job) *reply = reply_of(404, {{"detail", "Request not found"}});
  else if (pending(job_phase(*job))) *reply = reply_of(400, {{"detail", "Request is still in progress"}});
  else if (job_phase(*job) != JobPhase::succeeded) *reply = reply_of(422, {{"detail", fal_status(*job)["error"]}});
  else *reply = reply_of(200, fal_result(job->task, job_file_url(*job), "emulated transcript"));
  return true;
}

// ---- Together /v2/videos ----

ojson together_video(const Job& job) {
  JobPhase phase = job_phase(job);
  ojson video = {{"id", job.id}, {"object", "video"}, {"model", job.provider_model},
                 {"status", phase == JobPhase::queued    ? "queued"
                            : phase == JobPhase::running ? "in_progress"
                            : phase == JobPhase::succeeded ? "completed"
                                                           : "failed"},
                 {"created_at", 1735689600}};
  if (phase == JobPhase::succeeded) video["outputs"] = {{"video_url", job_file_url(job)}, {"cost", 0}};
  if (phase == JobPhase::failed || phase == JobPhase::canceled) video["error"] = {{"message", kFailure}};
  return video;
}

// ---- WaveSpeed ----

ojson wavespeed_prediction(const Job& job) {
  JobPhase phase = job_phase(job);
  ojson outputs = ojson::array();
  if (phase == JobPhase::succeeded) outputs.push_back(job_file_url(job));
  ojson data = {{"id", job.id}, {"model", job.provider_model}, {"outputs", outputs},
                {"urls", {{"get", job.job_base + "/api/v3/predictions/" + job.id + "/result"}}},
                {"status", job.polls == 0 ? "created" : pending(phase) ? "processing"
                                       : phase == JobPhase::succeeded ? "completed" : "failed"},
                {"created_at", kCreatedAt},
                {"error", pending(phase) || phase == JobPhase::succeeded ? "" : kFailure}};
  return {{"code", 200}, {"message", "success"}, {"data", data}};
}

// ---- Z.ai ----

ojson zai_result(const Job& job) {
  JobPhase phase = job_phase(job);
  ojson result = {{"model", job.provider_model}, {"id", job.id}, {"request_id", job.id},
                  {"task_status", pending(phase) ? "PROCESSING" : phase == JobPhase::succeeded ? "SUCCESS" : "FAIL"}};
  if (phase == JobPhase::succeeded) result["image_result"] = ojson::array({{{"url", job_file_url(job)}}});
  return result;
}

// ---- Novita ----

ojson novita_result(const Job& job) {
  JobPhase phase = job_phase(job);
  const char* status = phase == JobPhase::queued      ? "TASK_STATUS_QUEUED"
                       : phase == JobPhase::running   ? "TASK_STATUS_PROCESSING"
                       : phase == JobPhase::succeeded ? "TASK_STATUS_SUCCEED"
                                                      : "TASK_STATUS_FAILED";
  ojson videos = ojson::array();
  if (phase == JobPhase::succeeded)
    videos.push_back({{"video_url", job_file_url(job)}, {"video_url_ttl", "3600"}, {"video_type", "mp4"}});
  return {{"task", {{"task_id", job.id}, {"task_type", "TXT_TO_VIDEO"}, {"status", status},
                    {"reason", pending(phase) || phase == JobPhase::succeeded ? "" : kFailure},
                    {"progress_percent", pending(phase) ? 50 : 100}}},
          {"images", ojson::array()}, {"videos", videos}, {"audios", ojson::array()}};
}

// ---- Replicate ----

ojson replicate_prediction(const Job& job, const json& input) {  // input: the submit's "input" member
  JobPhase phase = job_phase(job);
  std::string url = job.job_base + "/v1/predictions/" + job.id;
  ojson output = nullptr;
  if (phase == JobPhase::succeeded) {
    if (job.task == "automatic-speech-recognition") output = {{"transcription", "emulated transcript"}};
    else if (job.task == "text-to-image" || job.task == "image-to-image") output = ojson::array({job_file_url(job)});
    else output = job_file_url(job);
  }
  std::string model = job.provider_model.substr(0, job.provider_model.find(':'));
  std::string version = job.provider_model.find(':') == std::string::npos
                            ? "emu-version" : job.provider_model.substr(job.provider_model.find(':') + 1);
  return {{"id", job.id}, {"model", model}, {"version", version}, {"input", ojson::parse(input.dump())},
          {"logs", ""}, {"output", output}, {"data_removed", false},
          {"error", phase == JobPhase::failed ? json(kFailure) : json(nullptr)},
          {"status", job.polls == 0 && pending(phase) ? "starting"
                     : pending(phase)                 ? "processing"
                     : phase == JobPhase::succeeded   ? "succeeded"
                     : phase == JobPhase::canceled    ? "canceled"
                                                      : "failed"},
          {"created_at", kCreatedAt},
          {"urls", {{"cancel", url + "/cancel"}, {"get", url}, {"web", "https://replicate.com/p/" + job.id}}}};
}

Reply replicate_problem(int status, const std::string& detail) {
  Reply reply = reply_of(status, {{"detail", detail}, {"status", status}, {"title", "Input validation failed"}});
  reply.set_header("Content-Type", "application/problem+json");
  return reply;
}

Reply replicate_submit(EmulatorState& state, const HttpRequest& request, const ProviderContext& context,
                       const std::string& task, const std::string& model) {
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("input") || !body["input"].is_object())
    return replicate_problem(422, "- input: Input is required");
  Job job = new_job(state, context, task, model, body["input"].dump());
  // "Prefer: wait" holds the request until the prediction ends (or the wait runs out).
  if (starts_with(to_lower(request.header("prefer")), "wait")) job = *state.jobs.wait(job.id);
  return reply_of(201, replicate_prediction(job, body["input"]));
}


}  // namespace

ojson fal_result(const std::string& task, const std::string& file_url, const std::string& transcript) {
  if (task == "automatic-speech-recognition")
    return {{"text", transcript}, {"chunks", ojson::array({{{"timestamp", {0.0, 1.0}}, {"text", transcript}}})}};
  if (task == "image-segmentation")
    return {{"image", {{"url", "data:image/png;base64," + base64_encode(media_bytes("png"))},
                       {"content_type", "image/png"}, {"width", 2}, {"height", 2}}}};
  std::string extension = media_extension_for_task(task);
  ojson file = {{"url", file_url}, {"content_type", media_content_type(extension)}};
  if (extension == "mp4") return {{"video", file}};
  if (extension == "flac") return {{"audio", file}};
  file["width"] = 2;
  file["height"] = 2;
  return {{"images", ojson::array({file})}, {"seed", 0}, {"has_nsfw_concepts", {false}}};
}

Reply job_submit_reply(EmulatorState& state, const HttpRequest& request, const ProviderContext& context,
                       const std::string& task, const std::string& provider_model) {
  const std::string& provider = context.provider->name;
  if (provider == "replicate") return replicate_submit(state, request, context, task, provider_model);
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object()) return reply_of(400, {{"error", "request body is not a JSON object"}});
  if (provider == "fal-ai") return fal_submit(state, context, task, provider_model);
  std::string model = provider_model.empty() ? body.value("model", "") : provider_model;
  if (model.empty()) return reply_of(422, {{"error", "`model` is required"}});
  Job job = new_job(state, context, task, model);
  if (provider == "together") return reply_of(200, together_video(job));
  if (provider == "wavespeed") return reply_of(200, wavespeed_prediction(job));
  if (provider == "zai-org") return reply_of(200, zai_result(job));
  if (provider == "novita") return reply_of(200, {{"task_id", job.id}});
  return reply_of(404, {{"error", provider + " has no job route"}});
}

bool job_followup_reply(EmulatorState& state, const HttpRequest& request, const ProviderContext& context,
                        const std::string& rest, Reply* reply) {
  const std::string& provider = context.provider->name;
  const bool get = request.method == "GET";
  auto unknown = [&](const std::string& id) { *reply = reply_of(404, {{"error", "no job " + id}}); };
  if (provider == "fal-ai") return (get || request.method == "PUT") && fal_followup(state, rest, reply);
  if (provider == "together" && get && starts_with(rest, "/v2/videos/")) {
    std::optional<Job> job = state.jobs.poll(rest.substr(11));
    if (job) *reply = reply_of(200, together_video(*job));
    else unknown(rest.substr(11));
    return true;
  }
  if (provider == "wavespeed" && get && starts_with(rest, "/api/v3/predictions/") && ends_with(rest, "/result")) {
    std::string id = rest.substr(20, rest.size() - 20 - 7);
    std::optional<Job> job = state.jobs.poll(id);
    if (job) *reply = reply_of(200, wavespeed_prediction(*job));
    else unknown(id);
    return true;
  }
  if (provider == "zai-org" && get && starts_with(rest, "/api/paas/v4/async-result/")) {
    std::optional<Job> job = state.jobs.poll(rest.substr(26));
    if (job) *reply = reply_of(200, zai_result(*job));
    else unknown(rest.substr(26));
    return true;
  }
  if (provider == "novita" && get && rest == "/v3/async/task-result") {
    std::string id = query_value(request.query, "task_id");
    std::optional<Job> job = state.jobs.poll(id);
    if (job) *reply = reply_of(200, novita_result(*job));
    else unknown(id);
    return true;
  }
  if (provider == "replicate" && starts_with(rest, "/v1/predictions/")) {
    std::string tail = rest.substr(16);
    bool cancel = ends_with(tail, "/cancel") && request.method == "POST";
    if (!get && !cancel) return false;
    std::string id = cancel ? tail.substr(0, tail.size() - 7) : tail;
    std::optional<Job> job = cancel ? state.jobs.cancel(id) : state.jobs.poll(id);
    if (job) *reply = reply_of(200, replicate_prediction(*job, json::parse(job->input_json)));
    else *reply = replicate_problem(404, "Prediction not found");
    return true;
  }
  return false;
}

}  // namespace hfi::emu
