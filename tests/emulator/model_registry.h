// The Hub's view of models for the emulator: which providers serve each model,
// under which provider-side id, for which task. Answers GET /api/models/{id}
// and tells the provider routes what task a model id stands for.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hfi::emu {

struct ModelRecord {
  std::string id;            // "emu/text-to-image"
  std::string pipeline_tag;  // Hub task
  nlohmann::ordered_json mapping = nlohmann::ordered_json::object();  // object form, in the Hub's order
};

class ModelRegistry {
 public:
  ModelRegistry() { reset(); }
  // Back to the default registry: one model emu/<task> per catalog task.
  void reset();
  std::optional<ModelRecord> find(const std::string& model) const;
  // Accepts the object form or the list form ([{provider, ...}]); replaces the
  // model's mapping, or with merge adds/overrides entries. Throws
  // std::invalid_argument on a malformed mapping.
  void set(const std::string& model, const nlohmann::json& mapping, bool merge, const std::string& pipeline_tag);
  std::vector<ModelRecord> all() const;
  // The catalog task a provider-side id stands for on `provider`; empty if no
  // mapping names it.
  std::string task_for_provider_id(const std::string& provider, const std::string& provider_id) const;
  struct ProviderEntry {
    std::string model, provider_id, task;  // task: catalog name
  };
  // Every mapping entry naming `provider`, in registry order.
  std::vector<ProviderEntry> entries_for(const std::string& provider) const;

 private:
  mutable std::mutex mutex_;
  std::vector<ModelRecord> models_;
};

// "emu-<provider>/<task>", or the HF id itself for hf-inference.
std::string default_provider_id(const std::string& provider, const std::string& task);

}  // namespace hfi::emu
