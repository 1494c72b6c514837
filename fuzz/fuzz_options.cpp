// The public option setters on any sequence of keys and values, NULL and oversized ones included,
// then a client made from them (no token from the environment, a router on a closed loopback
// port so nothing leaves the machine), then everything freed. Nothing may crash or leak.
#include <hfi/hfi.h>

#include <string>

#include "fuzz_input.h"

namespace {

const int32_t kKeys[] = {HFI_OPT_TOKEN, HFI_OPT_ROUTER_URL, HFI_OPT_BASE_URL, HFI_OPT_PROVIDER, HFI_OPT_USER_AGENT,
                         HFI_OPT_HEADER, HFI_OPT_BILL_TO, HFI_OPT_CA_BUNDLE, HFI_OPT_PROXY, HFI_OPT_HUB_URL,
                         HFI_OPT_PROVIDER_KEY, HFI_OPT_PROVIDER_URL, HFI_OPT_TARGET, HFI_OPT_CONNECT_TIMEOUT_MS,
                         HFI_OPT_TIMEOUT_MS, HFI_OPT_STALL_TIMEOUT_MS, HFI_OPT_IO_MODE, HFI_OPT_MAX_RESPONSE_BYTES,
                         HFI_OPT_MAX_EVENT_BYTES, HFI_OPT_TOKEN_FROM_ENV, HFI_OPT_ALLOW_INSECURE_HTTP,
                         HFI_OPT_MAPPING_TTL_MS, HFI_OPT_MAX_RETRIES, HFI_OPT_MAX_RETRY_AFTER_MS,
                         HFI_OPT_WAIT_FOR_MODEL_MS, HFI_OPT_FIRST_BYTE_TIMEOUT_MS, HFI_OPT_BREAKER_FAILURES,
                         HFI_OPT_BREAKER_COOLDOWN_MS, HFI_OPT_MAX_RETRY_TIME_MS, 0, 999, 3000, -1};
const int32_t kRequestKeys[] = {HFI_REQ_HEADER, HFI_REQ_TIMEOUT_MS, HFI_REQ_STALL_TIMEOUT_MS, HFI_REQ_PROVIDER,
                                HFI_REQ_POLL_INTERVAL_MS, HFI_REQ_MAX_RETRIES, HFI_REQ_FIRST_BYTE_TIMEOUT_MS, 0, 1999};

void HFI_CALL ignore_log(int32_t, const char*, size_t, void*) {}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hfi_fuzz::Input in(data, size);
  hfi_client_options* o = nullptr;
  hfi_request_options* r = nullptr;
  if (hfi_client_options_new(&o) != HFI_OK || hfi_request_options_new(&r) != HFI_OK) hfi_fuzz::broken();
  hfi_client_options_set_int(o, HFI_OPT_TOKEN_FROM_ENV, 0);
  for (int op = 0; op < 16 && !in.rest().empty(); ++op) {
    const uint8_t what = in.byte();
    const std::string value(in.line());
    uint64_t hash = 0;
    for (char c : value) hash = hash * 31 + static_cast<uint8_t>(c);
    const int64_t number = static_cast<int64_t>(hash);
    switch (what % 6) {
      case 0:
        hfi_client_options_set_str(o, kKeys[what / 6 % (sizeof kKeys / sizeof *kKeys)], value.data(), value.size());
        break;
      case 1: hfi_client_options_set_int(o, kKeys[what / 6 % (sizeof kKeys / sizeof *kKeys)], number); break;
      case 2:
        hfi_client_options_set_str(o, kKeys[what / 6 % (sizeof kKeys / sizeof *kKeys)],
                                   value.empty() ? nullptr : value.c_str(), HFI_NUL_TERMINATED);
        break;
      case 3:
        hfi_request_options_set_str(r, kRequestKeys[what / 6 % (sizeof kRequestKeys / sizeof *kRequestKeys)],
                                    value.data(), value.size());
        break;
      case 4:
        hfi_request_options_set_int(r, kRequestKeys[what / 6 % (sizeof kRequestKeys / sizeof *kRequestKeys)], number);
        break;
      default:
        hfi_client_options_set_log(o, what & 64 ? &ignore_log : nullptr, nullptr, static_cast<int32_t>(number % 6));
        hfi_request_options_set_input(r, value.data(), value.size(), what & 128 ? value.c_str() : nullptr);
        break;
    }
  }
  // Whatever was set, nothing may leave this machine.
  const std::string closed = "http://127.0.0.1:9";
  hfi_client_options_set_str(o, HFI_OPT_ROUTER_URL, closed.data(), closed.size());
  hfi_client_options_set_str(o, HFI_OPT_HUB_URL, closed.data(), closed.size());
  hfi_client_options_set_str(o, HFI_OPT_TARGET, "", 0);
  hfi_client_options_set_str(o, HFI_OPT_BASE_URL, "", 0);
  hfi_client_options_set_str(o, HFI_OPT_PROVIDER_URL, "", 0);
  hfi_client_options_set_str(o, HFI_OPT_PROVIDER_KEY, "", 0);
  hfi_client_options_set_str(o, HFI_OPT_PROXY, "", 0);
  hfi_client_options_set_int(o, HFI_OPT_IO_MODE, HFI_IO_CALLER);
  hfi_client* c = nullptr;
  if (hfi_client_new(&c, o) == HFI_OK && !c) hfi_fuzz::broken();
  hfi_client_free(c);
  hfi_request_options_free(r);
  hfi_client_options_free(o);
  return 0;
}
