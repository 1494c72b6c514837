#include "job_store.h"

#include <nlohmann/json.hpp>

#include "media_files.h"

namespace hfi::emu {
namespace {

nlohmann::ordered_json knobs_json(const JobKnobs& knobs) {
  return {{"polls_before_done", knobs.polls_before_done}, {"fail", knobs.fail}, {"never_finish", knobs.never_finish}};
}

const char* phase_name(JobPhase phase) {
  switch (phase) {
    case JobPhase::queued: return "queued";
    case JobPhase::running: return "running";
    case JobPhase::succeeded: return "succeeded";
    case JobPhase::failed: return "failed";
    case JobPhase::canceled: return "canceled";
  }
  return "";
}

}  // namespace

JobPhase job_phase(const Job& job) {
  if (job.canceled) return JobPhase::canceled;
  if (job.knobs.never_finish) return job.polls <= 1 ? JobPhase::queued : JobPhase::running;
  if (job.polls <= job.knobs.polls_before_done) return job.polls <= 1 ? JobPhase::queued : JobPhase::running;
  return job.knobs.fail ? JobPhase::failed : JobPhase::succeeded;
}

std::string job_file_url(const Job& job) {
  return job.file_base + kFilesPrefix + job.id + "." + media_extension_for_task(job.task);
}

void JobStore::set_default_knobs(const JobKnobs& knobs) {
  std::lock_guard<std::mutex> lock(mutex_);
  defaults_ = knobs;
}

void JobStore::set_model_knobs(const std::string& model, const JobKnobs& knobs) {
  std::lock_guard<std::mutex> lock(mutex_);
  per_model_[model] = knobs;
}

void JobStore::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  defaults_ = JobKnobs{};
  per_model_.clear();
  jobs_.clear();
  order_.clear();
}

Job JobStore::create(Job job, const std::vector<std::string>& model_keys) {
  std::lock_guard<std::mutex> lock(mutex_);
  job.id = "emu-job-" + std::to_string(++next_);
  job.knobs = defaults_;
  for (const std::string& key : model_keys) {
    auto found = per_model_.find(key);
    if (found != per_model_.end()) {
      job.knobs = found->second;
      break;
    }
  }
  jobs_[job.id] = job;
  order_.push_back(job.id);
  return job;
}

std::optional<Job> JobStore::poll(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  ++found->second.polls;
  return found->second;
}

std::optional<Job> JobStore::peek(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  return found->second;
}

std::optional<Job> JobStore::cancel(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  JobPhase phase = job_phase(found->second);
  if (phase == JobPhase::queued || phase == JobPhase::running) found->second.canceled = true;
  return found->second;
}

std::optional<Job> JobStore::wait(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  Job& job = found->second;
  if (!job.knobs.never_finish && job.polls <= job.knobs.polls_before_done) job.polls = job.knobs.polls_before_done + 1;
  return job;
}

std::string JobStore::to_json() const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::ordered_json models = nlohmann::ordered_json::object();
  for (const auto& [model, knobs] : per_model_) models[model] = knobs_json(knobs);
  nlohmann::ordered_json jobs = nlohmann::ordered_json::array();
  for (const std::string& id : order_) {
    const Job& job = jobs_.at(id);
    jobs.push_back({{"id", job.id}, {"provider", job.provider}, {"model", job.provider_model}, {"task", job.task},
                    {"polls", job.polls}, {"phase", phase_name(job_phase(job))}, {"knobs", knobs_json(job.knobs)}});
  }
  return nlohmann::ordered_json{{"defaults", knobs_json(defaults_)}, {"models", models}, {"jobs", jobs}}.dump();
}

}  // namespace hfi::emu
