#include "tape_library.h"

#include <fstream>

namespace hfi::emu {

bool TapeLibrary::load(const std::string& path, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot open tapes file " + path;
    return false;
  }
  std::string line;
  for (std::size_t number = 1; std::getline(file, line); ++number) {
    if (line.empty() || line == "\r") continue;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded() || !record.is_object() || !record.contains("id") || !record["id"].is_string()) {
      *error = path + ":" + std::to_string(number) + ": not a tape record (JSON object with a string \"id\")";
      return false;
    }
    std::string id = record["id"].get<std::string>();
    if (records_.count(id) == 0) order_.push_back(id);
    records_[id] = Entry{std::move(record), line};
  }
  return true;
}

const nlohmann::json* TapeLibrary::find(const std::string& id) const {
  auto entry = records_.find(id);
  return entry == records_.end() ? nullptr : &entry->second.record;
}

std::string TapeLibrary::summary_json() const {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& id : order_) {
    const nlohmann::json& record = records_.at(id).record;
    auto kind = record.find("kind");
    if (kind == record.end() || *kind != "inference") continue;
    auto field = [&](const char* key) { return record.contains(key) ? record[key] : nlohmann::json(nullptr); };
    list.push_back({{"id", id},
                    {"task", field("task")},
                    {"provider", field("provider")},
                    {"method", field("method")},
                    {"url", field("url")},
                    {"is_stream", field("is_stream")},
                    {"is_error", field("is_error")},
                    {"status", field("response_status")}});
  }
  return list.dump();
}

std::string TapeLibrary::record_json(const std::string& id) const {
  auto entry = records_.find(id);
  return entry == records_.end() ? std::string() : entry->second.line;
}

}  // namespace hfi::emu
