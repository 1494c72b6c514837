// A small read-only JSON tree that remembers every scalar exactly as it was
// received. Task outputs are reshaped (unwrapped, wrapped, renamed) before
// they are handed to the caller, and the values must survive that unchanged:
// a score such as 0.00012365418660920113 or a seed above 2^63 would not come
// back digit for digit from a double, so numbers and strings are kept as
// their raw tokens and written back verbatim.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::tasks {

struct JsonMember;

struct JsonNode {
  enum class Kind : unsigned char { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  // Scalars: the token as received, without surrounding whitespace. Strings
  // keep their quotes and escapes, so they are valid JSON as they are.
  std::string_view raw;
  std::vector<JsonNode> items;      // arrays
  std::vector<JsonMember> members;  // objects, in the order received (duplicates kept)

  bool is_object() const { return kind == Kind::kObject; }
  bool is_array() const { return kind == Kind::kArray; }
  // The last member named `key` (what JSON.parse and Python keep), or null.
  const JsonNode* find(std::string_view key) const;
};

struct JsonMember {
  std::string_view key;  // unescaped
  JsonNode value;
};

// Owns the parsed text and the parser's string storage that the tree's views
// point into; keep it alive as long as the tree is used.
class JsonTree {
 public:
  JsonTree();
  ~JsonTree();
  JsonTree(const JsonTree&) = delete;
  JsonTree& operator=(const JsonTree&) = delete;

  // Parses one JSON document. Returns false with a message in `error` when
  // `text` is not exactly one valid JSON value. May throw std::bad_alloc.
  bool parse(std::string_view text, std::string& error);
  const JsonNode& root() const { return root_; }
  // Mutable so that callers may move parts of the tree while reshaping it.
  JsonNode& root() { return root_; }

 private:
  struct Storage;
  Storage* storage_;
  JsonNode root_;
};

// "an array", "an object", "a string", "a number", "a boolean", "null".
const char* describe_kind(JsonNode::Kind kind);

// Appends `node` as compact JSON: scalars verbatim, keys re-escaped.
// May throw std::bad_alloc.
void write_node(const JsonNode& node, std::string& out);

}  // namespace hfi::tasks
