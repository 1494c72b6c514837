// The SSE parser on any bytes, fed in one piece and in pieces the input chooses: both feedings must
// produce the same events, comments and retries, and neither may exceed the event size limit.
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "protocol/sse.h"

namespace {

struct Recorder : hfi::sse::Sink {
  std::vector<std::string> seen;
  size_t limit = 0;
  bool on_event(const hfi::sse::Event& ev) override {
    if (ev.data.size() > limit) hfi_fuzz::broken();
    seen.push_back("E" + std::string(ev.type) + '\0' + std::string(ev.data) + '\0' + std::string(ev.id));
    return true;
  }
  void on_comment(std::string_view text) override { seen.push_back("C" + std::string(text)); }
  void on_retry(uint64_t ms) override { seen.push_back("R" + std::to_string(ms)); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hfi_fuzz::Input in(data, size);
  const size_t limit = 16 + in.byte() * 64;
  const uint8_t step = in.byte();
  const std::string_view bytes = in.rest();

  Recorder whole, pieces;
  whole.limit = pieces.limit = limit;
  hfi::sse::Parser one(limit), many(limit);
  const auto first = one.feed(bytes.data(), bytes.size(), whole);
  const bool whole_cut = one.finish();

  hfi::sse::FeedStatus last = hfi::sse::FeedStatus::ok;
  size_t at = 0, n = 0;
  while (at < bytes.size() && last == hfi::sse::FeedStatus::ok) {
    const size_t len = std::min(bytes.size() - at, static_cast<size_t>(1 + (step + n++ * 7) % 23));
    last = many.feed(bytes.data() + at, len, pieces);
    at += len;
  }
  const bool pieces_cut = many.finish();
  if (first != last) hfi_fuzz::broken();
  if (first == hfi::sse::FeedStatus::ok && (whole.seen != pieces.seen || whole_cut != pieces_cut)) hfi_fuzz::broken();
  return 0;
}
