// The HTTP request of one task call on one provider: path, body, content type and the headers the
// provider needs, for every (task, provider) pair of the table, hf-inference included
// (../shared/research/hf-clients.md §A, §B.1). The URL's base and the authorization line are not
// decided here: target.h puts the path behind the router or the provider's own host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfi/hfi.h"
#include "providers/mapping.h"
#include "providers/table.h"
#include "tasks/catalog.h"

namespace hfi::providers {

struct TaskCallInput {
  const tasks::TaskInfo* task = nullptr;
  const ProviderInfo* provider = nullptr;  // hf-inference included
  std::string_view model;                  // the HF model id as the caller gave it
  std::string_view provider_model;         // the provider's id (mapping providerId); the HF id when none
  std::string_view json;                   // the caller's task-spec body; may be empty with a binary input
  std::string_view binary;                 // image or audio bytes, or empty
  std::string_view binary_type;            // their MIME type; empty: sniffed from the bytes
  const MappingEntry* mapping = nullptr;   // the chosen mapping entry (LoRA adapters), or null
  std::string_view hub_base = "https://huggingface.co";  // for LoRA weight URLs
};

struct TaskHttpRequest {
  std::string method = "POST";
  // After the provider's prefix: the router puts it at {router}/{provider}{path}, a direct call at
  // {the provider's base}{path}. For hf-inference: "/models/{model}{route}".
  std::string path;
  bool queued = false;               // fal-ai's queue host (`?_subdomain=queue` through the router)
  std::string body;
  std::string content_type;          // empty: none is sent
  std::vector<std::string> headers;  // further "Name: value" lines (Accept, Prefer: wait, ...)
  bool stream = false;               // the body asks for an event stream (text generation)
};

// Checks the input against the task alone (required members, types, an empty binary input), before
// any provider is chosen and before any traffic. HFI_OK or HFI_E_INVALID_ARG with `error`.
hfi_status check_task_input(const TaskCallInput& in, std::string& error);

// HFI_OK; HFI_E_INVALID_ARG with `error` for input the provider cannot take; HFI_E_UNSUPPORTED when
// the provider does not serve the task. Never throws.
hfi_status build_task_request(const TaskCallInput& in, TaskHttpRequest& out, std::string& error);

// The body an OpenAI-compatible custom endpoint (HFI_OPT_BASE_URL) gets for a task: the
// hf-inference body (the URL is the base URL itself, as the official clients do).
hfi_status build_custom_endpoint_request(const TaskCallInput& in, TaskHttpRequest& out, std::string& error);

}  // namespace hfi::providers
