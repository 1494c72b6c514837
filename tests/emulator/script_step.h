// One scripted answer (or fault) queued through POST /_emulator/script, and the
// strict parser for it: a typo in a test's script should fail loudly, not be ignored.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "reply.h"

namespace hfi::emu {

struct ScriptStep {
  std::optional<int> status;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> content_type;
  std::optional<std::string> body;              // from "body" or "body_base64"
  std::optional<std::vector<std::string>> sse;  // raw pieces
  bool default_sse = false;
  std::optional<std::string> tape;
  Faults faults;
  std::string match_path;    // empty = any; trailing '*' = prefix
  std::string match_method;  // empty = any
  int remaining = 1;         // "repeat"
  std::string source;        // the step as given, for GET /_emulator/script

  bool matches(const std::string& method, const std::string& path) const;
};

class ScriptError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// One step object or an array of them, all or nothing. Throws ScriptError naming
// the problem. tape_exists says whether a "tape" id can be replayed.
std::vector<ScriptStep> parse_script(const std::string& json_text,
                                     const std::function<bool(const std::string&)>& tape_exists);

}  // namespace hfi::emu
