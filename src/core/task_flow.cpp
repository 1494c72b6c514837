#include "core/task_flow.h"

#include <simdjson.h>

#include <algorithm>

#include "protocol/body_rewrite.h"
#include "protocol/json_write.h"
#include "providers/hf_inference.h"
#include "providers/target.h"
#include "providers/task_request.h"

namespace hfi {
namespace {

using providers::ProviderInfo;

std::string json_string(std::string_view text) {
  std::string out;
  json::append_json_string(out, text);
  return out;
}

bool model_text_ok(std::string_view model, std::string& error) {
  if (model.empty()) {
    error = "the model is empty";
    return false;
  }
  for (char c : model) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      error = "the model contains a control character";
      return false;
    }
  }
  if (!simdjson::validate_utf8(model.data(), model.size())) {
    error = "the model is not valid UTF-8";
    return false;
  }
  return true;
}

// "auto", one provider, or several in order of preference.
hfi_status parse_providers(std::string_view spec, bool& is_auto, std::vector<const ProviderInfo*>& out,
                           std::string& error) {
  is_auto = spec.empty() || spec == "auto";
  if (is_auto) return HFI_OK;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    std::string_view name = spec.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    const ProviderInfo* p = providers::find_provider(name);
    if (!p) {
      error = name.empty() ? "an empty name in the provider list"
                           : "unknown provider '" + std::string(name) + "'";
      return HFI_E_INVALID_ARG;
    }
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
  }
  return HFI_OK;
}

// A chat or text-generation body asking for a stream.
bool asks_for_stream(std::string_view json) {
  if (json.empty()) return false;
  static thread_local json::BodyInspector inspector;
  json::BodyFacts facts;
  std::string ignored;
  return inspector.inspect(json, facts, ignored) && facts.has_stream && facts.stream;
}

// The text most callers want from a JSON output: generated, summary, translation or transcript.
std::string main_text(std::string_view output) {
  static thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (output.empty() || parser.parse(output.data(), output.size()).get(doc)) return {};
  simdjson::dom::array list;
  if (!doc.get(list)) {
    if (list.size() != 1) return {};
    doc = *list.begin();
  }
  simdjson::dom::object object;
  if (doc.get(object)) return {};
  for (const char* key : {"generated_text", "summary_text", "translation_text", "text"}) {
    std::string_view text;
    if (!object[key].get(text)) return std::string(text);
  }
  return {};
}

std::string url_path_escape(std::string_view model) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : model) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

TaskFlow::TaskFlow(std::shared_ptr<const TaskContext> context, TaskInput input)
    : ctx_(std::move(context)), in_(std::move(input)) {}

hfi_status TaskFlow::create(std::shared_ptr<const TaskContext> context, TaskInput input,
                            std::unique_ptr<TaskFlow>& out, transport::TransferSettings& first, bool& stream,
                            std::string& error) {
  std::unique_ptr<TaskFlow> flow(new TaskFlow(std::move(context), std::move(input)));
  hfi_status st = flow->plan(first, error);
  if (st != HFI_OK) return st;
  stream = flow->stream_;
  out = std::move(flow);
  return HFI_OK;
}

hfi_status TaskFlow::create_listing(std::shared_ptr<const TaskContext> context, std::string model,
                                    std::unique_ptr<TaskFlow>& out, transport::TransferSettings& first,
                                    std::string& error) {
  TaskInput input;
  input.model = std::move(model);
  if (!input.model.empty() && !model_text_ok(input.model, error)) return HFI_E_INVALID_ARG;
  std::unique_ptr<TaskFlow> flow(new TaskFlow(std::move(context), std::move(input)));
  const TaskContext& ctx = *flow->ctx_;
  if (ctx.has_base) {
    error = "the model listing is the router's; this client talks to a custom base URL";
    return HFI_E_UNSUPPORTED;
  }
  flow->stage_ = Stage::listing;
  if (ctx.timeout_ms > 0) {
    flow->deadline_ = flow->started_ + std::chrono::milliseconds(ctx.timeout_ms);
    flow->deadline_ms_ = ctx.timeout_ms;
  }
  std::string url = ctx.router_base + "/v1/models";
  if (!flow->in_.model.empty()) url += "/" + url_path_escape(flow->in_.model);
  std::string auth = flow->authorization();
  first = flow->exchange(std::move(url), true, {}, ctx.header_lines({}, auth, "", "application/json", {}, false, false), {});
  wipe(auth);
  out = std::move(flow);
  return HFI_OK;
}

