// The conformance suite: every recorded inference call of ../shared/fixtures/hfjs-tapes whose
// (task, provider) hfi serves, both ways.
// - The request, rebuilt through build_task_request from the HF task input it stands for: the path
//   must be the recorded one (or today's route, for calls recorded on an earlier one) and the body
//   must hold the recorded members hfi is responsible for. Known differences are compared around
//   and counted by reason.
// - The answer, read as a task call reads it (recorded_answers.h): the normalised output valid
//   against the task spec, media bytes of the task's kind, a job's next exchange, a stream's text or
//   error, an error body's message.
// Tables by task and by provider are printed for both; records that cannot be rebuilt, and answers
// that were not recorded, are listed with their reasons.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "providers/task_request.h"
#include "recorded_answers.h"
#include "tapes.h"

namespace hfi::providers {
namespace {

using nlohmann::json;

// Stand-ins for the binary bodies the recorder did not keep.
const std::string kWav = std::string("RIFF\x24\0\0\0WAVEfmt ", 16);
const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
constexpr std::string_view kSdxl = "stabilityai/stable-diffusion-xl-base-1.0";

// One record turned back into a task call, and what the rebuilt request must match.
struct Case {
  std::string provider, task, model, provider_model, input_json, binary;
  MappingEntry mapping;
  bool lora = false, custom_endpoint = false;
  bool stand_in = false;  // the input is made up for a body the recorder did not keep
  std::string path;     // the expected path after the provider prefix; empty: not compared
  json expected;        // the expected body (members compared); null: not compared
  std::set<std::string> not_compared;  // members left out on both sides, for the reasons given
  std::function<void(const TaskHttpRequest&)> shape;  // checks of a body the recorder did not keep
  std::vector<std::string> reasons;
};

// Failures reported so far in this test: a record passes when it adds none.
int failures_so_far() {
  return ::testing::UnitTest::GetInstance()->current_test_info()->result()->total_part_count();
}

json without(json body, const std::set<std::string>& keys) {
  for (const std::string& key : keys) body.erase(key);
  return body;
}

// "/hf-inference/models/{model}{route}" as recorded, possibly on an earlier route.
bool hf_inference_case(const json& r, const test::UrlParts& url, Case& c, std::string& skip) {
  const tasks::TaskInfo& task = *tasks::find_task(c.task);
  std::string path = url.path;
  const std::string proxy = "/api/inference-proxy";
  if (path.rfind(proxy, 0) == 0) {
    path.erase(0, proxy.size());
    c.reasons.push_back("recorded through /api/inference-proxy (the old huggingface.co entry)");
  }
  const std::string pipeline = "/hf-inference/pipeline/" + c.task + "/", models = "/hf-inference/models/";
  const std::string route(task.hf_route);
  if (path.rfind(pipeline, 0) == 0) {
    c.model = path.substr(pipeline.size());
    c.reasons.push_back("earlier route /pipeline/{task}/{model}: today's is used");
  } else if (path.rfind(models, 0) == 0) {
    c.model = path.substr(models.size());
    if (!route.empty() && c.model.size() > route.size() &&
        c.model.compare(c.model.size() - route.size(), route.size(), route) == 0) {
      c.model.resize(c.model.size() - route.size());
    } else if (!route.empty()) {
      c.reasons.push_back("earlier route /models/{model} for " + c.task + ": today's is used");
    }
  } else {
    skip = "unexpected URL " + r.value("url", "");
    return false;
  }
  c.provider_model = c.model;
  c.path = "/models/" + c.model + route;
  return true;
}

// The HF body {"inputs": prompt, "parameters": {...}} a recorded prompt + flat members stand for.
std::string hf_body(const json& prompt, const json& parameters) {
  json body = {{"inputs", prompt}};
  if (!parameters.empty()) body["parameters"] = parameters;
  return body.dump();
}

json members_except(const json& body, const std::set<std::string>& keys) {
  json out = json::object();
  for (auto& [key, value] : body.items()) {
    if (!keys.count(key)) out[key] = value;
  }
  return out;
}

// The JS client has put these top-level members into provider bodies at one time or another.
void leaked(const json& recorded, Case& c, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (recorded.contains(key)) {
      c.expected.erase(key);
      c.reasons.push_back(std::string("the JS client leaked \"") + key + "\" into the body");
    }
  }
}

bool text_to_image_case(const json& body, Case& c, std::string& skip) {
  if (c.provider == "replicate") {
    const json input = body.value("input", json::object());
    c.input_json = hf_body(input.value("prompt", json()), members_except(input, {"prompt"}));
    c.expected = body;
    leaked(body, c, {"provider", "model"});
    return true;
  }
  const json prompt = body.value("prompt", json());
  std::set<std::string> hfi_members = {"prompt", "inputs", "provider", "model", "model_name", "response_format",
                                       "sync_mode", "loras"};
  c.input_json = hf_body(prompt, members_except(body, hfi_members));
  c.expected = body;
  leaked(body, c, {"inputs", "provider"});
  if (c.provider == "fal-ai") {
    leaked(body, c, {"model"});
    if (body.contains("response_format")) {
      c.expected.erase("response_format");
      c.reasons.push_back("fal-ai: the JS client of the time sent response_format, which fal ignores");
    }
    if (!body.contains("sync_mode")) {
      c.not_compared.insert("sync_mode");
      c.reasons.push_back("fal-ai: recorded before the clients asked for inline images (sync_mode)");
    }
    if (body.contains("loras")) {
      const json& path = body["loras"][0]["path"];
      const std::string resolve = "/resolve/main/", hub = "https://huggingface.co/";
      if (!path.is_string() || path.get<std::string>().find(resolve) == std::string::npos) {
        c.not_compared.insert({"loras", "model_name"});
        c.reasons.push_back("fal-ai: the JS client sent an object as the LoRA path (a client bug)");
      } else {
        const std::string p = path.get<std::string>();
        const size_t at = p.find(resolve);
        c.model = p.substr(hub.size(), at - hub.size());
        c.mapping = {"fal-ai", c.provider_model, "live", "text-to-image", "lora", p.substr(at + resolve.size())};
        c.lora = true;
      }
    }
    if (c.provider_model == "fal-ai/lora" && body.value("model_name", std::string(kSdxl)) != kSdxl) {
      c.not_compared.insert("model_name");
      c.reasons.push_back("fal-ai/lora: a test's own model_name (hfi sends SDXL, as the clients do today)");
    } else if (c.provider_model == "fal-ai/lora" && !body.contains("model_name")) {
      c.not_compared.insert("model_name");
      c.reasons.push_back("fal-ai/lora: recorded before the clients named SDXL as the base model");
    }
    return true;
  }
  if (c.provider == "hyperbolic") {
    if (body.contains("model")) {
      c.provider_model = body["model"].get<std::string>();
      c.expected["model_name"] = c.expected["model"];
      c.expected.erase("model");
      c.reasons.push_back("hyperbolic: an older client named the model \"model\" (today \"model_name\")");
    } else {
      c.provider_model = body.value("model_name", "");
    }
    return true;
  }
  if (!body.contains("model")) {
    c.not_compared.insert("model");
    c.reasons.push_back("the recorded body lacks the model (a client bug of that version)");
  } else {
    c.provider_model = body["model"].get<std::string>();
  }
  (void)skip;
  return true;
}

bool provider_case(const json& r, const test::UrlParts& url, Case& c, std::string& skip) {
  const ProviderInfo& provider = *find_provider(c.provider);
  c.path = url.path;
  const std::string fixed_model = "unrecorded/model";
  c.model = fixed_model;
  c.provider_model = fixed_model;
  if (c.provider == "fal-ai") c.provider_model = url.path.substr(1);
  if (c.provider == "replicate") {
    const std::string prefix = "/v1/models/", suffix = "/predictions";
    if (url.path.rfind(prefix, 0) == 0) {
      c.provider_model = url.path.substr(prefix.size(), url.path.size() - prefix.size() - suffix.size());
    }
  }
  const bool recorded = r["request_body"].is_string();
  const json body = recorded ? json::parse(r["request_body"].get<std::string>(), nullptr, false) : json();
  if (!recorded) {
    if (c.task != "automatic-speech-recognition") {
      skip = "request body not recorded";
      return false;
    }
    c.binary = kWav;
    c.stand_in = true;
    c.reasons.push_back("binary body not recorded: the rebuilt body's shape is checked");
    c.shape = [](const TaskHttpRequest& out) {
      const json built = json::parse(out.body);
      EXPECT_EQ(built.size(), 1u);
      EXPECT_EQ(built.value("audio_url", "").rfind("data:audio/x-wav;base64,", 0), 0u);
    };
    return true;
  }
  if (!body.is_object()) {
    skip = "recorded body is not JSON";
    return false;
  }
  if (c.provider == "replicate" && body.contains("version")) {
    c.provider_model = body.value("model", fixed_model);
    if (c.provider_model.find(':') == std::string::npos) c.provider_model += ":" + body["version"].get<std::string>();
  }
  if (c.task == "chat-completion") {
    if (!body.contains("model")) {
      skip = "chat body without a model (the client's own error case)";
      return false;
    }
    c.provider_model = body["model"].get<std::string>();
    c.input_json = r["request_body"].get<std::string>();
    c.expected = body;
    return true;
  }
  if (c.task == "text-generation") {
    json parameters = members_except(body, {"model", "prompt", "inputs", "provider", "max_tokens"});
    if (body.contains("max_tokens")) parameters["max_new_tokens"] = body["max_tokens"];
    c.input_json = hf_body(body.value("prompt", json()), parameters);
    c.expected = body;
    leaked(body, c, {"inputs", "provider"});
  } else if (c.task == "feature-extraction") {
    c.input_json = hf_body(body.value("input", json()), json::object());
    c.expected = body;
    leaked(body, c, {"inputs", "provider"});
  } else if (c.task == "text-to-image") {
    if (!text_to_image_case(body, c, skip)) return false;
  } else if (c.task == "text-to-speech" && c.provider == "replicate") {
    const json input = body.value("input", json::object());
    if (input.contains("text")) {
      c.input_json = hf_body(input["text"], members_except(input, {"text"}));
      c.expected = body;
    } else if (input.contains("inputs")) {
      c.input_json = hf_body(input["inputs"], members_except(input, {"inputs"}));
      c.expected = {{"input", {{"text", input["inputs"]}}}, {"version", body["version"]}};
      c.reasons.push_back("replicate: an older client sent inputs unrenamed (today: text)");
    } else {
      skip = "recorded body carries no text at all (a client bug)";
      return false;
    }
  } else {
    skip = "no rebuild written for this (task, provider)";
    return false;
  }
  if (c.provider_model == fixed_model && c.expected.contains("model")) {
    c.provider_model = c.expected["model"].get<std::string>();
  } else if (c.provider_model == fixed_model && provider.name != "replicate") {
    c.not_compared.insert("model");
  }
  return true;
}

TEST(ConformanceTest, EveryRecordedInferenceCallIsRebuiltAndItsAnswerRead) {
  const std::vector<json> records = test::recorded_interactions();
  ASSERT_FALSE(records.empty()) << "fixture file missing";
  std::map<std::string, test::Tally> by_task, by_provider;
  std::map<std::string, test::Tally> answers_by_task, answers_by_provider;
  std::map<std::string, int> answer_kinds, answers_not_checked;
  std::vector<std::string> answer_failures;
  std::set<std::string> next_urls;  // what the answers say to fetch next
  std::map<std::string, int> reasons;
  std::vector<std::string> skipped;
  size_t inference_records = 0;
  for (const json& r : records) {
    if (r.value("kind", "") != "inference") continue;
    ++inference_records;
    Case c;
    c.task = r.value("task", "");
    const std::string recorded = r.value("provider", "");
    const std::string where = recorded + " " + c.task + " #" + std::to_string(r.value("ordinal", -1));
    c.provider = recorded.substr(0, recorded.find(" ("));
    c.custom_endpoint = recorded.find("(custom endpoint)") != std::string::npos;
    if (!tasks::find_task(c.task)) {
      skipped.push_back(where + ": not a task any more");
      continue;
    }
    const ProviderInfo* provider = find_provider(c.provider);
    if (!c.custom_endpoint && !provider) {
      skipped.push_back(where + ": provider not served by the router today");
      continue;
    }
    const test::UrlParts url = test::split_url(r.value("url", ""));
    std::string skip;
    bool ok = false;
    if (c.custom_endpoint) {
      c.provider = "custom endpoint";
      c.input_json = r["request_body"].is_string() ? r["request_body"].get<std::string>() : "";
      c.expected = json::parse(c.input_json, nullptr, false);
      c.reasons.push_back("custom endpoint: the URL is the caller's, the body is compared");
      ok = c.expected.is_object();
      if (!ok) skip = "request body not recorded";
    } else if (c.provider == "hf-inference") {
      ok = hf_inference_case(r, url, c, skip);
      if (ok) {
        const tasks::TaskInfo& task = *tasks::find_task(c.task);
        const bool recorded_json = r["request_body"].is_string() && json::accept(r["request_body"].get<std::string>());
        if (recorded_json) {
          c.input_json = r["request_body"].get<std::string>();
          c.expected = json::parse(c.input_json);
          if (c.task == "chat-completion" && c.expected.value("model", "") != c.model) {
            c.not_compared.insert("model");
            c.reasons.push_back("hf-inference chat: recorded with another model member (\"tgi\" or none); hfi sends the URL's model");
          }
        } else if (task.binary == tasks::BinaryInput::none) {
          c.input_json = R"({"inputs":"unrecorded"})";
          c.stand_in = true;
          c.reasons.push_back("body not recorded: the path is checked");
        } else {
          c.binary = kPng;
          c.stand_in = true;
          const auto& headers = r["request_headers"];
          if (headers.is_object() && headers.value("Content-Type", "") == "application/json")
            c.input_json = R"({"inputs":{"question":"q"}})";
          c.reasons.push_back("binary body not recorded: the path is checked");
        }
      }
    } else {
      ok = provider_case(r, url, c, skip);
    }
    if (!ok) {
      skipped.push_back(where + ": " + skip);
      continue;
    }
    test::Tally& task_tally = by_task[c.task];
    test::Tally& provider_tally = by_provider[c.provider];
    ++task_tally.total;
    ++provider_tally.total;
    SCOPED_TRACE(where + " " + r.value("url", ""));
    {
      const ProviderInfo& reader = provider && !c.custom_endpoint ? *provider : *find_provider("hf-inference");
      const test::AnswerCheck answer = test::check_recorded_answer(r, *tasks::find_task(c.task), reader,
                                                                   c.provider_model.empty() ? c.model : c.provider_model);
      if (answer.outcome == test::AnswerCheck::Outcome::not_checked) {
        ++answers_not_checked[answer.detail];
      } else {
        const bool read = answer.outcome == test::AnswerCheck::Outcome::passed;
        for (auto* table : {&answers_by_task[c.task], &answers_by_provider[c.provider]}) {
          ++table->total;
          table->passed += read;
        }
        ++answer_kinds[answer.detail];
        if (!answer.next_url.empty()) next_urls.insert(answer.next_url);
        if (!read) answer_failures.push_back(where + ": " + answer.detail);
      }
    }
    const int failures_before = failures_so_far();
    TaskCallInput in;
    in.task = tasks::find_task(c.task);
    in.provider = provider;
    in.model = c.model;
    in.provider_model = c.provider_model;
    in.json = c.input_json;
    in.binary = c.binary;
    in.mapping = c.lora ? &c.mapping : nullptr;
    TaskHttpRequest out;
    std::string error;
    // What the servers accepted is valid task input: the checks must not refuse any of it. What
    // they refused as invalid, the checks may refuse first, without traffic.
    if (!c.stand_in) {
      const int status = r.value("response_status", 0);
      const hfi_status checked = check_task_input(in, error);
      if (status == 400 || status == 422) {
        if (checked != HFI_OK) c.reasons.push_back("refused by the server (HTTP " + std::to_string(status) +
                                                   ") and by check_task_input before any traffic: " + error);
      } else {
        EXPECT_EQ(checked, HFI_OK) << error;
      }
    }
    const hfi_status st =
        c.custom_endpoint ? build_custom_endpoint_request(in, out, error) : build_task_request(in, out, error);
    EXPECT_EQ(st, HFI_OK) << error;
    if (st != HFI_OK) continue;
    if (!c.path.empty()) {
      EXPECT_EQ(out.path, c.path);
    }
    if (provider && !c.custom_endpoint && provider->name != "hf-inference") {
      EXPECT_EQ(out.queued, url.host == test::split_url(provider->queue_base).host);
    }
    if (c.expected.is_object()) {
      EXPECT_EQ(without(json::parse(out.body), c.not_compared), without(c.expected, c.not_compared));
    }
    if (c.shape) c.shape(out);
    if (failures_so_far() != failures_before) continue;
    ++task_tally.passed;
    ++provider_tally.passed;
    for (const std::string& reason : c.reasons) ++reasons[reason];
  }
  std::cout << "recorded inference calls rebuilt by build_task_request (path and body):\n";
  test::print_tallies(std::cout, "by task", by_task);
  const test::Tally all = test::print_tallies(std::cout, "by provider", by_provider);
  std::cout << "compared around known differences (records):\n";
  for (const auto& [reason, n] : reasons) std::cout << "  " << reason << ": " << n << "\n";
  std::cout << "not checked (" << skipped.size() << "):\n";
  for (const std::string& s : skipped) std::cout << "  " << s << "\n";
  std::cout << "recorded answers read as a task call reads them:\n";
  test::print_tallies(std::cout, "by task", answers_by_task);
  const test::Tally answers = test::print_tallies(std::cout, "by provider", answers_by_provider);
  std::cout << "what was read (records):\n";
  for (const auto& [kind, n] : answer_kinds) std::cout << "  " << kind << ": " << n << "\n";
  std::cout << "answers not checked (records):\n";
  for (const auto& [reason, n] : answers_not_checked) std::cout << "  " << reason << ": " << n << "\n";
  for (const std::string& failure : answer_failures) ADD_FAILURE() << failure;
  EXPECT_EQ(answers.passed, answers.total);
  // The clients' follow-up downloads of providers hfi serves, for answers that were recorded, are
  // the URLs hfi would fetch.
  auto named_by_an_answer = [&](const std::string& url) {
    for (const json& q : records) {
      if (q.value("kind", "") == "inference" && q["response_body"].is_string() &&
          q["response_body"].get<std::string>().find(url) != std::string::npos)
        return true;
    }
    return false;
  };
  int downloads = 0, followed = 0, unsourced = 0;
  for (const json& r : records) {
    if (r.value("kind", "") != "asset-download" || !find_provider(r.value("provider", ""))) continue;
    const std::string url = r.value("url", "");
    if (!named_by_an_answer(url)) {
      ++unsourced;
      continue;
    }
    ++downloads;
    const bool known = next_urls.count(url) > 0;
    followed += known;
    EXPECT_TRUE(known) << "a recorded download hfi would not make: " << url;
  }
  std::cout << "recorded result downloads that hfi's reading of the answers leads to: " << followed << "/" << downloads
            << " (" << unsourced << " more whose answer was not recorded)\n";
  EXPECT_GT(downloads, 0);
  EXPECT_EQ(all.passed, all.total);
  EXPECT_EQ(static_cast<size_t>(all.total) + skipped.size(), inference_records);  // every record accounted for
  EXPECT_GE(all.total, 276);
}

}  // namespace
}  // namespace hfi::providers
