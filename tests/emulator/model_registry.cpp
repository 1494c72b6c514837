#include "model_registry.h"

#include <stdexcept>

#include "provider_catalog.h"
#include "task_catalog.h"

namespace hfi::emu {
namespace {

bool serves(const ProviderSpec& provider, const std::string& task) {
  for (const ProviderRouteSpec& route : provider.routes)
    if (route.task == task) return true;
  return false;
}

nlohmann::ordered_json entry(const std::string& provider, const std::string& task, const std::string& model) {
  return {{"status", "live"},
          {"providerId", provider == "hf-inference" ? model : default_provider_id(provider, task)},
          {"task", hub_task_name(task)},
          {"isModelAuthor", false}};
}

// The Hub answers with the object form; the list form (from list_models) is
// folded into it, keyed by provider, keeping the order given.
nlohmann::ordered_json to_object_form(const nlohmann::json& mapping) {
  nlohmann::ordered_json result = nlohmann::ordered_json::object();
  if (mapping.is_object()) {
    for (const auto& [provider, value] : mapping.items()) {
      if (!value.is_object()) throw std::invalid_argument("mapping entry \"" + provider + "\" is not an object");
      result[provider] = nlohmann::ordered_json::parse(value.dump());
    }
    return result;
  }
  if (!mapping.is_array()) throw std::invalid_argument("mapping must be an object or a list");
  for (const auto& value : mapping) {
    if (!value.is_object() || !value.contains("provider") || !value["provider"].is_string())
      throw std::invalid_argument("each list entry needs a string \"provider\"");
    nlohmann::ordered_json item = nlohmann::ordered_json::parse(value.dump());
    std::string provider = item["provider"].get<std::string>();
    item.erase("provider");
    result[provider] = item;
  }
  return result;
}

}  // namespace

std::string default_provider_id(const std::string& provider, const std::string& task) {
  return "emu-" + provider + "/" + task;
}

void ModelRegistry::reset() {
  std::vector<ModelRecord> models;
  for (const TaskSpec& task : all_task_specs()) {
    ModelRecord record;
    record.id = "emu/" + task.name;
    record.pipeline_tag = task.name == "chat-completion" ? "text-generation" : task.name;
    if (task.hf_inference) record.mapping["hf-inference"] = entry("hf-inference", task.name, record.id);
    for (const ProviderSpec& provider : all_provider_specs())
      if (provider.name != "hf-inference" && serves(provider, task.name))
        record.mapping[provider.name] = entry(provider.name, task.name, record.id);
    models.push_back(std::move(record));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  models_ = std::move(models);
}

std::optional<ModelRecord> ModelRegistry::find(const std::string& model) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const ModelRecord& record : models_)
    if (record.id == model) return record;
  return std::nullopt;
}

void ModelRegistry::set(const std::string& model, const nlohmann::json& mapping, bool merge,
                        const std::string& pipeline_tag) {
  nlohmann::ordered_json entries = to_object_form(mapping);
  std::lock_guard<std::mutex> lock(mutex_);
  for (ModelRecord& record : models_) {
    if (record.id != model) continue;
    if (!merge) record.mapping = nlohmann::ordered_json::object();
    for (const auto& [provider, value] : entries.items()) record.mapping[provider] = value;
    if (!pipeline_tag.empty()) record.pipeline_tag = pipeline_tag;
    return;
  }
  ModelRecord record;
  record.id = model;
  record.mapping = entries;
  record.pipeline_tag = pipeline_tag;
  if (record.pipeline_tag.empty() && !entries.empty() && entries.begin()->contains("task") &&
      (*entries.begin())["task"].is_string())
    record.pipeline_tag = (*entries.begin())["task"].get<std::string>();
  models_.push_back(std::move(record));
}

std::vector<ModelRecord> ModelRegistry::all() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return models_;
}

std::string ModelRegistry::task_for_provider_id(const std::string& provider, const std::string& provider_id) const {
  for (const ProviderEntry& entry : entries_for(provider))
    if (entry.provider_id == provider_id && !entry.task.empty()) return entry.task;
  return {};
}

std::vector<ModelRegistry::ProviderEntry> ModelRegistry::entries_for(const std::string& provider) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ProviderEntry> entries;
  for (const ModelRecord& record : models_) {
    auto found = record.mapping.find(provider);
    if (found == record.mapping.end() || !found->is_object()) continue;
    ProviderEntry entry{record.id, "", ""};
    if (found->contains("providerId") && (*found)["providerId"].is_string())
      entry.provider_id = (*found)["providerId"].get<std::string>();
    if (found->contains("task") && (*found)["task"].is_string())
      entry.task = catalog_task_name((*found)["task"].get<std::string>());
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace hfi::emu
