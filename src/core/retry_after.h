// How long a server asked to wait: `retry-after-ms`, then `Retry-After` as seconds or HTTP date.
#pragma once

#include <cstdint>
#include <ctime>
#include <string_view>

namespace hfi {

// Milliseconds to wait, or -1 when neither header says anything usable. Dates in the past give 0.
int64_t parse_retry_after_ms(std::string_view retry_after_ms, std::string_view retry_after,
                             std::time_t now);

}  // namespace hfi
