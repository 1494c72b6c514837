#include "core/secret.h"

#include <string.h>

namespace hfi {

void wipe(std::string& secret) {
  if (!secret.empty()) explicit_bzero(secret.data(), secret.size());
  secret.clear();
}

}  // namespace hfi
