#include "tasks/task_output.h"

#include <new>
#include <utility>

#include "protocol/json_write.h"
#include "tasks/json_tree.h"
#include "tasks/task_legacy.h"
#include "tasks/task_table.h"

namespace hfi::tasks {
namespace {

using Kind = JsonNode::Kind;

bool has_type(const JsonNode& node, ValueType type) {
  switch (type) {
    case ValueType::kAny: return true;
    case ValueType::kString: return node.kind == Kind::kString;
    case ValueType::kNumber:
    case ValueType::kInteger: return node.kind == Kind::kNumber;
    case ValueType::kArray: return node.kind == Kind::kArray;
    case ValueType::kObject: return node.kind == Kind::kObject;
  }
  return false;
}

std::string index_path(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string member_path(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

// "score: a string", "[0].box: an array", or the bare kind at the root.
std::string describe_at(const std::string& path, const JsonNode& node) {
  std::string kind = describe_kind(node.kind);
  if (node.is_object() && node.find("error")) kind = "an object with an \"error\" member";
  if (node.is_array() && node.items.empty()) kind = "an empty array";
  return path.empty() ? kind : path + ": " + kind;
}

// Writes the members of `fields` found in `object`; on failure `got` says
// which part of the body was wrong.
class Projector {
 public:
  explicit Projector(std::string& got) : got_(got) {}

  bool object(const JsonNode& node, FieldList fields, const std::string& path, std::string& out) {
    if (!node.is_object()) {
      got_ = describe_at(path, node);
      return false;
    }
    out.push_back('{');
    bool first = true;
    for (size_t i = 0; i < fields.size; ++i) {
      const Field& field = fields.data[i];
      const JsonNode* value = node.find(field.name);
      if (!value || value->kind == Kind::kNull) {
        if (!field.required) continue;
        got_ = (path.empty() ? std::string("an object") : path) + " without \"" + std::string(field.name) + "\"";
        return false;
      }
      // Optional members are written to a side buffer so that a broken one
      // can be dropped without failing the whole answer.
      std::string text;
      if (!member(*value, field, member_path(path, field.name), text)) {
        if (field.required) return false;
        got_.clear();
        continue;
      }
      if (!first) out.push_back(',');
      first = false;
      json::append_json_key(out, field.name);
      out += text;
    }
    out.push_back('}');
    return true;
  }

 private:
  bool member(const JsonNode& value, const Field& field, const std::string& path, std::string& out) {
    if (!has_type(value, field.type)) {
      got_ = describe_at(path, value);
      return false;
    }
    if (field.type == ValueType::kObject && field.members.size) return object(value, field.members, path, out);
    if (field.type != ValueType::kArray) {
      write_node(value, out);
      return true;
    }
    out.push_back('[');
    for (size_t i = 0; i < value.items.size(); ++i) {
      const JsonNode& item = value.items[i];
      if (i) out.push_back(',');
      if (!has_type(item, field.item)) {
        got_ = describe_at(index_path(path, i), item);
        return false;
      }
      if (field.item == ValueType::kObject && field.members.size) {
        if (!object(item, field.members, index_path(path, i), out)) return false;
      } else {
        write_node(item, out);
      }
    }
    out.push_back(']');
    return true;
  }

  std::string& got_;
};

// A list whose every element is an object of `fields`.
bool object_list(const JsonNode& list, FieldList fields, const std::string& path, Projector& project,
                 std::string& out) {
  out.push_back('[');
  for (size_t i = 0; i < list.items.size(); ++i) {
    if (i) out.push_back(',');
    if (!project.object(list.items[i], fields, index_path(path, i), out)) return false;
  }
  out.push_back(']');
  return true;
}

// Shape::kObject. Evidence: summarization, translation, image-to-text and TGI
// text-generation answer [{...}] (records 17, 8, 22, 3); batched translation
// answers one object per input (records 45, 57); ASR answers a bare object
// (records 13, 108).
bool shape_object(const TaskRow& row, const JsonNode& root, std::string& got, std::string& out) {
  Projector project(got);
  if (root.is_object()) return project.object(root, row.members, "", out);
  if (!root.is_array() || root.items.empty()) {
    got = describe_at("", root);
    return false;
  }
  if (root.items.size() == 1) return project.object(root.items[0], row.members, "[0]", out);
  return object_list(root, row.members, "", project, out);
}

// Shape::kObjectList. Evidence: text-classification answers [[{label,score}]]
// (records 0, 49, 137); question-answering and table-question-answering a bare
// object (records 7, 2); fill-mask with several masks and classification of
// several inputs answer one list per input.
bool shape_object_list(const TaskRow& row, const JsonNode& root, std::string& got, std::string& out) {
  Projector project(got);
  if (root.is_object()) {
    out.push_back('[');
    if (!project.object(root, row.members, "", out)) return false;
    out.push_back(']');
    return true;
  }
  if (!root.is_array()) {
    got = describe_at("", root);
    return false;
  }
  bool all_lists = !root.items.empty();
  for (const JsonNode& item : root.items) all_lists = all_lists && item.is_array();
  if (!all_lists) return object_list(root, row.members, "", project, out);
  if (root.items.size() == 1) return object_list(root.items[0], row.members, "[0]", project, out);
  out.push_back('[');
  for (size_t i = 0; i < root.items.size(); ++i) {
    if (i) out.push_back(',');
    if (!object_list(root.items[i], row.members, index_path("", i), project, out)) return false;
  }
  out.push_back(']');
  return true;
}

// Shape::kNumberList and Shape::kLabelList: a flat list, copied as received.
bool shape_scalar_list(bool strings_too, const JsonNode& root, std::string& got, std::string& out) {
  if (!root.is_array()) {
    got = describe_at("", root);
    return false;
  }
  for (size_t i = 0; i < root.items.size(); ++i) {
    const Kind kind = root.items[i].kind;
    if (kind != Kind::kNumber && !(strings_too && kind == Kind::kString)) {
      got = describe_at(index_path("", i), root.items[i]);
      return false;
    }
  }
  write_node(root, out);
  return true;
}

// Every list holds only numbers or only lists.
bool is_tensor(const JsonNode& node, const std::string& path, std::string& got) {
  if (!node.is_array()) {
    got = describe_at(path, node);
    return false;
  }
  if (node.items.empty()) return true;
  const bool numbers = node.items[0].kind == Kind::kNumber;
  for (size_t i = 0; i < node.items.size(); ++i) {
    const JsonNode& item = node.items[i];
    if (numbers ? item.kind == Kind::kNumber : is_tensor(item, index_path(path, i), got)) continue;
    if (numbers || got.empty()) got = describe_at(index_path(path, i), item);
    return false;
  }
  return true;
}

// Shape::kTensor. The spec says 2-D, but real answers are 1-D (one sentence
// embedding: records 24, 58), 3-D (token embeddings: 34, 60) or 4-D (batched
// token embeddings: 43, 61). The depth carries meaning, so it is kept.
bool shape_tensor(const JsonNode& root, std::string& got, std::string& out) {
  if (!is_tensor(root, "", got)) return false;
  write_node(root, out);
  return true;
}

bool normalize(const TaskRow& row, std::string_view body, std::string& out, std::string& error) {
  JsonTree tree;
  std::string problem;
  if (!tree.parse(body, problem)) {
    error = std::string(row.task) + ": " + problem;
    return false;
  }
  std::string got;
  // A 2xx answer can still be an error ({"error": "Model ... is loading"} from
  // older hf-inference deployments): say so rather than "without label".
  const JsonNode* server_error = tree.root().is_object() ? tree.root().find("error") : nullptr;
  if (server_error && server_error->kind != Kind::kNull) {
    bool has_a_member = false;
    for (size_t i = 0; i < row.members.size; ++i) {
      has_a_member = has_a_member || tree.root().find(row.members.data[i].name);
    }
    if (!has_a_member) {
      error = std::string(row.task) + ": expected " + std::string(row.what) + ", got " + describe_at("", tree.root());
      return false;
    }
  }
  bool ok = convert_legacy(row.legacy, tree.root(), got);
  if (ok) {
    switch (row.shape) {
      case Shape::kObject: ok = shape_object(row, tree.root(), got, out); break;
      case Shape::kObjectList: ok = shape_object_list(row, tree.root(), got, out); break;
      case Shape::kNumberList: ok = shape_scalar_list(false, tree.root(), got, out); break;
      case Shape::kLabelList: ok = shape_scalar_list(true, tree.root(), got, out); break;
      case Shape::kTensor: ok = shape_tensor(tree.root(), got, out); break;
    }
  }
  if (!ok) error = std::string(row.task) + ": expected " + std::string(row.what) + ", got " + got;
  return ok;
}

}  // namespace

bool normalize_output(std::string_view task, std::string_view body, std::string& out, std::string& error) noexcept {
  out.clear();
  try {
    const TaskRow* row = find_task_row(task);
    if (!row) {
      error = "no JSON output normalisation for task \"" + std::string(task) + "\"";
      return false;
    }
    std::string result;
    if (!normalize(*row, body, result, error)) return false;
    out = std::move(result);
    error.clear();
    return true;
  } catch (const std::bad_alloc&) {
    out.clear();
    try {
      error = "out of memory while normalising the output of " + std::string(task);
    } catch (const std::bad_alloc&) {
      error.clear();
    }
    return false;
  } catch (...) {  // std::length_error and the like: nothing here should throw them
    out.clear();
    error.clear();
    return false;
  }
}

bool has_output_normalization(std::string_view task) noexcept { return find_task_row(task) != nullptr; }

}  // namespace hfi::tasks
