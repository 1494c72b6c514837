// hf-inference requests: the task catalog, base64, the request builder, and the request side of the
// conformance with the recorded traffic of ../shared/fixtures/hfjs-tapes.
#include "providers/hf_inference.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "protocol/base64.h"
#include "tasks/catalog.h"

namespace hfi::providers {
namespace {

std::string encoded(std::string_view bytes) {
  std::string out;
  base64::append_encoded(out, bytes);
  return out;
}

TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(encoded(""), "");
  EXPECT_EQ(encoded("f"), "Zg==");
  EXPECT_EQ(encoded("fo"), "Zm8=");
  EXPECT_EQ(encoded("foo"), "Zm9v");
  EXPECT_EQ(encoded("foob"), "Zm9vYg==");
  EXPECT_EQ(encoded("fooba"), "Zm9vYmE=");
  EXPECT_EQ(encoded("foobar"), "Zm9vYmFy");
  EXPECT_EQ(encoded(std::string("\xff\x00\xfe", 3)), "/wD+");
}

TEST(TaskCatalogTest, KnowsEveryTaskOfTheIssueOnce) {
  const char* wanted[] = {"chat-completion", "text-generation", "feature-extraction", "sentence-similarity",
                          "text-to-image", "image-to-image", "text-to-video", "image-to-video",
                          "automatic-speech-recognition", "text-to-speech", "audio-classification", "audio-to-audio",
                          "text-classification", "token-classification", "zero-shot-classification", "summarization",
                          "translation", "question-answering", "table-question-answering", "fill-mask",
                          "image-classification", "object-detection", "image-segmentation", "image-to-text",
                          "zero-shot-image-classification", "visual-question-answering",
                          "document-question-answering", "tabular-classification", "tabular-regression"};
  for (const char* name : wanted) {
    const tasks::TaskInfo* task = tasks::find_task(name);
    ASSERT_NE(task, nullptr) << name;
    EXPECT_EQ(task->name, name);
  }
  std::set<std::string_view> names;
  for (const tasks::TaskInfo& task : tasks::all_tasks()) EXPECT_TRUE(names.insert(task.name).second) << task.name;
  EXPECT_EQ(tasks::find_task("text-to-everything"), nullptr);
  EXPECT_EQ(tasks::find_task(""), nullptr);
}

HttpRequest build(std::string_view task, std::string_view model, std::string_view json, std::string_view binary = {},
                  std::string_view type = {}, hfi_status expected = HFI_OK, std::string* error_out = nullptr) {
  TaskInput in;
  in.task = tasks::find_task(task);
  in.model = model;
  in.json = json;
  in.binary = binary;
  in.binary_type = type;
  HttpRequest out;
  std::string error;
  EXPECT_EQ(build_hf_inference_request(in, out, error), expected) << task << ": " << error;
  if (expected != HFI_OK) {
    EXPECT_FALSE(error.empty());
  }
  if (error_out) *error_out = error;
  return out;
}

TEST(HfInferenceRequestTest, RoutesPerTask) {
  EXPECT_EQ(build("text-classification", "distilbert/sst2", R"({"inputs":"hi"})").path,
            "/hf-inference/models/distilbert/sst2");
  EXPECT_EQ(build("chat-completion", "m/chat", R"({"messages":[]})").path, "/hf-inference/models/m/chat/v1/chat/completions");
  EXPECT_EQ(build("feature-extraction", "gpt2", R"({"inputs":["a","b"]})").path,
            "/hf-inference/models/gpt2/pipeline/feature-extraction");
  EXPECT_EQ(build("sentence-similarity", "o/m", R"({"inputs":{"source_sentence":"a","sentences":["b"]}})").path,
            "/hf-inference/models/o/m/pipeline/sentence-similarity");
  HttpRequest image = build("text-to-image", "o/sdxl", R"({"inputs":"a cat"})");
  EXPECT_EQ(image.path, "/hf-inference/models/o/sdxl");
  ASSERT_EQ(image.headers.size(), 1u);
  EXPECT_EQ(image.headers[0], "Accept: image/png");
  EXPECT_EQ(image.content_type, "application/json");
  EXPECT_EQ(image.body, R"({"inputs":"a cat"})");  // passed through byte for byte
}

TEST(HfInferenceRequestTest, BinaryWithoutParametersIsTheBody) {
  const std::string wav("RIFF\0\0\0\0WAVE", 12);
  HttpRequest r = build("automatic-speech-recognition", "openai/whisper", "", wav, "audio/wav");
  EXPECT_EQ(r.body, wav);
  EXPECT_EQ(r.content_type, "audio/wav");
  HttpRequest untyped = build("image-classification", "google/vit", "", "\x89PNG");
  EXPECT_EQ(untyped.content_type, "");
}

TEST(HfInferenceRequestTest, BinaryWithParametersGoesInBase64) {
  HttpRequest r = build("image-classification", "google/vit", R"({"parameters":{"top_k":2},"inputs":"ignored"})",
                        "foo", "image/png");
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body), nlohmann::json::parse(R"({"inputs":"Zm9v","parameters":{"top_k":2}})"));
  // Everything but the image is copied as written.
  HttpRequest exact = build("object-detection", "o/det", R"({"parameters":{"threshold":0.50,"x":1e2}})", "foo");
  EXPECT_EQ(exact.body, R"({"inputs":"Zm9v","parameters":{"threshold":0.50,"x":1e2}})");
  HttpRequest seg = build("image-segmentation", "o/seg", "", "foob");
  EXPECT_EQ(nlohmann::json::parse(seg.body), nlohmann::json::parse(R"({"inputs":"Zm9vYg=="})"));
  HttpRequest vqa = build("visual-question-answering", "o/vqa",
                          R"({"inputs":{"question":"what?","image":"old"},"parameters":{"top_k":1}})", "foo");
  EXPECT_EQ(nlohmann::json::parse(vqa.body),
            nlohmann::json::parse(R"({"inputs":{"image":"Zm9v","question":"what?"},"parameters":{"top_k":1}})"));
}

