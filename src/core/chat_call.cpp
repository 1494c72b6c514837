#include "core/chat_call.h"

#include <strings.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>

#include "core/redact.h"
#include "core/retry_after.h"
#include "core/status.h"
#include "protocol/error_body.h"
#include "protocol/generation_chunks.h"
#include "protocol/json_write.h"
#include "protocol/stream_chunks.h"

namespace hfi {
namespace {

constexpr size_t kRetainedEvents = 8;

// "Name: value" with the value's surrounding blanks trimmed.
bool split_header(std::string_view line, std::string_view& name, std::string_view& value) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  name = line.substr(0, colon);
  value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return true;
}

bool same_ci(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && strncasecmp(s.data(), lower.data(), lower.size()) == 0;
}

// A leading decimal number, or -1.
long long decimal(std::string_view text) {
  long long value = -1;
  if (std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc()) return -1;
  return value;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

hfi_event text_event(int32_t type, int32_t choice, std::string_view text, std::string_view json) {
  hfi_event ev;
  ev.type = type;
  ev.choice_index = choice;
  ev.text = text;
  ev.json = json;
  return ev;
}

hfi_event usage_event(const json::Usage& usage, std::string_view json) {
  hfi_event ev;
  ev.type = HFI_EVENT_USAGE;
  ev.prompt_tokens = usage.prompt_tokens;
  ev.completion_tokens = usage.completion_tokens;
  ev.total_tokens = usage.total_tokens;
  ev.json = json;
  return ev;
}

// Views of the arguments must already live in the batch's EventText.
hfi_event tool_event(int32_t choice, int32_t index, std::string_view id, std::string_view name,
                     std::string_view arguments, std::string_view json) {
  hfi_event ev;
  ev.type = HFI_EVENT_TOOL_CALL;
  ev.choice_index = choice;
  ev.tool_call_index = index;
  ev.tool_call_id = id;
  ev.tool_call_name = name;
  ev.tool_call_arguments = arguments;
  ev.json = json;
  return ev;
}

}  // namespace

ChatCall::ChatCall(bool stream, ChatCallLimits limits, std::string display_url, Delivery delivery)
    : stream_(stream),
      limits_(limits),
      delivery_(std::move(delivery)),
      response_(std::make_unique<hfi_response>()) {
  response_->url = std::move(display_url);
}

PulledEventOwner::PulledEventOwner(std::shared_ptr<ChatCall> call) : call_(std::move(call)) {}

PulledEventOwner& PulledEventOwner::operator=(PulledEventOwner&& other) noexcept {
  if (this != &other) {
    if (call_) call_->pulled_event_freed();
    call_ = std::move(other.call_);
  }
  return *this;
}

PulledEventOwner::~PulledEventOwner() {
  if (call_) call_->pulled_event_freed();
}

ChatCall::~ChatCall() { release_user_data(); }

void ChatCall::release_user_data() {
  if (delivery_.release && !released_.exchange(true)) delivery_.release(delivery_.user_data);
}

bool ChatCall::finished() {
  std::lock_guard<std::mutex> lock(mutex_);
  return finished_;
}

bool ChatCall::try_release() {
  if (released_) return true;
  // A callback still running (perhaps the very one freeing the request) keeps the user data:
  // dispatch_pending releases it when the callback has returned.
  if (!detached_ || dispatching_now_ || pulled_alive_.load() > 0 || !finished()) return false;
  release_user_data();
  return true;
}

void ChatCall::pulled_event_freed() {
  if (--pulled_alive_ == 0) try_release();
}

void ChatCall::free_handle(transport::Engine* engine) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    detached_ = true;
  }
  if (finished()) {
    try_release();  // or, if pulled events are still alive, when the last of them goes
    return;
  }
  if (engine) engine->stop(*this, HFI_E_CANCELLED);
  // Released by the client's next poll, next_event or free once it has ended. A client freed in the
  // meantime (another thread) has ended every request already, and nobody polls any more.
  if (!delivery_.hub->add_freed(std::static_pointer_cast<ChatCall>(shared_from_this()))) try_release();
}

// ---- driver thread -------------------------------------------------------------------------

void ChatCall::log(int32_t level, std::string line) const {
  limits_.log->log(level, "#" + std::to_string(log_id_) + " " + line);
}

std::string ChatCall::current_target() const {
  return route_ ? route_->targets->label(route_->order[route_->at]) : std::string();
}

std::string ChatCall::attempt_end(const transport::TransferOutcome& outcome) const {
  if (outcome.stopped != HFI_OK) return status_text(outcome.stopped);
  if (outcome.curl != CURLE_OK && !(http_status_ >= 200 && http_status_ < 300 && body_complete()))
    return outcome.curl_message.empty() ? curl_easy_strerror(outcome.curl) : outcome.curl_message;
  return "HTTP " + std::to_string(http_status_);
}

