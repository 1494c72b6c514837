#include "providers/mapping.h"

#include <simdjson.h>

#include "providers/table.h"

namespace hfi::providers {
namespace {

std::string text_member(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  return object[key].get(value) ? std::string() : std::string(value);
}

void add_entry(simdjson::dom::object object, std::string provider, std::vector<MappingEntry>& out) {
  MappingEntry entry;
  entry.provider = provider.empty() ? text_member(object, "provider") : std::move(provider);
  entry.provider_id = text_member(object, "providerId");
  entry.status = text_member(object, "status");
  entry.task = text_member(object, "task");
  entry.adapter = text_member(object, "adapter");
  entry.adapter_weights_path = text_member(object, "adapterWeightsPath");
  if (!entry.provider.empty() && !entry.provider_id.empty()) out.push_back(std::move(entry));
}

}  // namespace

bool parse_mapping(std::string_view body, std::vector<MappingEntry>& out, std::string& error) {
  try {
    out.clear();
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc)) {
      error = "the provider mapping is not JSON";
      return false;
    }
    simdjson::dom::element mapping = doc;
    simdjson::dom::object info;
    if (!doc.get(info)) {
      if (info["inferenceProviderMapping"].get(mapping)) {
        error = "the model info has no inferenceProviderMapping";
        return false;
      }
    }
    simdjson::dom::object by_provider;
    simdjson::dom::array list;
    if (!mapping.get(by_provider)) {
      for (auto [provider, value] : by_provider) {
        simdjson::dom::object entry;
        if (!value.get(entry)) add_entry(entry, std::string(provider), out);
      }
    } else if (!mapping.get(list)) {
      for (simdjson::dom::element value : list) {
        simdjson::dom::object entry;
        if (!value.get(entry)) add_entry(entry, std::string(), out);
      }
    } else {
      error = "the provider mapping is neither an object nor a list";
      return false;
    }
    return true;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return false;
  }
}

bool mapping_serves(const MappingEntry& entry, std::string_view task) {
  if (entry.task == task) return true;
  if (task == "chat-completion") return entry.task == "conversational";
  // Sentence-transformers models answer both on hf-inference (the JS client's equivalence).
  const bool sentence_task = task == "feature-extraction" || task == "sentence-similarity";
  return sentence_task && entry.provider == "hf-inference" &&
         (entry.task == "feature-extraction" || entry.task == "sentence-similarity");
}

const MappingEntry* choose_auto(const std::vector<MappingEntry>& entries, std::string_view task, std::string& why) {
  why.clear();
  for (const MappingEntry& entry : entries) {
    const ProviderInfo* provider = find_provider(entry.provider);
    std::string reason;
    if (!provider || !provider->routed) reason = "not a provider hfi reaches through the router";
    else if (entry.status == "error") reason = "in error status";
    else if (!mapping_serves(entry, task)) reason = "serves " + entry.task;
    if (reason.empty()) return &entry;
    why += (why.empty() ? "" : "; ") + entry.provider + ": " + reason;
  }
  if (entries.empty()) why = "no provider serves this model";
  return nullptr;
}

const MappingEntry* choose_provider(const std::vector<MappingEntry>& entries, std::string_view provider,
                                    std::string_view task, std::string& why) {
  for (const MappingEntry& entry : entries) {
    if (entry.provider != provider) continue;
    if (mapping_serves(entry, task)) return &entry;
    why = std::string(provider) + " serves this model for " + entry.task + ", not " + std::string(task);
    return nullptr;
  }
  why = std::string(provider) + " does not serve this model";
  return nullptr;
}

}  // namespace hfi::providers
