// The recorded real interactions (fixtures/hfjs-tapes/interactions.ndjson),
// loaded once at start and looked up by record id.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hfi::emu {

class TapeLibrary {
 public:
  bool load(const std::string& path, std::string* error);
  bool has(const std::string& id) const { return records_.count(id) != 0; }
  const nlohmann::json* find(const std::string& id) const;
  // [{id, task, provider, method, url, is_stream, is_error, status}] for kind == "inference".
  std::string summary_json() const;
  // The record exactly as its line in the file; empty if unknown.
  std::string record_json(const std::string& id) const;
  const std::vector<std::string>& ids() const { return order_; }  // file order

 private:
  struct Entry {
    nlohmann::json record;
    std::string line;
  };
  std::map<std::string, Entry> records_;
  std::vector<std::string> order_;  // file order, for the listing
};

}  // namespace hfi::emu
