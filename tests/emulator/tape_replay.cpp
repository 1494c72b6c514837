#include "tape_replay.h"

#include "provider_catalog.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

// Providers that appear in the recordings but are gone from the router today.
const std::map<std::string, std::string>& retired_hosts() {
  static const std::map<std::string, std::string> hosts = {
      {"api.mistral.ai", "mistral"}, {"api.us1.bfl.ai", "black-forest-labs"}};
  return hosts;
}

std::string host_of(const std::string& url) {
  std::size_t start = url.find("://");
  if (start == std::string::npos) return {};
  start += 3;
  std::size_t end = url.find_first_of("/?", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string path_of(const std::string& url) {
  std::size_t start = url.find("://");
  start = url.find('/', start == std::string::npos ? 0 : start + 3);
  if (start == std::string::npos) return {};
  return url.substr(start, url.find('?', start) == std::string::npos ? std::string::npos : url.find('?', start) - start);
}

}  // namespace

std::string router_path_of(const std::string& url) {
  std::string host = host_of(url);
  std::string path = path_of(url);
  if (host == "router.huggingface.co" || host == "huggingface.co") return path.empty() ? "/" : path;
  for (const ProviderSpec& provider : all_provider_specs()) {
    for (const std::string& known : {provider.host, provider.queue_host})
      if (!known.empty() && host_of(known) == host) return "/" + provider.name + path;
  }
  auto retired = retired_hosts().find(host);
  return retired == retired_hosts().end() ? std::string() : "/" + retired->second + path;
}

void TapeReplay::build(const TapeLibrary& tapes) {
  candidates_.clear();
  for (const std::string& id : tapes.ids()) {
    const nlohmann::json* record = tapes.find(id);
    if (!record->contains("url") || !(*record)["url"].is_string() || !record->contains("method") ||
        !(*record)["method"].is_string())
      continue;
    Candidate candidate;
    candidate.method = (*record)["method"].get<std::string>();
    candidate.path = router_path_of((*record)["url"].get<std::string>());
    if (candidate.path.empty()) continue;
    auto body = record->find("request_body");
    candidate.has_body = body != record->end() && body->is_string();
    if (candidate.has_body) {
      candidate.body = body->get<std::string>();
      candidate.parsed_body = nlohmann::json::parse(candidate.body, nullptr, false);
    }
    candidate.record = record;
    candidates_.push_back(std::move(candidate));
  }
}

const nlohmann::json* TapeReplay::match(const HttpRequest& request) {
  std::string path = starts_with(request.path, "/direct/") ? request.path.substr(7) : request.path;
  // Byte-identical bodies first, then bodies equal as JSON, then records whose body was not kept.
  std::vector<const Candidate*> exact, same_json, any_body;
  nlohmann::json parsed;
  bool parsed_once = false;
  for (const Candidate& candidate : candidates_) {
    if (candidate.method != request.method || candidate.path != path) continue;
    if (!candidate.has_body) {
      any_body.push_back(&candidate);
      continue;
    }
    if (candidate.body == request.body) {
      exact.push_back(&candidate);
      continue;
    }
    if (!parsed_once) parsed = nlohmann::json::parse(request.body, nullptr, false), parsed_once = true;
    if (!parsed.is_discarded() && !candidate.parsed_body.is_discarded() && parsed == candidate.parsed_body)
      same_json.push_back(&candidate);
  }
  const std::vector<const Candidate*>& matches = !exact.empty() ? exact : !same_json.empty() ? same_json : any_body;
  if (matches.empty()) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t& cursor = cursors_[request.method + " " + path + "\n" + request.body];
  const nlohmann::json* record = matches[cursor % matches.size()]->record;
  ++cursor;
  return record;
}

void TapeReplay::rewind() {
  std::lock_guard<std::mutex> lock(mutex_);
  cursors_.clear();
}

}  // namespace hfi::emu
