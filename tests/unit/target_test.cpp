#include "providers/target.h"

#include <gtest/gtest.h>

namespace hfi::providers {
namespace {

constexpr std::string_view kRouter = "https://router.huggingface.co";

Target target(std::string_view provider_name, std::string_view task, std::string_view model, bool routed,
              std::string_view key, hfi_status expected = HFI_OK, std::string* why = nullptr) {
  const ProviderInfo* provider = find_provider(provider_name);
  EXPECT_NE(provider, nullptr);
  const TaskRoute* route = find_route(*provider, task);
  EXPECT_NE(route, nullptr);
  Target out;
  std::string error;
  EXPECT_EQ(make_target(*provider, *route, model, kRouter, routed, key, out, error), expected) << error;
  if (why) *why = error;
  return out;
}

TEST(TargetTest, RoutedCallsGoToTheRouterWithTheHfToken) {
  Target t = target("together", "chat-completion", "ignored", true, "hf_test");
  EXPECT_EQ(t.url, "https://router.huggingface.co/together/v1/chat/completions");
  ASSERT_EQ(t.headers.size(), 1u);
  EXPECT_EQ(t.headers[0], "Authorization: Bearer hf_test");
  Target fal = target("fal-ai", "text-to-image", "fal-ai/flux/schnell", true, "hf_test");
  EXPECT_EQ(fal.url, "https://router.huggingface.co/fal-ai/fal-ai/flux/schnell");
  EXPECT_EQ(fal.headers[0], "Authorization: Bearer hf_test");  // Bearer through the router, Key only direct
  Target queued = target("fal-ai", "text-to-video", "fal-ai/ltx", true, "hf_test");
  EXPECT_EQ(queued.url, "https://router.huggingface.co/fal-ai/fal-ai/ltx?_subdomain=queue");
}

TEST(TargetTest, DirectCallsUseTheProvidersHostAndAuthForm) {
  Target fal = target("fal-ai", "text-to-image", "fal-ai/flux/schnell", false, "fal-key");
  EXPECT_EQ(fal.url, "https://fal.run/fal-ai/flux/schnell");
  EXPECT_EQ(fal.headers[0], "Authorization: Key fal-key");
  EXPECT_EQ(target("fal-ai", "image-to-video", "fal-ai/x", false, "k").url, "https://queue.fal.run/fal-ai/x");
  Target replicate = target("replicate", "text-to-image", "owner/model:abc", false, "r8_key");
  EXPECT_EQ(replicate.url, "https://api.replicate.com/v1/predictions");
  ASSERT_EQ(replicate.headers.size(), 2u);
  EXPECT_EQ(replicate.headers[1], "Prefer: wait");
  Target zai = target("zai-org", "chat-completion", "glm", false, "zk");
  EXPECT_EQ(zai.url, "https://api.z.ai/api/paas/v4/chat/completions");
  EXPECT_EQ(zai.headers.size(), 3u);
}

TEST(TargetTest, WhatCannotWorkFailsBeforeAnyRequest) {
  std::string why;
  target("openai", "chat-completion", "gpt", true, "hf_test", HFI_E_UNSUPPORTED, &why);
  EXPECT_NE(why.find("HF token is never sent"), std::string::npos);
  EXPECT_EQ(target("openai", "chat-completion", "gpt", false, "sk-x").url, "https://api.openai.com/v1/chat/completions");
  target("together", "chat-completion", "m", true, "", HFI_E_INVALID_ARG, &why);
  EXPECT_NE(why.find("HF token"), std::string::npos);
  target("together", "chat-completion", "m", false, "", HFI_E_INVALID_ARG, &why);
  EXPECT_NE(why.find("together needs its own API key"), std::string::npos);
  const ProviderInfo& hf = *find_provider("hf-inference");
  TaskRoute route{"text-classification", "/models/{id}"};
  Target out;
  EXPECT_EQ(make_target(hf, route, "m", kRouter, false, "key", out, why), HFI_E_UNSUPPORTED);
  EXPECT_NE(why.find("only through the router"), std::string::npos);
}

}  // namespace
}  // namespace hfi::providers

namespace hfi::providers {
namespace {

TEST(PathTargetTest, ABuiltPathGoesBehindTheRouterOrTheProvidersHost) {
  const ProviderInfo& fal = *find_provider("fal-ai");
  Target out;
  std::string error;
  ASSERT_EQ(make_path_target(fal, "/fal-ai/ltx", true, kRouter, true, "hf_x", {}, out, error), HFI_OK) << error;
  EXPECT_EQ(out.url, "https://router.huggingface.co/fal-ai/fal-ai/ltx?_subdomain=queue");
  ASSERT_EQ(out.headers.size(), 1u);
  EXPECT_EQ(out.headers[0], "Authorization: Bearer hf_x");
  ASSERT_EQ(make_path_target(fal, "/fal-ai/ltx", true, kRouter, false, "k", {}, out, error), HFI_OK) << error;
  EXPECT_EQ(out.url, "https://queue.fal.run/fal-ai/ltx");
  EXPECT_EQ(out.headers[0], "Authorization: Key k");
  const ProviderInfo& replicate = *find_provider("replicate");
  ASSERT_EQ(make_path_target(replicate, "/v1/predictions", false, kRouter, false, "r8", {}, out, error), HFI_OK);
  EXPECT_EQ(out.headers.size(), 1u);  // Prefer: wait comes with the request, not the target
}

TEST(PathTargetTest, AnOverridingBaseStandsInForTheProvidersHosts) {
  const ProviderInfo& fal = *find_provider("fal-ai");
  Target out;
  std::string error;
  ASSERT_EQ(make_path_target(fal, "/fal-ai/ltx", true, kRouter, false, "k", "http://127.0.0.1:8080", out, error),
            HFI_OK);
  EXPECT_EQ(out.url, "http://127.0.0.1:8080/fal-ai/ltx");
  const ProviderInfo& hf = *find_provider("hf-inference");
  EXPECT_EQ(make_path_target(hf, "/models/gpt2", false, kRouter, false, "k", {}, out, error), HFI_E_UNSUPPORTED);
  ASSERT_EQ(make_path_target(hf, "/models/gpt2", false, kRouter, false, "k", "http://proxy", out, error), HFI_OK);
  EXPECT_EQ(out.url, "http://proxy/models/gpt2");
  // Routed calls ignore it: the router is the router base's business.
  ASSERT_EQ(make_path_target(hf, "/models/gpt2", false, kRouter, true, "hf", "http://proxy", out, error), HFI_OK);
  EXPECT_EQ(out.url, "https://router.huggingface.co/hf-inference/models/gpt2");
  const ProviderInfo& openai = *find_provider("openai");
  EXPECT_EQ(make_path_target(openai, "/v1/chat/completions", false, kRouter, true, "hf", {}, out, error),
            HFI_E_UNSUPPORTED);
  EXPECT_EQ(make_path_target(openai, "/v1/chat/completions", false, kRouter, false, "", {}, out, error),
            HFI_E_INVALID_ARG);
  EXPECT_EQ(error, "openai needs its own API key");
}

}  // namespace
}  // namespace hfi::providers
