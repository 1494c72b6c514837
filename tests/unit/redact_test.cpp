#include "core/redact.h"

#include <gtest/gtest.h>

namespace hfi {
namespace {

TEST(Redact, CredentialHeadersLoseTheirValues) {
  for (const char* line : {"Authorization: Bearer x", "authorization:Bearer x", "Proxy-Authorization: Basic x",
                           "api-key: x", "X-API-Key: x", "Cookie: a=b", "Set-Cookie: a=b", "x-goog-api-key: x",
                           "X-Amz-Security-Token: x", "X-Client-Secret: x", "X-Signature: x"}) {
    SCOPED_TRACE(line);
    const std::string shown = shown_header_line(line);
    EXPECT_EQ(shown.find(" x"), std::string::npos);
    EXPECT_EQ(shown.find("a=b"), std::string::npos);
    EXPECT_NE(shown.find("[redacted]"), std::string::npos);
  }
  for (const char* line : {"Content-Type: application/json", "Accept: text/event-stream", "X-Request-Id: 42",
                           "HTTP/1.1 200 OK", "Keep-Alive: timeout=5"})
    EXPECT_EQ(shown_header_line(line), line);
  EXPECT_EQ(shown_header_line("Authorization:"), "Authorization:");  // libcurl's "drop this header"
}

TEST(Redact, UrlsLoseTheirQuery) {
  EXPECT_EQ(shown_url("https://a.example/x.png?X-Amz-Signature=abc&key=k"), "https://a.example/x.png?[redacted]");
  EXPECT_EQ(shown_url("https://a.example/v1/chat/completions"), "https://a.example/v1/chat/completions");
}

TEST(Redact, TheScrubberReplacesEveryKnownSecretAndAnythingShapedLikeAToken) {
  SecretScrubber scrubber({Secret("sk-secret-1"), Secret("abc"), Secret("")});
  std::string text = "key sk-secret-1 twice sk-secret-1; abc stays (too short to scrub); hf_" +
                     std::string(30, 'Z') + " and hf_short and xhf_" + std::string(30, 'Y');
  scrubber.scrub(text);
  EXPECT_EQ(text, "key [redacted] twice [redacted]; abc stays (too short to scrub); [redacted] and hf_short and xhf_" +
                      std::string(30, 'Y'));
  std::string self = "[redacted]";
  SecretScrubber({Secret("redacted")}).scrub(self);  // a secret inside the replacement ends
  EXPECT_EQ(self, "[[redacted]]");
}

}  // namespace
}  // namespace hfi