void ChatCall::on_start() {
  if (!logging(HFI_LOG_INFO)) return;
  std::string line = "attempt " + std::to_string(response_->attempts) + ": " + (settings.get ? "GET " : "POST ") +
                     shown_url(settings.url);
  if (route_) line += " (target " + current_target() + ")";
  log(HFI_LOG_INFO, std::move(line));
  if (!logging(HFI_LOG_DEBUG) || !settings.headers) return;
  for (const curl_slist* h = settings.headers->get(); h; h = h->next)
    log(HFI_LOG_DEBUG, "> " + shown_header_line(h->data));
}

void ChatCall::on_header(std::string_view line) {
  if (logging(HFI_LOG_DEBUG)) log(HFI_LOG_DEBUG, "< " + shown_header_line(line));
  if (starts_with_ci(line, "HTTP/")) {
    // A new response block (after a 100 Continue or a proxy's CONNECT): forget the previous one.
    size_t space = line.find(' ');
    forget_response_headers();
    http_status_ = space == std::string_view::npos ? 0 : std::max(0LL, decimal(line.substr(space + 1, 3)));
    return;
  }
  std::string_view name, value;
  if (!split_header(line, name, value)) return;
  if (starts_with_ci(name, "ratelimit") || starts_with_ci(name, "x-ratelimit")) read_rate_limit_header(name, value, rate_limit_);
  // By length first: most lines are none of these, and this settles them with one comparison.
  switch (name.size()) {
    case 11:
      if (same_ci(name, "retry-after")) retry_after_.assign(value);
      else if (same_ci(name, "x-amz-cf-id")) keep_request_id(value, /*preferred=*/false);
      break;
    case 12:
      if (same_ci(name, "content-type")) content_type_.assign(value);
      else if (same_ci(name, "x-request-id")) keep_request_id(value, /*preferred=*/true);
      break;
    case 14:
      if (same_ci(name, "content-length")) content_length_ = decimal(value);
      else if (same_ci(name, "retry-after-ms")) retry_after_ms_.assign(value);
      else if (same_ci(name, "x-should-retry")) should_retry_.assign(value);
      break;
    case 15:
      if (same_ci(name, "x-amzn-trace-id")) keep_request_id(value, /*preferred=*/false);
      break;
    default:
      break;
  }
}

// x-request-id wins; the AWS trace ids stand in for it when a server sends none.
void ChatCall::keep_request_id(std::string_view value, bool preferred) {
  if (preferred || response_->request_id.empty()) response_->request_id.assign(value);
}

void ChatCall::decide_body_mode() {
  if (http_status_ < 200 || http_status_ > 299) mode_ = BodyMode::error;
  else if (stream_ && starts_with_ci(content_type_, "text/event-stream")) {
    sse_ = std::make_unique<StreamState>(limits_.max_event_bytes);
    mode_ = BodyMode::sse;
  } else {
    mode_ = BodyMode::whole;
  }
}

bool ChatCall::on_body(const char* data, size_t len) {
  if (mode_ == BodyMode::undecided) decide_body_mode();
  if (mode_ != BodyMode::sse) {
    if (body_.size() + len > limits_.max_response_bytes) {
      stop_self(HFI_E_TOO_LARGE);
      return false;
    }
    body_.append(data, len);
    return true;
  }
  if (saw_done_ || stream_failed_) return true;  // the stream is over; let the body drain
  // Room for this read's events and their text at once (the text is about the read's size, and a
  // chunk is rarely under 250 bytes): one allocation each per read rather than growing ones, and
  // not much more, as thousands of streams may hold a read's worth of events at the same time.
  if (batch_text_.empty()) batch_text_.expect(len + 64);
  if (batch_.empty()) batch_.reserve(len / 250 + 2);
  sse::FeedStatus fed = sse_->parser.feed(data, len, *this);
  stream_delivered_ = stream_delivered_ || !batch_.empty();
  publish_batch();
  if (fed == sse::FeedStatus::event_too_large) {
    fail(HFI_E_TOO_LARGE, "a stream event exceeded " + std::to_string(limits_.max_event_bytes) + " bytes");
    stop_self(HFI_E_TOO_LARGE);
    return false;
  }
  if (stream_failed_) {
    stop_self(response_->status);
    return false;
  }
  if (saw_done_) mark_complete();
  return true;
}

bool ChatCall::on_event(const sse::Event& ev) {
  if (ev.type == "error") {
    json::ErrorInfo info = json::parse_error_body(ev.data, "application/json");
    fail(HFI_E_STREAM_ERROR, info.message.empty() ? std::string(ev.data) : info.message);
    response_->error.type = info.type.empty() ? info.code : info.type;
    response_->error.body.assign(ev.data);
    return false;
  }
  if (ev.data == "[DONE]") {
    saw_done_ = true;
    return false;
  }
  return handle_chunk(ev.data, ev.padded);
}

