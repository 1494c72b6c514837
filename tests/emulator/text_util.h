// Small string helpers shared by the HTTP and routing code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::emu {

std::string to_lower(std::string_view text);
std::string_view trim(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
bool ends_with(std::string_view text, std::string_view suffix);
bool iequals(std::string_view a, std::string_view b);
// True if the comma-separated header value lists token (case-insensitive).
bool contains_token(std::string_view header_value, std::string_view token);
// Splits into runs of non-space followed by the spaces after them, so the parts
// concatenate back to the input exactly. Leading spaces join the first part.
std::vector<std::string> split_keeping_spaces(std::string_view text);
std::size_t count_words(std::string_view text);

}  // namespace hfi::emu
