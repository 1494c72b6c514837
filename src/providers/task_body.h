// The caller's HF task body ({"inputs", "parameters", ...}) taken apart for the providers whose
// bodies are built from its members, and the small object builder those bodies are written with.
// Values are kept as the caller wrote them (raw JSON text), never re-serialised.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hfi/hfi.h"
#include "protocol/body_rewrite.h"

namespace hfi::providers {

struct TaskBody {
  std::vector<json::RawMember> root;        // every top-level member, in order (views into the text)
  std::vector<json::RawMember> parameters;  // the members of "parameters"
  const json::RawMember* inputs = nullptr;  // the last "inputs", as parsers read duplicates
  bool stream = false;                      // "stream": true
};

// `text` empty reads as {}. HFI_E_INVALID_ARG when it is not a JSON object or "parameters" is not
// an object. `out` holds views into `text`. Never throws.
hfi_status parse_task_body(std::string_view task, std::string_view text, TaskBody& out, std::string& error);

// The value of a raw JSON string, unescaped; false when `raw` is not a string.
bool string_value(std::string_view raw, std::string& out);

// `text` as a JSON string.
std::string quoted(std::string_view text);

// A JSON object being assembled: members keep the position of their first set(); a later set()
// of the same key replaces the value, as a parser reading duplicates would.
class Members {
 public:
  void set(std::string_view key, std::string raw_value);
  void erase(std::string_view key);
  const std::string* find(std::string_view key) const;
  // Takes a member out: its raw value, or empty when absent.
  std::string take(std::string_view key);
  std::string object() const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// What media providers start from, flattened as the official clients do: the caller's top-level
// members other than inputs, parameters and hfi's own (model, provider), then the parameters.
Members flat_members(const TaskBody& body);

// "{w}x{h}" from width and height members written as whole numbers; empty when either is
// missing or is not one.
std::string size_text(const Members& members);

}  // namespace hfi::providers
