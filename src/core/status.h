// Status codes: their English text and the mappings from HTTP and libcurl outcomes.
#pragma once

#include <curl/curl.h>

#include "hfi/hfi.h"

namespace hfi {

const char* status_text(hfi_status status);

// The most specific code for an HTTP error status (>= 400). `model_loading` is true when a 503
// body carried an estimated_time.
hfi_status status_from_http(long http_status, bool model_loading);

// The code for a failed transfer. `connected` tells a connect timeout from a total timeout.
hfi_status status_from_curl(CURLcode code, bool connected);

}  // namespace hfi
