#include "providers/mapping.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hfi::providers {
namespace {

// The model info document of ../shared/research/hf-clients.md §C.2, with more entries.
constexpr std::string_view kModelInfo = R"({"_id":"x","id":"google/gemma-3-27b-it",
  "inferenceProviderMapping":{
    "unknown-cloud":{"status":"live","providerId":"g3","task":"conversational"},
    "featherless-ai":{"status":"error","providerId":"google/gemma-3-27b-it","task":"conversational","isModelAuthor":false},
    "fal-ai":{"status":"live","providerId":"fal-ai/gemma","task":"text-to-image"},
    "scaleway":{"status":"live","providerId":"gemma-3-27b-it","task":"conversational"},
    "together":{"status":"staging","providerId":"google/gemma-3-27b-it","task":"conversational"},
    "broken":{"status":"live","task":"conversational"},
    "also-broken":"not an object"}})";

std::vector<MappingEntry> parsed(std::string_view body) {
  std::vector<MappingEntry> entries;
  std::string error;
  EXPECT_TRUE(parse_mapping(body, entries, error)) << error;
  return entries;
}

TEST(MappingTest, ParsesTheModelInfoFormInServerOrder) {
  std::vector<MappingEntry> entries = parsed(kModelInfo);
  ASSERT_EQ(entries.size(), 5u);  // the entries without providerId or not objects are dropped
  EXPECT_EQ(entries[0].provider, "unknown-cloud");
  EXPECT_EQ(entries[1].provider, "featherless-ai");
  EXPECT_EQ(entries[1].status, "error");
  EXPECT_EQ(entries[3].provider, "scaleway");
  EXPECT_EQ(entries[3].provider_id, "gemma-3-27b-it");
  EXPECT_EQ(entries[3].task, "conversational");
}

TEST(MappingTest, ParsesTheListFormWithAdapters) {
  std::vector<MappingEntry> entries = parsed(
      R"([{"provider":"fal-ai","providerId":"fal-ai/lora","status":"live","task":"text-to-image","adapter":"lora",
           "adapterWeightsPath":"lora.safetensors","type":"single-model"},{"provider":"replicate"}])");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].adapter, "lora");
  EXPECT_EQ(entries[0].adapter_weights_path, "lora.safetensors");
}

TEST(MappingTest, RejectsWhatIsNotAMapping) {
  std::vector<MappingEntry> entries;
  std::string error;
  EXPECT_FALSE(parse_mapping("<html>", entries, error));
  EXPECT_NE(error.find("not JSON"), std::string::npos);
  EXPECT_FALSE(parse_mapping(R"({"id":"m"})", entries, error));
  EXPECT_NE(error.find("no inferenceProviderMapping"), std::string::npos);
  EXPECT_FALSE(parse_mapping(R"({"inferenceProviderMapping":3})", entries, error));
  EXPECT_FALSE(parse_mapping("42", entries, error));
  EXPECT_TRUE(parse_mapping(R"({"inferenceProviderMapping":{}})", entries, error));
  EXPECT_TRUE(entries.empty());
}

TEST(MappingTest, AutoSkipsUnknownProvidersErrorStatusAndOtherTasks) {
  std::vector<MappingEntry> entries = parsed(kModelInfo);
  std::string why;
  const MappingEntry* chat = choose_auto(entries, "chat-completion", why);
  ASSERT_NE(chat, nullptr) << why;
  EXPECT_EQ(chat->provider, "scaleway");
  const MappingEntry* image = choose_auto(entries, "text-to-image", why);
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->provider, "fal-ai");
  EXPECT_EQ(choose_auto(entries, "text-to-speech", why), nullptr);
  EXPECT_NE(why.find("unknown-cloud: not a provider hfi reaches"), std::string::npos) << why;
  EXPECT_NE(why.find("featherless-ai: in error status"), std::string::npos) << why;
  EXPECT_NE(why.find("scaleway: serves conversational"), std::string::npos) << why;
  EXPECT_EQ(choose_auto({}, "chat-completion", why), nullptr);
  EXPECT_EQ(why, "no provider serves this model");
}

TEST(MappingTest, OpenAIIsNeverChosenThroughTheRouter) {
  std::vector<MappingEntry> entries = parsed(
      R"([{"provider":"openai","providerId":"gpt","status":"live","task":"conversational"},
          {"provider":"groq","providerId":"g","status":"live","task":"conversational"}])");
  std::string why;
  const MappingEntry* chosen = choose_auto(entries, "chat-completion", why);
  ASSERT_NE(chosen, nullptr);
  EXPECT_EQ(chosen->provider, "groq");
}

TEST(MappingTest, ExplicitProviderMustServeTheTask) {
  std::vector<MappingEntry> entries = parsed(kModelInfo);
  std::string why;
  const MappingEntry* together = choose_provider(entries, "together", "chat-completion", why);
  ASSERT_NE(together, nullptr);
  EXPECT_EQ(together->status, "staging");  // allowed when asked for by name
  EXPECT_EQ(choose_provider(entries, "fal-ai", "chat-completion", why), nullptr);
  EXPECT_EQ(why, "fal-ai serves this model for text-to-image, not chat-completion");
  EXPECT_EQ(choose_provider(entries, "groq", "chat-completion", why), nullptr);
  EXPECT_EQ(why, "groq does not serve this model");
}

TEST(MappingTest, SentenceTransformersServeBothTasksOnHfInference) {
  MappingEntry entry{"hf-inference", "st/m", "live", "sentence-similarity", "", ""};
  EXPECT_TRUE(mapping_serves(entry, "feature-extraction"));
  EXPECT_TRUE(mapping_serves(entry, "sentence-similarity"));
  entry.provider = "sambanova";
  EXPECT_FALSE(mapping_serves(entry, "feature-extraction"));
  EXPECT_FALSE(mapping_serves(MappingEntry{"hf-inference", "m", "live", "fill-mask", "", ""}, "text-classification"));
}

}  // namespace
}  // namespace hfi::providers
