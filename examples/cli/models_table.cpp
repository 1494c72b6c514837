#include "models_table.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

namespace hfi_cli {
namespace {

using Row = std::vector<std::string>;

const Row kHeader = {"MODEL", "PROVIDER", "STATUS", "CONTEXT", "IN $/1M", "OUT $/1M", "FIRST TOKEN", "TOK/S", "TOOLS",
                     "JSON"};
// Numbers read better aligned to the right.
const bool kRightAligned[] = {false, false, false, true, true, true, true, true, false, false};

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

std::string text_field(simdjson::dom::element object, const char* key) {
  std::string_view value;
  return object[key].get(value) == simdjson::SUCCESS ? std::string(value) : "-";
}

std::string number_field(simdjson::dom::element object, const char* key, const char* pattern) {
  double value = 0;
  return object[key].get(value) == simdjson::SUCCESS ? format(pattern, value) : "-";
}

// Cents, or four decimals for what costs less than a cent per million tokens.
std::string price_field(simdjson::dom::element pricing, const char* key) {
  double value = 0;
  if (pricing[key].get(value) != simdjson::SUCCESS) return "-";
  return format(value > 0 && value < 0.01 ? "%.4f" : "%.2f", value);
}

std::string yes_no_field(simdjson::dom::element object, const char* key) {
  bool value = false;
  if (object[key].get(value) != simdjson::SUCCESS) return "-";
  return value ? "yes" : "no";
}

bool wanted(const std::string& provider, const std::vector<std::string>& providers) {
  return providers.empty() || std::find(providers.begin(), providers.end(), provider) != providers.end();
}

// Adds the rows of one model; false when it is not a model entry.
bool add_model(simdjson::dom::element model, const std::vector<std::string>& providers, std::vector<Row>* rows) {
  std::string_view id;
  simdjson::dom::array offers;
  if (model["id"].get(id) != simdjson::SUCCESS || model["providers"].get(offers) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element offer : offers) {
    std::string provider = text_field(offer, "provider");
    if (!wanted(provider, providers)) continue;
    simdjson::dom::element pricing;
    bool priced = offer["pricing"].get(pricing) == simdjson::SUCCESS && pricing.is_object();
    rows->push_back({std::string(id), provider, text_field(offer, "status"),
                     number_field(offer, "context_length", "%.0f"),
                     priced ? price_field(pricing, "input") : "-", priced ? price_field(pricing, "output") : "-",
                     number_field(offer, "first_token_latency_ms", "%.0f ms"), number_field(offer, "throughput", "%.0f"),
                     yes_no_field(offer, "supports_tools"), yes_no_field(offer, "supports_structured_output")});
  }
  return true;
}

std::string render(const std::vector<Row>& rows) {
  std::vector<size_t> widths(kHeader.size(), 0);
  for (const Row& row : rows)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  std::string text;
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(widths[i] - row[i].size(), ' ');
      line += kRightAligned[i] ? pad + row[i] : row[i] + pad;
      if (i + 1 < row.size()) line += "  ";
    }
    text += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  return text;
}

}  // namespace

std::string models_table(std::string_view json, const std::vector<std::string>& providers, std::string* error) {
  error->clear();
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(json.data(), json.size()).get(document) != simdjson::SUCCESS) {
    *error = "the router's model listing is not JSON";
    return {};
  }
  std::vector<Row> rows = {kHeader};
  simdjson::dom::array models;
  bool shaped = true;
  if (document["data"].get(models) == simdjson::SUCCESS) {
    for (simdjson::dom::element model : models) shaped = add_model(model, providers, &rows) && shaped;
  } else {
    shaped = add_model(document, providers, &rows);
  }
  if (!shaped) {
    *error = "the router's model listing lacks a model's id or providers";
    return {};
  }
  return rows.size() == 1 ? std::string() : render(rows);
}

}  // namespace hfi_cli
