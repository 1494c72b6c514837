// Provider mappings fetched from the Hub, kept for a while: `auto` would otherwise cost a Hub call
// per request. Keyed by (Hub endpoint, token, model): the Hub orders providers by the preferences
// of the token's user, so two users of one process must not share an answer. Tokens are kept only
// as a hash. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "providers/mapping.h"

namespace hfi::providers {

class MappingCache {
 public:
  using Clock = std::chrono::steady_clock;

  MappingCache(std::chrono::milliseconds ttl, size_t capacity);

  // The entries stored for the key if they are younger than the TTL.
  bool get(std::string_view hub, std::string_view token, std::string_view model, Clock::time_point now,
           std::vector<MappingEntry>& out);
  // Stores (or replaces) the key's entries; the least recently used key goes when full.
  void put(std::string_view hub, std::string_view token, std::string_view model, std::vector<MappingEntry> entries,
           Clock::time_point now);
  size_t size();

 private:
  struct Slot {
    std::string key;
    Clock::time_point stored;
    std::vector<MappingEntry> entries;
  };
  static std::string key_of(std::string_view hub, std::string_view token, std::string_view model);

  const std::chrono::milliseconds ttl_;
  const size_t capacity_;
  std::mutex mutex_;
  std::list<Slot> slots_;  // most recently used first
  std::unordered_map<std::string, std::list<Slot>::iterator> index_;
};

}  // namespace hfi::providers
