// A client: validated settings, the token, and the transport engine shared by its requests.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/objects.h"
#include "core/options.h"
#include "core/secret.h"
#include "core/url.h"
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

 private:
  Client() = default;
  hfi_status prepare_chat(std::string_view body, bool stream, transport::TransferSettings& settings,
                          std::string& error) const;
  bool may_send_token_to(const UrlParts& target) const;

  ClientOptions opts_;
  UrlParts router_;
  UrlParts base_;
  bool has_base_ = false;
  Secret token_;
  bool token_explicit_ = false;
  std::string user_agent_;
  std::unique_ptr<transport::Engine> engine_;
};

}  // namespace hfi