bool ChatCall::handle_generation_chunk(std::string_view data) {
  json::GenerationChunk chunk;
  if (!json::parse_generation_chunk(data, chunk)) {
    fail(HFI_E_PROTOCOL, "stream event is not a JSON object: " + std::string(data.substr(0, 200)));
    response_->error.body.assign(data);
    return false;
  }
  if (chunk.is_error) {
    fail(HFI_E_STREAM_ERROR, chunk.error_message.empty() ? std::string(data) : chunk.error_message);
    response_->error.type = chunk.error_type;
    response_->error.body.assign(data);
    return false;
  }
  json::ChatResult& acc = sse_->acc;
  acc.content += chunk.text;
  EventText& text = batch_text_;
  const std::string_view chunk_json = text.store(data);
  size_t before = batch_.size();
  if (!chunk.text.empty()) emit(text_event(HFI_EVENT_DELTA, 0, text.store(chunk.text), chunk_json));
  if (!chunk.finish_reason.empty()) {
    acc.finish_reason = chunk.finish_reason;
    emit(text_event(HFI_EVENT_FINISH, 0, text.store(chunk.finish_reason), chunk_json));
    saw_finish_ = true;
  }
  if (chunk.usage.present) {
    acc.usage = chunk.usage;
    emit(usage_event(chunk.usage, chunk_json));
  }
  if (batch_.size() == before) emit(text_event(HFI_EVENT_RAW, 0, {}, chunk_json));
  return true;
}

bool ChatCall::handle_chunk(std::string_view data, bool padded) {
  if (task_ && task_->generation_stream()) return handle_generation_chunk(data);
  // One parser per driving thread, not per call: its buffers are the bulk of a parser's memory,
  // and thousands of streams in flight would each hold a copy for nothing.
  static thread_local json::StreamChunkParser chunk_parser;
  static thread_local json::ChunkView chunk;
  // The response keeps the first non-empty id and model; once it has both, no chunk needs its own.
  json::ParseOptions options;
  options.identity = sse_->acc.id.empty() || sse_->acc.model.empty();
  if (!chunk_parser.parse(data, padded, chunk, options)) {
    std::string shown(data.substr(0, 200));
    fail(HFI_E_PROTOCOL, "stream event is not a JSON object: " + shown);
    response_->error.body.assign(data);
    return false;
  }
  if (chunk.is_error) {
    fail(HFI_E_STREAM_ERROR, chunk.error_message.empty() ? std::string(data) : std::string(chunk.error_message));
    response_->error.type.assign(chunk.error_type.empty() ? chunk.error_code : chunk.error_type);
    response_->error.body.assign(data);
    return false;
  }
  // The response is the protocol layer's accumulation of the chunks; the events are ours.
  if (!json::accumulate_chunk(chunk, sse_->acc)) {
    fail(HFI_E_NOMEM, "out of memory while accumulating the stream");
    return false;
  }
  // The chunk's JSON is stored once and shared by every event it yields.
  EventText& text = batch_text_;
  const std::string_view chunk_json = text.store(data);
  size_t before = batch_.size();
  for (const json::ChoiceDelta& choice : chunk.choices) {
    if (!choice.content.empty())
      emit(text_event(HFI_EVENT_DELTA, choice.index, text.store(choice.content), chunk_json));
    if (!choice.reasoning.empty())
      emit(text_event(HFI_EVENT_REASONING, choice.index, text.store(choice.reasoning), chunk_json));
    for (const json::ToolCallDelta& d : choice.tool_calls)
      emit(tool_event(choice.index, d.index, text.store(d.id), text.store(d.name), text.store(d.arguments),
                      chunk_json));
    if (!choice.finish_reason.empty()) {
      emit(text_event(HFI_EVENT_FINISH, choice.index, text.store(choice.finish_reason), chunk_json));
      saw_finish_ = saw_finish_ || choice.index == 0;
    }
  }
  if (chunk.usage.present) emit(usage_event(chunk.usage, chunk_json));
  if (batch_.size() == before) emit(text_event(HFI_EVENT_RAW, 0, {}, chunk_json));
  return true;
}

void ChatCall::set_route(ChatRoute route) {
  route_ = std::make_unique<ChatRoute>(std::move(route));
  response_->target = route_->targets->label(route_->order[0]);
}

void ChatCall::emit(hfi_event&& ev) {
  bool last = ev.type == HFI_EVENT_DONE || ev.type == HFI_EVENT_ERROR;
  // A blocking chat call without stream has no listener; a started request always reports its
  // end; a task's progress goes to its callback or the pull queue.
  const bool listened = stream_ || (last && delivery_.hub) || (task_ && (delivery_.callback || delivery_.hub));
  if (!listened) return;
  ev.request = delivery_.handle;
  ev.attempt = response_->attempts;
  if (route_) ev.target = route_->targets->label(route_->order[route_->at]).c_str();
  batch_.push_back(std::move(ev));
}

