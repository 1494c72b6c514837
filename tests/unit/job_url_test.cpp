#include <gtest/gtest.h>

#include <string>

#include "providers/task_response.h"

namespace hfi::providers {
namespace {

constexpr const char* kRouter = "https://router.huggingface.co";

std::string routed(std::string_view provider, std::string_view url) {
  std::string out, error;
  EXPECT_EQ(job_url(*find_provider(provider), url, true, kRouter, "", out, error), HFI_OK) << error;
  return out;
}

std::string direct(std::string_view provider, std::string_view url, std::string_view base = {}) {
  const ProviderInfo& info = *find_provider(provider);
  std::string out, error;
  EXPECT_EQ(job_url(info, url, false, kRouter, base.empty() ? info.direct_base : base, out, error), HFI_OK) << error;
  return out;
}

std::string refused(std::string_view provider, std::string_view url, bool through_router = false,
                    std::string_view base = {}) {
  const ProviderInfo& info = *find_provider(provider);
  std::string out = "stale", error;
  EXPECT_EQ(job_url(info, url, through_router, kRouter, base.empty() ? info.direct_base : base, out, error),
            HFI_E_PROTOCOL)
      << out;
  EXPECT_TRUE(out.empty());
  return error;
}

TEST(JobUrlTest, RoutedUrlsKeepPathAndQueryUnderTheProvider) {
  EXPECT_EQ(routed("wavespeed", "https://api.wavespeed.ai/api/v3/predictions/p1/result"),
            "https://router.huggingface.co/wavespeed/api/v3/predictions/p1/result");
  EXPECT_EQ(routed("replicate", "https://api.replicate.com/v1/predictions/q#frag"),
            "https://router.huggingface.co/replicate/v1/predictions/q");
  EXPECT_EQ(routed("zai-org", "/api/paas/v4/async-result/8421"),
            "https://router.huggingface.co/zai-org/api/paas/v4/async-result/8421");
  EXPECT_EQ(routed("novita", "/v3/async/task-result?task_id=t-9"),
            "https://router.huggingface.co/novita/v3/async/task-result?task_id=t-9");
  EXPECT_EQ(routed("together", "https://api.together.xyz?x=1"), "https://router.huggingface.co/together/?x=1");
  // An answer that already names the router keeps its path rather than doubling the provider.
  EXPECT_EQ(routed("wavespeed", "https://router.huggingface.co/wavespeed/api/v3/predictions/p1/result"),
            "https://router.huggingface.co/wavespeed/api/v3/predictions/p1/result");
}

TEST(JobUrlTest, FalQueueThroughTheRouterGetsTheSubdomainMergedIntoTheQuery) {
  EXPECT_EQ(routed("fal-ai", "https://queue.fal.run/fal-ai/flux/requests/abc/status"),
            "https://router.huggingface.co/fal-ai/fal-ai/flux/requests/abc/status?_subdomain=queue");
  EXPECT_EQ(routed("fal-ai", "https://queue.fal.run/fal-ai/flux/requests/abc/status?logs=1"),
            "https://router.huggingface.co/fal-ai/fal-ai/flux/requests/abc/status?logs=1&_subdomain=queue");
  EXPECT_EQ(routed("fal-ai", "https://queue.fal.run/fal-ai/flux/requests/abc?"),
            "https://router.huggingface.co/fal-ai/fal-ai/flux/requests/abc?_subdomain=queue");
  EXPECT_EQ(routed("fal-ai", "https://queue.fal.run/a/requests/b?x_subdomain=1&_subdomain=queue"),
            "https://router.huggingface.co/fal-ai/a/requests/b?x_subdomain=1&_subdomain=queue");
}

TEST(JobUrlTest, DirectUrlsOnTheProvidersHostAreUsedAsGiven) {
  EXPECT_EQ(direct("wavespeed", "https://api.wavespeed.ai/api/v3/predictions/p1/result"),
            "https://api.wavespeed.ai/api/v3/predictions/p1/result");
  EXPECT_EQ(direct("wavespeed", "HTTPS://API.WaveSpeed.ai:443/x"), "HTTPS://API.WaveSpeed.ai:443/x");
  EXPECT_EQ(direct("replicate", "https://api.replicate.com/v1/predictions/q"), "https://api.replicate.com/v1/predictions/q");
  EXPECT_EQ(direct("fal-ai", "https://queue.fal.run/fal-ai/flux/requests/abc/status"),
            "https://queue.fal.run/fal-ai/flux/requests/abc/status");
  EXPECT_EQ(direct("fal-ai", "https://fal.run/fal-ai/flux"), "https://fal.run/fal-ai/flux");
  EXPECT_EQ(direct("zai-org", "/api/paas/v4/async-result/1"), "https://api.z.ai/api/paas/v4/async-result/1");
  // A client that points a provider elsewhere (an emulator) keeps its jobs there.
  EXPECT_EQ(direct("together", "/v2/videos/v1", "http://127.0.0.1:8080/"), "http://127.0.0.1:8080/v2/videos/v1");
  EXPECT_EQ(direct("wavespeed", "http://127.0.0.1:8080/api/v3/predictions/p/result", "http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/api/v3/predictions/p/result");
}

TEST(JobUrlTest, AKeyIsNeverSentToAnotherHost) {
  EXPECT_EQ(refused("wavespeed", "https://evil.example/api/v3/predictions/p1/result"),
            "wavespeed: a job URL on another host (evil.example): a key is never sent there");
  refused("wavespeed", "https://api.wavespeed.ai.evil.example/x");
  refused("wavespeed", "http://api.wavespeed.ai/x");          // another scheme
  refused("wavespeed", "https://api.wavespeed.ai:8443/x");    // another port
  refused("wavespeed", "https://api.wavespeed.ai@evil.example/x");
  refused("replicate", "https://replicate.delivery/x");        // its CDN is not its API
  refused("fal-ai", "https://fal.media/files/x.png");
  refused("wavespeed", "https://api.wavespeed.ai/x", false, "http://127.0.0.1:8080");  // the override wins
}

TEST(JobUrlTest, OnlyHttpUrlsWithoutControlCharacters) {
  for (const char* url : {"", "ftp://api.wavespeed.ai/x", "javascript:alert(1)", "api.wavespeed.ai/x",
                          "//api.wavespeed.ai/x", "https://", "https://api.wavespeed.ai/x\r\nX-Evil: 1",
                          "https://api.wavespeed.ai/a b", "https://api.wavespeed.ai:port/x"}) {
    SCOPED_TRACE(url);
    EXPECT_FALSE(refused("wavespeed", url).empty());
    EXPECT_FALSE(refused("wavespeed", url, true).empty());
  }
  EXPECT_EQ(refused("wavespeed", "ftp://api.wavespeed.ai/x"),
            "wavespeed: a job URL that is not an absolute http(s) URL: \"ftp://api.wavespeed.ai/x\"");
}

TEST(JobUrlTest, PathsNeedADirectBase) {
  const ProviderInfo& hf = *find_provider("hf-inference");
  std::string out, error;
  EXPECT_EQ(job_url(hf, "/x", false, kRouter, "", out, error), HFI_E_UNSUPPORTED);
  EXPECT_EQ(error, "hf-inference is reached only through the router");
}

}  // namespace
}  // namespace hfi::providers
