#include "hub_routes.h"

#include <cstdio>

#include "text_util.h"
#include "url_util.h"

namespace hfi::emu {
namespace {

constexpr const char* kHubPrefix = "/api/models/";

Reply not_found(const std::string& message, bool hub) {
  Reply reply = json_reply(404, nlohmann::json{{"error", message}}.dump());
  if (hub) {  // what the Hub sends, and what clients key RepositoryNotFound on
    reply.set_header("X-Error-Code", "RepoNotFound");
    reply.set_header("X-Error-Message", message);
  }
  return reply;
}

// A stable 24-hex-digit id, like the Hub's Mongo ids, derived from the model id.
std::string object_id(const std::string& model) {
  unsigned long long hash = 1469598103934665603ULL;
  for (unsigned char c : model) hash = (hash ^ c) * 1099511628211ULL;
  char text[32];
  std::snprintf(text, sizeof text, "%08llx%016llx", (hash >> 32) ^ 0x65657575ULL, hash);
  return std::string(text).substr(0, 24);
}

std::vector<std::string> expand_fields(const std::string& query) {
  std::vector<std::string> fields;
  for (const auto& [name, value] : parse_query(query))
    if (name == "expand" || name == "expand[]") fields.push_back(value);
  return fields;
}

nlohmann::ordered_json listing_entry(const ModelRecord& record) {
  nlohmann::ordered_json providers = nlohmann::ordered_json::array();
  int rank = 0;
  for (const auto& [provider, entry] : record.mapping.items()) {
    if (!entry.is_object() || entry.value("task", "") != "conversational") continue;
    ++rank;
    // Providers differ by rank so that policies (":fastest", ":cheapest") can be told apart.
    providers.push_back({{"provider", provider},
                         {"status", entry.value("status", "live")},
                         {"context_length", 32768},
                         {"pricing", {{"input", 0.1 * rank}, {"output", 0.2 * rank}}},
                         {"supports_tools", true},
                         {"supports_structured_output", rank % 2 == 1},
                         {"first_token_latency_ms", 100 * rank},
                         {"throughput", 200 - 10 * rank},
                         {"is_model_author", entry.value("isModelAuthor", false)}});
  }
  std::string owner = record.id.find('/') == std::string::npos ? record.id : record.id.substr(0, record.id.find('/'));
  return {{"id", record.id}, {"object", "model"}, {"created", 1735689600}, {"owned_by", owner}, {"providers", providers}};
}

}  // namespace

bool is_hub_model_path(const std::string& path) { return starts_with(path, kHubPrefix); }

Reply hub_model_reply(const ModelRegistry& registry, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return json_reply(405, R"({"error":"Method Not Allowed"})");
  std::string model = percent_decode(request.path.substr(std::string(kHubPrefix).size()));
  std::optional<ModelRecord> record = registry.find(model);
  if (!record) return not_found("Repository not found", true);
  nlohmann::ordered_json answer = {{"_id", object_id(record->id)}, {"id", record->id}};
  std::vector<std::string> fields = expand_fields(request.query);
  bool all = fields.empty();  // without expand the Hub gives its summary, which includes both
  for (const std::string& field : fields) {
    if (field == "pipeline_tag") answer["pipeline_tag"] = record->pipeline_tag;
    if (field == "inferenceProviderMapping") answer["inferenceProviderMapping"] = record->mapping;
  }
  if (all) {
    answer["modelId"] = record->id;
    answer["pipeline_tag"] = record->pipeline_tag;
    answer["inferenceProviderMapping"] = record->mapping;
  }
  return json_reply(200, answer.dump());
}

bool is_router_models_path(const std::string& path) {
  return path == "/v1/models" || starts_with(path, "/v1/models/");
}

Reply router_models_reply(const ModelRegistry& registry, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return json_reply(405, R"({"error":"Method Not Allowed"})");
  nlohmann::ordered_json data = nlohmann::ordered_json::array();
  for (const ModelRecord& record : registry.all()) {
    nlohmann::ordered_json entry = listing_entry(record);
    if (!entry["providers"].empty()) data.push_back(std::move(entry));
  }
  if (request.path == "/v1/models") return json_reply(200, nlohmann::ordered_json{{"object", "list"}, {"data", data}}.dump());
  std::string model = percent_decode(request.path.substr(std::string("/v1/models/").size()));
  for (const auto& entry : data)
    if (entry["id"] == model) return json_reply(200, entry.dump());
  return not_found("Model " + model + " not found", false);
}

}  // namespace hfi::emu
