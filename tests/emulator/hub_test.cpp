// The Hub mapping route, its control route, and the router's model listing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

class Hub : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(emulator.start(&error)) << error;
  }
  std::string url(const std::string& path) { return emulator.base_url() + path; }
  Emulator emulator;
};

TEST_F(Hub, DefaultModelMapsEveryProviderOfItsTaskHfInferenceFirst) {
  Response response = get(url("/api/models/emu/text-to-image?expand[]=inferenceProviderMapping"));
  ASSERT_EQ(response.status, 200) << response.body;
  json model = json::parse(response.body);
  EXPECT_EQ(model["id"], "emu/text-to-image");
  EXPECT_EQ(model["_id"].get<std::string>().size(), 24u);
  const json& mapping = model["inferenceProviderMapping"];
  ASSERT_TRUE(mapping.is_object());
  EXPECT_EQ(nlohmann::ordered_json::parse(response.body)["inferenceProviderMapping"].begin().key(), "hf-inference");
  EXPECT_EQ(mapping["hf-inference"]["providerId"], "emu/text-to-image");
  for (const char* provider : {"fal-ai", "hyperbolic", "nebius", "nscale", "replicate", "together", "wavespeed", "zai-org"}) {
    ASSERT_TRUE(mapping.contains(provider)) << provider;
    EXPECT_EQ(mapping[provider]["providerId"], std::string("emu-") + provider + "/text-to-image");
    EXPECT_EQ(mapping[provider]["status"], "live");
    EXPECT_EQ(mapping[provider]["task"], "text-to-image");
  }
  EXPECT_FALSE(mapping.contains("groq"));
}

TEST_F(Hub, ChatIsConversationalAndVideoHasNoHfInference) {
  json chat = json::parse(get(url("/api/models/emu/chat-completion?expand%5B%5D=inferenceProviderMapping")).body);
  EXPECT_EQ(chat["inferenceProviderMapping"]["groq"]["task"], "conversational");
  EXPECT_EQ(chat["inferenceProviderMapping"].size(), 19u);  // every provider with a chat route, hf-inference included
  json video = json::parse(get(url("/api/models/emu/text-to-video?expand[]=inferenceProviderMapping")).body);
  EXPECT_FALSE(video["inferenceProviderMapping"].contains("hf-inference"));
  EXPECT_TRUE(video["inferenceProviderMapping"].contains("novita"));
}

TEST_F(Hub, UnknownModelIsRepositoryNotFound) {
  Response response = get(url("/api/models/nobody/nothing?expand[]=inferenceProviderMapping"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(json::parse(response.body), json({{"error", "Repository not found"}}));
  EXPECT_EQ(response.header("x-error-code"), "RepoNotFound");
}

TEST_F(Hub, ControlRouteReplacesMergesAndResetsMappings) {
  std::string control = url("/_emulator/mappings");
  // List form, a single-segment name, an error entry and a provider no client knows.
  Response set = post_json(control, R"({"model":"solo","mapping":[
      {"provider":"mystery","providerId":"m/1","status":"live","task":"text-to-image"},
      {"provider":"fal-ai","providerId":"fal/x","status":"error","task":"text-to-image","adapter":"lora","adapterWeightsPath":"w.safetensors"}]})");
  ASSERT_EQ(set.status, 200) << set.body;
  auto solo = nlohmann::ordered_json::parse(get(url("/api/models/solo?expand[]=inferenceProviderMapping")).body);
  EXPECT_EQ(solo["id"], "solo");
  EXPECT_EQ(solo["inferenceProviderMapping"].begin().key(), "mystery");  // the order given is the Hub's order
  EXPECT_EQ(solo["inferenceProviderMapping"]["fal-ai"]["status"], "error");
  EXPECT_EQ(solo["inferenceProviderMapping"]["fal-ai"]["adapter"], "lora");
  EXPECT_FALSE(solo["inferenceProviderMapping"]["fal-ai"].contains("provider"));

  // Object form replaces, merge adds.
  ASSERT_EQ(post_json(control, R"({"model":"emu/text-to-image","mapping":{"together":{"providerId":"t","status":"staging","task":"text-to-image"}}})").status, 200);
  json replaced = json::parse(get(url("/api/models/emu/text-to-image?expand[]=inferenceProviderMapping")).body);
  EXPECT_EQ(replaced["inferenceProviderMapping"].size(), 1u);
  ASSERT_EQ(post_json(control, R"({"model":"emu/text-to-image","merge":true,"mapping":{"nscale":{"providerId":"n","status":"live","task":"text-to-image"}}})").status, 200);
  json merged = json::parse(get(url("/api/models/emu/text-to-image?expand[]=inferenceProviderMapping")).body);
  EXPECT_EQ(merged["inferenceProviderMapping"].size(), 2u);

  EXPECT_EQ(post_json(control, R"({"model":"x","mapping":7})").status, 400);
  EXPECT_EQ(post_json(control, R"({"mapping":{}})").status, 400);

  ASSERT_EQ(post_json(url("/_emulator/mappings/reset"), "").status, 200);
  EXPECT_EQ(get(url("/api/models/solo")).status, 404);
  json back = json::parse(get(url("/api/models/emu/text-to-image?expand[]=inferenceProviderMapping")).body);
  EXPECT_EQ(back["inferenceProviderMapping"].size(), 9u);
}

TEST_F(Hub, ExpandSelectsFields) {
  json tag = json::parse(get(url("/api/models/emu/fill-mask?expand[]=pipeline_tag")).body);
  EXPECT_EQ(tag["pipeline_tag"], "fill-mask");
  EXPECT_FALSE(tag.contains("inferenceProviderMapping"));
  json plain = json::parse(get(url("/api/models/emu/fill-mask")).body);
  EXPECT_TRUE(plain.contains("inferenceProviderMapping"));
  EXPECT_TRUE(plain.contains("pipeline_tag"));
}

TEST_F(Hub, RouterListsChatModelsWithProviderDetails) {
  json list = json::parse(get(url("/v1/models")).body);
  EXPECT_EQ(list["object"], "list");
  ASSERT_EQ(list["data"].size(), 1u);
  const json& model = list["data"][0];
  EXPECT_EQ(model["id"], "emu/chat-completion");
  EXPECT_EQ(model["owned_by"], "emu");
  ASSERT_GE(model["providers"].size(), 2u);
  const json& first = model["providers"][0];
  for (const char* key : {"provider", "status", "context_length", "pricing", "supports_tools", "supports_structured_output",
                          "first_token_latency_ms", "throughput", "is_model_author"})
    EXPECT_TRUE(first.contains(key)) << key;
  EXPECT_LT(first["pricing"]["input"].get<double>(), model["providers"][1]["pricing"]["input"].get<double>());

  Response one = get(url("/v1/models/emu/chat-completion"));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(json::parse(one.body)["id"], "emu/chat-completion");
  EXPECT_EQ(get(url("/v1/models/emu/fill-mask")).status, 404);

  // A chat mapping added through the control route shows up in the listing.
  post_json(url("/_emulator/mappings"), R"({"model":"org/chat","mapping":{"groq":{"providerId":"g","status":"live","task":"conversational"}}})");
  EXPECT_EQ(json::parse(get(url("/v1/models")).body)["data"].size(), 2u);
}

}  // namespace
}  // namespace hfi::emu::test
