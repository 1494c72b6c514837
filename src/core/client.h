// A client: validated settings, the token, and the transport engine shared by its requests.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/chat_call.h"
#include "core/hub.h"
#include "core/objects.h"
#include "core/options.h"
#include "core/secret.h"
#include "core/task_context.h"
#include "core/task_flow.h"
#include "core/url.h"
#include "protocol/body_rewrite.h"
#include "transport/engine.h"

namespace hfi {

class Client {
 public:
  // Validates `opts` as a whole (URLs, plain-http rules), resolves the token, starts the engine.
  static hfi_status create(const ClientOptions& opts, std::unique_ptr<Client>& out, std::string& error);
  ~Client();

  // Blocking chat. `cb` is called on this thread for stream events (stream only). On return,
  // `out` holds the response unless the request could not even be built (HFI_E_INVALID_ARG).
  hfi_status chat(std::string_view body, bool stream, hfi_event_cb cb, void* user_data,
                  std::unique_ptr<hfi_response>& out, std::string& error);

  // Per-request settings of a started request.
  struct RequestSettings {
    std::vector<std::string> headers;
    int64_t timeout_ms = -1;        // -1: the client's
    int64_t stall_timeout_ms = -1;  // -1: the client's
    int64_t first_byte_timeout_ms = -1;  // -1: the client's
    // Tasks only.
    std::string provider;
    int64_t poll_interval_ms = -1;  // -1: the provider's
    int64_t max_retries = -1;       // -1: the client's
    std::string input;              // binary input
    std::string input_type;
  };
  // Starts a request; `delivery.hub` is filled in here.
  hfi_status start(std::string_view body, bool stream, const RequestSettings& settings, Delivery delivery,
                   std::shared_ptr<ChatCall>& out, std::string& error);
  void submit(std::shared_ptr<ChatCall> call);  // after the call knows its handle

  // Tasks (hfi_task, hfi_task_start, hfi_list_models). A blocking task dispatches its events to
  // `delivery.callback` on this thread; a started one is submitted by the caller after set_handle.
  hfi_status task(TaskInput input, Delivery delivery, std::unique_ptr<hfi_response>& out, std::string& error);
  hfi_status start_task(TaskInput input, Delivery delivery, std::shared_ptr<ChatCall>& out, std::string& error);
  hfi_status list_models(std::string model, std::unique_ptr<hfi_response>& out, std::string& error);
  hfi_status poll(int64_t timeout_ms, int32_t* running);
  std::unique_ptr<PulledEvent> next_event();
  void wakeup();

  std::weak_ptr<transport::Engine> engine() const { return engine_; }
 private:
  Client() = default;
  // The first exchange of a chat request; `route` is set when the client has targets.
  hfi_status prepare_chat(std::string_view body, bool stream, const std::vector<std::string>& extra_headers,
                          transport::TransferSettings& settings, std::unique_ptr<ChatRoute>& route,
                          std::string& error) const;
  std::vector<std::string> header_lines(bool stream, const std::vector<std::string>& extra_headers) const;
  std::shared_ptr<const transport::HeaderList> build_headers(bool stream,
                                                             const std::vector<std::string>& extra_headers) const;
  ChatCallLimits limits(int64_t max_retries = -1) const;  // -1: the client's
  bool may_send_token_to(const UrlParts& target) const;
  std::shared_ptr<ChatCall> task_call(std::unique_ptr<TaskFlow> flow, transport::TransferSettings first, bool stream,
                                      Delivery delivery, int64_t max_retries) const;
  hfi_status new_task(TaskInput input, Delivery delivery, std::shared_ptr<ChatCall>& out, std::string& error) const;
  hfi_status run_blocking(const std::shared_ptr<ChatCall>& call, std::unique_ptr<hfi_response>& out);

  ClientOptions opts_;
  UrlParts router_;
  UrlParts base_;
  bool has_base_ = false;
  std::string chat_url_;  // where every request goes, unless the base URL names the model
  Secret token_;
  bool token_explicit_ = false;
  std::string user_agent_;
  std::shared_ptr<const transport::HeaderList> headers_[2];  // [stream]: the client's own lines
  mutable json::BodyInspector inspector_;                    // thread-safe
  std::shared_ptr<transport::Engine> engine_;
  std::shared_ptr<Hub> hub_ = std::make_shared<Hub>();
  std::shared_ptr<const TaskContext> tasks_;
  std::shared_ptr<ChatTargets> targets_;  // HFI_OPT_TARGET; null without
  std::shared_ptr<const Logger> log_;
};

}  // namespace hfi
