#include "core/client.h"

#include <strings.h>

#include "core/chat_call.h"
#include "core/token.h"
#include "protocol/body_rewrite.h"
#include "protocol/json_write.h"

namespace hfi {
namespace {

bool check_plain_http(const UrlParts& url, bool allowed, const char* what, std::string& error) {
  if (url.scheme == "https" || allowed || is_loopback_host(url.host)) return true;
  error = std::string(what) +
          " uses plain http to a host that is not loopback; use https, or set "
          "HFI_OPT_ALLOW_INSECURE_HTTP to 1 if you really mean it";
  return false;
}

bool model_comes_first(std::string_view body) {
  auto skip_space = [&](size_t i) {
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) ++i;
    return i;
  };
  size_t i = skip_space(0);
  if (i >= body.size() || body[i] != '{') return false;
  i = skip_space(i + 1);
  return body.compare(i, 7, "\"model\"") == 0;
}

std::string json_string(std::string_view text) {
  std::string out;
  json::append_json_string(out, text);
  return out;
}

}  // namespace

Client::~Client() {
  // Requests may outlive their client (garbage collectors free in any order): end them all now,
  // then drop what nobody will collect. Each request keeps what it needs to be freed later.
  if (engine_) engine_->shutdown();  // absent when create() refused the options
  hub_->release_ended();
  hub_->clear();
}

hfi_status Client::create(const ClientOptions& opts, std::unique_ptr<Client>& out, std::string& error) {
  std::unique_ptr<Client> c(new Client());
  c->opts_ = opts;
  if (!parse_http_url(opts.router_url, c->router_, error)) return HFI_E_INVALID_ARG;
  if (!check_plain_http(c->router_, opts.allow_insecure_http, "the router URL", error)) return HFI_E_INVALID_ARG;
  if (!opts.base_url.empty()) {
    if (!parse_http_url(opts.base_url, c->base_, error)) return HFI_E_INVALID_ARG;
    if (!check_plain_http(c->base_, opts.allow_insecure_http, "the base URL", error)) return HFI_E_INVALID_ARG;
    c->has_base_ = true;
  }
  if (!opts.token.empty()) {
    c->token_ = opts.token;
    c->token_explicit_ = true;
  } else if (opts.token_from_env) {
    c->token_ = find_token_in_environment().value;
  }
  c->user_agent_ = std::string("hfi/" HFI_VERSION_STR " libcurl/") + curl_version_info(CURLVERSION_NOW)->version;
  if (!opts.user_agent_suffix.empty()) c->user_agent_ += " " + opts.user_agent_suffix;
  if (!c->has_base_) c->chat_url_ = chat_url_for_router(c->router_);
  else if (!chat_url_names_model(c->base_)) c->chat_url_ = chat_url_for_base(c->base_, "");
  for (bool stream : {false, true}) c->headers_[stream] = c->build_headers(stream, {});
  c->tasks_ = std::make_shared<const TaskContext>(opts, c->token_, c->token_explicit_, c->user_agent_);
  if (!opts.target_tiers.empty() && c->has_base_) {
    error = "HFI_OPT_TARGET and HFI_OPT_BASE_URL are alternatives: give the base URL as a target";
    return HFI_E_INVALID_ARG;
  }
  if (!ChatTargets::create(opts.target_tiers, c->tasks_, {opts.breaker_failures, opts.breaker_cooldown_ms},
                           c->targets_, error))
    return HFI_E_INVALID_ARG;
  std::vector<Secret> secrets{c->token_, opts.token};
  for (const auto& [provider, key] : opts.provider_keys) secrets.push_back(key);
  if (c->targets_)
    for (Secret& key : c->targets_->keys()) secrets.push_back(key);
  c->log_ = std::make_shared<const Logger>(opts.log, SecretScrubber(std::move(secrets)));
  transport::ConnectionSettings connection;
  connection.ca_bundle = opts.ca_bundle;
  connection.proxy = opts.proxy;
  connection.connect_timeout_ms = opts.connect_timeout_ms;
  c->engine_ = std::make_shared<transport::Engine>(opts.io_mode == HFI_IO_THREAD, std::move(connection));
  out = std::move(c);
  return HFI_OK;
}

bool Client::may_send_token_to(const UrlParts& target) const {
  return token_explicit_ || is_hugging_face_host(target.host);
}