void ChatCall::publish_batch() {
  if (batch_.empty()) return;
  if (delivery_.hub && !delivery_.callback) {
    bool freed = false;
    {
      // Under the lock free_handle takes to set detached_: either the events are dropped here,
      // or they are counted alive before free_handle can decide to release.
      std::lock_guard<std::mutex> lock(mutex_);
      freed = detached_;
      if (!freed) pulled_alive_ += static_cast<int32_t>(batch_.size());
    }
    if (freed) {
      // Nobody may see these events; the final one still ends the request's count.
      for (const hfi_event& ev : batch_) count_delivered(ev);
      batch_.clear();
      batch_text_.clear();
      return;
    }
    std::vector<std::unique_ptr<PulledEvent>> pulled;
    pulled.reserve(batch_.size());
    auto self = std::static_pointer_cast<ChatCall>(shared_from_this());
    // Events are freed one by one in any order: they share their batch's strings.
    std::shared_ptr<const EventText> text;
    if (!batch_text_.empty()) text = std::make_shared<EventText>(std::move(batch_text_));
    for (hfi_event& ev : batch_) {
      auto owned = std::make_unique<PulledEvent>();
      static_cast<hfi_event&>(*owned) = ev;
      owned->pulled = true;
      owned->text = text;
      owned->owner = PulledEventOwner(self);
      pulled.push_back(std::move(owned));
    }
    batch_.clear();
    delivery_.hub->push_events(pulled);
    return;
  }
  bool announce = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    move_batch_to_pending();
    announce = delivery_.hub && !marked_ready_;
    marked_ready_ = marked_ready_ || announce;
  }
  changed_.notify_one();
  if (announce) delivery_.hub->mark_ready(std::static_pointer_cast<ChatCall>(shared_from_this()));
}

void ChatCall::move_batch_to_pending() {
  if (pending_.empty()) {
    pending_.swap(batch_);  // the usual case: the application keeps up, so nothing is copied
  } else {
    pending_.insert(pending_.end(), batch_.begin(), batch_.end());  // trivially copyable: a memcpy
    batch_.clear();
  }
  pending_text_.splice_from(batch_text_);
}

void ChatCall::fail(hfi_status code, std::string message) {
  stream_failed_ = true;
  response_->status = code;
  response_->error.code = code;
  response_->error.message = std::move(message);
}

bool ChatCall::continue_task(const transport::TransferOutcome& outcome) {
  if (response_->status != HFI_OK || outcome.stopped != HFI_OK) return false;
  if (outcome.curl != CURLE_OK && !body_complete()) return false;
  if (mode_ == BodyMode::undecided) decide_body_mode();  // an empty body
  if (mode_ != BodyMode::whole) return false;
  transport::TransferSettings next;
  std::optional<TaskProgress> progress;
  hfi_status code = HFI_OK;
  std::string error;
  TaskFlow::Verdict verdict =
      task_->on_answer(http_status_, content_type_, body_, *response_, next, progress, code, error);
  switch (verdict) {
    case TaskFlow::Verdict::not_mine: return false;
    case TaskFlow::Verdict::done:
      task_settled_ = true;
      body_.clear();
      return false;
    case TaskFlow::Verdict::failed:
      task_settled_ = true;
      fail(code, std::move(error));
      response_->error.body = std::move(body_);
      return false;
    case TaskFlow::Verdict::next:
      break;
  }
  if (progress) {
    hfi_event ev = text_event(HFI_EVENT_PROGRESS, 0, batch_text_.store(progress->status), batch_text_.store(body_));
    ev.progress = progress->progress;
    emit(std::move(ev));
    publish_batch();
  }
  // The submission is the exchange that says which server served the call (the Hub, polls and
  // result files do not; a result URL may even carry a signature).
  if (!next.get) response_->url = next.url;
  start_next_exchange(std::move(next));
  return true;
}

void ChatCall::forget_response_headers() {
  http_status_ = 0;
  content_type_.clear();
  content_length_ = -1;
  retry_after_.clear();
  retry_after_ms_.clear();
  should_retry_.clear();
  rate_limit_ = RateLimit{};
}

void ChatCall::start_next_exchange(transport::TransferSettings next) {
  mode_ = BodyMode::undecided;
  forget_response_headers();
  body_.clear();
  sse_.reset();
  saw_done_ = saw_finish_ = false;
  settings = std::move(next);
  engine()->submit(shared_from_this());
}

