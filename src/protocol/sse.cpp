#include "protocol/sse.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace hfi::sse {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kDefaultEventType = "message";

// Small enough not to matter for one stream, large enough that a typical LLM chunk needs no regrowth.
constexpr size_t kMinBufferCapacity = 512;

bool is_ascii_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The spec reads retry as an unbounded base-ten integer; saturating keeps absurd values absurd
// (the caller clamps) instead of wrapping them into small ones.
uint64_t parse_decimal_saturating(std::string_view digits) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t value = 0;
  for (char c : digits) {
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) return kMax;
    value = value * 10 + digit;
  }
  return value;
}

// Finds the next CR or LF. Two independent memchr calls would each re-scan the rest of the buffer
// for the character that is absent (e.g. CR in an LF-only stream) on every line, which is quadratic
// in the feed size; remembering each character's next position keeps every byte scanned once per
// character.
class LineEndFinder {
 public:
  LineEndFinder(const char* end, uint64_t& bytes_scanned) : end_(end), bytes_scanned_(bytes_scanned) {}

  // Returns the first CR or LF at or after `from`, or end if there is none.
  const char* next(const char* from) {
    if (next_cr_ == nullptr || next_cr_ < from) next_cr_ = find(from, '\r');
    if (next_lf_ == nullptr || next_lf_ < from) next_lf_ = find(from, '\n');
    return std::min(next_cr_, next_lf_);
  }

 private:
  const char* find(const char* from, char c) {
    const auto* hit = static_cast<const char*>(std::memchr(from, c, static_cast<size_t>(end_ - from)));
    const char* stop = hit != nullptr ? hit + 1 : end_;
    bytes_scanned_ += static_cast<uint64_t>(stop - from);
    return hit != nullptr ? hit : end_;
  }

  const char* end_;
  uint64_t& bytes_scanned_;
  const char* next_cr_ = nullptr;
  const char* next_lf_ = nullptr;
};

}  // namespace

namespace detail {

void PaddedBuffer::reserve_for_append(size_t n) {
  const size_t needed = size_ + n + kPadding;
  if (needed <= capacity_) return;
  // Geometric growth keeps byte-at-a-time appends amortised linear.
  size_t doubled = std::max(capacity_ * 2, kMinBufferCapacity);
  if (growth_limit_ != 0) doubled = std::min(doubled, growth_limit_ + kPadding);
  const size_t new_capacity = std::max(needed, doubled);
  std::unique_ptr<char[]> grown(new char[new_capacity]);
  if (size_ != 0) std::memcpy(grown.get(), bytes_.get(), size_);
  bytes_copied_ += size_;
  bytes_ = std::move(grown);
  capacity_ = new_capacity;
}

void PaddedBuffer::append(const char* bytes, size_t n) {
  if (n == 0) return;  // memcpy from a null pointer is undefined even for zero bytes
  reserve_for_append(n);
  std::memcpy(bytes_.get() + size_, bytes, n);
  size_ += n;
  bytes_copied_ += n;
}

void PaddedBuffer::push_back(char c) {
  reserve_for_append(1);
  bytes_[size_++] = c;
  bytes_copied_ += 1;
}

void PaddedBuffer::zero_padding_at(size_t offset) {
  reserve_for_append(0);  // an empty, never-grown buffer has no padding yet
  std::memset(bytes_.get() + offset, 0, kPadding);
}

}  // namespace detail

Parser::Parser(size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {
  line_.set_growth_limit(max_event_bytes);
  // The data buffer also holds the '\n' that dispatch strips.
  data_.set_growth_limit(max_event_bytes == 0 ? 0 : max_event_bytes + 1);
}

FeedStatus Parser::feed(const char* bytes, size_t n, Sink& sink) {
  if (status_ != FeedStatus::ok) return status_;

  const char* const end = bytes + n;
  const char* p = bytes;
  if (!bom_resolved_) p = skip_bom(p, end);
  if (skip_next_lf_ && p < end) {
    skip_next_lf_ = false;
    if (*p == '\n') ++p;
  }

  LineEndFinder finder(end, bytes_scanned_);
  while (p < end && status_ == FeedStatus::ok) {
    const char* eol = finder.next(p);
    if (eol == end) {
      carry_partial_line(p, static_cast<size_t>(end - p));
      p = end;
      break;
    }
    complete_line(p, static_cast<size_t>(eol - p), sink);
    p = eol + 1;
    if (*eol == '\r') {
      // CRLF is one line end; if the LF has not arrived yet, the next feed must swallow it.
      if (p == end) {
        skip_next_lf_ = true;
      } else if (*p == '\n') {
        ++p;
      }
    }
  }
  if (has_borrowed_data_ && status_ == FeedStatus::ok) copy_borrowed_data();  // the bytes go away now
  has_borrowed_data_ = false;
  bytes_seen_ += static_cast<uint64_t>(p - bytes);
  return status_;
}

// Holds back a possible BOM prefix until all three bytes are seen, since a split BOM is still a BOM.
const char* Parser::skip_bom(const char* p, const char* end) {
  while (p < end && bom_bytes_matched_ < kBom.size()) {
    if (*p != kBom[bom_bytes_matched_]) {
      // Not a BOM after all: the bytes held back are the start of the first line.
      bom_resolved_ = true;
      carry_partial_line(kBom.data(), bom_bytes_matched_);
      bom_bytes_matched_ = 0;
      return p;
    }
    ++bom_bytes_matched_;
    ++p;
  }
  if (bom_bytes_matched_ == kBom.size()) {
    bom_resolved_ = true;
    bom_bytes_matched_ = 0;
  }
  return p;
}

void Parser::carry_partial_line(const char* p, size_t n) {
  // Checked while the line grows, so a line without an end cannot exhaust memory.
  if (exceeds_limit(line_.size() + n)) {
    fail();
    return;
  }
  line_.append(p, n);
}

void Parser::complete_line(const char* p, size_t n, Sink& sink) {
  if (line_.empty()) {
    // Fast path: the whole line is inside the caller's buffer, so parse it there without copying.
    if (exceeds_limit(n)) {
      fail();
      return;
    }
    process_line(p, n, /*in_feed=*/true, sink);
    return;
  }
  carry_partial_line(p, n);
  if (status_ != FeedStatus::ok) return;
  process_line(line_.data(), line_.size(), /*in_feed=*/false, sink);
  line_.clear();
}

void Parser::process_line(const char* line, size_t n, bool in_feed, Sink& sink) {
  if (n == 0) {
    dispatch(sink);
    return;
  }
  if (line[0] == ':') {
    sink.on_comment(std::string_view(line + 1, n - 1));
    return;
  }
  const auto* colon = static_cast<const char*>(std::memchr(line, ':', n));
  if (colon == nullptr) {
    process_field(std::string_view(line, n), std::string_view(), in_feed, sink);
    return;
  }
  std::string_view value(colon + 1, static_cast<size_t>(line + n - (colon + 1)));
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);  // exactly one space, per spec
  process_field(std::string_view(line, static_cast<size_t>(colon - line)), value, in_feed, sink);
}

