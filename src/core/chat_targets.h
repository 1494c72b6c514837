// Failover and balancing for chat (HFI_OPT_TARGET): where a chat request may go, and the exchange
// it becomes at each of those targets (URL, model, credentials, headers).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"
#include "core/target_picker.h"
#include "core/task_context.h"
#include "core/url.h"
#include "protocol/body_rewrite.h"
#include "transport/engine.h"

namespace hfi {

struct ChatTarget {
  std::string label;     // as the caller wrote it, without its key: what responses and events name
  bool routed = false;   // a provider or router policy, reached through the router with the HF token
  std::string provider;  // routed: the router's model suffix ("" for auto)
  UrlParts base;         // otherwise: an OpenAI-compatible base URL
  Secret key;            // sent as "Bearer <key>" to this target only
  std::string model;     // replaces the request's model at this target
  uint32_t weight = 1;
  uint32_t tier = 0;
};

// One HFI_OPT_TARGET value: a tier of equivalent targets separated by '|', each
// "<base URL or provider>[; key=K][; weight=W][; model=M]". Appends to `out`; false + `error`.
bool parse_target_tier(std::string_view value, uint32_t tier, std::vector<ChatTarget>& out, std::string& error);

class ChatTargets {
 public:
  // Checks every target against the client's plain-http rule; null `out` with no targets.
  static bool create(const std::vector<Secret>& tiers, std::shared_ptr<const TaskContext> context,
                     BreakerSettings breaker, std::shared_ptr<ChatTargets>& out, std::string& error);

  size_t size() const { return targets_.size(); }
  const std::string& label(size_t target) const { return targets_[target].label; }
  TargetPicker& picker() { return picker_; }
  // Every key the targets hold (for the log's scrubber).
  std::vector<Secret> keys() const;

  // The exchange of one chat request at `target`: URL, body (the target's model, the stream flag),
  // headers (the target's credential; `extra` win over the client's). Timeouts are the caller's.
  void prepare(size_t target, std::string_view body, const json::BodyFacts& facts, bool stream,
               const std::vector<std::string>& extra, transport::TransferSettings& out) const;

 private:
  ChatTargets(std::vector<ChatTarget> targets, std::shared_ptr<const TaskContext> context, BreakerSettings breaker);
  std::vector<std::string> header_lines(const ChatTarget& target, bool stream,
                                        const std::vector<std::string>& extra) const;

  std::vector<ChatTarget> targets_;
  std::shared_ptr<const TaskContext> ctx_;
  // [target][stream]: the lines of requests without headers of their own, built once.
  std::vector<std::shared_ptr<const transport::HeaderList>> headers_;
  TargetPicker picker_;
};

}  // namespace hfi
