#include "tasks/task_legacy.h"

#include <utility>

namespace hfi::tasks {
namespace {

JsonNode make_array() {
  JsonNode node;
  node.kind = JsonNode::Kind::kArray;
  return node;
}

JsonNode make_object() {
  JsonNode node;
  node.kind = JsonNode::Kind::kObject;
  return node;
}

JsonNode* find_mutable(JsonNode& object, std::string_view key) {
  return const_cast<JsonNode*>(object.find(key));
}

// The transformers zero-shot pipeline answers {"sequence", "labels": [..],
// "scores": [..]} (sorted by score), one per input, in a list
// (interactions.ndjson records 10, 54, 162, 251); the spec wants [{label, score}].
// huggingface.js accepts both. A non-legacy object is left alone.
bool zip_labels_scores(JsonNode& node, const std::string& path, std::string& got) {
  if (!node.is_object()) return true;
  JsonNode* labels = find_mutable(node, "labels");
  JsonNode* scores = find_mutable(node, "scores");
  if (!labels || !scores || !labels->is_array() || !scores->is_array()) return true;
  if (labels->items.size() != scores->items.size()) {
    got = path + "labels and scores of different lengths (" + std::to_string(labels->items.size()) + " and " +
          std::to_string(scores->items.size()) + ")";
    return false;
  }
  JsonNode list = make_array();
  list.items.reserve(labels->items.size());
  for (size_t i = 0; i < labels->items.size(); ++i) {
    JsonNode pair = make_object();
    pair.members.push_back(JsonMember{"label", std::move(labels->items[i])});
    pair.members.push_back(JsonMember{"score", std::move(scores->items[i])});
    list.items.push_back(std::move(pair));
  }
  node = std::move(list);
  return true;
}

bool convert_zero_shot(JsonNode& root, std::string& got) {
  if (root.is_object()) return zip_labels_scores(root, "", got);
  if (!root.is_array()) return true;
  for (size_t i = 0; i < root.items.size(); ++i) {
    if (!zip_labels_scores(root.items[i], "[" + std::to_string(i) + "] with ", got)) return false;
  }
  return true;
}

// OpenAI-compatible /v1/completions (together: records 109, 129, 154; what
// huggingface.js calls for text-generation): {"choices": [{"text"}], ...}.
// Each choice becomes {generated_text}; one choice is then unwrapped like a
// TGI list of one. A TGI object (with generated_text) is left alone.
bool convert_completions(JsonNode& root, std::string& got) {
  if (!root.is_object() || root.find("generated_text")) return true;
  JsonNode* choices = find_mutable(root, "choices");
  if (!choices || !choices->is_array()) return true;
  if (choices->items.empty()) {
    got = "an empty \"choices\" array";
    return false;
  }
  JsonNode list = make_array();
  for (size_t i = 0; i < choices->items.size(); ++i) {
    JsonNode& choice = choices->items[i];
    JsonNode* text = choice.is_object() ? find_mutable(choice, "text") : nullptr;
    if (!text || text->kind != JsonNode::Kind::kString) {
      got = "choices[" + std::to_string(i) + "] without a string \"text\"";
      return false;
    }
    JsonNode generated = make_object();
    generated.members.push_back(JsonMember{"generated_text", std::move(*text)});
    list.items.push_back(std::move(generated));
  }
  root = std::move(list);
  return true;
}

// OpenAI-compatible /v1/embeddings (sambanova: record 331):
// {"data": [{"embedding": [..], "index": 0}], ...} -> one row per input, in
// the order received (OpenAI sends them in input order).
bool convert_embeddings(JsonNode& root, std::string& got) {
  if (!root.is_object()) return true;
  JsonNode* data = find_mutable(root, "data");
  if (!data || !data->is_array()) return true;
  JsonNode rows = make_array();
  for (size_t i = 0; i < data->items.size(); ++i) {
    JsonNode& item = data->items[i];
    JsonNode* embedding = item.is_object() ? find_mutable(item, "embedding") : nullptr;
    if (!embedding || !embedding->is_array()) {
      // A base64 embedding (encoding_format "base64") is a string: not numbers.
      got = "data[" + std::to_string(i) + "] without an \"embedding\" array of numbers";
      return false;
    }
    rows.items.push_back(std::move(*embedding));
  }
  root = std::move(rows);
  return true;
}

}  // namespace

bool convert_legacy(Legacy legacy, JsonNode& root, std::string& got) {
  switch (legacy) {
    case Legacy::kNone: return true;
    case Legacy::kZeroShotLabelsScores: return convert_zero_shot(root, got);
    case Legacy::kCompletions: return convert_completions(root, got);
    case Legacy::kEmbeddings: return convert_embeddings(root, got);
  }
  return true;
}

}  // namespace hfi::tasks
