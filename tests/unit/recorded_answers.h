// A recorded answer of ../shared/fixtures/hfjs-tapes read the way a task call reads it: a 2xx body
// through next_step (the normalised output must match the task spec's schema, media must be bytes of
// the task's kind, a job must go on to its next exchange), a stream through the SSE and chunk parsers
// (the text it carries, or the error it reports), an error body through the error parser.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "providers/table.h"
#include "tasks/catalog.h"

namespace hfi::test {

struct AnswerCheck {
  enum class Outcome { passed, failed, not_checked } outcome = Outcome::not_checked;
  std::string detail;  // what was read, why it failed, or why it was not checked
  std::string next_url;  // a job's or a result's URL that the call would fetch next
};

AnswerCheck check_recorded_answer(const nlohmann::json& record, const tasks::TaskInfo& task,
                                  const providers::ProviderInfo& provider, std::string_view provider_model);

}  // namespace hfi::test
