// Standard base64 (RFC 4648 §4, with padding), for binary task inputs sent inside JSON.
#pragma once

#include <string>
#include <string_view>

namespace hfi::base64 {

// Appends the encoding of `bytes` to `out`.
void append_encoded(std::string& out, std::string_view bytes);

// Appends the bytes `text` encodes to `out`. False (and `out` holds a partial result) for a
// character outside the alphabet, a length that is not a multiple of 4, or misplaced padding.
bool append_decoded(std::string& out, std::string_view text);

}  // namespace hfi::base64
