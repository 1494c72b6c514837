// Byte-level Server-Sent-Events parser (WHATWG HTML, "Interpreting an event stream").
//
// A push parser: the transport hands it whatever bytes arrived, in any chunking, and it calls a Sink
// for every complete event. It never throws on bad input and never decodes UTF-8; bytes pass through
// untouched so the JSON layer is the single place that validates them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace hfi::sse {

// Bytes guaranteed readable after Event::data.end(), so simdjson can parse the payload in place.
inline constexpr size_t kPadding = 64;

// One dispatched event. Views are valid only during the Sink call.
// When `padded`, `data` points into a buffer that has at least kPadding readable bytes after
// data.end(), all zero. An event of one data line that arrived whole in one feed is not copied: its
// data is then a view into the bytes being fed, with no padding.
struct Event {
  std::string_view type;  // "message" when no event: field was given
  std::string_view data;  // data lines joined with '\n', final '\n' stripped
  std::string_view id;    // last-event-id buffer (persists across events per WHATWG)
  bool padded = true;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Return false to stop parsing (feed() then returns FeedStatus::stopped and ignores the rest).
  virtual bool on_event(const Event& ev) = 0;
  // Comment lines (":..."), e.g. keep-alives; `text` is everything after the ':'. Default: ignore.
  virtual void on_comment(std::string_view /*text*/) {}
  // A valid retry: field (ASCII digits only). Values beyond uint64_t saturate to UINT64_MAX.
  virtual void on_retry(uint64_t /*ms*/) {}
};

enum class FeedStatus { ok, stopped, event_too_large };

// Work counters, exposed so tests can prove the parser is linear in its input without timing it.
struct ParserStats {
  uint64_t bytes_copied = 0;   // bytes memcpy'd into the line and data buffers, including regrowth
  uint64_t bytes_scanned = 0;  // bytes examined while searching for line ends
};

namespace detail {

// Growable byte buffer that always keeps kPadding bytes of capacity past its contents. Unlike
// std::string, the bytes past size() belong to a plain heap array, so reading them is legal.
class PaddedBuffer {
 public:
  const char* data() const { return bytes_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  uint64_t bytes_copied() const { return bytes_copied_; }

  // Doubling stops at this size (0: unbounded), so a buffer at the parser's limit is not twice as big.
  void set_growth_limit(size_t max_size) { growth_limit_ = max_size; }
  // Makes room for n more bytes (plus padding), so a sequence of appends regrows at most once.
  void reserve_for_append(size_t n);
  void append(const char* bytes, size_t n);
  void push_back(char c);
  // Zeroes the kPadding bytes that start at `offset` (offset <= size()).
  void zero_padding_at(size_t offset);
  void clear() { size_ = 0; }  // keeps the allocation for the next event
  void reset_counters() { bytes_copied_ = 0; }

 private:
  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  size_t growth_limit_ = 0;
  uint64_t bytes_copied_ = 0;
};

}  // namespace detail

class Parser {
 public:
  // max_event_bytes bounds the data of one event (Event::data.size()) AND the length of one line
  // (excluding its line end); exceeding either is event_too_large. 0 means "no limit".
  // Note the line bound includes the field name, so with a limit L one `data: ` line carries at most
  // L - 6 payload bytes.
  explicit Parser(size_t max_event_bytes = size_t{64} << 20);

  // Parses `n` bytes (bytes may be null when n == 0). Not re-entrant: do not call from a Sink.
  FeedStatus feed(const char* bytes, size_t n, Sink& sink);

  // End of stream. Per WHATWG, a pending event without its terminating blank line is discarded.
  // Returns true if something was discarded (a partial line, undispatched data or event type, or the
  // event that overflowed max_event_bytes), so callers can tell "stream ended cleanly between events"
  // from "stream cut in the middle of an event". The last-event-id survives; call reset() before
  // parsing a new stream.
  bool finish();

  // Back to the freshly constructed state (including the BOM check, last-event-id, counters and a
  // stopped or failed status). Keeps allocated buffers for reuse.
  void reset();

  // Bytes consumed by feed() since construction or reset(). Input ignored after a stop or a failure
  // is not counted; after a stop the count ends at the line end that dispatched the last event.
  uint64_t bytes_seen() const { return bytes_seen_; }

  ParserStats stats() const;
  // The data buffer's allocation size; for tests of the padding promise.
  size_t data_buffer_capacity() const { return data_.capacity(); }

 private:
  const char* skip_bom(const char* p, const char* end);
  void carry_partial_line(const char* p, size_t n);
  void complete_line(const char* p, size_t n, Sink& sink);
  // `in_feed`: the line lies in the bytes being fed, which stay put until feed() returns.
  void process_line(const char* line, size_t n, bool in_feed, Sink& sink);
  void process_field(std::string_view field, std::string_view value, bool in_feed, Sink& sink);
  void copy_borrowed_data();
  void dispatch(Sink& sink);
  bool exceeds_limit(size_t n) const { return max_event_bytes_ != 0 && n > max_event_bytes_; }
  void fail();

  size_t max_event_bytes_;
  FeedStatus status_ = FeedStatus::ok;

  detail::PaddedBuffer line_;  // a line split across feeds; empty on the fast path
  detail::PaddedBuffer data_;  // data buffer of the event being built
  // The event's only data line so far, still in the caller's bytes; copied into data_ when a second
  // data line comes or the feed ends before the event is dispatched.
  std::string_view borrowed_data_;
  bool has_borrowed_data_ = false;
  std::string event_type_;
  std::string last_event_id_;

  uint8_t bom_bytes_matched_ = 0;  // BOM prefix held back while it may still be a BOM
  bool bom_resolved_ = false;
  bool skip_next_lf_ = false;  // the previous feed ended in CR, so a leading LF completes that CRLF

  uint64_t bytes_seen_ = 0;
  uint64_t bytes_scanned_ = 0;
};

}  // namespace hfi::sse
