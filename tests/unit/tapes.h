// The recorded traffic of ../shared/fixtures/hfjs-tapes for the conformance tests: the records,
// their URLs taken apart, and the passed/total tables the tests print.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace hfi::test {

// Every record of interactions.ndjson, in file order (an empty list when the file is missing).
std::vector<nlohmann::json> recorded_interactions();

struct UrlParts {
  std::string host;   // "api.together.xyz"
  std::string path;   // "/v1/completions"
  std::string query;  // without '?'
};
UrlParts split_url(std::string_view url);

struct Tally {
  int passed = 0, total = 0;
};

// "  <row>: passed/total" lines under `title`, then "  all: ..."; returns the sums.
Tally print_tallies(std::ostream& out, std::string_view title, const std::map<std::string, Tally>& rows);

}  // namespace hfi::test
