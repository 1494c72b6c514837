// The definitions behind the C ABI's opaque handles for configuration, clients and requests.
#pragma once

#include <memory>

#include "core/chat_call.h"
#include "core/client.h"
#include "core/options.h"

struct hfi_client_options {
  hfi::ClientOptions options;
};

struct hfi_client {
  std::unique_ptr<hfi::Client> impl;
};

struct hfi_request_options {
  hfi_event_cb callback = nullptr;
  // Handed to the first request started with these options, which then owns its release.
  mutable void* user_data = nullptr;
  mutable hfi_release_fn release = nullptr;
  hfi::Client::RequestSettings settings;

  ~hfi_request_options() {
    if (release) release(user_data);
  }
};

struct hfi_request {
  std::shared_ptr<hfi::ChatCall> call;
  // A request may outlive its client; then the engine is gone and the call has ended.
  std::weak_ptr<hfi::transport::Engine> engine;
};
