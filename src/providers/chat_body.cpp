#include "providers/chat_body.h"

#include <simdjson.h>

#include <utility>
#include <vector>

#include "protocol/body_rewrite.h"
#include "protocol/json_write.h"

namespace hfi::providers {
namespace {

namespace od = simdjson::ondemand;

// The raw JSON of response_format.json_schema.schema when response_format asks for a JSON schema.
bool json_schema_of(std::string_view body, std::string_view& schema) {
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  od::object format;
  if (parser.iterate(padded).get(doc) || doc["response_format"].get_object().get(format)) return false;
  std::string_view type;
  od::object json_schema;
  if (format.find_field_unordered("type").get_string().get(type) || type != "json_schema") return false;
  if (format.find_field_unordered("json_schema").get_object().get(json_schema)) return false;
  od::object schema_object;
  std::string_view raw;
  if (json_schema.find_field_unordered("schema").get_object().get(schema_object) ||
      schema_object.raw_json().get(raw))
    return false;
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  // `raw` points into `padded`, which dies here: the caller gets a view into `body` instead.
  const size_t offset = static_cast<size_t>(raw.data() - padded.data());
  schema = body.substr(offset, raw.size());
  return true;
}

// How the provider wants a JSON schema response format, as the start of the replacement object.
std::string_view schema_wrapper(std::string_view provider) {
  if (provider == "cohere" || provider == "fireworks-ai") return R"({"type":"json_object","schema":)";
  if (provider == "together") return R"({"type":"json_schema","schema":)";
  if (provider == "hf-inference") return R"({"type":"json_object","value":)";
  return {};
}

}  // namespace

hfi_status provider_chat_body(std::string_view provider, std::string_view provider_model, std::string_view body,
                              std::string& out, std::string& error) {
  try {
    json::BodyFacts facts;
    if (!json::inspect_body(body, facts, error)) return HFI_E_INVALID_ARG;
    std::vector<std::pair<std::string, std::string>> overrides;
    std::string model;
    json::append_json_string(model, provider_model);
    overrides.emplace_back("model", std::move(model));
    std::string_view schema;
    const std::string_view wrapper = schema_wrapper(provider);
    if (!wrapper.empty() && json_schema_of(body, schema)) {
      overrides.emplace_back("response_format", std::string(wrapper) + std::string(schema) + "}");
    }
    std::vector<std::string_view> removed;
    if (provider == "cerebras") removed.push_back("store");  // answered with HTTP 400
    out = json::rewrite_body(body, overrides, removed);
    if (out.empty()) {
      error = "out of memory";
      return HFI_E_NOMEM;
    }
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
