// Everything the routes share: recordings, the script queue, the loaded tapes.
#pragma once

#include <atomic>
#include <string>

#include "request_log.h"
#include "script_queue.h"
#include "tape_library.h"

namespace hfi::emu {

struct EmulatorState {
  std::string require_token;
  RequestLog log;
  ScriptQueue script;
  TapeLibrary tapes;
  std::atomic<long> completions{0};  // numbers the chatcmpl-emu-<n> ids
};

}  // namespace hfi::emu
