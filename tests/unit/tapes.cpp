#include "tapes.h"

#include <fstream>

namespace hfi::test {

std::vector<nlohmann::json> recorded_interactions() {
  std::vector<nlohmann::json> records;
  std::ifstream in(std::string(HFI_FIXTURES_DIR) + "/hfjs-tapes/interactions.ndjson", std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
    if (r.is_object()) records.push_back(std::move(r));
  }
  return records;
}

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return parts;
  const std::string_view rest = url.substr(scheme + 3);
  const size_t slash = rest.find('/');
  parts.host.assign(rest.substr(0, slash));
  if (slash == std::string_view::npos) return parts;
  std::string_view path = rest.substr(slash);
  const size_t question = path.find('?');
  if (question != std::string_view::npos) {
    parts.query.assign(path.substr(question + 1));
    path = path.substr(0, question);
  }
  parts.path.assign(path);
  return parts;
}

Tally print_tallies(std::ostream& out, std::string_view title, const std::map<std::string, Tally>& rows) {
  Tally all;
  out << title << ":\n";
  for (const auto& [name, t] : rows) {
    out << "  " << name << ": " << t.passed << "/" << t.total << "\n";
    all.passed += t.passed;
    all.total += t.total;
  }
  out << "  all: " << all.passed << "/" << all.total << "\n";
  return all;
}

}  // namespace hfi::test
