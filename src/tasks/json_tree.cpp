#include "tasks/json_tree.h"

#include <simdjson.h>

#include <utility>

#include "protocol/json_write.h"

namespace hfi::tasks {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// raw_json_token() runs up to the next token, so it may end with whitespace.
std::string_view trim_token(std::string_view token) {
  while (!token.empty()) {
    const char c = token.back();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    token.remove_suffix(1);
  }
  return token;
}

std::string_view raw_token(od::value& value) { return value.raw_json_token(); }
std::string_view raw_token(od::document& doc) {
  std::string_view token;
  return doc.raw_json_token().get(token) ? std::string_view() : token;
}

// On-demand parsing does not bound nesting, and the tree (building, writing,
// destroying) recurses once per level: a hostile "[[[[..." body must not
// exhaust the stack. Real outputs are at most 5 levels deep (batched token
// embeddings); simdjson's DOM parser uses the same limit.
constexpr int kMaxDepth = 1024;

error_code build_value(od::value value, JsonNode& node, int depth);

// Scalars are read once through simdjson (which validates them: number
// syntax, string escapes, literals) but stored as the raw token. `V` is an
// on-demand value, or the document when the whole body is a scalar.
template <typename V>
error_code build_scalar(V& value, od::json_type type, JsonNode& node) {
  node.raw = trim_token(raw_token(value));
  switch (type) {
    case od::json_type::number: {
      node.kind = JsonNode::Kind::kNumber;
      double ignored;
      return value.get_double().get(ignored);
    }
    case od::json_type::string: {
      node.kind = JsonNode::Kind::kString;
      std::string_view ignored;
      return value.get_string().get(ignored);
    }
    case od::json_type::boolean: {
      node.kind = JsonNode::Kind::kBool;
      bool ignored;
      return value.get_bool().get(ignored);
    }
    case od::json_type::null: {
      node.kind = JsonNode::Kind::kNull;
      bool is_null = false;
      if (error_code e = value.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

error_code build_array(od::array array, JsonNode& node, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  node.kind = JsonNode::Kind::kArray;
  for (auto item : array) {
    od::value value;
    if (error_code e = std::move(item).get(value)) return e;
    node.items.emplace_back();
    if (error_code e = build_value(value, node.items.back(), depth + 1)) return e;
  }
  return simdjson::SUCCESS;
}

error_code build_object(od::object object, JsonNode& node, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  node.kind = JsonNode::Kind::kObject;
  for (auto result : object) {
    od::field field;
    if (error_code e = std::move(result).get(field)) return e;
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key)) return e;
    node.members.push_back(JsonMember{key, JsonNode()});
    if (error_code e = build_value(field.value(), node.members.back().value, depth + 1)) return e;
  }
  return simdjson::SUCCESS;
}

error_code build_value(od::value value, JsonNode& node, int depth) {
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  if (type == od::json_type::array) {
    od::array array;
    if (error_code e = value.get_array().get(array)) return e;
    return build_array(array, node, depth);
  }
  if (type == od::json_type::object) {
    od::object object;
    if (error_code e = value.get_object().get(object)) return e;
    return build_object(object, node, depth);
  }
  return build_scalar(value, type, node);
}

}  // namespace

const JsonNode* JsonNode::find(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    if (it->key == key) return &it->value;
  }
  return nullptr;
}

// The padded copy and the parser must outlive the tree: its keys live in the
// parser's string buffer and its raw tokens in the padded copy.
struct JsonTree::Storage {
  simdjson::padded_string text;
  od::parser parser;
  od::document doc;
};

JsonTree::JsonTree() : storage_(nullptr) {}
JsonTree::~JsonTree() { delete storage_; }

bool JsonTree::parse(std::string_view text, std::string& error) {
  root_ = JsonNode();
  delete storage_;
  storage_ = nullptr;
  storage_ = new Storage{simdjson::padded_string(text), od::parser(), od::document()};
  od::document& doc = storage_->doc;
  error_code e = storage_->parser.iterate(storage_->text).get(doc);
  od::json_type type = od::json_type::null;
  if (!e) e = doc.type().get(type);
  if (!e) {
    if (type == od::json_type::array) {
      od::array array;
      e = doc.get_array().get(array);
      if (!e) e = build_array(array, root_, 1);
    } else if (type == od::json_type::object) {
      od::object object;
      e = doc.get_object().get(object);
      if (!e) e = build_object(object, root_, 1);
    } else {
      e = build_scalar(doc, type, root_);
      // A root scalar's reads do not always look past it ("\"a\" b" passes):
      // the token must end where the body's trailing whitespace begins.
      const std::string_view body = trim_token(std::string_view(storage_->text.data(), storage_->text.size()));
      if (!e && root_.raw.data() + root_.raw.size() != body.data() + body.size()) e = simdjson::TRAILING_CONTENT;
    }
  }
  // After the root container, the document has a location only if tokens remain.
  const char* rest = nullptr;
  if (!e && (type == od::json_type::array || type == od::json_type::object) && !doc.current_location().get(rest)) {
    e = simdjson::TRAILING_CONTENT;
  }
  if (e) {
    error = std::string("the body is not JSON (") + simdjson::error_message(e) + ")";
    root_ = JsonNode();
    return false;
  }
  return true;
}

const char* describe_kind(JsonNode::Kind kind) {
  switch (kind) {
    case JsonNode::Kind::kNull: return "null";
    case JsonNode::Kind::kBool: return "a boolean";
    case JsonNode::Kind::kNumber: return "a number";
    case JsonNode::Kind::kString: return "a string";
    case JsonNode::Kind::kArray: return "an array";
    case JsonNode::Kind::kObject: return "an object";
  }
  return "a value";
}

void write_node(const JsonNode& node, std::string& out) {
  switch (node.kind) {
    case JsonNode::Kind::kArray: {
      out.push_back('[');
      for (size_t i = 0; i < node.items.size(); ++i) {
        if (i) out.push_back(',');
        write_node(node.items[i], out);
      }
      out.push_back(']');
      return;
    }
    case JsonNode::Kind::kObject: {
      out.push_back('{');
      for (size_t i = 0; i < node.members.size(); ++i) {
        if (i) out.push_back(',');
        json::append_json_key(out, node.members[i].key);
        write_node(node.members[i].value, out);
      }
      out.push_back('}');
      return;
    }
    default:
      out.append(node.raw);
      return;
  }
}

}  // namespace hfi::tasks