TEST(HfInferenceRequestTest, BadInputsFailBeforeAnyRequest) {
  std::string error;
  build("text-classification", "", R"({"inputs":"x"})", {}, {}, HFI_E_INVALID_ARG);
  for (const char* bad : {"a/b/c", "../x", "a/..", "has space", "q?x", "/lead", "trail/", "a#b", "é"}) {
    build("text-classification", bad, R"({"inputs":"x"})", {}, {}, HFI_E_INVALID_ARG, &error);
    EXPECT_NE(error.find("model id"), std::string::npos) << bad;
  }
  build("text-classification", "m", "", {}, {}, HFI_E_INVALID_ARG, &error);
  EXPECT_NE(error.find("no input"), std::string::npos);
  build("text-classification", "m", "[1]", {}, {}, HFI_E_INVALID_ARG, &error);
  EXPECT_NE(error.find("not a JSON object"), std::string::npos);
  build("text-classification", "m", R"({"inputs":)", {}, {}, HFI_E_INVALID_ARG);
  build("text-classification", "m", R"({"inputs":"x"})", "bytes", {}, HFI_E_INVALID_ARG, &error);
  EXPECT_NE(error.find("takes no image or audio"), std::string::npos);
  build("image-classification", "m", R"({"parameters":{}})", {}, {}, HFI_E_INVALID_ARG, &error);
  EXPECT_NE(error.find("image or audio bytes"), std::string::npos);
  build("visual-question-answering", "m", R"({"parameters":{}})", "img", {}, HFI_E_INVALID_ARG, &error);
  EXPECT_NE(error.find("question"), std::string::npos);
  build("text-to-video", "m", R"({"inputs":"x"})", {}, {}, HFI_E_UNSUPPORTED);
  TaskInput unknown;
  HttpRequest out;
  EXPECT_EQ(build_hf_inference_request(unknown, out, error), HFI_E_INVALID_ARG);
}

// ---- conformance with the recorded traffic (request side) ------------------------------------

struct Route {
  std::string model;
  std::string form;  // "current", or the earlier route the recording used
};

// The routes of today's clients (../shared/research/hf-clients.md §A.0), written out here rather than
// taken from the catalog, so that a wrong catalog entry fails.
std::string current_route(const std::string& task) {
  if (task == "chat-completion") return "/v1/chat/completions";
  if (task == "feature-extraction" || task == "sentence-similarity") return "/pipeline/" + task;
  return "";
}

// The model and route form of a recorded hf-inference URL path (after the host).
bool parse_recorded_path(std::string path, const std::string& task, Route& route) {
  const std::string proxy = "/api/inference-proxy";  // the old huggingface.co entry to the same API
  if (path.compare(0, proxy.size(), proxy) == 0) path.erase(0, proxy.size());
  const std::string old_pipeline = "/hf-inference/pipeline/" + task + "/";
  if (path.compare(0, old_pipeline.size(), old_pipeline) == 0) {
    route = {path.substr(old_pipeline.size()), "/hf-inference/pipeline/{task}/{model}"};
    return true;
  }
  const std::string prefix = "/hf-inference/models/";
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  std::string rest = path.substr(prefix.size());
  const std::string suffix = current_route(task);
  if (!suffix.empty() && rest.size() > suffix.size() && rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0) {
    route = {rest.substr(0, rest.size() - suffix.size()), "current"};
  } else {
    route = {rest, suffix.empty() ? "current" : "/hf-inference/models/{model} (task route)"};
  }
  return true;
}

