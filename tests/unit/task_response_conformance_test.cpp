// Every recorded 2xx inference answer through next_step(), as the core would feed it, with the
// outcome judged: JSON outputs valid against the task spec, media bytes of the task's kind,
// result URLs that the tape shows being downloaded.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "protocol/media_type.h"
#include "providers/task_response.h"
#include "task_schema.h"

namespace hfi::providers {
namespace {

using nlohmann::json;
using test::Tally;

// "image/", "audio/" or "video/": what the media of a task must be.
std::string media_family(std::string_view task) {
  if (task == "text-to-speech") return "audio/";
  if (task == "text-to-video" || task == "image-to-video") return "video/";
  return "image/";
}

std::string text_of(const json& record, const char* key) {
  return record.contains(key) && record[key].is_string() ? record[key].get<std::string>() : std::string();
}

TEST(TaskResponseConformanceTest, RecordedAnswersGiveTheTaskOutput) {
  test::SchemaChecker checker;
  ASSERT_TRUE(checker.loaded());
  std::ifstream in(test::fixture_path("hfjs-tapes/interactions.ndjson"), std::ios::binary);
  ASSERT_TRUE(in) << "fixture file missing";
  std::vector<json> records;
  std::map<std::string, int> downloads;  // asset-download URL -> ordinal
  std::string line;
  while (std::getline(in, line)) {
    records.push_back(json::parse(line, nullptr, false));
    const json& r = records.back();
    if (r.is_object() && r.value("kind", "") == "asset-download") downloads[text_of(r, "url")] = r.value("ordinal", -1);
  }
  std::map<std::string, Tally> by_task, by_provider;
  std::map<int, std::string> not_checked;    // ordinal -> reason
  std::map<int, std::string> urls;           // ordinal -> request URL of the records not checked
  std::map<int, int> follow_ups;             // asset-download ordinal -> the answer that named it
  std::map<std::string, int> outcome_kinds;  // "json", "media", "download", ...
  int undownloaded = 0;
  for (const json& record : records) {
    if (!record.is_object()) continue;
    const int ordinal = record.value("ordinal", -1);
    const std::string kind = record.value("kind", "");
    const std::string task = text_of(record, "task");
    const std::string provider_label = text_of(record, "provider");
    const std::string provider = provider_label.substr(0, provider_label.find(" ("));
    if (kind != "inference") {
      not_checked[ordinal] = kind;  // refined below for the follow-ups
      urls[ordinal] = text_of(record, "url");
      continue;
    }
    const int status = record.value("response_status", 0);
    const ProviderInfo* info = find_provider(provider);
    const tasks::TaskInfo* task_info = tasks::find_task(task);
    std::string reason;
    if (!info || provider_label.find("custom endpoint") != std::string::npos) {
      reason = provider_label + " is not a provider hfi routes to";
    } else if (!task_info) {
      reason = "task \"" + task + "\" is not in the catalog";
    } else if (status < 200 || status > 299) {
      reason = "error status (the core's to report)";
    } else if (record.value("is_stream", false)) {
      reason = "SSE stream (the streaming path's)";
    } else if (text_of(record, "response_body_encoding") != "text") {
      reason = "binary body not recorded";
    }
    if (!reason.empty()) {
      not_checked[ordinal] = reason;
      continue;
    }
    const std::string label = "#" + std::to_string(ordinal) + " " + task + " (" + provider + ")";
    SCOPED_TRACE(label);
    Tally& task_tally = by_task[task];
    Tally& provider_tally = by_provider[provider];
    ++task_tally.total;
    ++provider_tally.total;

    JobState job;
    job.task = task_info;
    job.provider = info;
    const std::string body = text_of(record, "response_body");
    const std::string content_type = text_of(record, "content_type");
    TaskStep step;
    next_step(job, TaskHttpResponse{status, content_type, body}, step);
    std::string problem;
    switch (step.kind) {
      case TaskStep::Kind::done:
        if (task == "chat-completion") {
          // Handed to the chat layer as received (the task spec's schema is stricter than every
          // provider: system_fingerprint, message alternatives); the chat tests judge the content.
          if (step.output_json != body) problem = "the chat answer was not passed on as received";
          ++outcome_kinds["done with JSON (chat, as received)"];
        } else if (task_info->output == tasks::Output::json) {
          const json output = json::parse(step.output_json, nullptr, false);
          problem = output.is_discarded() ? "the output is not JSON" : test::check_output(checker, task, output);
          ++outcome_kinds["done with JSON"];
        } else {
          const std::string sniffed(media::sniff(step.bytes));
          if (sniffed.rfind(media_family(task), 0) != 0) problem = "the bytes are not " + media_family(task) + "*";
          ++outcome_kinds["done with media bytes"];
        }
        break;
      case TaskStep::Kind::download: {
        ++outcome_kinds["download of the result URL"];
        const auto follow_up = downloads.find(step.url);
        if (follow_up != downloads.end()) {
          follow_ups[follow_up->second] = ordinal;
        } else {
          ++undownloaded;  // the test run that recorded it did not fetch the file
        }
        if (job.phase != JobState::Phase::downloading) problem = "a download outside the downloading phase";
        break;
      }
      case TaskStep::Kind::failed: problem = "failed: " + step.error; break;
      default: problem = "an unexpected poll or fetch step"; break;
    }
    if (problem.empty()) {
      ++task_tally.passed;
      ++provider_tally.passed;
    } else {
      ADD_FAILURE() << problem;
    }
  }
  for (auto& [ordinal, reason] : not_checked) {
    const auto follow_up = follow_ups.find(ordinal);
    if (follow_up != follow_ups.end()) {
      reason = "asset-download: the URL of #" + std::to_string(follow_up->second) +
               "'s download step (its bytes were not recorded)";
    } else if (reason == "data-url") {
      reason = "data-url: the JS client's fetch() of a data: URL (not network traffic; hfi decodes in place)";
    } else if (urls[ordinal].find(".bfl.ai/") != std::string::npos) {
      reason += ": a follow-up of black-forest-labs, which hfi does not route to";
    } else if (reason == "asset-download") {
      reason += ": no recorded answer names this URL (the tape kept a download of an earlier run)";
    } else if (reason == "hub-api") {
      reason = "hub-api: mapping lookups (mapping_test's)";
    }
  }
  test::print_table("next_step: passed / total by task", by_task);
  test::print_table("next_step: passed / total by provider", by_provider);
  std::cout << "\noutcomes:\n";
  for (const auto& [what, count] : outcome_kinds) std::cout << "  " << count << " x " << what << "\n";
  std::cout << "  " << follow_ups.size() << " download URLs are the tape's own asset-download records; " << undownloaded
            << " were not fetched when recorded\n";
  std::map<std::string, int> reasons;
  for (const auto& [ordinal, reason] : not_checked) ++reasons[reason.substr(0, reason.find(':'))];
  std::cout << "\nnot checked " << not_checked.size() << " records:\n";
  for (const auto& [reason, count] : reasons) std::cout << "  " << count << " x " << reason << "\n";
  for (const auto& [ordinal, reason] : not_checked) std::cout << "  #" << ordinal << ": " << reason << "\n";

  int checked = 0;
  for (const auto& [name, tally] : by_task) checked += tally.total;
  EXPECT_EQ(checked + not_checked.size(), records.size());  // every record is accounted for
  EXPECT_GE(checked, 150);
  EXPECT_GE(follow_ups.size(), 20u);
  EXPECT_TRUE(by_provider.count("fal-ai") && by_provider.count("replicate") && by_provider.count("hyperbolic"));
}

}  // namespace
}  // namespace hfi::providers
