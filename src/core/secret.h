// Tokens are wiped from memory when the object holding them goes away.
#pragma once

#include <string>

namespace hfi {

// Overwrites the string's bytes in a way the compiler may not optimise out, then empties it.
void wipe(std::string& secret);

// A string that wipes itself on destruction and on reassignment.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret& operator=(const Secret& other) {
    if (this != &other) {
      wipe(value_);
      value_ = other.value_;
    }
    return *this;
  }
  ~Secret() { wipe(value_); }

  const std::string& get() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace hfi
