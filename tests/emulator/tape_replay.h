// Replay mode: a request that matches a recorded interaction (same method,
// the recorded URL's path in the router form, and the recorded body when there
// is one) is answered with the recording. Built once from the loaded tapes.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http_request.h"
#include "tape_library.h"

namespace hfi::emu {

// "https://fal.run/fal-ai/flux/dev" → "/fal-ai/fal-ai/flux/dev": a provider host
// becomes the router's /{provider} prefix; the router's and the Hub's hosts
// keep their paths. Empty when the URL's host is unknown.
std::string router_path_of(const std::string& url);

class TapeReplay {
 public:
  void build(const TapeLibrary& tapes);  // every record with a method and an http(s) URL
  void set_enabled(bool on) { enabled_ = on; }
  bool enabled() const { return enabled_; }
  std::size_t size() const { return candidates_.size(); }
  // The record answering this request, or nullptr. Identical requests that match
  // several records (the same call recorded more than once) get them in file order, cycling.
  const nlohmann::json* match(const HttpRequest& request);
  void rewind();  // start every cycle from its first record again

 private:
  struct Candidate {
    std::string method, path;
    bool has_body = false;
    std::string body;
    nlohmann::json parsed_body;  // for comparing JSON bodies that differ only in spacing
    const nlohmann::json* record = nullptr;
  };
  std::vector<Candidate> candidates_;
  std::atomic<bool> enabled_{false};
  std::mutex mutex_;
  std::map<std::string, std::size_t> cursors_;
};

}  // namespace hfi::emu
