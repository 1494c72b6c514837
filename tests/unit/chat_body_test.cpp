#include "providers/chat_body.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <string>

namespace hfi::providers {
namespace {

std::string body_for(std::string_view provider, std::string_view model, std::string_view body) {
  std::string out, error;
  EXPECT_EQ(provider_chat_body(provider, model, body, out, error), HFI_OK) << error;
  return out;
}

TEST(ProviderChatBodyTest, TheProviderModelGoesFirstAndTheRestPassesThrough) {
  EXPECT_EQ(body_for("groq", "llama-3.1-8b-instant",
                     R"({"messages":[{"role":"user","content":"hi"}],"model":"meta-llama/Llama-3.1-8B-Instruct","temperature":0.70})"),
            R"({"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"hi"}],"temperature":0.70})");
  EXPECT_EQ(body_for("together", "m", R"({"messages":[],"future_field":{"x":1.10,"y":-0.0}})"),
            R"({"model":"m","messages":[],"future_field":{"x":1.10,"y":-0.0}})");
}

TEST(ProviderChatBodyTest, CerebrasGetsNoStore) {
  EXPECT_EQ(body_for("cerebras", "llama3.1-8b", R"({"model":"x","store":true,"messages":[]})"),
            R"({"model":"llama3.1-8b","messages":[]})");
  EXPECT_EQ(body_for("groq", "g", R"({"store":true})"), R"({"model":"g","store":true})");
}

TEST(ProviderChatBodyTest, JsonSchemasTakeEachProvidersShape) {
  const std::string body =
      R"({"messages":[],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"object","properties":{"a":{"type":"number","maximum":1.50}}}}}})";
  const std::string schema = R"({"type":"object","properties":{"a":{"type":"number","maximum":1.50}}})";
  EXPECT_EQ(body_for("cohere", "c", body), R"({"model":"c","messages":[],"response_format":{"type":"json_object","schema":)" + schema + "}}");
  EXPECT_EQ(body_for("fireworks-ai", "f", body),
            R"({"model":"f","messages":[],"response_format":{"type":"json_object","schema":)" + schema + "}}");
  EXPECT_EQ(body_for("together", "t", body),
            R"({"model":"t","messages":[],"response_format":{"type":"json_schema","schema":)" + schema + "}}");
  EXPECT_EQ(body_for("hf-inference", "h", body),
            R"({"model":"h","messages":[],"response_format":{"type":"json_object","value":)" + schema + "}}");
  // Others take OpenAI's shape as it is, and other response formats pass everywhere.
  EXPECT_EQ(body_for("groq", "g", body), R"({"model":"g",)" + body.substr(1));
  EXPECT_EQ(body_for("cohere", "c", R"({"response_format":{"type":"json_object"}})"),
            R"({"model":"c","response_format":{"type":"json_object"}})");
}

TEST(ProviderChatBodyTest, NotAnObjectIsRefused) {
  std::string out, error;
  EXPECT_EQ(provider_chat_body("groq", "g", "[1]", out, error), HFI_E_INVALID_ARG);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(provider_chat_body("groq", "g", R"({"messages":)", out, error), HFI_E_INVALID_ARG);
}

// The chat bodies recorded from each provider are what hfi sends for the same model.
TEST(ProviderChatBodyConformanceTest, RecordedProviderChatBodiesAreRebuilt) {
  std::ifstream in(std::string(HFI_FIXTURES_DIR) + "/hfjs-tapes/interactions.ndjson", std::ios::binary);
  ASSERT_TRUE(in) << "fixture file missing";
  std::map<std::string, std::pair<int, int>> by_provider;
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
    if (!r.is_object() || r.value("kind", "") != "inference" || r.value("task", "") != "chat-completion") continue;
    const std::string provider = r.value("provider", "");
    if (provider.find(" (") != std::string::npos || !r["request_body"].is_string()) continue;
    nlohmann::json recorded = nlohmann::json::parse(r["request_body"].get<std::string>(), nullptr, false);
    if (!recorded.is_object() || !recorded["model"].is_string()) continue;
    auto& [passed, total] = by_provider[provider];
    ++total;
    SCOPED_TRACE(provider + " #" + std::to_string(r.value("ordinal", -1)));
    std::string out, error;
    ASSERT_EQ(provider_chat_body(provider, recorded["model"].get<std::string>(), r["request_body"].get<std::string>(),
                                 out, error),
              HFI_OK)
        << error;
    nlohmann::json rebuilt = nlohmann::json::parse(out);
    EXPECT_EQ(out.rfind(R"({"model":)", 0), 0u);
    EXPECT_EQ(rebuilt, recorded);
    if (!::testing::Test::HasFailure()) ++passed;
  }
  int passed_all = 0, total_all = 0;
  std::cout << "recorded chat bodies rebuilt per provider:\n";
  for (const auto& [name, counts] : by_provider) {
    std::cout << "  " << name << ": " << counts.first << "/" << counts.second << "\n";
    passed_all += counts.first;
    total_all += counts.second;
  }
  EXPECT_EQ(passed_all, total_all);
  EXPECT_GE(total_all, 55);
}

}  // namespace
}  // namespace hfi::providers
