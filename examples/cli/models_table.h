// `hfi models`: the router's listing of chat models (GET /v1/models) as a table for people.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi_cli {

// One row per model and provider: MODEL PROVIDER STATUS CONTEXT IN$/1M OUT$/1M FIRST-TOKEN TOK/S
// TOOLS JSON, in the router's order, "-" where it says nothing. `json` is the listing
// ({"data":[...]}) or one model ({"id":...,"providers":[...]}); a non-empty `providers` keeps
// only theirs. Empty, with `error` set, when the text is not such a listing; empty with no
// error when no row is left.
std::string models_table(std::string_view json, const std::vector<std::string>& providers, std::string* error);

}  // namespace hfi_cli