bool ChatCall::retry(const transport::TransferOutcome& outcome) {
  if (aborted_ || detached_ || response_->status != HFI_OK) return false;
  AttemptFacts facts;
  facts.stopped = outcome.stopped;
  facts.curl = outcome.curl;
  facts.http_status = http_status_;
  facts.delivered = stream_delivered_;
  facts.should_retry = should_retry_;
  facts.retries_done = retries_;
  facts.model_waited_ms = model_waited_ms_;
  const bool failed_status = http_status_ < 200 || http_status_ > 299;
  if (failed_status && http_status_ > 0) facts.retry_after_ms = parse_retry_after_ms(retry_after_ms_, retry_after_, std::time(nullptr));
  if (http_status_ == 503) facts.model_loading_s = json::parse_error_body(body_, content_type_).estimated_time;
  // A whole answer that arrived complete is no failure, whatever the transport said after it.
  if (!failed_status && outcome.stopped == HFI_OK && (outcome.curl == CURLE_OK || body_complete())) return false;
  if (!retryable_failure(facts)) return false;

  const auto now = std::chrono::steady_clock::now();
  if (route_ && route_->targets->picker().report_failure(route_->order[route_->at], now, facts.retry_after_ms) &&
      logging(HFI_LOG_WARN))
    log(HFI_LOG_WARN, "target " + current_target() + " rests: it failed too often or asked for a pause");
  if (facts.delivered) return false;
  auto too_late = [&](int64_t delay_ms) {
    const int64_t max = limits_.retry.max_retry_time_ms;
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_).count();
    retry_time_spent_ = max > 0 && elapsed + delay_ms > max;
    const bool timed_out = settings.total_timeout_ms > 0 &&
                           settings.total_timeout_ms - static_cast<int64_t>(outcome.total_ms) - delay_ms <= 0;
    return retry_time_spent_ || timed_out;
  };

  // Another target that this request has not tried yet: at once, whatever this one asked for.
  if (route_ && route_->tried < route_->order.size()) {
    if (too_late(0)) return false;
    if (logging(HFI_LOG_WARN))
      log(HFI_LOG_WARN, "moving from target " + current_target() + " to " +
                            route_->targets->label(route_->order[route_->at + 1]) + " after " + attempt_end(outcome));
    ++response_->attempts;
    ++route_->tried;
    move_to_target(route_->at + 1, outcome, 0);
    return true;
  }

  // A task with a list of providers: the next one that serves the model, at once.
  if (task_) {
    transport::TransferSettings next;
    if (!too_late(0) && task_->fail_over(next)) {
      if (logging(HFI_LOG_WARN))
        log(HFI_LOG_WARN, "moving to provider " + task_->provider() + " after " + attempt_end(outcome));
      ++response_->attempts;
      response_->url = next.url;
      response_->provider = task_->provider();
      resubmit(std::move(next), outcome);
      return true;
    }
  }

  static thread_local std::minstd_rand jitter(std::random_device{}());
  const RetryDecision decision = decide_retry(limits_.retry, facts, std::uniform_real_distribution<double>(0, 1)(jitter));
  if (decision.delay_ms < 0 || too_late(decision.delay_ms)) return false;
  if (decision.model_wait) model_waited_ms_ += decision.delay_ms;
  else ++retries_;
  if (logging(HFI_LOG_WARN))
    log(HFI_LOG_WARN, "retrying in " + std::to_string(decision.delay_ms) + " ms after " + attempt_end(outcome) +
                          (decision.model_wait ? " (the model is loading)" : ""));
  ++response_->attempts;
  // With targets, every one was tried: the retry goes round them again.
  move_to_target(route_ ? (route_->at + 1) % route_->order.size() : 0, outcome, decision.delay_ms);
  return true;
}

void ChatCall::move_to_target(size_t at, const transport::TransferOutcome& outcome, int64_t delay_ms) {
  // The attempts share the request's total timeout.
  const int64_t spent_ms = static_cast<int64_t>(outcome.total_ms > 0 ? outcome.total_ms : 0);
  transport::TransferSettings next = settings;
  if (next.total_timeout_ms > 0) next.total_timeout_ms -= spent_ms + delay_ms;
  next.not_before = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
  if (route_ && at != route_->at) {
    route_->at = at;
    const size_t target = route_->order[at];
    route_->targets->prepare(target, settings.body, route_->facts, route_->stream, route_->extra_headers, next);
    response_->target = route_->targets->label(target);
    response_->url = next.url;
  }
  resubmit(std::move(next), outcome);
}

void ChatCall::resubmit(transport::TransferSettings next, const transport::TransferOutcome& outcome) {
  // The engine's own stop of the failed attempt must not end the next one.
  if (outcome.stopped == HFI_E_STALL_TIMEOUT || outcome.stopped == HFI_E_FIRST_BYTE_TIMEOUT) clear_stop(outcome.stopped);
  start_next_exchange(std::move(next));
}

