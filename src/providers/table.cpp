#include "providers/table.h"

namespace hfi::providers {
namespace {

constexpr std::string_view kChat = "chat-completion";
constexpr std::string_view kChatPath = "/v1/chat/completions";

}  // namespace

const std::vector<ProviderInfo>& all_providers() {
  static const std::vector<ProviderInfo> providers = {
      {"baseten", "https://inference.baseten.co", "", DirectAuth::bearer, true, {{kChat, kChatPath}}, {}},
      {"cerebras", "https://api.cerebras.ai", "", DirectAuth::bearer, true, {{kChat, kChatPath}}, {}},
      {"cohere", "https://api.cohere.com", "", DirectAuth::bearer, true,
       {{kChat, "/compatibility/v1/chat/completions"}}, {}},
      {"deepinfra", "https://api.deepinfra.com", "", DirectAuth::bearer, true,
       {{kChat, "/v1/openai/chat/completions"},
        {"text-generation", "/v1/openai/completions"},
        {"feature-extraction", "/v1/openai/embeddings"},
        {"automatic-speech-recognition", "/v1/openai/audio/transcriptions"},
        {"text-to-speech", "/v1/openai/audio/speech"}},
       {}},
      {"fal-ai", "https://fal.run", "https://queue.fal.run", DirectAuth::key, true,
       {{"automatic-speech-recognition", "/{id}"},
        {"text-to-image", "/{id}"},
        {"text-to-speech", "/{id}"},
        {"text-to-video", "/{id}", true},
        {"image-to-video", "/{id}", true},
        {"image-to-image", "/{id}", true},
        {"image-segmentation", "/{id}", true}},
       {}},
      {"featherless-ai", "https://api.featherless.ai", "", DirectAuth::bearer, true,
       {{kChat, kChatPath}, {"text-generation", "/v1/completions"}}, {}},
      {"fireworks-ai", "https://api.fireworks.ai", "", DirectAuth::bearer, true,
       {{kChat, "/inference/v1/chat/completions"}}, {}},
      {"groq", "https://api.groq.com", "", DirectAuth::bearer, true, {{kChat, "/openai/v1/chat/completions"}}, {}},
      // Its routes are the task catalog's (providers/hf_inference.h); only the router reaches it.
      {"hf-inference", "", "", DirectAuth::bearer, true, {}, {}},
      {"hyperbolic", "https://api.hyperbolic.xyz", "", DirectAuth::bearer, true,
       {{kChat, kChatPath}, {"text-to-image", "/v1/images/generations"}}, {}},
      {"nebius", "https://api.studio.nebius.ai", "", DirectAuth::bearer, true,
       {{kChat, kChatPath},
        {"text-generation", "/v1/completions"},
        {"feature-extraction", "/v1/embeddings"},
        {"text-to-image", "/v1/images/generations"}},
       {}},
      {"novita", "https://api.novita.ai", "", DirectAuth::bearer, true,
       {{kChat, "/v3/openai/chat/completions"},
        {"text-generation", "/v3/openai/completions"},
        {"text-to-video", "/v3/async/{id}"}},
       {}},
      {"nscale", "https://inference.api.nscale.com", "", DirectAuth::bearer, true,
       {{kChat, kChatPath}, {"text-to-image", "/v1/images/generations"}}, {}},
      // The router does not carry OpenAI: an HF token is never sent there.
      {"openai", "https://api.openai.com", "", DirectAuth::bearer, false, {{kChat, kChatPath}}, {}},
      {"ovhcloud", "https://oai.endpoints.kepler.ai.cloud.ovh.net", "", DirectAuth::bearer, true,
       {{kChat, kChatPath}, {"text-generation", "/v1/completions"}}, {}},
      {"publicai", "https://api.publicai.co", "", DirectAuth::bearer, true, {{kChat, kChatPath}}, {}},
      {"replicate", "https://api.replicate.com", "", DirectAuth::bearer, true,
       {{"automatic-speech-recognition", "/v1/models/{id}/predictions"},
        {"image-to-image", "/v1/models/{id}/predictions"},
        {"text-to-image", "/v1/models/{id}/predictions"},
        {"text-to-speech", "/v1/models/{id}/predictions"},
        {"text-to-video", "/v1/models/{id}/predictions"}},
       {"Prefer: wait"}},
      {"sambanova", "https://api.sambanova.ai", "", DirectAuth::bearer, true,
       {{kChat, kChatPath}, {"feature-extraction", "/v1/embeddings"}}, {}},
      {"scaleway", "https://api.scaleway.ai", "", DirectAuth::bearer, true,
       {{kChat, kChatPath}, {"text-generation", "/v1/completions"}, {"feature-extraction", "/v1/embeddings"}}, {}},
      {"together", "https://api.together.xyz", "", DirectAuth::bearer, true,
       {{kChat, kChatPath},
        {"text-generation", "/v1/completions"},
        {"feature-extraction", "/v1/embeddings"},
        {"text-to-image", "/v1/images/generations"},
        {"image-to-image", "/v1/images/generations"},
        {"text-to-speech", "/v1/audio/speech"},
        {"automatic-speech-recognition", "/v1/audio/transcriptions"},
        {"text-to-video", "/v2/videos"},
        {"image-to-video", "/v2/videos"}},
       {}},
      {"wavespeed", "https://api.wavespeed.ai", "", DirectAuth::bearer, true,
       {{"text-to-image", "/api/v3/{id}"},
        {"text-to-video", "/api/v3/{id}"},
        {"image-to-image", "/api/v3/{id}"},
        {"image-to-video", "/api/v3/{id}"}},
       {}},
      {"zai-org", "https://api.z.ai", "", DirectAuth::bearer, true,
       {{kChat, "/api/paas/v4/chat/completions"}, {"text-to-image", "/api/paas/v4/async/images/generations"}},
       {"Accept-Language: en-US,en", "x-source-channel: hugging_face"}},
  };
  return providers;
}

const ProviderInfo* find_provider(std::string_view name) {
  for (const ProviderInfo& provider : all_providers()) {
    if (provider.name == name) return &provider;
  }
  return nullptr;
}

const TaskRoute* find_route(const ProviderInfo& provider, std::string_view task) {
  for (const TaskRoute& route : provider.routes) {
    if (route.task == task) return &route;
  }
  return nullptr;
}

std::string route_path(const ProviderInfo& provider, const TaskRoute& route, std::string_view provider_model) {
  // Replicate runs a pinned version of a model through its generic endpoint.
  if (provider.name == "replicate" && provider_model.find(':') != std::string_view::npos) return "/v1/predictions";
  std::string path(route.path);
  const size_t at = path.find("{id}");
  if (at != std::string::npos) path.replace(at, 4, provider_model);
  return path;
}

}  // namespace hfi::providers