std::vector<std::string> Client::header_lines(bool stream, const std::vector<std::string>& extra_headers) const {
  std::vector<std::string> h;
  // Per-request headers replace client headers of the same name, which replace hfi's own.
  std::vector<std::string> user = extra_headers;
  for (const std::string& line : opts_.headers)
    if (!has_header(extra_headers, header_name(line))) user.push_back(line);
  auto add = [&](std::string_view name, std::string_view value) {
    if (has_header(user, name)) return;
    std::string line(name);
    // "Name:" with nothing after it tells libcurl to drop a header it would add by itself.
    line += value.empty() ? ":" : ": ";
    line += value;
    h.push_back(std::move(line));
  };
  add("Content-Type", "application/json");
  add("Accept", stream ? "text/event-stream" : "application/json");
  add("User-Agent", user_agent_);
  if (!token_.empty() && may_send_token_to(has_base_ ? base_ : router_))
    add("Authorization", Secret("Bearer " + token_.get()).get());
  if (!opts_.bill_to.empty()) add("X-HF-Bill-To", opts_.bill_to);
  // libcurl would wait up to a second for "100 Continue" before sending a large body.
  add("Expect", "");
  h.insert(h.end(), user.begin(), user.end());
  return h;
}

std::shared_ptr<const transport::HeaderList> Client::build_headers(bool stream,
                                                                 const std::vector<std::string>& extra_headers) const {
  std::vector<std::string> lines = header_lines(stream, extra_headers);
  auto list = std::make_shared<const transport::HeaderList>(lines);
  for (std::string& line : lines) wipe(line);  // one of them holds the token
  return list;
}

hfi_status Client::prepare_chat(std::string_view body, bool stream, const std::vector<std::string>& extra_headers,
                                transport::TransferSettings& s, std::unique_ptr<ChatRoute>& route,
                                std::string& error) const {
  json::BodyFacts facts;
  std::string reason;
  if (!inspector_.inspect(body, facts, reason)) {
    error = "the request body is not valid JSON: " + reason;
    return HFI_E_INVALID_ARG;
  }
  if (!facts.is_object || !facts.has_model || facts.model.empty()) {
    error = "the request body must be a JSON object with a non-empty \"model\" string";
    return HFI_E_INVALID_ARG;
  }

  s.total_timeout_ms = opts_.timeout_ms;
  s.stall_timeout_ms = opts_.stall_timeout_ms;
  s.first_byte_timeout_ms = opts_.first_byte_timeout_ms;
  if (targets_) {
    route = std::make_unique<ChatRoute>();
    route->targets = targets_;
    route->order = targets_->picker().order(std::chrono::steady_clock::now());
    route->facts = std::move(facts);
    route->stream = stream;
    route->extra_headers = extra_headers;
    targets_->prepare(route->order[0], body, route->facts, stream, extra_headers, s);
    return HFI_OK;
  }

  std::vector<std::pair<std::string, std::string>> overrides;
  std::string model = facts.model;
  bool routed = !has_base_;
  if (routed && !opts_.provider.empty() && model.find(':') == std::string::npos) model += ":" + opts_.provider;
  // The router reads the model from the start of the body (media bodies can be megabytes).
  if (model != facts.model || !model_comes_first(body)) overrides.emplace_back("model", json_string(model));
  // An absent "stream" already means false: only a body that says otherwise is rewritten.
  if (facts.has_stream ? facts.stream != stream : stream) overrides.emplace_back("stream", stream ? "true" : "false");
  s.body = overrides.empty() ? std::string(body) : json::rewrite_body(body, overrides);

  s.url = chat_url_.empty() ? chat_url_for_base(base_, model) : chat_url_;
  // Most requests send exactly the client's headers: one list, built once, serves them all.
  s.headers = extra_headers.empty() ? headers_[stream] : build_headers(stream, extra_headers);
  return HFI_OK;
}

ChatCallLimits Client::limits(int64_t max_retries) const {
  ChatCallLimits limits;
  limits.max_response_bytes = static_cast<size_t>(opts_.max_response_bytes);
  limits.max_event_bytes = static_cast<size_t>(opts_.max_event_bytes);
  limits.retry.max_retries = max_retries >= 0 ? max_retries : opts_.max_retries;
  limits.retry.max_retry_after_ms = opts_.max_retry_after_ms;
  limits.retry.wait_for_model_ms = opts_.wait_for_model_ms;
  limits.retry.max_retry_time_ms = opts_.max_retry_time_ms;
  limits.log = log_;
  return limits;
}

hfi_status Client::chat(std::string_view body, bool stream, hfi_event_cb cb, void* user_data,
                        std::unique_ptr<hfi_response>& out, std::string& error) {
  transport::TransferSettings settings;
  std::unique_ptr<ChatRoute> route;
  hfi_status st = prepare_chat(body, stream, {}, settings, route, error);
  if (st != HFI_OK) return st;
  Delivery delivery;
  delivery.callback = cb;
  delivery.user_data = user_data;
  auto call = std::make_shared<ChatCall>(stream, limits(), settings.url, std::move(delivery));
  call->settings = std::move(settings);
  if (route) call->set_route(std::move(*route));
  engine_->submit(call);
  hfi_status result = call->wait(*engine_, -1);
  out = call->take_response();
  return result;
}

