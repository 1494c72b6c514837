#include "core/event_text.h"

#include <algorithm>
#include <cstring>

namespace hfi {
namespace {

constexpr size_t kMinBlock = 512;
constexpr size_t kMaxGrowth = size_t{1} << 20;  // beyond this, blocks are sized to what they hold

}  // namespace

EventText& EventText::operator=(EventText&& other) noexcept {
  if (this != &other) {
    blocks_ = std::move(other.blocks_);
    other.blocks_.clear();
  }
  return *this;
}

std::string_view EventText::store(std::string_view s) {
  if (s.empty()) return std::string_view("", 0);
  const size_t needed = s.size() + 1;
  if (blocks_.empty() || blocks_.back().capacity - blocks_.back().used < needed) {
    size_t grown = blocks_.empty() ? kMinBlock : std::min(blocks_.back().capacity * 2, kMaxGrowth);
    size_t capacity = std::max({needed, grown, expected_});
    expected_ = 0;
    blocks_.reserve(blocks_.size() + 1);  // may throw; nothing changed yet
    blocks_.push_back(Block{std::unique_ptr<char[]>(new char[capacity]), capacity, 0});
  }
  Block& block = blocks_.back();
  char* at = block.bytes.get() + block.used;
  std::memcpy(at, s.data(), s.size());
  at[s.size()] = '\0';
  block.used += needed;
  return std::string_view(at, s.size());
}

void EventText::splice_from(EventText& other) {
  if (other.blocks_.empty()) return;
  if (blocks_.empty()) {
    swap(other);
    return;
  }
  blocks_.reserve(blocks_.size() + other.blocks_.size());
  for (Block& block : other.blocks_) blocks_.push_back(std::move(block));
  other.blocks_.clear();
}

}  // namespace hfi
