// hfi.hpp compiles on its own, with every warning an error, as C++17 and C++20.
#include <hfi/hfi.hpp>

int hfi_header_hpp_check() {
  hfi::client_options options;
  options.token("x").max_retries(1);
  hfi::result<int> r(hfi::error_info{});
  return r.ok() ? 0 : static_cast<int>(r.error().status);
}