hfi_status TaskFlow::plan(transport::TransferSettings& first, std::string& error) {
  task_ = tasks::find_task(in_.task);
  if (!task_) {
    error = "unknown task '" + in_.task + "'";
    return HFI_E_INVALID_ARG;
  }
  chat_ = task_->name == "chat-completion";
  if (!model_text_ok(in_.model, error)) return HFI_E_INVALID_ARG;
  if (!chat_ && !ctx_->has_base && !providers::is_model_id(in_.model)) {
    error = "'" + in_.model + "' is not a Hub model id (\"org/name\" or \"name\")";
    return HFI_E_INVALID_ARG;
  }
  providers::TaskCallInput check;
  check.task = task_;
  check.model = check.provider_model = in_.model;
  check.json = in_.json;
  check.binary = in_.binary;
  check.binary_type = in_.binary_type;
  hfi_status st = providers::check_task_input(check, error);
  if (st != HFI_OK) return st;
  // The router's chat policies pick among a chat model's providers; no other task has them.
  const bool from_client = in_.provider.empty();
  const std::string spec = from_client ? ctx_->default_provider : in_.provider;
  const bool policy = spec == "fastest" || spec == "cheapest";
  if (policy && !chat_ && !from_client) {
    error = "'" + spec + "' is a chat routing policy of the router; other tasks take auto, a provider or a list";
    return HFI_E_INVALID_ARG;
  }
  if (policy) {
    policy_ = chat_ ? spec : std::string();
  } else {
    st = parse_providers(spec, auto_, candidates_, error);
    if (st != HFI_OK) return st;
  }
  stream_ = (chat_ || task_->name == "text-generation") && asks_for_stream(in_.json);

  const int64_t timeout = in_.timeout_ms >= 0 ? in_.timeout_ms : ctx_->timeout_ms;
  if (timeout > 0) {
    deadline_ = started_ + std::chrono::milliseconds(timeout);
    deadline_ms_ = timeout;
  }
  job_.task = task_;

  if (ctx_->has_base) return chat_ ? chat_request(first, error) : submit(first, error);
  if (chat_) {
    // The router picks (auto) or takes the provider as a model suffix; only a provider's own key
    // needs the mapping, for the provider's model id.
    const bool direct = !auto_ && ctx_->provider_key(candidates_.front()->name);
    if (!direct && !auto_ && !candidates_.front()->routed) {
      error = std::string(candidates_.front()->name) +
              " is not reached through the router: give its key with HFI_OPT_PROVIDER_KEY";
      return HFI_E_UNSUPPORTED;
    }
    if (!direct) return chat_request(first, error);
  }
  const ProviderInfo* front = auto_ ? nullptr : candidates_.front();
  // The clients never ask the Hub about these: hf-inference serves Hub ids as they are, and
  // providers outside the router have no mapping.
  if (front && (front->name == "hf-inference" || !front->routed)) {
    provider_ = front;
    provider_name_ = front->name;
    provider_model_ = in_.model;
    if (!front->routed && provider_model_.rfind(std::string(front->name) + "/", 0) == 0)
      provider_model_.erase(0, front->name.size() + 1);  // "openai/gpt-4o" names openai's gpt-4o
    return submit(first, error);
  }
  std::vector<providers::MappingEntry> cached;
  if (ctx_->mappings &&
      ctx_->mappings->get(ctx_->hub_base, ctx_->token.get(), in_.model, Clock::now(), cached)) {
    st = choose(cached, error);
    return st != HFI_OK ? st : submit(first, error);
  }
  stage_ = Stage::mapping;
  mapping_request(first);
  return HFI_OK;
}

void TaskFlow::mapping_request(transport::TransferSettings& out) const {
  std::string url = ctx_->hub_base + "/api/models/" + url_path_escape(in_.model) +
                    "?expand%5B%5D=inferenceProviderMapping";
  std::string auth;
  if (!ctx_->token.empty() && ctx_->may_send_token_to(ctx_->hub)) auth = "Bearer " + ctx_->token.get();
  std::vector<std::string> headers = ctx_->header_lines({}, auth, "", "application/json", {}, false, false);
  wipe(auth);
  out = exchange(std::move(url), true, {}, std::move(headers), {});
}

