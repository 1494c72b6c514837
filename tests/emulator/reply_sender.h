// Puts a Reply on the wire, carrying out its scripted faults.
#pragma once

#include "connection.h"
#include "reply.h"
#include "stop_signal.h"

namespace hfi::emu {

struct SendOptions {
  bool keep_alive = true;   // the client allows reuse and we are not stopping
  bool head_request = false;  // HEAD: headers only
};

// Returns true if the connection stays open for the next request; otherwise it
// has been closed (gracefully, or abruptly when a fault asked for that).
bool send_reply(Connection& connection, const Reply& reply, const SendOptions& options, const StopSignal& stop);

}  // namespace hfi::emu
