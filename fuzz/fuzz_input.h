// Splitting one fuzzer input into the pieces a target needs: small numbers that pick a case, and
// the bytes the code under test reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hfi_fuzz {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}
  // One byte as a number (0 when the input ran out).
  uint8_t byte() {
    if (rest_.empty()) return 0;
    const uint8_t b = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  // Up to the next '\n' (consumed), or everything left.
  std::string_view line() {
    const size_t end = rest_.find('\n');
    std::string_view out = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
    return out;
  }
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

// Stops the run as a crash does: an invariant the target checks does not hold.
[[noreturn]] inline void broken() { __builtin_trap(); }

}  // namespace hfi_fuzz
