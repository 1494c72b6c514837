#include "providers/media_outputs.h"

#include <simdjson.h>

#include "protocol/base64.h"

namespace hfi::providers {

bool generated_image(std::string_view provider, std::string_view body, std::string& bytes, std::string& error) {
  try {
    bytes.clear();
    const char* list = nullptr;
    const char* member = nullptr;
    if (provider == "together" || provider == "nebius" || provider == "nscale") {
      list = "data";
      member = "b64_json";
    } else if (provider == "hyperbolic") {
      list = "images";
      member = "image";
    } else {
      error = std::string(provider) + " does not return images as base64 JSON";
      return false;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    std::string_view encoded;
    if (parser.parse(body.data(), body.size()).get(doc) || doc[list].at(0)[member].get(encoded)) {
      error = std::string(provider) + ": the response has no " + list + "[0]." + member;
      return false;
    }
    if (encoded.empty() || !base64::append_decoded(bytes, encoded)) {
      bytes.clear();
      error = std::string(provider) + ": " + list + "[0]." + member + " is not base64";
      return false;
    }
    return true;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return false;
  }
}

}  // namespace hfi::providers
