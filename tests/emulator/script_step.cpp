#include "script_step.h"

#include <nlohmann/json.hpp>
#include <set>

#include "base64.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

using nlohmann::json;

const std::set<std::string>& known_keys() {
  static const std::set<std::string> keys = {
      "status",     "headers",        "content_type", "body",       "body_base64", "sse", "sse_base64",
      "default_sse", "delay_ms",      "chunk_delay_ms", "split_bytes", "stall_after", "stall_ms",
      "drop_after", "close_after_headers", "tape",     "match",      "repeat",      "comment"};
  return keys;
}

[[noreturn]] void fail(std::size_t index, const std::string& message) {
  throw ScriptError("step " + std::to_string(index) + ": " + message);
}

int integer(const json& step, const char* key, int minimum, int fallback, std::size_t index) {
  auto value = step.find(key);
  if (value == step.end()) return fallback;
  if (!value->is_number_integer()) fail(index, std::string("\"") + key + "\" must be an integer");
  long long number = value->get<long long>();
  if (number < minimum || number > 1000000000LL)
    fail(index, std::string("\"") + key + "\" must be between " + std::to_string(minimum) + " and 1e9");
  return static_cast<int>(number);
}

std::string text(const json& value, std::size_t index, const std::string& what) {
  if (!value.is_string()) fail(index, what + " must be a string");
  return value.get<std::string>();
}

bool has_line_break(const std::string& value) { return value.find_first_of("\r\n") != std::string::npos; }

// Header values may be strings or plain scalars ("Retry-After": 3 is natural to write).
std::string header_value(const json& value, std::size_t index, const std::string& name) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  fail(index, "header \"" + name + "\" must be a string or a number");
}

void read_headers(const json& step, ScriptStep* out, std::size_t index) {
  auto headers = step.find("headers");
  if (headers == step.end()) return;
  if (!headers->is_object()) fail(index, "\"headers\" must be an object");
  for (const auto& [name, value] : headers->items()) {
    std::string rendered = header_value(value, index, name);
    if (name.empty() || has_line_break(name) || name.find(':') != std::string::npos || has_line_break(rendered))
      fail(index, "header \"" + name + "\" has a name or value that would break HTTP framing");
    out->headers.emplace_back(name, rendered);
  }
}

void read_match(const json& step, ScriptStep* out, std::size_t index) {
  auto match = step.find("match");
  if (match == step.end()) return;
  if (!match->is_object()) fail(index, "\"match\" must be an object");
  for (const auto& [key, value] : match->items()) {
    if (key == "path") out->match_path = text(value, index, "\"match.path\"");
    else if (key == "method") out->match_method = text(value, index, "\"match.method\"");
    else fail(index, "unknown key \"match." + key + "\" (known: path, method)");
  }
}

void read_body(const json& step, ScriptStep* out, std::size_t index) {
  bool has_body = step.contains("body");
  bool has_base64 = step.contains("body_base64");
  bool has_sse = step.contains("sse");
  bool has_sse_base64 = step.contains("sse_base64");
  bool has_tape = step.contains("tape");
  int sources = int(has_body) + int(has_base64) + int(has_sse) + int(has_sse_base64) + int(has_tape) +
                int(out->default_sse);
  if (sources > 1)
    fail(index, "give at most one of \"body\", \"body_base64\", \"sse\", \"sse_base64\", \"default_sse\", \"tape\"");
  if (has_body) out->body = text(step["body"], index, "\"body\"");
  if (has_base64) {
    std::string bytes;
    if (!base64_decode(text(step["body_base64"], index, "\"body_base64\""), &bytes))
      fail(index, "\"body_base64\" is not valid base64");
    out->body = std::move(bytes);
  }
  if (has_sse) {
    const json& pieces = step["sse"];
    if (!pieces.is_array()) fail(index, "\"sse\" must be an array of strings");
    out->sse.emplace();
    for (const auto& piece : pieces) out->sse->push_back(text(piece, index, "every \"sse\" piece"));
  }
  // Pieces that are not UTF-8 (a BOM cut in half, a multi-byte character split) travel as base64.
  if (has_sse_base64) {
    const json& pieces = step["sse_base64"];
    if (!pieces.is_array()) fail(index, "\"sse_base64\" must be an array of base64 strings");
    out->sse.emplace();
    for (const auto& piece : pieces) {
      std::string bytes;
      if (!base64_decode(text(piece, index, "every \"sse_base64\" piece"), &bytes))
        fail(index, "an \"sse_base64\" piece is not valid base64");
      out->sse->push_back(std::move(bytes));
    }
  }
  if (has_tape) out->tape = text(step["tape"], index, "\"tape\"");
}

ScriptStep read_step(const json& step, std::size_t index, const std::function<bool(const std::string&)>& tape_exists) {
  if (!step.is_object()) fail(index, "must be a JSON object");
  for (const auto& item : step.items())
    if (known_keys().count(item.key()) == 0) fail(index, "unknown key \"" + item.key() + "\"");
  ScriptStep out;
  out.source = step.dump();
  if (step.contains("status")) {
    const json& status = step["status"];
    if (!status.is_number_integer() || status.get<long long>() < 200 || status.get<long long>() > 599)
      fail(index, "\"status\" must be an integer between 200 and 599");
    out.status = status.get<int>();
  }
  read_headers(step, &out, index);
  if (step.contains("content_type")) {
    out.content_type = text(step["content_type"], index, "\"content_type\"");
    if (has_line_break(*out.content_type)) fail(index, "\"content_type\" must be one line");
  }
  if (step.contains("default_sse")) {
    if (!step["default_sse"].is_boolean()) fail(index, "\"default_sse\" must be true or false");
    out.default_sse = step["default_sse"].get<bool>();
  }
  read_body(step, &out, index);
  if (out.tape && !tape_exists(*out.tape)) fail(index, "no loaded tape has id \"" + *out.tape + "\"");
  out.faults.delay_ms = integer(step, "delay_ms", 0, 0, index);
  out.faults.chunk_delay_ms = integer(step, "chunk_delay_ms", 0, 0, index);
  out.faults.split_bytes = integer(step, "split_bytes", 0, 0, index);
  out.faults.stall_after = integer(step, "stall_after", -1, -1, index);
  out.faults.stall_ms = integer(step, "stall_ms", 0, 0, index);
  out.faults.drop_after = integer(step, "drop_after", -1, -1, index);
  if (step.contains("close_after_headers")) {
    if (!step["close_after_headers"].is_boolean()) fail(index, "\"close_after_headers\" must be true or false");
    out.faults.close_after_headers = step["close_after_headers"].get<bool>();
  }
  read_match(step, &out, index);
  out.remaining = integer(step, "repeat", 1, 1, index);
  return out;
}

}  // namespace

bool ScriptStep::matches(const std::string& method, const std::string& path) const {
  if (!match_method.empty() && !iequals(match_method, method)) return false;
  if (match_path.empty()) return true;
  if (match_path.back() == '*') return starts_with(path, std::string_view(match_path).substr(0, match_path.size() - 1));
  return path == match_path;
}

std::vector<ScriptStep> parse_script(const std::string& json_text,
                                     const std::function<bool(const std::string&)>& tape_exists) {
  json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw ScriptError("script is not valid JSON");
  std::vector<ScriptStep> steps;
  if (document.is_array()) {
    for (std::size_t i = 0; i < document.size(); ++i) steps.push_back(read_step(document[i], i, tape_exists));
  } else {
    steps.push_back(read_step(document, 0, tape_exists));
  }
  return steps;
}

}  // namespace hfi::emu
