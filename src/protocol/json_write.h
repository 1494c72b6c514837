// Minimal JSON output helpers: the library only ever writes small documents
// (assembled chat completions, rewritten request bodies), so appending to a
// std::string is all that is needed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hfi::json {

// Appends `utf8` as a quoted JSON string (RFC 8259). Escapes `"`, `\` and the
// control characters below 0x20 (as \b \f \n \r \t or \u00XX); every other
// byte, including 0x7f and non-ASCII, is copied unchanged. The input is not
// validated: bytes that are not UTF-8 pass through as they are.
// May throw std::bad_alloc from `out` (nothing else).
void append_json_string(std::string& out, std::string_view utf8);

// Appends `"key":`.
void append_json_key(std::string& out, std::string_view key);

// Appends a decimal integer.
void append_json_int64(std::string& out, int64_t value);

}  // namespace hfi::json
