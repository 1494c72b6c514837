#include "provider_catalog.h"

#include "text_util.h"

namespace hfi::emu {
namespace {

const char* const kChat = "chat-completion";
const char* const kChatPath = "/v1/chat/completions";

bool match_pattern(const std::string& pattern, const std::string& path, std::string* id) {
  std::size_t at = pattern.find("{id}");
  if (at == std::string::npos) {
    id->clear();
    return pattern == path;
  }
  std::string head = pattern.substr(0, at), tail = pattern.substr(at + 4);
  if (path.size() <= head.size() + tail.size() || !starts_with(path, head) || !ends_with(path, tail)) return false;
  *id = path.substr(head.size(), path.size() - head.size() - tail.size());
  return true;
}

}  // namespace

const std::vector<ProviderSpec>& all_provider_specs() {
  static const std::vector<ProviderSpec> providers = {
      {"baseten", "https://inference.baseten.co", "", false, {{kChat, kChatPath}}},
      {"cerebras", "https://api.cerebras.ai", "", false, {{kChat, kChatPath}}},
      {"cohere", "https://api.cohere.com", "", false, {{kChat, "/compatibility/v1/chat/completions"}}},
      {"deepinfra", "https://api.deepinfra.com", "", false,
       {{kChat, "/v1/openai/chat/completions"},
        {"text-generation", "/v1/openai/completions"},
        {"feature-extraction", "/v1/openai/embeddings"},
        {"automatic-speech-recognition", "/v1/openai/audio/transcriptions"},
        {"text-to-speech", "/v1/openai/audio/speech"}}},
      {"fal-ai", "https://fal.run", "https://queue.fal.run", true,
       {{"automatic-speech-recognition", "/{id}"},
        {"text-to-image", "/{id}"},
        {"text-to-speech", "/{id}"},
        {"text-to-video", "/{id}"},
        {"image-to-video", "/{id}"},
        {"image-to-image", "/{id}"},
        {"image-segmentation", "/{id}"}}},
      {"featherless-ai", "https://api.featherless.ai", "", false,
       {{kChat, kChatPath}, {"text-generation", "/v1/completions"}}},
      {"fireworks-ai", "https://api.fireworks.ai", "", false, {{kChat, "/inference/v1/chat/completions"}}},
      {"groq", "https://api.groq.com", "", false, {{kChat, "/openai/v1/chat/completions"}}},
      {"hf-inference", "https://router.huggingface.co/hf-inference", "", false, {}},
      {"hyperbolic", "https://api.hyperbolic.xyz", "", false,
       {{kChat, kChatPath}, {"text-to-image", "/v1/images/generations"}}},
      {"nebius", "https://api.studio.nebius.ai", "", false,
       {{kChat, kChatPath},
        {"text-generation", "/v1/completions"},
        {"feature-extraction", "/v1/embeddings"},
        {"text-to-image", "/v1/images/generations"}}},
      {"novita", "https://api.novita.ai", "", false,
       {{kChat, "/v3/openai/chat/completions"},
        {"text-generation", "/v3/openai/completions"},
        {"text-to-video", "/v3/async/{id}"}}},
      {"nscale", "https://inference.api.nscale.com", "", false,
       {{kChat, kChatPath}, {"text-to-image", "/v1/images/generations"}}},
      {"openai", "https://api.openai.com", "", false, {{kChat, kChatPath}}},
      {"ovhcloud", "https://oai.endpoints.kepler.ai.cloud.ovh.net", "", false,
       {{kChat, kChatPath}, {"text-generation", "/v1/completions"}}},
      {"publicai", "https://api.publicai.co", "", false, {{kChat, kChatPath}}},
      {"replicate", "https://api.replicate.com", "", false,
       {{"automatic-speech-recognition", "/v1/models/{id}/predictions"},
        {"image-to-image", "/v1/models/{id}/predictions"},
        {"text-to-image", "/v1/models/{id}/predictions"},
        {"text-to-speech", "/v1/models/{id}/predictions"},
        {"text-to-video", "/v1/models/{id}/predictions"}}},
      {"sambanova", "https://api.sambanova.ai", "", false,
       {{kChat, kChatPath}, {"feature-extraction", "/v1/embeddings"}}},
      {"scaleway", "https://api.scaleway.ai", "", false,
       {{kChat, kChatPath}, {"text-generation", "/v1/completions"}, {"feature-extraction", "/v1/embeddings"}}},
      {"together", "https://api.together.xyz", "", false,
       {{kChat, kChatPath},
        {"text-generation", "/v1/completions"},
        {"feature-extraction", "/v1/embeddings"},
        {"text-to-image", "/v1/images/generations"},
        {"image-to-image", "/v1/images/generations"},
        {"text-to-speech", "/v1/audio/speech"},
        {"automatic-speech-recognition", "/v1/audio/transcriptions"},
        {"text-to-video", "/v2/videos"},
        {"image-to-video", "/v2/videos"}}},
      {"wavespeed", "https://api.wavespeed.ai", "", false,
       {{"text-to-image", "/api/v3/{id}"},
        {"text-to-video", "/api/v3/{id}"},
        {"image-to-image", "/api/v3/{id}"},
        {"image-to-video", "/api/v3/{id}"}}},
      {"zai-org", "https://api.z.ai", "", false,
       {{kChat, "/api/paas/v4/chat/completions"}, {"text-to-image", "/api/paas/v4/async/images/generations"}}},
  };
  return providers;
}

const ProviderSpec* find_provider_spec(std::string_view name) {
  for (const ProviderSpec& provider : all_provider_specs())
    if (provider.name == name) return &provider;
  return nullptr;
}

bool match_provider_route(const ProviderSpec& provider, const std::string& path, std::string* task, std::string* id) {
  for (int with_id = 0; with_id < 2; ++with_id) {
    for (const ProviderRouteSpec& route : provider.routes) {
      if ((route.path.find("{id}") != std::string::npos) != (with_id == 1)) continue;
      if (match_pattern(route.path, path, id)) {
        *task = route.task;
        return true;
      }
    }
  }
  return false;
}

}  // namespace hfi::emu
