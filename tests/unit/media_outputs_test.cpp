#include "providers/media_outputs.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace hfi::providers {
namespace {

// PNG, JPEG or WebP, by their first bytes.
bool looks_like_an_image(const std::string& bytes) {
  return bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0 || bytes.rfind("\xff\xd8\xff", 0) == 0 ||
         (bytes.rfind("RIFF", 0) == 0 && bytes.size() > 12 && bytes.compare(8, 4, "WEBP") == 0);
}

TEST(GeneratedImageTest, ReadsEachProvidersShape) {
  std::string bytes, error;
  ASSERT_TRUE(generated_image("together", R"({"data":[{"index":0,"b64_json":"iVBORw0KGgo="}]})", bytes, error)) << error;
  EXPECT_EQ(bytes, "\x89PNG\r\n\x1a\n");
  ASSERT_TRUE(generated_image("hyperbolic", R"({"images":[{"index":0,"image":"/9j/"}]})", bytes, error)) << error;
  EXPECT_EQ(bytes, "\xff\xd8\xff");
}

TEST(GeneratedImageTest, SaysWhatIsMissing) {
  std::string bytes, error;
  EXPECT_FALSE(generated_image("together", R"({"data":[]})", bytes, error));
  EXPECT_EQ(error, "together: the response has no data[0].b64_json");
  EXPECT_FALSE(generated_image("nebius", R"({"data":[{"b64_json":"not base64!"}]})", bytes, error));
  EXPECT_EQ(error, "nebius: data[0].b64_json is not base64");
  EXPECT_TRUE(bytes.empty());
  EXPECT_FALSE(generated_image("nscale", "<html>", bytes, error));
  EXPECT_FALSE(generated_image("fal-ai", R"({"images":[{"url":"https://x"}]})", bytes, error));
  EXPECT_NE(error.find("does not return images as base64"), std::string::npos);
}

TEST(GeneratedImageConformanceTest, RecordedImagesDecode) {
  std::ifstream in(std::string(HFI_FIXTURES_DIR) + "/hfjs-tapes/interactions.ndjson", std::ios::binary);
  ASSERT_TRUE(in) << "fixture file missing";
  int decoded = 0;
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
    if (!r.is_object() || r.value("kind", "") != "inference" || r.value("task", "") != "text-to-image") continue;
    const std::string provider = r.value("provider", "");
    if (provider != "together" && provider != "nebius" && provider != "hyperbolic") continue;
    if (r.value("response_status", 0) != 200 || !r["response_body"].is_string()) continue;
    SCOPED_TRACE(provider + " #" + std::to_string(r.value("ordinal", -1)));
    std::string bytes, error;
    ASSERT_TRUE(generated_image(provider, r["response_body"].get<std::string>(), bytes, error)) << error;
    EXPECT_TRUE(looks_like_an_image(bytes)) << bytes.substr(0, 16);
    ++decoded;
  }
  EXPECT_GE(decoded, 6);
}

}  // namespace
}  // namespace hfi::providers
