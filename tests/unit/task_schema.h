// Test helpers shared by the conformance tests of task outputs: a lenient checker of the task-spec
// output schemas (../shared/fixtures/task-specs) and the passed/total tables they print.
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

namespace hfi::test {

using nlohmann::json;

inline std::string fixture_path(const std::string& relative) { return std::string(HFI_FIXTURES_DIR) + "/" + relative; }

inline json load_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return json();
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

inline std::string snake_case(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

// Supports what the task specs use: type (a name or a list), properties,
// required, items, $ref (local "#/..." and common-definitions.json), enum,
// minimum, allOf, anyOf, oneOf and OpenAPI's `nullable`. Other keywords
// (format, example, the misplaced minLength/maxLength on arrays) are ignored.
// Lenient where the specs are known to be wrong: a `required` name that is not
// a property but whose snake_case is (fill-mask "tokenStr", image-to-text
// "generatedText") stands for the snake_case property.
class SchemaChecker {
 public:
  SchemaChecker() : common_(load_json_file(fixture_path("task-specs/common-definitions.json"))) {}
  bool loaded() const { return common_.is_object(); }

  // "" when `value` conforms to `schema` (a document, or a part of `root`),
  // else the first problem found, with its path.
  std::string check(const json& value, const json& schema, const json& root, const std::string& path = "$") const {
    if (!schema.is_object()) return "";
    if (value.is_null() && schema.value("nullable", false)) return "";
    if (schema.contains("$ref")) {
      const json* target_root = nullptr;
      const json* target = resolve(schema["$ref"].get<std::string>(), root, target_root);
      if (!target) return path + ": unresolved $ref " + schema["$ref"].dump();
      std::string problem = check(value, *target, *target_root, path);
      if (!problem.empty()) return problem;
    }
    if (schema.contains("type") && !has_type(value, schema["type"])) {
      return path + ": " + value.type_name() + " is not " + schema["type"].dump();
    }
    if (schema.contains("enum")) {
      bool found = false;
      for (const json& option : schema["enum"]) found = found || option == value;
      if (!found) return path + ": " + value.dump() + " not in " + schema["enum"].dump();
    }
    if (schema.contains("minimum") && value.is_number() && value.get<double>() < schema["minimum"].get<double>()) {
      return path + ": below the minimum";
    }
    if (value.is_object()) {
      const json properties = schema.value("properties", json::object());
      for (const auto& [key, sub] : properties.items()) {
        if (!value.contains(key)) continue;
        std::string problem = check(value[key], sub, root, path + "." + key);
        if (!problem.empty()) return problem;
      }
      for (const json& name : schema.value("required", json::array())) {
        std::string key = name.get<std::string>();
        if (!properties.contains(key) && properties.contains(snake_case(key))) key = snake_case(key);
        if (!value.contains(key)) return path + ": missing required \"" + key + "\"";
      }
    }
    if (value.is_array() && schema.contains("items") && schema["items"].is_object()) {
      for (size_t i = 0; i < value.size(); ++i) {
        std::string problem = check(value[i], schema["items"], root, path + "[" + std::to_string(i) + "]");
        if (!problem.empty()) return problem;
      }
    }
    for (const json& sub : schema.value("allOf", json::array())) {
      std::string problem = check(value, sub, root, path);
      if (!problem.empty()) return problem;
    }
    if (schema.contains("anyOf") || schema.contains("oneOf")) {
      const bool one = schema.contains("oneOf");
      size_t matches = 0;
      for (const json& sub : schema[one ? "oneOf" : "anyOf"]) matches += check(value, sub, root, path).empty();
      if (matches == 0 || (one && matches > 1)) return path + ": " + std::to_string(matches) + " alternatives match";
    }
    return "";
  }

 private:
  static bool has_type(const json& value, const json& type) {
    if (type.is_array()) {
      for (const json& t : type) {
        if (has_type(value, t)) return true;
      }
      return false;
    }
    const std::string name = type.get<std::string>();
    if (name == "object") return value.is_object();
    if (name == "array") return value.is_array();
    if (name == "string") return value.is_string();
    if (name == "number") return value.is_number();
    if (name == "integer") {
      return value.is_number_integer() || (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
    }
    if (name == "boolean") return value.is_boolean();
    if (name == "null") return value.is_null();
    return true;
  }

  const json* resolve(const std::string& ref, const json& root, const json*& target_root) const {
    const size_t hash = ref.find('#');
    if (hash == std::string::npos) return nullptr;
    const std::string document = ref.substr(0, hash);
    if (document.empty()) {
      target_root = &root;
    } else if (document.size() >= 23 && document.compare(document.size() - 23, 23, "common-definitions.json") == 0) {
      target_root = &common_;
    } else {
      return nullptr;
    }
    const json::json_pointer pointer(ref.substr(hash + 1));
    return target_root->contains(pointer) ? &(*target_root)[pointer] : nullptr;
  }

  json common_;
};

// The schema a normalised output is checked against: the spec, with the
// deviations normalize_output() makes on purpose (each one justified by
// recorded traffic), and hand-written ones for tasks that have no spec.
inline json output_schema(const std::string& task) {
  if (task == "audio-to-audio") {  // records 38, 262
    return json::parse(R"({"type":"array","items":{"type":"object","required":["label","blob"],
      "properties":{"label":{"type":"string"},"blob":{"type":"string"},"content-type":{"type":"string"}}}})");
  }
  if (task == "tabular-regression") return json::parse(R"({"type":"array","items":{"type":"number"}})");
  if (task == "tabular-classification") {
    return json::parse(R"({"type":"array","items":{"type":["number","string"]}})");
  }
  if (task == "feature-extraction") {
    // The spec says 2-D; real answers are 1-D to 4-D (records 24, 34, 43) and the depth is kept.
    return json::parse(R"({"$defs":{"tensor":{"type":"array","items":{"anyOf":[{"type":"number"},
      {"$ref":"#/$defs/tensor"}]}}},"$ref":"#/$defs/tensor"})");
  }
  json schema = load_json_file(fixture_path("task-specs/" + task + "/output.json"));
  if (task == "document-question-answering" && schema.is_object()) {
    schema["items"]["required"] = json::array({"answer"});  // donut answers without score/start/end (record 29)
  }
  return schema;
}

// A batch (two or more inputs) is a list of outputs.
inline std::string check_output(const SchemaChecker& checker, const std::string& task, const json& output) {
  const json schema = output_schema(task);
  if (!schema.is_object()) return "no schema for " + task;
  std::string problem = checker.check(output, schema, schema);
  if (problem.empty() || !output.is_array() || output.size() < 2) return problem;
  for (const json& item : output) {
    if (!checker.check(item, schema, schema).empty()) return problem;
  }
  return "";
}

struct Tally {
  int passed = 0, total = 0;
};

inline void print_table(const char* title, const std::map<std::string, Tally>& rows) {
  std::cout << "\n" << title << "\n";
  Tally all;
  for (const auto& [name, tally] : rows) {
    std::cout << "  " << name << std::string(name.size() < 42 ? 42 - name.size() : 1, ' ') << tally.passed << " / "
              << tally.total << "\n";
    all.passed += tally.passed;
    all.total += tally.total;
  }
  std::cout << "  " << std::string("total") << std::string(37, ' ') << all.passed << " / " << all.total << "\n";
}

}  // namespace hfi::test