void ChatCall::on_complete(const transport::TransferOutcome& outcome) {
  if (logging(HFI_LOG_INFO))
    log(HFI_LOG_INFO, "attempt " + std::to_string(response_->attempts) + ": " + attempt_end(outcome) + " after " +
                          std::to_string(static_cast<int64_t>(outcome.total_ms)) + " ms");
  if (retry(outcome)) return;
  if (task_ && continue_task(outcome)) return;
  settle(outcome);
  if (task_ && response_->provider.empty()) response_->provider = task_->provider();
  if (route_ && response_->status == HFI_OK) route_->targets->picker().report_success(route_->order[route_->at]);
  if (retry_time_spent_ && response_->status != HFI_OK)
    response_->error.message += " (not retried: the retry time limit of " +
                                std::to_string(limits_.retry.max_retry_time_ms) + " ms was spent)";
  if (limits_.log && response_->status != HFI_OK) {
    // A server may echo a credential back; neither the caller's error nor the log repeats it.
    limits_.log->scrub(response_->error.message);
    limits_.log->scrub(response_->error.type);
    limits_.log->scrub(response_->error.body);
    if (logging(HFI_LOG_ERROR))
      log(HFI_LOG_ERROR, std::string("failed: ") + status_text(response_->status) + ": " + response_->error.message);
  }
  bool pulled = delivery_.hub && !delivery_.callback;
  bool announce = false;
  {
    // One critical section for the final status and the final event: a waiter can never see
    // "finished" without the DONE/ERROR event already queued behind the others.
    std::lock_guard<std::mutex> lock(mutex_);
    if (aborted_) apply_abort();
    hfi_event last;
    last.type = response_->status == HFI_OK ? HFI_EVENT_DONE : HFI_EVENT_ERROR;
    last.status = response_->status;
    last.error = response_->status == HFI_OK ? nullptr : &response_->error;
    emit(std::move(last));
    if (!pulled) {
      move_batch_to_pending();
      announce = delivery_.hub && !pending_.empty() && !marked_ready_;
      marked_ready_ = marked_ready_ || announce;
    }
    finished_ = true;
  }
  if (pulled) publish_batch();  // after "finished": status() agrees with a pulled DONE/ERROR
  changed_.notify_all();
  if (announce) delivery_.hub->mark_ready(std::static_pointer_cast<ChatCall>(shared_from_this()));
}

void ChatCall::count_delivered(const hfi_event& ev) {
  if (delivery_.hub && (ev.type == HFI_EVENT_DONE || ev.type == HFI_EVENT_ERROR)) --delivery_.hub->running;
}

void ChatCall::settle(const transport::TransferOutcome& outcome) {
  hfi_response& r = *response_;
  r.http_status = static_cast<int32_t>(outcome.http_status);
  r.error.http_status = r.http_status;
  r.total_ms = outcome.total_ms;
  r.first_byte_ms = outcome.first_byte_ms;

  bool failed_in_stream = r.status != HFI_OK;  // a stream error or protocol error decided already
  if (failed_in_stream) {
    // Keep what arrived before the failure.
  } else if (outcome.stopped != HFI_OK) {
    switch (outcome.stopped) {
      case HFI_E_CANCELLED: fail(HFI_E_CANCELLED, "the request was cancelled"); break;
      case HFI_E_ABORTED_BY_CALLBACK: fail(HFI_E_ABORTED_BY_CALLBACK, "the event callback returned non-zero"); break;
      case HFI_E_STALL_TIMEOUT:
        fail(HFI_E_STALL_TIMEOUT, "no data received for " + std::to_string(settings.stall_timeout_ms) + " ms");
        break;
      case HFI_E_FIRST_BYTE_TIMEOUT:
        fail(HFI_E_FIRST_BYTE_TIMEOUT,
             "no response began within " + std::to_string(settings.first_byte_timeout_ms) + " ms");
        break;
      case HFI_E_TIMEOUT:
        fail(HFI_E_TIMEOUT, task_ ? task_->timeout_message()
                                  : "the request took longer than " + std::to_string(settings.total_timeout_ms) + " ms");
        break;
      case HFI_E_TOO_LARGE:
        fail(HFI_E_TOO_LARGE, "the response exceeded " + std::to_string(limits_.max_response_bytes) + " bytes");
        break;
      default: fail(outcome.stopped, status_text(outcome.stopped)); break;
    }
  } else if (outcome.curl != CURLE_OK && !body_complete()) {
    // libcurl 7.88 reports a server's RST_STREAM(NO_ERROR) after a complete HTTP/2 response as
    // error 92; a response that is complete stays a success whatever the transport says after it.
    if (mode_ == BodyMode::sse) {
      if (!saw_finish_)
        fail(HFI_E_STREAM_TRUNCATED, "the stream broke before its end: " + outcome.curl_message);
    } else if (mode_ == BodyMode::error) {
      settle_http_error();
    } else {
      std::string message = outcome.curl_message.empty() ? curl_easy_strerror(outcome.curl) : outcome.curl_message;
      fail(status_from_curl(outcome.curl, outcome.connected), message);
    }
  } else if (mode_ == BodyMode::error || (mode_ == BodyMode::undecided && (http_status_ < 200 || http_status_ > 299))) {
    settle_http_error();
  } else if (mode_ == BodyMode::sse) {
    settle_stream();
  } else if (!task_settled_) {
    settle_whole_body();
  }

  if (mode_ == BodyMode::sse) {
    r.content = sse_->acc.content;
    r.reasoning = sse_->acc.reasoning;
    r.finish_reason = sse_->acc.finish_reason;
    r.model = sse_->acc.model;
    r.tool_calls = sse_->acc.tool_calls;
    r.prompt_tokens = sse_->acc.usage.prompt_tokens;
    r.completion_tokens = sse_->acc.usage.completion_tokens;
    r.total_tokens = sse_->acc.usage.total_tokens;
    if (r.status == HFI_OK && task_ && task_->generation_stream()) {
      // The text-generation output, as a whole answer would have been normalised.
      r.json = "{\"generated_text\":";
      json::append_json_string(r.json, r.content);
      if (!r.finish_reason.empty()) {
        r.json += ",\"details\":{\"finish_reason\":";
        json::append_json_string(r.json, r.finish_reason);
        r.json += "}";
      }
      r.json += "}";
    } else if (r.status == HFI_OK) {
      r.created = static_cast<int64_t>(std::time(nullptr));
      r.stream_result = std::make_shared<const json::ChatResult>(std::move(sse_->acc));
    }
  }
}

