// Bodies of the providers with OpenAI-style image and video APIs, which take the model in the body
// and (for images) answer in base64: together (images, videos), nscale, nebius, hyperbolic,
// zai-org (../shared/research/hf-clients.md §B.1, the recorded nebius and hyperbolic calls).
// Each sets out.body and out.content_type, the provider's model id first.
#pragma once

#include <string>

#include "hfi/hfi.h"
#include "providers/task_body.h"
#include "providers/task_request.h"

namespace hfi::providers {

hfi_status together_media_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out,
                               std::string& error);
hfi_status nscale_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);
hfi_status nebius_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);
hfi_status hyperbolic_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);
hfi_status zai_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);

}  // namespace hfi::providers
