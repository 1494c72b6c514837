#include "providers/mapping_cache.h"

#include <functional>

namespace hfi::providers {

MappingCache::MappingCache(std::chrono::milliseconds ttl, size_t capacity)
    : ttl_(ttl), capacity_(capacity == 0 ? 1 : capacity) {}

// The parts are separated by a byte no URL, model id or hash contains.
std::string MappingCache::key_of(std::string_view hub, std::string_view token, std::string_view model) {
  std::string key(hub);
  key.push_back('\n');
  key += std::to_string(std::hash<std::string_view>{}(token));
  key.push_back('\n');
  key += model;
  return key;
}

bool MappingCache::get(std::string_view hub, std::string_view token, std::string_view model, Clock::time_point now,
                       std::vector<MappingEntry>& out) {
  const std::string key = key_of(hub, token, model);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return false;
  if (now - it->second->stored >= ttl_) {
    slots_.erase(it->second);
    index_.erase(it);
    return false;
  }
  slots_.splice(slots_.begin(), slots_, it->second);
  out = it->second->entries;
  return true;
}

void MappingCache::put(std::string_view hub, std::string_view token, std::string_view model,
                       std::vector<MappingEntry> entries, Clock::time_point now) {
  std::string key = key_of(hub, token, model);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    it->second->stored = now;
    it->second->entries = std::move(entries);
    slots_.splice(slots_.begin(), slots_, it->second);
    return;
  }
  if (slots_.size() == capacity_) {
    index_.erase(slots_.back().key);
    slots_.pop_back();
  }
  slots_.push_front(Slot{key, now, std::move(entries)});
  index_.emplace(std::move(key), slots_.begin());
}

size_t MappingCache::size() {
  std::lock_guard<std::mutex> lock(mutex_);
  return slots_.size();
}

}  // namespace hfi::providers
