#include "core/chat_targets.h"

#include <charconv>
#include <random>

#include "core/options.h"
#include "protocol/json_write.h"
#include "providers/table.h"

namespace hfi {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool parse_where(std::string_view where, ChatTarget& t, std::string& error) {
  if (where.rfind("http://", 0) == 0 || where.rfind("https://", 0) == 0) {
    if (!parse_http_url(where, t.base, error)) return false;
    t.label = std::string(where);
    return true;
  }
  t.routed = true;
  t.label = std::string(where);
  if (where == "auto") return true;
  if (where == "fastest" || where == "cheapest") {
    t.provider = std::string(where);
    return true;
  }
  const providers::ProviderInfo* provider = providers::find_provider(where);
  if (!provider || !provider->routed) {
    error = "\"" + std::string(where) +
            "\" is neither an http(s) base URL nor a provider the router serves (or auto, fastest, cheapest)";
    return false;
  }
  t.provider = std::string(where);
  return true;
}

bool parse_field(std::string_view field, ChatTarget& t, std::string& error) {
  const size_t eq = field.find('=');
  const std::string_view name = trim(field.substr(0, eq));
  const std::string_view value = eq == std::string_view::npos ? std::string_view() : trim(field.substr(eq + 1));
  if (eq == std::string_view::npos || value.empty()) {
    error = "a target's setting is written name=value (key, weight or model)";
    return false;
  }
  if (name == "key") {
    t.key = Secret(std::string(value));
    return true;
  }
  if (name == "model") {
    t.model = std::string(value);
    return true;
  }
  if (name == "weight") {
    uint32_t w = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), w);
    if (ec != std::errc() || end != value.data() + value.size() || w < 1 || w > 1000) {
      error = "a target's weight is a whole number from 1 to 1000";
      return false;
    }
    t.weight = w;
    return true;
  }
  error = "unknown target setting \"" + std::string(name) + "\" (key, weight or model)";
  return false;
}

}  // namespace

bool parse_target_tier(std::string_view value, uint32_t tier, std::vector<ChatTarget>& out, std::string& error) {
  std::vector<ChatTarget> parsed;
  while (true) {
    const size_t bar = value.find('|');
    std::string_view text = value.substr(0, bar);
    ChatTarget t;
    t.tier = tier;
    bool first = true;
    while (true) {
      const size_t semi = text.find(';');
      const std::string_view field = trim(text.substr(0, semi));
      if (first) {
        if (field.empty()) {
          error = "a target is a base URL or a provider, optionally followed by \"; key=...\", \"; weight=N\" or "
                  "\"; model=...\"; targets of one tier are separated by '|'";
          return false;
        }
        if (!parse_where(field, t, error)) return false;
        first = false;
      } else if (!parse_field(field, t, error)) {
        return false;
      }
      if (semi == std::string_view::npos) break;
      text.remove_prefix(semi + 1);
    }
    if (t.routed && !t.key.empty()) {
      error = "target \"" + t.label + "\" goes through the router with the Hugging Face token; a key of its own "
              "needs the provider's base URL as the target";
      return false;
    }
    parsed.push_back(std::move(t));
    if (bar == std::string_view::npos) break;
    value.remove_prefix(bar + 1);
  }
  for (ChatTarget& t : parsed) out.push_back(std::move(t));
  return true;
}

bool ChatTargets::create(const std::vector<Secret>& tiers, std::shared_ptr<const TaskContext> context,
                         BreakerSettings breaker, std::shared_ptr<ChatTargets>& out, std::string& error) {
  out.reset();
  std::vector<ChatTarget> targets;
  for (size_t i = 0; i < tiers.size(); ++i)
    if (!parse_target_tier(tiers[i].get(), static_cast<uint32_t>(i), targets, error)) return false;
  if (targets.empty()) return true;
  for (const ChatTarget& t : targets) {
    const UrlParts& where = t.routed ? context->router : t.base;
    if (where.scheme != "https" && !context->allow_insecure_http && !is_loopback_host(where.host)) {
      error = "target \"" + t.label + "\" uses plain http to a host that is not loopback; use https, or set "
              "HFI_OPT_ALLOW_INSECURE_HTTP to 1 if you really mean it";
      return false;
    }
  }
  out.reset(new ChatTargets(std::move(targets), std::move(context), breaker));
  return true;
}

namespace {
std::vector<TargetPicker::Slot> slots_of(const std::vector<ChatTarget>& targets) {
  std::vector<TargetPicker::Slot> slots;
  for (const ChatTarget& t : targets) slots.push_back({t.tier, t.weight});
  return slots;
}
}  // namespace

ChatTargets::ChatTargets(std::vector<ChatTarget> targets, std::shared_ptr<const TaskContext> context,
                         BreakerSettings breaker)
    : targets_(std::move(targets)),
      ctx_(std::move(context)),
      picker_(slots_of(targets_), breaker, std::random_device{}()) {
  for (const ChatTarget& t : targets_) {
    for (bool stream : {false, true}) {
      std::vector<std::string> lines = header_lines(t, stream, {});
      headers_.push_back(std::make_shared<const transport::HeaderList>(lines));
      for (std::string& line : lines) wipe(line);  // one of them holds a credential
    }
  }
}

std::vector<Secret> ChatTargets::keys() const {
  std::vector<Secret> keys;
  for (const ChatTarget& t : targets_)
    if (!t.key.empty()) keys.push_back(t.key);
  return keys;
}

std::vector<std::string> ChatTargets::header_lines(const ChatTarget& t, bool stream,
                                                   const std::vector<std::string>& extra) const {
  Secret authorization;
  if (!t.key.empty()) {
    authorization = Secret("Bearer " + t.key.get());
  } else if (!ctx_->token.empty()) {
    // The HF token goes to the router, or to a Hugging Face host named as a target; never elsewhere.
    const bool hf = t.routed ? ctx_->may_send_token_to(ctx_->router) : is_hugging_face_host(t.base.host);
    if (hf) authorization = Secret("Bearer " + ctx_->token.get());
  }
  return ctx_->header_lines(extra, authorization.get(), "application/json",
                            stream ? "text/event-stream" : "application/json", {}, t.routed, false);
}

void ChatTargets::prepare(size_t target, std::string_view body, const json::BodyFacts& facts, bool stream,
                          const std::vector<std::string>& extra, transport::TransferSettings& out) const {
  const ChatTarget& t = targets_[target];
  std::string model = t.model.empty() ? facts.model : t.model;
  if (t.routed && !t.provider.empty() && model.find(':') == std::string::npos) model += ":" + t.provider;
  std::vector<std::pair<std::string, std::string>> overrides;
  std::string quoted;
  json::append_json_string(quoted, model);
  overrides.emplace_back("model", std::move(quoted));
  if (facts.has_stream ? facts.stream != stream : stream) overrides.emplace_back("stream", stream ? "true" : "false");
  out.body = json::rewrite_body(body, overrides);
  out.url = t.routed ? chat_url_for_router(ctx_->router) : chat_url_for_base(t.base, model);
  if (extra.empty()) {
    out.headers = headers_[target * 2 + (stream ? 1 : 0)];
  } else {
    std::vector<std::string> lines = header_lines(t, stream, extra);
    out.headers = std::make_shared<const transport::HeaderList>(lines);
    for (std::string& line : lines) wipe(line);
  }
}

}  // namespace hfi
