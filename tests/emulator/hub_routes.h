// The Hub and router metadata routes: GET /api/models/{id} (the inference
// provider mapping) and the router's chat model listing GET /v1/models[/{id}].
#pragma once

#include "http_request.h"
#include "model_registry.h"
#include "reply.h"

namespace hfi::emu {

bool is_hub_model_path(const std::string& path);
Reply hub_model_reply(const ModelRegistry& registry, const HttpRequest& request);

bool is_router_models_path(const std::string& path);
Reply router_models_reply(const ModelRegistry& registry, const HttpRequest& request);

}  // namespace hfi::emu
