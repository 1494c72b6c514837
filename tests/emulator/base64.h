// Base64 (RFC 4648, standard alphabet, padded) for binary bodies inside JSON.
#pragma once

#include <string>
#include <string_view>

namespace hfi::emu {
std::string base64_encode(std::string_view bytes);
// False if text is not valid base64 (whitespace is ignored).
bool base64_decode(std::string_view text, std::string* bytes);
}  // namespace hfi::emu