hfi_status TaskFlow::choose(const std::vector<providers::MappingEntry>& entries, std::string& error) {
  std::string why;
  if (auto_) {
    if (const providers::MappingEntry* chosen = providers::choose_auto(entries, task_->name, why)) {
      provider_ = providers::find_provider(chosen->provider);
      provider_name_ = chosen->provider;
      provider_model_ = chosen->provider_id;
      entry_ = *chosen;
      return HFI_OK;
    }
  } else {
    entries_ = entries;
    while (next_candidate_ < candidates_.size())
      if (take_candidate(next_candidate_++, why)) return HFI_OK;
  }
  error = "no provider serves " + in_.model + " for " + std::string(task_->name) + (why.empty() ? "" : ": " + why);
  return HFI_E_UNSUPPORTED;
}

bool TaskFlow::take_candidate(size_t at, std::string& why) {
  const ProviderInfo* p = candidates_[at];
  if (p->name == "hf-inference") {
    // Served as a Hub id whatever the mapping says (the clients do not check it either).
    provider_ = p;
    provider_name_ = p->name;
    provider_model_ = in_.model;
    entry_.reset();
    return true;
  }
  std::string reason;
  const providers::MappingEntry* chosen = providers::choose_provider(entries_, p->name, task_->name, reason);
  if (!chosen) {
    why += (why.empty() ? "" : "; ") + std::string(p->name) + ": " + reason;
    return false;
  }
  provider_ = p;
  provider_name_ = chosen->provider;
  provider_model_ = chosen->provider_id;
  entry_ = *chosen;
  return true;
}

bool TaskFlow::fail_over(transport::TransferSettings& next) {
  if (stage_ != Stage::submit || auto_ || entries_.empty()) return false;
  std::string why, error;
  while (next_candidate_ < candidates_.size()) {
    if (!take_candidate(next_candidate_++, why)) continue;
    job_ = providers::JobState{};
    job_.task = task_;
    if (submit(next, error) == HFI_OK) return true;
  }
  return false;
}

std::string TaskFlow::authorization() const {
  if (!routed_) {
    const Secret* key = ctx_->provider_key(provider_->name);
    const char* scheme = provider_->direct_auth == providers::DirectAuth::key ? "Key " : "Bearer ";
    return key ? scheme + key->get() : std::string();
  }
  if (ctx_->token.empty()) return {};
  return ctx_->may_send_token_to(ctx_->has_base ? ctx_->base : ctx_->router) ? "Bearer " + ctx_->token.get()
                                                                             : std::string();
}

transport::TransferSettings TaskFlow::exchange(std::string url, bool get, std::string body,
                                               std::vector<std::string> headers, Clock::time_point not_before) const {
  transport::TransferSettings s;
  s.url = std::move(url);
  s.get = get;
  s.body = std::move(body);
  s.headers = std::make_shared<const transport::HeaderList>(headers);
  for (std::string& line : headers) wipe(line);  // one of them may hold a credential
  s.not_before = not_before;
  s.stall_timeout_ms = in_.stall_timeout_ms >= 0 ? in_.stall_timeout_ms : ctx_->stall_timeout_ms;
  s.first_byte_timeout_ms = in_.first_byte_timeout_ms >= 0 ? in_.first_byte_timeout_ms : ctx_->first_byte_timeout_ms;
  if (deadline_ != Clock::time_point::max()) {
    const auto from = std::max(Clock::now(), not_before);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - from).count();
    s.total_timeout_ms = std::max<int64_t>(1, left);
  }
  return s;
}

