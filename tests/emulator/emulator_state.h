// Everything the routes share: recordings, the script queue, the loaded tapes
// and their replay index, the model registry, and the media jobs.
#pragma once

#include <atomic>
#include <string>

#include "job_store.h"
#include "model_registry.h"
#include "random_faults.h"
#include "request_log.h"
#include "script_queue.h"
#include "tape_library.h"
#include "tape_replay.h"

namespace hfi::emu {

struct EmulatorState {
  std::string require_token;
  std::string scheme = "http";  // "https" with TLS; URLs pointing back at the emulator use it
  RequestLog log;
  ScriptQueue script;
  RandomFaults faults;
  TapeLibrary tapes;
  TapeReplay replay;
  ModelRegistry registry;
  JobStore jobs;
  std::atomic<long> completions{0};  // numbers the chatcmpl-emu-<n> ids
};

}  // namespace hfi::emu
