// Storage for the strings of a batch of events, so that a batch costs one allocation rather than
// one per string (a streamed chunk's JSON and text used to be two heap copies per event).
//
// Stored strings are NUL-terminated (the C ABI hands them out as C strings) and never move while
// the arena lives, so events hold plain views into it and can be moved between lists freely; whoever
// owns the events owns the arena they point into.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace hfi {

class EventText {
 public:
  EventText() = default;
  ~EventText() { clear(); }
  EventText(EventText&& other) noexcept : blocks_(std::move(other.blocks_)) { other.blocks_.clear(); }
  EventText& operator=(EventText&& other) noexcept;
  EventText(const EventText&) = delete;
  EventText& operator=(const EventText&) = delete;

  // The next block is at least this big: one feed of N body bytes yields at most about N bytes of
  // event text, so a hint sized from the feed makes the whole batch one allocation.
  void expect(size_t bytes) { expected_ = bytes; }
  // A NUL-terminated copy of `s` that stays put until clear(); "" costs nothing.
  std::string_view store(std::string_view s);
  // Takes over `other`'s strings (views into them stay valid); `other` ends up empty.
  void splice_from(EventText& other);
  void swap(EventText& other) noexcept { blocks_.swap(other.blocks_); }
  // Forgets every string: an idle stream keeps no event memory. The blocks go to a small cache of
  // the calling thread, since a stream allocates and frees its text at every read.
  void clear() noexcept;
  bool empty() const noexcept { return blocks_.empty(); }

 private:
  struct Block {
    std::unique_ptr<char[]> bytes;
    size_t capacity = 0;
    size_t used = 0;
  };
  std::vector<Block> blocks_;
  size_t expected_ = 0;
};

}  // namespace hfi
