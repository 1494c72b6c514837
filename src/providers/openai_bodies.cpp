#include "providers/openai_bodies.h"

#include <vector>

#include "protocol/body_rewrite.h"
#include "protocol/json_write.h"

namespace hfi::providers {
namespace {


// The validated top-level members of an HF task body, and its "inputs".
hfi_status split_task_body(std::string_view hf_body, std::vector<json::RawMember>& members,
                           const json::RawMember*& inputs, std::string& error) {
  json::BodyFacts facts;
  if (!json::inspect_body(hf_body, facts, error) || !json::split_object(hf_body, members)) {
    if (error.empty()) error = "the request body is not a JSON object";
    return HFI_E_INVALID_ARG;
  }
  inputs = nullptr;
  for (const json::RawMember& m : members) {
    if (m.key == "inputs") inputs = &m;
  }
  if (!inputs) {
    error = "the request body has no \"inputs\"";
    return HFI_E_INVALID_ARG;
  }
  return HFI_OK;
}

std::string quoted(std::string_view text) {
  std::string out;
  json::append_json_string(out, text);
  return out;
}

}  // namespace

hfi_status completions_body(std::string_view provider_model, std::string_view hf_body, std::string& out,
                            std::string& error) {
  try {
    std::vector<json::RawMember> members;
    const json::RawMember* inputs = nullptr;
    if (hfi_status st = split_task_body(hf_body, members, inputs, error); st != HFI_OK) return st;
    if (inputs->raw_value.empty() || inputs->raw_value.front() != '"') {
      error = "text-generation: \"inputs\" must be the prompt string";
      return HFI_E_INVALID_ARG;
    }
    out.clear();
    json::ObjectWriter writer(out);
    writer.member("model", quoted(provider_model));
    writer.member("prompt", inputs->raw_value);
    for (const json::RawMember& m : members) {
      if (m.key != "parameters") continue;
      std::vector<json::RawMember> parameters;
      if (m.raw_value.empty() || m.raw_value.front() != '{' || !json::split_object(m.raw_value, parameters)) {
        error = "text-generation: \"parameters\" must be an object";
        return HFI_E_INVALID_ARG;
      }
      for (const json::RawMember& p : parameters) {
        if (p.key == "max_new_tokens") writer.member("max_tokens", p.raw_value);  // TGI's name, OpenAI's name
        else writer.raw(p);
      }
    }
    for (const json::RawMember& m : members) {
      if (m.key != "inputs" && m.key != "parameters" && m.key != "model") writer.raw(m);
    }
    writer.close();
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

hfi_status embeddings_body(std::string_view provider_model, std::string_view hf_body, std::string& out,
                           std::string& error) {
  try {
    std::vector<json::RawMember> members;
    const json::RawMember* inputs = nullptr;
    if (hfi_status st = split_task_body(hf_body, members, inputs, error); st != HFI_OK) return st;
    out.clear();
    json::ObjectWriter writer(out);
    writer.member("model", quoted(provider_model));
    writer.member("input", inputs->raw_value);
    for (const json::RawMember& m : members) {
      if (m.key != "inputs" && m.key != "model") writer.raw(m);
    }
    writer.close();
    return HFI_OK;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
