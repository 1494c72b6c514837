// Requests for the hf-inference provider (the HF task API behind the router): where each task is
// served and how its input goes on the wire (../shared/research/hf-clients.md §A).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hfi/hfi.h"
#include "tasks/catalog.h"

namespace hfi::providers {

struct TaskInput {
  const tasks::TaskInfo* task = nullptr;
  std::string_view model;        // "org/name" or "name"
  std::string_view json;         // the task-spec body ({"inputs", "parameters", ...}); may be empty with binary
  std::string_view binary;       // image or audio bytes; empty when the input is all JSON
  std::string_view binary_type;  // their MIME type, if known
};

struct HttpRequest {
  std::string path;                  // from the router's root: "/hf-inference/models/gpt2"
  std::string body;
  std::string content_type;          // empty: none is sent
  std::vector<std::string> headers;  // further "Name: value" lines
};

// HFI_OK, or HFI_E_INVALID_ARG / HFI_E_UNSUPPORTED with `error` saying what is wrong with the
// input; nothing is sent for a request that fails here. Never throws.
hfi_status build_hf_inference_request(const TaskInput& in, HttpRequest& out, std::string& error);

// Only the body, content type and headers of that request (the path is left empty): what a custom
// endpoint gets, whatever its URL.
hfi_status build_hf_inference_body(const TaskInput& in, HttpRequest& out, std::string& error);

// Whether `model` is a Hub model id that can go into a URL path as it is: one or two non-empty
// segments of letters, digits, '.', '_' and '-', neither "." nor "..".
bool is_model_id(std::string_view model);

}  // namespace hfi::providers
