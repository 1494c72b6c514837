// The emulator's asynchronous media jobs: each submit creates one, each status
// poll advances it, and knobs (set through POST /_emulator/jobs) decide how
// many polls it stays pending, whether it fails, or whether it never ends.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hfi::emu {

struct JobKnobs {
  int polls_before_done = 2;  // status polls answered "pending" before the terminal state
  bool fail = false;          // the terminal state is a failure
  bool never_finish = false;  // stays pending however often it is polled
};

enum class JobPhase { queued, running, succeeded, failed, canceled };

struct Job {
  std::string id;
  std::string provider;
  std::string provider_model;  // the provider-side model id the submit named
  std::string task;
  std::string job_base;   // where the job's own URLs point (a real provider host, or the emulator's /direct/<provider>)
  std::string file_base;  // the emulator's own origin, for /files/ result URLs
  std::string input_json = "{}";  // what the submit asked for, echoed by providers that echo it
  JobKnobs knobs;
  int polls = 0;
  bool canceled = false;
};

// queued on the first poll, running until polls_before_done polls were answered, then terminal.
JobPhase job_phase(const Job& job);
// The result file's URL: <file_base>/files/<job id>.<ext of the task's media>.
std::string job_file_url(const Job& job);

class JobStore {
 public:
  void set_default_knobs(const JobKnobs& knobs);
  // Knobs for jobs whose model (provider-side id or HF id) is `model`.
  void set_model_knobs(const std::string& model, const JobKnobs& knobs);
  void reset();  // knobs back to the defaults, jobs forgotten
  // model_keys: the provider-side id and the HF ids mapped to it; the first with knobs wins.
  Job create(Job job, const std::vector<std::string>& model_keys);
  std::optional<Job> poll(const std::string& id);  // counts one status poll
  std::optional<Job> peek(const std::string& id) const;
  std::optional<Job> cancel(const std::string& id);
  // A synchronous wait (Replicate's "Prefer: wait"): the job is done now unless it never finishes.
  std::optional<Job> wait(const std::string& id);
  std::string to_json() const;  // {"defaults": {...}, "models": {...}, "jobs": [...]}

 private:
  mutable std::mutex mutex_;
  JobKnobs defaults_;
  std::map<std::string, JobKnobs> per_model_;
  std::map<std::string, Job> jobs_;
  std::vector<std::string> order_;
  long next_ = 0;
};

}  // namespace hfi::emu
