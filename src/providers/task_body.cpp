#include "providers/task_body.h"

#include <simdjson.h>

#include "protocol/json_write.h"

namespace hfi::providers {

hfi_status parse_task_body(std::string_view task, std::string_view text, TaskBody& out, std::string& error) {
  try {
    out = TaskBody{};
    if (text.empty()) text = "{}";
    json::BodyFacts facts;
    std::string why;
    if (!json::inspect_body(text, facts, why) || !json::split_object(text, out.root)) {
      error = std::string(task) + ": the request body is not a JSON object";
      return HFI_E_INVALID_ARG;
    }
    out.stream = facts.has_stream && facts.stream;
    for (const json::RawMember& m : out.root) {
      if (m.key == "inputs") out.inputs = &m;
    }
    for (const json::RawMember& m : out.root) {
      if (m.key != "parameters") continue;
      out.parameters.clear();
      if (m.raw_value == "null") continue;  // as if absent
      if (m.raw_value.empty() || m.raw_value.front() != '{' || !json::split_object(m.raw_value, out.parameters)) {
        error = std::string(task) + ": \"parameters\" must be an object";
        return HFI_E_INVALID_ARG;
      }
    }
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

bool string_value(std::string_view raw, std::string& out) {
  if (raw.empty() || raw.front() != '"') return false;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(raw);
  std::string_view value;
  if (parser.parse(padded).get_string().get(value)) return false;
  out.assign(value);
  return true;
}

std::string quoted(std::string_view text) {
  std::string out;
  json::append_json_string(out, text);
  return out;
}

void Members::set(std::string_view key, std::string raw_value) {
  for (auto& item : items_) {
    if (item.first == key) {
      item.second = std::move(raw_value);
      return;
    }
  }
  items_.emplace_back(std::string(key), std::move(raw_value));
}

void Members::erase(std::string_view key) {
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (it->first == key) {
      items_.erase(it);
      return;
    }
  }
}

const std::string* Members::find(std::string_view key) const {
  for (const auto& item : items_) {
    if (item.first == key) return &item.second;
  }
  return nullptr;
}

std::string Members::take(std::string_view key) {
  std::string value;
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (it->first == key) {
      value = std::move(it->second);
      items_.erase(it);
      break;
    }
  }
  return value;
}

std::string Members::object() const {
  std::string out;
  json::ObjectWriter writer(out);
  for (const auto& [key, value] : items_) writer.member(key, value);
  writer.close();
  return out;
}

Members flat_members(const TaskBody& body) {
  Members members;
  for (const json::RawMember& m : body.root) {
    if (m.key == "inputs" || m.key == "parameters" || m.key == "model" || m.key == "provider") continue;
    members.set(m.key, std::string(m.raw_value));
  }
  for (const json::RawMember& p : body.parameters) members.set(p.key, std::string(p.raw_value));
  return members;
}

namespace {

bool whole_number(const std::string* raw) {
  if (!raw || raw->empty() || raw->size() > 9) return false;
  for (char c : *raw) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string size_text(const Members& members) {
  const std::string* width = members.find("width");
  const std::string* height = members.find("height");
  if (!whole_number(width) || !whole_number(height)) return {};
  return *width + "x" + *height;
}

}  // namespace hfi::providers