TEST(HfInferenceConformanceTest, RecordedRequestsAreRebuilt) {
  std::ifstream in(std::string(HFI_FIXTURES_DIR) + "/hfjs-tapes/interactions.ndjson", std::ios::binary);
  ASSERT_TRUE(in) << "fixture file missing";
  struct Tally {
    int passed = 0, total = 0;
  };
  std::map<std::string, Tally> by_task;
  std::map<std::string, int> earlier_routes;
  std::vector<std::string> skipped;
  std::string line;
  int records = 0, unrecorded_bodies = 0;
  while (std::getline(in, line)) {
    nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
    if (!r.is_object() || r.value("kind", "") != "inference") continue;
    const std::string provider = r.value("provider", "");
    if (provider.rfind("hf-inference", 0) != 0) continue;
    ++records;
    const std::string task = r.value("task", "");
    const std::string where = task + " #" + std::to_string(r.value("ordinal", -1));
    const tasks::TaskInfo* info = tasks::find_task(task);
    if (!info) {
      skipped.push_back(where + ": not a task any more (\"" + task + "\")");
      continue;
    }
    const std::string url = r.value("url", "");
    const size_t host_end = url.find('/', url.find("://") + 3);
    Route route;
    if (host_end == std::string::npos || !parse_recorded_path(url.substr(host_end), task, route)) {
      skipped.push_back(where + ": unexpected URL " + url);
      continue;
    }
    Tally& tally = by_task[task];
    ++tally.total;
    SCOPED_TRACE(where + " " + url);
    TaskInput input;
    input.task = info;
    input.model = route.model;
    const bool body_recorded = r["request_body"].is_string();
    const std::string body = body_recorded ? r["request_body"].get<std::string>() : std::string();
    const bool json_body = body_recorded && nlohmann::json::accept(body);
    if (json_body) {
      input.json = body;
    } else if (info->binary == tasks::BinaryInput::none) {
      input.json = R"({"inputs":"unrecorded"})";  // the recorder did not keep this body: route only
    } else {
      // The recorder kept no binary bodies: an image or audio input stands in for it.
      input.binary = "bytes";
      if (r["request_headers"].value("Content-Type", "") == "application/json") input.json = R"({"inputs":{"question":"q"}})";
    }
    if (!json_body) ++unrecorded_bodies;
    HttpRequest built;
    std::string error;
    ASSERT_EQ(build_hf_inference_request(input, built, error), HFI_OK) << error;
    EXPECT_EQ(built.path, "/hf-inference/models/" + route.model + current_route(task));
    if (route.form != "current") ++earlier_routes[task + ": " + route.form];
    if (json_body) {
      EXPECT_EQ(nlohmann::json::parse(built.body), nlohmann::json::parse(body));
    }
    EXPECT_EQ(r.value("method", ""), "POST");
    if (!::testing::Test::HasFailure()) ++tally.passed;
  }
  std::cout << "hf-inference requests rebuilt from " << records << " recorded interactions:\n";
  int passed = 0, total = 0;
  for (const auto& [task, t] : by_task) {
    std::cout << "  " << task << ": " << t.passed << "/" << t.total << "\n";
    passed += t.passed;
    total += t.total;
  }
  std::cout << "  all: " << passed << "/" << total << " (" << unrecorded_bodies
            << " without a recorded body: route checked, body not)\n";
  std::cout << "recorded on an earlier route (hfi uses the current one):\n";
  for (const auto& [what, n] : earlier_routes) std::cout << "  " << what << ": " << n << "\n";
  std::cout << "not rebuilt:\n";
  for (const std::string& s : skipped) std::cout << "  " << s << "\n";
  EXPECT_EQ(passed, total);
  EXPECT_GE(total, 170);
}

}  // namespace
}  // namespace hfi::providers

namespace hfi {
namespace {

TEST(Base64Test, DecodesWhatItEncodes) {
  for (std::string_view text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string encoded_text, decoded;
    base64::append_encoded(encoded_text, text);
    ASSERT_TRUE(base64::append_decoded(decoded, encoded_text)) << encoded_text;
    EXPECT_EQ(decoded, text);
  }
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::string encoded_all, decoded_all;
  base64::append_encoded(encoded_all, all);
  ASSERT_TRUE(base64::append_decoded(decoded_all, encoded_all));
  EXPECT_EQ(decoded_all, all);
}

TEST(Base64Test, RefusesWhatIsNotBase64) {
  for (std::string_view bad : {"Zg=", "Zm9", "Zg=a", "Z===", "Zm9v\n", "Zm9v Zg==", "Zg==Zg==", "Zm-v", "Zm_v"}) {
    std::string out;
    EXPECT_FALSE(base64::append_decoded(out, bad)) << bad;
  }
}

}  // namespace
}  // namespace hfi
