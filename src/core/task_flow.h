// One task call from the caller's input to its output: which provider serves it (the Hub mapping,
// fetched or cached), the request that provider takes, and then every further exchange an
// asynchronous job needs (polls at the provider's interval, fetching the result, downloading
// result URLs without credentials), all within the call's deadline.
//
// The flow decides; the ChatCall it belongs to performs each exchange on the engine (so that
// cancellation, callbacks, events and the pull queue work as for chat), hands every complete 2xx
// answer to on_answer(), and settles everything else (errors, timeouts, cancellation) itself.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/objects.h"
#include "core/task_context.h"
#include "providers/mapping.h"
#include "providers/task_response.h"
#include "transport/engine.h"

namespace hfi {

struct TaskInput {
  std::string task;
  std::string model;
  std::string json;
  std::string binary;
  std::string binary_type;
  std::string provider;  // "": the client's HFI_OPT_PROVIDER; "auto"; a name; "a,b,c" in order
  std::vector<std::string> headers;
  int64_t timeout_ms = -1;        // -1: the client's
  int64_t stall_timeout_ms = -1;  // -1: the client's
  int64_t first_byte_timeout_ms = -1;  // -1: the client's
  int64_t poll_interval_ms = -1;  // -1: the provider's
  int64_t max_retries = -1;       // -1: the client's
};

struct TaskProgress {
  std::string status;
  double progress = -1;
};

class TaskFlow {
 public:
  using Clock = std::chrono::steady_clock;
  // A job without a deadline of its own ends after this long: some never finish.
  static constexpr std::chrono::minutes kDefaultJobDeadline{10};

  // Checks the input (HFI_E_INVALID_ARG / HFI_E_UNSUPPORTED with `error`: nothing was sent),
  // decides what it can without traffic, and gives the first exchange. `stream`: the answer is
  // an event stream the ChatCall parses (chat with "stream": true).
  static hfi_status create(std::shared_ptr<const TaskContext> context, TaskInput input,
                           std::unique_ptr<TaskFlow>& out, transport::TransferSettings& first, bool& stream,
                           std::string& error);

  // GET {router}/v1/models (or /v1/models/{model} when `model` is not empty): the router's listing
  // of chat models with their providers, pricing, context lengths and latencies.
  static hfi_status create_listing(std::shared_ptr<const TaskContext> context, std::string model,
                                   std::unique_ptr<TaskFlow>& out, transport::TransferSettings& first,
                                   std::string& error);

  enum class Verdict {
    done,      // `response` holds the output
    failed,    // `code` and `error` say why
    next,      // perform `next` (after a progress event, when `progress` is set)
    not_mine,  // a chat answer: the ChatCall reads it as one
  };
  Verdict on_answer(long status, std::string_view content_type, std::string_view body, hfi_response& response,
                    transport::TransferSettings& next, std::optional<TaskProgress>& progress, hfi_status& code,
                    std::string& error);

  // A retryable failure of the submission, with a list of providers: `next` submits to the next
  // one that serves the model. False when none is left, or once a provider accepted the job.
  bool fail_over(transport::TransferSettings& next);

  // A streamed text generation: its events are TGI or completions chunks, not chat chunks.
  bool generation_stream() const { return stream_ && !chat_; }
  // The provider serving the call once chosen ("" while unknown or when the router picks).
  const std::string& provider() const { return provider_name_; }
  // Why the call's deadline passed, for the response's error.
  std::string timeout_message() const;

 private:
  enum class Stage { mapping, submit, chat, job, listing };

  TaskFlow(std::shared_ptr<const TaskContext> context, TaskInput input);
  hfi_status plan(transport::TransferSettings& first, std::string& error);
  hfi_status choose(const std::vector<providers::MappingEntry>& entries, std::string& error);
  // Makes candidates_[at] the provider when the mapping serves it; else adds why not to `why`.
  bool take_candidate(size_t at, std::string& why);
  hfi_status submit(transport::TransferSettings& out, std::string& error);
  hfi_status chat_request(transport::TransferSettings& out, std::string& error);
  void mapping_request(transport::TransferSettings& out) const;
  transport::TransferSettings exchange(std::string url, bool get, std::string body,
                                       std::vector<std::string> headers, Clock::time_point not_before) const;
  std::string authorization() const;
  Verdict follow(const providers::TaskStep& step, hfi_response& response, transport::TransferSettings& next,
                 std::optional<TaskProgress>& progress, hfi_status& code, std::string& error);

  std::shared_ptr<const TaskContext> ctx_;
  TaskInput in_;
  const tasks::TaskInfo* task_ = nullptr;
  bool chat_ = false;
  bool stream_ = false;
  bool auto_ = true;
  std::string policy_;  // chat: the router's "fastest" or "cheapest"
  std::vector<const providers::ProviderInfo*> candidates_;
  Stage stage_ = Stage::submit;

  const providers::ProviderInfo* provider_ = nullptr;
  std::string provider_name_;
  std::string provider_model_;
  std::optional<providers::MappingEntry> entry_;
  std::vector<providers::MappingEntry> entries_;  // the Hub's mapping, for failover
  size_t next_candidate_ = 0;                     // candidates_ not tried yet start here
  bool routed_ = true;
  std::string direct_base_;
  providers::JobState job_;

  Clock::time_point started_ = Clock::now();
  Clock::time_point deadline_ = Clock::time_point::max();
  int64_t deadline_ms_ = 0;
};

}  // namespace hfi
