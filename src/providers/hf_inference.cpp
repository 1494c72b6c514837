#include "providers/hf_inference.h"

#include "protocol/base64.h"
#include "protocol/body_rewrite.h"

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

// The last member named `key`, as JSON parsers read duplicates; nullptr if there is none.
const json::RawMember* find_member(const std::vector<json::RawMember>& members, std::string_view key) {
  const json::RawMember* found = nullptr;
  for (const json::RawMember& m : members) {
    if (m.key == key) found = &m;
  }
  return found;
}

std::string base64_string(std::string_view bytes) {
  std::string out = "\"";
  base64::append_encoded(out, bytes);
  out.push_back('"');
  return out;
}

// The JSON body with the binary input (base64) where the task expects it; every other member is
// copied as the caller wrote it.
hfi_status json_with_binary(const TaskInput& in, const std::vector<json::RawMember>& root, std::string& body,
                            std::string& error) {
  body.clear();
  json::ObjectWriter writer(body);
  if (in.task->binary == BinaryInput::json_image) {
    // {"inputs": {"image": <base64>, "question": ...}, "parameters": ...}
    const json::RawMember* inputs = find_member(root, "inputs");
    std::vector<json::RawMember> members;
    const json::RawMember* question = nullptr;
    if (inputs && !inputs->raw_value.empty() && inputs->raw_value.front() == '{' &&
        json::split_object(inputs->raw_value, members)) {
      question = find_member(members, "question");
    }
    if (!question || question->raw_value.front() != '"') {
      error = std::string(in.task->name) + ": the body needs \"inputs\": {\"question\": \"...\"} beside the image";
      return HFI_E_INVALID_ARG;
    }
    std::string inputs_json;
    json::ObjectWriter inner(inputs_json);
    inner.member("image", base64_string(in.binary));
    for (const json::RawMember& m : members) {
      if (m.key != "image") inner.raw(m);
    }
    inner.close();
    writer.member("inputs", inputs_json);
  } else {
    writer.member("inputs", base64_string(in.binary));
  }
  for (const json::RawMember& m : root) {
    if (m.key != "inputs") writer.raw(m);
  }
  writer.close();
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
  const std::string_view json = in.json.empty() ? std::string_view("{}") : in.json;
  json::BodyFacts facts;
  std::vector<json::RawMember> root;
  if (!json::inspect_body(json, facts, error) || !json::split_object(json, root)) {
    error = std::string(task) + ": the request body is not a JSON object";
    return HFI_E_INVALID_ARG;
  }
  out.content_type = "application/json";
  if (!has_binary) {
    if (in.task->binary != BinaryInput::none && !find_member(root, "inputs")) {
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

hfi_status build_hf_inference_body(const TaskInput& in, HttpRequest& out, std::string& error) {
  try {
    out = HttpRequest{};
    if (!in.task) {
      error = "unknown task";
      return HFI_E_INVALID_ARG;
    }
    hfi_status st = build_body(in, out, error);
    if (st != HFI_OK) return st;
    if (!in.task->accept.empty()) out.headers.push_back("Accept: " + std::string(in.task->accept));
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
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
    hfi_status st = build_hf_inference_body(in, out, error);
    if (st != HFI_OK) return st;
    out.path = "/hf-inference/models/";
    out.path += in.model;
    out.path += in.task->hf_route;
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