void Parser::copy_borrowed_data() {
  data_.reserve_for_append(borrowed_data_.size() + 1);
  data_.append(borrowed_data_.data(), borrowed_data_.size());
  data_.push_back('\n');
  has_borrowed_data_ = false;
}

void Parser::process_field(std::string_view field, std::string_view value, bool in_feed, Sink& sink) {
  if (field == "data") {
    // The dispatched data drops the final '\n', so it is the buffer plus this value.
    const size_t buffered = has_borrowed_data_ ? borrowed_data_.size() + 1 : data_.size();
    if (exceeds_limit(buffered + value.size())) {
      fail();
      return;
    }
    if (in_feed && !has_borrowed_data_ && data_.empty()) {
      borrowed_data_ = value;  // most events are one data line: no copy unless another follows
      has_borrowed_data_ = true;
      return;
    }
    if (has_borrowed_data_) copy_borrowed_data();
    data_.reserve_for_append(value.size() + 1);
    data_.append(value.data(), value.size());
    data_.push_back('\n');
  } else if (field == "event") {
    event_type_.assign(value);
  } else if (field == "id") {
    // The spec ignores ids containing NUL: they could not be sent back in a Last-Event-ID header.
    if (value.find('\0') == std::string_view::npos) last_event_id_.assign(value);
  } else if (field == "retry") {
    if (is_ascii_digits(value)) sink.on_retry(parse_decimal_saturating(value));
  }
  // Any other field name is ignored, as the spec requires.
}

void Parser::dispatch(Sink& sink) {
  Event event;
  if (has_borrowed_data_) {
    event.data = borrowed_data_;
    event.padded = false;
    has_borrowed_data_ = false;
  } else if (data_.empty()) {
    event_type_.clear();
    return;
  } else {
    const size_t data_size = data_.size() - 1;  // every data line appended a '\n'; drop the last
    data_.zero_padding_at(data_size);
    event.data = std::string_view(data_.data(), data_size);
  }
  event.type = event_type_.empty() ? kDefaultEventType : std::string_view(event_type_);
  event.id = last_event_id_;
  const bool keep_going = sink.on_event(event);
  data_.clear();
  event_type_.clear();
  if (!keep_going) status_ = FeedStatus::stopped;
}

void Parser::fail() {
  status_ = FeedStatus::event_too_large;
  has_borrowed_data_ = false;
  line_.clear();
  data_.clear();
  event_type_.clear();
}

bool Parser::finish() {
  const bool held_bom_prefix = !bom_resolved_ && bom_bytes_matched_ != 0;
  const bool discarded = status_ == FeedStatus::event_too_large || held_bom_prefix || !line_.empty() ||
                         !data_.empty() || !event_type_.empty();
  line_.clear();
  data_.clear();
  event_type_.clear();
  skip_next_lf_ = false;
  bom_resolved_ = true;
  bom_bytes_matched_ = 0;
  return discarded;
}

void Parser::reset() {
  status_ = FeedStatus::ok;
  has_borrowed_data_ = false;
  line_.clear();
  data_.clear();
  line_.reset_counters();
  data_.reset_counters();
  event_type_.clear();
  last_event_id_.clear();
  bom_bytes_matched_ = 0;
  bom_resolved_ = false;
  skip_next_lf_ = false;
  bytes_seen_ = 0;
  bytes_scanned_ = 0;
}

ParserStats Parser::stats() const {
  ParserStats stats;
  stats.bytes_copied = line_.bytes_copied() + data_.bytes_copied();
  stats.bytes_scanned = bytes_scanned_;
  return stats;
}

}  // namespace hfi::sse