// Chat through the router's own route (the provider or policy as the model's suffix) or at a
// custom base URL: the caller's body with the model first and `stream` as the call asks.
hfi_status TaskFlow::chat_request(transport::TransferSettings& out, std::string& error) {
  json::BodyFacts facts;
  static thread_local json::BodyInspector inspector;
  if (in_.json.empty() || !inspector.inspect(in_.json, facts, error)) {
    error = "the chat body is not a JSON object" + (error.empty() ? std::string() : ": " + error);
    return HFI_E_INVALID_ARG;
  }
  std::string model = in_.model;
  if (!ctx_->has_base) {
    const std::string suffix = !policy_.empty() ? policy_ : auto_ ? std::string() : std::string(candidates_.front()->name);
    if (!suffix.empty() && model.find(':') == std::string::npos) model += ":" + suffix;
    provider_name_ = auto_ ? "" : suffix;
  }
  std::vector<std::pair<std::string, std::string>> overrides{{"model", json_string(model)}};
  if (facts.has_stream ? facts.stream != stream_ : stream_) overrides.emplace_back("stream", stream_ ? "true" : "false");
  stage_ = Stage::chat;
  std::vector<std::string> headers = ctx_->header_lines(in_.headers, authorization(), "application/json",
                                                        stream_ ? "text/event-stream" : "application/json", {},
                                                        true, false);
  std::string url = ctx_->has_base ? chat_url_for_base(ctx_->base, in_.model) : chat_url_for_router(ctx_->router);
  out = exchange(std::move(url), false, json::rewrite_body(in_.json, overrides), std::move(headers), {});
  return HFI_OK;
}

hfi_status TaskFlow::submit(transport::TransferSettings& out, std::string& error) {
  providers::TaskCallInput ci;
  ci.task = task_;
  ci.model = in_.model;
  ci.json = in_.json;
  ci.binary = in_.binary;
  ci.binary_type = in_.binary_type;
  ci.hub_base = ctx_->hub_base;
  providers::TaskHttpRequest req;
  std::string url;
  if (ctx_->has_base) {
    // A custom endpoint takes the hf-inference body at its own URL, whatever the task.
    provider_ = providers::find_provider("hf-inference");
    ci.provider = provider_;
    ci.provider_model = in_.model;
    hfi_status st = providers::build_custom_endpoint_request(ci, req, error);
    if (st != HFI_OK) return st;
    url = ctx_->base.scheme + "://" + ctx_->base.host + (ctx_->base.port.empty() ? "" : ":" + ctx_->base.port) +
          ctx_->base.path + req.path + (ctx_->base.query.empty() ? "" : "?" + ctx_->base.query);
  } else {
    ci.provider = provider_;
    ci.provider_model = provider_model_;
    ci.mapping = entry_ ? &*entry_ : nullptr;
    hfi_status st = providers::build_task_request(ci, req, error);
    if (st != HFI_OK) return st;
    const Secret* key = ctx_->provider_key(provider_->name);
    routed_ = key == nullptr;
    const std::string configured = routed_ ? std::string() : ctx_->configured_base(*provider_);
    providers::Target target;
    const bool token_allowed = ctx_->may_send_token_to(ctx_->router);
    st = providers::make_path_target(*provider_, req.path, req.queued, ctx_->router_base, routed_,
                                     routed_ ? (token_allowed ? ctx_->token.get() : std::string()) : key->get(),
                                     configured, target, error);
    if (st != HFI_OK && routed_ && !ctx_->token.empty() && !token_allowed)
      error += " (the token found in the environment goes to Hugging Face hosts only; set HFI_OPT_TOKEN to use it here)";
    for (std::string& line : target.headers) wipe(line);
    if (st != HFI_OK) return st;
    url = std::move(target.url);
    if (!routed_) {
      // Job URLs must stay on the host the job was submitted to.
      direct_base_ = !configured.empty() ? configured
                                         : std::string(req.queued ? provider_->queue_base : provider_->direct_base);
    }
  }
  std::string auth = authorization();
  std::vector<std::string> headers = ctx_->header_lines(in_.headers, auth, req.content_type,
                                                        req.stream ? "text/event-stream" : "", req.headers, routed_,
                                                        false);
  wipe(auth);
  job_.provider = provider_;
  job_.provider_model = provider_model_;
  job_.phase = providers::JobState::Phase::submitted;
  stage_ = chat_ ? Stage::chat : Stage::submit;
  out = exchange(std::move(url), req.method == "GET", std::move(req.body), std::move(headers), {});
  return HFI_OK;
}

