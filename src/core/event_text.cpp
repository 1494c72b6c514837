#include "core/event_text.h"

#include <algorithm>
#include <cstring>

namespace hfi {
namespace {

constexpr size_t kMinBlock = 512;
constexpr size_t kMaxGrowth = size_t{1} << 20;  // beyond this, blocks are sized to what they hold

// Blocks freed on a thread serve that thread's next batches. Handing every block back to malloc made
// glibc trim the heap at the end of each stream and fault the pages in again for the next one (a
// fifth of a stream's CPU time in the side-by-side benchmark).
constexpr size_t kCachedBlocks = 16;
constexpr size_t kCachedBytes = size_t{256} << 10;

struct CachedBlock {
  std::unique_ptr<char[]> bytes;
  size_t capacity = 0;
};

struct BlockCache {
  CachedBlock blocks[kCachedBlocks];
  size_t count = 0;
  size_t bytes = 0;
  ~BlockCache();
};

// Trivially destructible, so it can still be read after the cache itself is gone (blocks freed by
// other thread-local or static destructors at thread or process exit then go straight to free).
thread_local bool cache_gone = false;
thread_local BlockCache cache;

BlockCache::~BlockCache() { cache_gone = true; }

// The smallest cached block of at least `needed` bytes (the latest freed among equals), or none.
CachedBlock take_cached(size_t needed) {
  if (cache_gone) return {};
  size_t best = kCachedBlocks;
  for (size_t i = 0; i < cache.count; ++i) {
    const size_t capacity = cache.blocks[i].capacity;
    if (capacity >= needed && (best == kCachedBlocks || capacity <= cache.blocks[best].capacity)) best = i;
  }
  if (best == kCachedBlocks) return {};
  CachedBlock found = std::move(cache.blocks[best]);
  if (best != --cache.count) cache.blocks[best] = std::move(cache.blocks[cache.count]);
  cache.bytes -= found.capacity;
  return found;
}

void give_back(std::unique_ptr<char[]> bytes, size_t capacity) noexcept {
  if (cache_gone || capacity > kCachedBytes) return;  // freed here
  if (cache.count == kCachedBlocks || cache.bytes + capacity > kCachedBytes) {
    // Keep the larger blocks: a fast stream needs them, and small ones are cheap to allocate.
    size_t smallest = 0;
    for (size_t i = 1; i < cache.count; ++i)
      if (cache.blocks[i].capacity < cache.blocks[smallest].capacity) smallest = i;
    if (cache.count == 0 || cache.blocks[smallest].capacity >= capacity) return;
    cache.bytes -= cache.blocks[smallest].capacity;
    cache.blocks[smallest].bytes.reset();
    if (smallest != --cache.count) cache.blocks[smallest] = std::move(cache.blocks[cache.count]);
    if (cache.bytes + capacity > kCachedBytes) return;
  }
  cache.blocks[cache.count++] = CachedBlock{std::move(bytes), capacity};
  cache.bytes += capacity;
}

}  // namespace

void EventText::clear() noexcept {
  for (Block& block : blocks_) give_back(std::move(block.bytes), block.capacity);
  blocks_.clear();
}

EventText& EventText::operator=(EventText&& other) noexcept {
  if (this != &other) {
    clear();
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
    CachedBlock cached = take_cached(capacity);
    if (cached.bytes) {
      blocks_.push_back(Block{std::move(cached.bytes), cached.capacity, 0});
    } else {
      blocks_.push_back(Block{std::unique_ptr<char[]>(new char[capacity]), capacity, 0});
    }
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
