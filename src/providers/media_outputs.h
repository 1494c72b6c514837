// Images that providers return inside JSON, as base64 (../shared/research/hf-clients.md §B.3):
// together, nebius and nscale in `data[0].b64_json` (OpenAI's images shape), hyperbolic in
// `images[0].image`.
#pragma once

#include <string>
#include <string_view>

namespace hfi::providers {

// The image bytes of a successful images response from `provider`. False, with `error`, when the
// provider is not one of these or the body does not hold a decodable image. Never throws.
bool generated_image(std::string_view provider, std::string_view body, std::string& bytes, std::string& error);

}  // namespace hfi::providers
