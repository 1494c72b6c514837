// Standard base64 (RFC 4648 §4, with padding), for binary task inputs sent inside JSON.
#pragma once

#include <string>
#include <string_view>

namespace hfi::base64 {

// Appends the encoding of `bytes` to `out`.
void append_encoded(std::string& out, std::string_view bytes);

}  // namespace hfi::base64