bool ChatCall::body_complete() const {
  if (mode_ == BodyMode::sse) return saw_done_;
  return mode_ == BodyMode::whole && content_length_ >= 0 && body_.size() == static_cast<size_t>(content_length_);
}

void ChatCall::settle_http_error() {
  hfi_response& r = *response_;
  json::ErrorInfo info = json::parse_error_body(body_, content_type_);
  bool loading = http_status_ == 503 && info.estimated_time >= 0;
  hfi_status code = status_from_http(http_status_, loading);
  std::string message = info.message;
  if (message.empty()) {
    message = http_status_ >= 300 && http_status_ < 400
                  ? "the server answered with a redirect (HTTP " + std::to_string(http_status_) + "), which hfi does not follow"
                  : "HTTP " + std::to_string(http_status_) + " from " + shown_url(r.url);
  }
  fail(code, std::move(message));
  r.error.type = info.type.empty() ? info.code : info.type;
  r.error.body = std::move(body_);
  r.error.rate_limit = rate_limit_;
  int64_t wait = parse_retry_after_ms(retry_after_ms_, retry_after_, std::time(nullptr));
  if (wait < 0 && info.estimated_time >= 0) wait = static_cast<int64_t>(info.estimated_time * 1000.0);
  r.error.retry_after_ms = wait;
}

void ChatCall::settle_stream() {
  // A stream that ends without [DONE] is complete only if its last choice said why it finished
  // (cerebras never sends [DONE]); a half-received event at the end means it was cut.
  bool cut_mid_event = sse_->parser.finish();
  if (saw_done_ || (saw_finish_ && !cut_mid_event)) return;
  fail(HFI_E_STREAM_TRUNCATED, cut_mid_event ? "the stream ended in the middle of an event"
                                             : "the stream ended without [DONE] or a finish reason");
}

void ChatCall::settle_whole_body() {
  hfi_response& r = *response_;
  if (body_.empty()) {
    fail(HFI_E_PROTOCOL, "the server sent an empty response");
    return;
  }
  json::ChatResult result;
  if (!json::parse_chat_response(body_, result)) {
    json::ErrorInfo info = json::parse_error_body(body_, content_type_);
    fail(HFI_E_PROTOCOL, info.message.empty() ? "the response is not a chat completion" : info.message);
    r.error.type = info.type;
    r.error.body = std::move(body_);
    return;
  }
  r.content = std::move(result.content);
  r.reasoning = std::move(result.reasoning);
  r.finish_reason = std::move(result.finish_reason);
  r.model = std::move(result.model);
  r.tool_calls = std::move(result.tool_calls);
  r.prompt_tokens = result.usage.prompt_tokens;
  r.completion_tokens = result.usage.completion_tokens;
  r.total_tokens = result.usage.total_tokens;
  r.json = std::move(body_);
  if (stream_) synthesize_events_from_whole();
}

// A server that ignores "stream": true still gets its answer delivered as events.
void ChatCall::synthesize_events_from_whole() {
  const hfi_response& r = *response_;
  EventText& text = batch_text_;
  const std::string_view body = text.store(r.json);
  if (!r.reasoning.empty()) emit(text_event(HFI_EVENT_REASONING, 0, text.store(r.reasoning), body));
  if (!r.content.empty()) emit(text_event(HFI_EVENT_DELTA, 0, text.store(r.content), body));
  for (size_t i = 0; i < r.tool_calls.size(); ++i) {
    const json::ToolCall& c = r.tool_calls[i];
    emit(tool_event(0, static_cast<int32_t>(i), text.store(c.id), text.store(c.name), text.store(c.arguments), body));
  }
  if (!r.finish_reason.empty()) emit(text_event(HFI_EVENT_FINISH, 0, text.store(r.finish_reason), body));
  if (r.prompt_tokens >= 0 || r.completion_tokens >= 0 || r.total_tokens >= 0) {
    json::Usage usage;
    usage.present = true;
    usage.prompt_tokens = r.prompt_tokens;
    usage.completion_tokens = r.completion_tokens;
    usage.total_tokens = r.total_tokens;
    emit(usage_event(usage, body));
  }
}

