// Standard reason phrases for the status line.
#pragma once

#include <string>

namespace hfi::emu {
std::string http_status_text(int status);
}
