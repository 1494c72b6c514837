// The function table of the C ABI (generated into api_table.cpp by bindings/gen/abigen.py).
#pragma once

#include "hfi/hfi_api.h"

namespace hfi::capi {

extern const hfi_api_v1 kApiV1;

}  // namespace hfi::capi