// ---- any thread ----------------------------------------------------------------------------

void ChatCall::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    driver_free_ = true;
  }
  changed_.notify_one();
}

// ---- application threads -------------------------------------------------------------------

bool ChatCall::has_work() const {
  return finished_ || (delivery_.callback && !pending_.empty());
}

hfi_status ChatCall::status() {
  std::lock_guard<std::mutex> lock(mutex_);
  return finished_ ? response_->status : HFI_PENDING;
}

std::unique_ptr<hfi_response> ChatCall::take_response() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(response_);
}

std::unique_ptr<hfi_response> ChatCall::copy_response() {
  std::lock_guard<std::mutex> lock(mutex_);
  return finished_ ? std::make_unique<hfi_response>(*response_) : nullptr;
}

hfi_status ChatCall::wait(transport::Engine& engine, int64_t timeout_ms) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point until =
      timeout_ms < 0 ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (bool first = true;; first = false) {
    dispatch_pending(engine);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // Ended, and every event was delivered (or has no callback to go to).
      if (finished_ && (pending_.empty() || !delivery_.callback || aborted_)) return response_->status;
    }
    // Even a wait of 0 gives the network one round of work (without an I/O thread nobody else may).
    if (!first && Clock::now() >= until) return HFI_PENDING;
    wait_for_activity(engine, until);
  }
}

hfi_status ChatCall::dispatch(transport::Engine& engine, int64_t timeout_ms) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point until =
      timeout_ms < 0 ? Clock::time_point::max() : Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (bool first = true;; first = false) {
    bool delivered = dispatch_pending(engine);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_ && (pending_.empty() || aborted_)) return response_->status;
    }
    if (delivered || (!first && Clock::now() >= until)) return HFI_PENDING;
    wait_for_activity(engine, until);
  }
}

// Returns once this call has something for the application, the driver role came free, or time is up.
bool ChatCall::wait_for_activity(transport::Engine& engine, std::chrono::steady_clock::time_point until) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (has_work()) return true;
  if (engine.has_io_thread()) return changed_.wait_until(lock, until, [this] { return has_work(); });
  driver_free_ = false;
  lock.unlock();
  // Registered before trying, so a driver that stops in between still wakes us.
  engine.add_waker(this);
  bool drove = engine.try_drive(
      [this] {
        std::lock_guard<std::mutex> inner(mutex_);
        return has_work();
      },
      until);
  lock.lock();
  if (!drove) changed_.wait_until(lock, until, [this] { return has_work() || driver_free_; });
  lock.unlock();
  engine.remove_waker(this);
  return true;
}

bool ChatCall::dispatch_pending(transport::Engine& engine) {
  if (!delivery_.callback) return false;
  std::unique_lock<std::mutex> dispatching(dispatch_mutex_);
  std::vector<hfi_event>& events = dispatching_;  // keeps its capacity from batch to batch
  dispatching_now_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events.swap(pending_);
    dispatching_text_.swap(pending_text_);
    marked_ready_ = false;
  }
  const bool delivered = !events.empty();
  for (hfi_event& ev : events) {
    bool last = ev.type == HFI_EVENT_DONE || ev.type == HFI_EVENT_ERROR;
    // Refusing the final event changes nothing: the request is already over.
    if (!aborted_ && !detached_ && delivery_.callback(&ev, delivery_.user_data) != 0 && !last)
      abort_by_callback(engine);
    count_delivered(ev);
  }
  events.clear();
  // A stream that once received a big batch would otherwise keep room for it while it idles;
  // with thousands of streams in flight that is most of their memory.
  if (events.capacity() > kRetainedEvents) std::vector<hfi_event>().swap(events);
  dispatching_text_.clear();
  dispatching.unlock();
  // Cleared before detached_ is read, while free_handle sets detached_ before try_release reads
  // this flag: whichever comes second releases.
  dispatching_now_ = false;
  if (detached_) try_release();
  return delivered;
}

void ChatCall::abort_by_callback(transport::Engine& engine) {
  aborted_ = true;
  engine.stop(*this, HFI_E_ABORTED_BY_CALLBACK);
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) apply_abort();  // it had ended already; the caller's verdict still stands
}

void ChatCall::apply_abort() {
  if (response_->status == HFI_E_ABORTED_BY_CALLBACK) return;
  response_->status = response_->error.code = HFI_E_ABORTED_BY_CALLBACK;
  response_->error.message = "the event callback returned non-zero";
  response_->json.clear();
  response_->stream_result.reset();
}

}  // namespace hfi
