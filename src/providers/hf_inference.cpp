#include "providers/hf_inference.h"

#include <simdjson.h>

#include "protocol/base64.h"
#include "protocol/json_write.h"

namespace hfi::providers {
namespace {

using tasks::BinaryInput;

bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool is_segment(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    if (!is_id_char(c)) return false;
  }
  return true;
}

// Appends every member of `object` except `skip`, each preceded by a comma when `comma` is set;
// returns whether anything was written.
bool append_members(std::string& out, simdjson::dom::object object, std::string_view skip, bool comma) {
  for (auto [key, value] : object) {
    if (key == skip) continue;
    if (comma) out.push_back(',');
    json::append_json_key(out, key);
    out += simdjson::minify(value);
    comma = true;
  }
  return comma;
}

// The JSON body with the binary input (base64) where the task expects it.
hfi_status json_with_binary(const TaskInput& in, simdjson::dom::object root, std::string& body, std::string& error) {
  const std::string_view task = in.task->name;
  body = "{";
  if (in.task->binary == BinaryInput::json_image) {
    // {"inputs": {"image": <base64>, "question": ...}, "parameters": ...}
    simdjson::dom::object inputs;
    std::string_view question;
    if (root["inputs"].get(inputs) || inputs["question"].get(question)) {
      error = std::string(task) + ": the body needs \"inputs\": {\"question\": \"...\"} beside the image";
      return HFI_E_INVALID_ARG;
    }
    body += "\"inputs\":{\"image\":\"";
    base64::append_encoded(body, in.binary);
    body.push_back('"');
    append_members(body, inputs, "image", true);
    body.push_back('}');
  } else {
    body += "\"inputs\":\"";
    base64::append_encoded(body, in.binary);
    body.push_back('"');
  }
  append_members(body, root, "inputs", true);
  body.push_back('}');
  return HFI_OK;
}

hfi_status build_body(const TaskInput& in, HttpRequest& out, std::string& error) {
  const std::string_view task = in.task->name;
  const bool has_binary = !in.binary.empty();
  if (has_binary && in.task->binary == BinaryInput::none) {
    error = std::string(task) + " takes no image or audio input";
    return HFI_E_INVALID_ARG;
  }
  if (in.json.empty()) {
    if (!has_binary) {
      error = std::string(task) + ": the request has no input";
      return HFI_E_INVALID_ARG;
    }
    if (in.task->binary == BinaryInput::body_or_json) {
      out.body.assign(in.binary);  // no parameters: the bytes are the body
      out.content_type.assign(in.binary_type);
      return HFI_OK;
    }
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string_view json = in.json.empty() ? std::string_view("{}") : in.json;
  simdjson::dom::object root;
  if (parser.parse(json.data(), json.size()).get(doc) || doc.get(root)) {
    error = std::string(task) + ": the request body is not a JSON object";
    return HFI_E_INVALID_ARG;
  }
  out.content_type = "application/json";
  if (!has_binary) {
    if (in.task->binary != BinaryInput::none && root["inputs"].error() == simdjson::NO_SUCH_FIELD) {
      error = std::string(task) + ": give the image or audio bytes, or \"inputs\" in the body";
      return HFI_E_INVALID_ARG;
    }
    out.body.assign(in.json);  // passed through as the caller wrote it
    return HFI_OK;
  }
  return json_with_binary(in, root, out.body, error);
}

}  // namespace

bool is_model_id(std::string_view model) {
  const size_t slash = model.find('/');
  if (slash == std::string_view::npos) return is_segment(model);
  return is_segment(model.substr(0, slash)) && is_segment(model.substr(slash + 1));
}

hfi_status build_hf_inference_request(const TaskInput& in, HttpRequest& out, std::string& error) {
  try {
    out = HttpRequest{};
    if (!in.task) {
      error = "unknown task";
      return HFI_E_INVALID_ARG;
    }
    if (!in.task->hf_inference) {
      error = "hf-inference does not serve " + std::string(in.task->name);
      return HFI_E_UNSUPPORTED;
    }
    if (!is_model_id(in.model)) {
      error = "\"" + std::string(in.model.substr(0, 200)) + "\" is not a model id (org/name)";
      return HFI_E_INVALID_ARG;
    }
    hfi_status st = build_body(in, out, error);
    if (st != HFI_OK) return st;
    out.path = "/hf-inference/models/";
    out.path += in.model;
    out.path += in.task->hf_route;
    if (!in.task->accept.empty()) out.headers.push_back("Accept: " + std::string(in.task->accept));
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
