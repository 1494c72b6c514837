#include "providers/openai_bodies.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace hfi::providers {
namespace {

TEST(OpenAIBodiesTest, CompletionsTakeThePromptAndRenameMaxNewTokens) {
  std::string out, error;
  ASSERT_EQ(completions_body("mistralai/Mixtral-8x7B-v0.1",
                             R"({"inputs":"Paris is","parameters":{"max_new_tokens":10,"temperature":0.50},"stream":true})",
                             out, error),
            HFI_OK)
      << error;
  EXPECT_EQ(out, R"({"model":"mistralai/Mixtral-8x7B-v0.1","prompt":"Paris is","max_tokens":10,"temperature":0.50,"stream":true})");
  ASSERT_EQ(completions_body("m", R"({"inputs":"x","model":"hf/id"})", out, error), HFI_OK);
  EXPECT_EQ(out, R"({"model":"m","prompt":"x"})");  // the provider's id wins
}

TEST(OpenAIBodiesTest, EmbeddingsTakeTheInputsAsInput) {
  std::string out, error;
  ASSERT_EQ(embeddings_body("E5", R"({"inputs":["a","b"],"normalize":true})", out, error), HFI_OK) << error;
  EXPECT_EQ(out, R"({"model":"E5","input":["a","b"],"normalize":true})");
}

TEST(OpenAIBodiesTest, BadBodiesAreRefused) {
  std::string out, error;
  EXPECT_EQ(completions_body("m", "[]", out, error), HFI_E_INVALID_ARG);
  EXPECT_EQ(completions_body("m", R"({"parameters":{}})", out, error), HFI_E_INVALID_ARG);
  EXPECT_NE(error.find("no \"inputs\""), std::string::npos);
  EXPECT_EQ(completions_body("m", R"({"inputs":["a"]})", out, error), HFI_E_INVALID_ARG);
  EXPECT_NE(error.find("prompt string"), std::string::npos);
  EXPECT_EQ(completions_body("m", R"({"inputs":"a","parameters":[1]})", out, error), HFI_E_INVALID_ARG);
  EXPECT_NE(error.find("must be an object"), std::string::npos);
  EXPECT_EQ(embeddings_body("m", R"({"inputs":)", out, error), HFI_E_INVALID_ARG);
  EXPECT_EQ(embeddings_body("m", R"({"input":"a"})", out, error), HFI_E_INVALID_ARG);
}

// Recorded text-generation and embeddings calls to providers: the HF-style body the caller gives
// hfi becomes the body the provider got, less what the JS client leaked ("inputs", "provider").
TEST(OpenAIBodiesConformanceTest, RecordedProviderBodiesAreRebuilt) {
  std::ifstream in(std::string(HFI_FIXTURES_DIR) + "/hfjs-tapes/interactions.ndjson", std::ios::binary);
  ASSERT_TRUE(in) << "fixture file missing";
  int checked = 0;
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
    if (!r.is_object() || r.value("kind", "") != "inference") continue;
    const std::string provider = r.value("provider", ""), task = r.value("task", "");
    if (provider.rfind("hf-inference", 0) == 0 || provider.find(" (") != std::string::npos) continue;
    if ((task != "text-generation" && task != "feature-extraction") || !r["request_body"].is_string()) continue;
    nlohmann::json recorded = nlohmann::json::parse(r["request_body"].get<std::string>());
    if (!recorded.contains("model")) continue;  // a recording of the client's own error
    SCOPED_TRACE(provider + " " + task + " #" + std::to_string(r.value("ordinal", -1)));
    nlohmann::json expected = recorded;
    expected.erase("inputs");
    expected.erase("provider");
    nlohmann::json hf_body;
    std::string out, error;
    if (task == "text-generation") {
      hf_body["inputs"] = recorded["prompt"];
      nlohmann::json parameters = nlohmann::json::object();
      for (auto& [key, value] : expected.items()) {
        if (key == "max_tokens") parameters["max_new_tokens"] = value;
        else if (key != "model" && key != "prompt") parameters[key] = value;
      }
      hf_body["parameters"] = parameters;
      ASSERT_EQ(completions_body(recorded["model"].get<std::string>(), hf_body.dump(), out, error), HFI_OK) << error;
    } else {
      hf_body["inputs"] = recorded["input"];
      ASSERT_EQ(embeddings_body(recorded["model"].get<std::string>(), hf_body.dump(), out, error), HFI_OK) << error;
    }
    EXPECT_EQ(nlohmann::json::parse(out), expected);
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

}  // namespace
}  // namespace hfi::providers