TaskFlow::Verdict TaskFlow::on_answer(long status, std::string_view content_type, std::string_view body,
                                      hfi_response& response, transport::TransferSettings& next,
                                      std::optional<TaskProgress>& progress, hfi_status& code, std::string& error) {
  try {
    response.provider = provider_name_;
    if (stage_ == Stage::chat) return Verdict::not_mine;
    if (stage_ == Stage::listing) {
      static thread_local simdjson::dom::parser parser;
      simdjson::dom::object object;
      if (parser.parse(body.data(), body.size()).get(object)) {
        code = HFI_E_PROTOCOL;
        error = "the model listing is not a JSON object";
        return Verdict::failed;
      }
      response.json.assign(body);
      return Verdict::done;
    }
    if (stage_ == Stage::mapping) {
      std::vector<providers::MappingEntry> entries;
      if (!providers::parse_mapping(body, entries, error)) {
        code = HFI_E_PROTOCOL;
        error = "the Hub's provider mapping of " + in_.model + " is unreadable: " + error;
        return Verdict::failed;
      }
      if (ctx_->mappings) ctx_->mappings->put(ctx_->hub_base, ctx_->token.get(), in_.model, entries, Clock::now());
      code = choose(entries, error);
      if (code == HFI_OK) code = submit(next, error);
      response.provider = provider_name_;
      return code == HFI_OK ? Verdict::next : Verdict::failed;
    }
    providers::TaskStep step;
    providers::next_step(job_, providers::TaskHttpResponse{status, content_type, body}, step);
    Verdict verdict = follow(step, response, next, progress, code, error);
    // A poll placed at the deadline that was still answered in time: the call is over anyway.
    if (verdict == Verdict::next && Clock::now() >= deadline_) {
      code = HFI_E_TIMEOUT;
      error = timeout_message();
      return Verdict::failed;
    }
    return verdict;
  } catch (const std::bad_alloc&) {
    code = HFI_E_NOMEM;
    error = "out of memory";
    return Verdict::failed;
  }
}

TaskFlow::Verdict TaskFlow::follow(const providers::TaskStep& step, hfi_response& response,
                                   transport::TransferSettings& next, std::optional<TaskProgress>& progress,
                                   hfi_status& code, std::string& error) {
  using Kind = providers::TaskStep::Kind;
  using Phase = providers::JobState::Phase;
  switch (step.kind) {
    case Kind::done:
      response.json = step.output_json;
      response.bytes = step.bytes;
      response.media_type = step.content_type;
      response.content = main_text(step.output_json);
      return Verdict::done;
    case Kind::failed:
      code = step.code == HFI_OK ? HFI_E_PROTOCOL : step.code;
      error = step.error;
      return Verdict::failed;
    case Kind::download: {
      UrlParts parts;
      if (!ctx_->check_fetch_url(step.url, parts, error)) {
        code = HFI_E_PROTOCOL;
        return Verdict::failed;
      }
      job_.phase = Phase::downloading;
      stage_ = Stage::job;
      next = exchange(step.url, true, {}, ctx_->header_lines({}, "", "", "", {}, false, true), {});
      next.follow_redirects = true;
      return Verdict::next;
    }
    case Kind::poll:
    case Kind::fetch: {
      std::string url;
      if (providers::job_url(*provider_, step.url, routed_, ctx_->router_base, direct_base_, url, error) != HFI_OK) {
        code = HFI_E_PROTOCOL;
        return Verdict::failed;
      }
      Clock::time_point at{};
      if (step.kind == Kind::poll) {
        if (deadline_ == Clock::time_point::max()) {
          deadline_ = started_ + kDefaultJobDeadline;
          deadline_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(kDefaultJobDeadline).count();
        }
        const int64_t interval = in_.poll_interval_ms >= 0 ? in_.poll_interval_ms : step.interval_ms;
        // A poll that would come after the deadline is an exchange that times out at it.
        at = std::min(Clock::now() + std::chrono::milliseconds(interval), deadline_);
        progress = TaskProgress{step.status, step.progress};
        job_.phase = Phase::polling;
      } else {
        job_.phase = Phase::fetching;
      }
      stage_ = Stage::job;
      std::string auth = authorization();
      std::vector<std::string> headers = ctx_->header_lines(in_.headers, auth, "", "application/json", {},
                                                            routed_, false);
      wipe(auth);
      next = exchange(std::move(url), true, {}, std::move(headers), at);
      return Verdict::next;
    }
  }
  code = HFI_E_INTERNAL;
  error = "unknown task step";
  return Verdict::failed;
}

std::string TaskFlow::timeout_message() const {
  return "the " + std::string(task_ ? task_->name : "task") + " call took longer than " +
         std::to_string(deadline_ms_) + " ms" + (job_.polls > 0 ? " (its job was still running)" : "");
}

}  // namespace hfi
