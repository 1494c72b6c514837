// Bodies of the providers that run media models by their own id and answer with result URLs or
// jobs: fal-ai, replicate, wavespeed, novita (../shared/research/hf-clients.md §B.1–B.3). Each sets
// out.body and out.content_type; the path, queue flag and fixed headers are task_request.cpp's.
#pragma once

#include <string>

#include "hfi/hfi.h"
#include "providers/task_body.h"
#include "providers/task_request.h"

namespace hfi::providers {

hfi_status fal_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);
hfi_status replicate_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);
hfi_status wavespeed_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);
hfi_status novita_body(const TaskCallInput& in, const TaskBody& body, TaskHttpRequest& out, std::string& error);

}  // namespace hfi::providers
