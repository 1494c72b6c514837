// Query strings and percent-encoding, as the routes need them.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hfi::emu {

std::string percent_decode(const std::string& text);  // '+' stays '+': paths and our queries do not use it for space
// name=value pairs in order, both percent-decoded ("expand%5B%5D" → "expand[]").
std::vector<std::pair<std::string, std::string>> parse_query(const std::string& query);
std::string query_value(const std::string& query, const std::string& name);  // first value, or empty

}  // namespace hfi::emu