hfi_status Client::start(std::string_view body, bool stream, const RequestSettings& request, Delivery delivery,
                         std::shared_ptr<ChatCall>& out, std::string& error) {
  transport::TransferSettings settings;
  std::unique_ptr<ChatRoute> route;
  hfi_status st = prepare_chat(body, stream, request.headers, settings, route, error);
  if (st != HFI_OK) return st;
  if (request.timeout_ms >= 0) settings.total_timeout_ms = request.timeout_ms;
  if (request.stall_timeout_ms >= 0) settings.stall_timeout_ms = request.stall_timeout_ms;
  if (request.first_byte_timeout_ms >= 0) settings.first_byte_timeout_ms = request.first_byte_timeout_ms;
  delivery.hub = hub_;
  out = std::make_shared<ChatCall>(stream, limits(request.max_retries), settings.url, std::move(delivery));
  out->settings = std::move(settings);
  if (route) out->set_route(std::move(*route));
  return HFI_OK;
}

std::shared_ptr<ChatCall> Client::task_call(std::unique_ptr<TaskFlow> flow, transport::TransferSettings first,
                                            bool stream, Delivery delivery, int64_t max_retries) const {
  auto call = std::make_shared<ChatCall>(stream, limits(max_retries), first.url, std::move(delivery));
  call->settings = std::move(first);
  call->set_task(std::move(flow));
  return call;
}

hfi_status Client::run_blocking(const std::shared_ptr<ChatCall>& call, std::unique_ptr<hfi_response>& out) {
  engine_->submit(call);
  hfi_status result = call->wait(*engine_, -1);
  out = call->take_response();
  return result;
}

hfi_status Client::new_task(TaskInput input, Delivery delivery, std::shared_ptr<ChatCall>& out,
                            std::string& error) const {
  std::unique_ptr<TaskFlow> flow;
  transport::TransferSettings first;
  bool stream = false;
  const int64_t max_retries = input.max_retries;
  hfi_status st = TaskFlow::create(tasks_, std::move(input), flow, first, stream, error);
  if (st == HFI_OK) out = task_call(std::move(flow), std::move(first), stream, std::move(delivery), max_retries);
  return st;
}

hfi_status Client::task(TaskInput input, Delivery delivery, std::unique_ptr<hfi_response>& out, std::string& error) {
  std::shared_ptr<ChatCall> call;
  hfi_status st = new_task(std::move(input), std::move(delivery), call, error);
  return st != HFI_OK ? st : run_blocking(call, out);
}

hfi_status Client::start_task(TaskInput input, Delivery delivery, std::shared_ptr<ChatCall>& out, std::string& error) {
  delivery.hub = hub_;
  return new_task(std::move(input), std::move(delivery), out, error);
}

hfi_status Client::list_models(std::string model, std::unique_ptr<hfi_response>& out, std::string& error) {
  std::unique_ptr<TaskFlow> flow;
  transport::TransferSettings first;
  hfi_status st = TaskFlow::create_listing(tasks_, std::move(model), flow, first, error);
  if (st != HFI_OK) return st;
  return run_blocking(task_call(std::move(flow), std::move(first), false, Delivery{}, -1), out);
}

void Client::submit(std::shared_ptr<ChatCall> call) {
  ++hub_->running;
  engine_->submit(std::move(call));
}

hfi_status Client::poll(int64_t timeout_ms, int32_t* running) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point until =
      timeout_ms < 0 ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (!engine_->has_io_thread()) {
      // Drive the network here: at least one round of I/O even with a timeout of 0.
      engine_->add_waker(hub_.get());
      bool drove = engine_->try_drive([this] { return hub_->has_ready(); }, until);
      if (!drove && !hub_->has_ready()) hub_->wait_for_driver(until);
      engine_->remove_waker(hub_.get());
    }
    bool dispatched = false;
    for (auto& call : hub_->take_ready()) {
      call->dispatch_pending(*engine_);
      dispatched = true;
    }
    if (dispatched || hub_->take_wakeup() || Clock::now() >= until) break;
    if (engine_->has_io_thread()) hub_->wait(until);
  }
  hub_->release_ended();
  if (running) *running = hub_->running.load();
  return HFI_OK;
}

std::unique_ptr<PulledEvent> Client::next_event() {
  std::unique_ptr<PulledEvent> ev = hub_->pop_event();
  // Without an I/O thread, the queue fills only while someone drives: one step, no waiting, and
  // only when the queue is empty, so that draining N events does not cost N rounds of I/O.
  if (!ev && !engine_->has_io_thread()) {
    engine_->try_drive([] { return true; }, std::chrono::steady_clock::now());
    ev = hub_->pop_event();
  }
  hub_->release_ended();
  // A request counts as running until its final event is in the application's hands.
  if (ev && (ev->type == HFI_EVENT_DONE || ev->type == HFI_EVENT_ERROR)) --hub_->running;
  return ev;
}

void Client::wakeup() {
  hub_->wakeup();
  engine_->wakeup();
}

}  // namespace hfi
