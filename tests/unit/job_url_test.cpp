#include <gtest/gtest.h>

#include <string>

#include "providers/task_response.h"

namespace hfi::providers {
namespace {

constexpr std::string_view kRouter = "https://router.huggingface.co";

struct Resolved {
  hfi_status status;
  std::string url;
  std::string error;
};

Resolved resolve(std::string_view provider, std::string_view url, bool routed, std::string_view direct_base = {}) {
  Resolved r;
  r.status = job_url(*find_provider(provider), url, routed, kRouter, direct_base, r.url, r.error);
  return r;
}

TEST(JobUrlTest, RoutedJobsGoThroughTheRouterWhateverHostTheProviderNamed) {
  EXPECT_EQ(resolve("together", "https://api.together.xyz/v2/videos/v1", true).url,
            "https://router.huggingface.co/together/v2/videos/v1");
  EXPECT_EQ(resolve("novita", "https://api.novita.ai/v3/async/task-result?task_id=t1", true).url,
            "https://router.huggingface.co/novita/v3/async/task-result?task_id=t1");
  // A path without a host is the provider's own.
  EXPECT_EQ(resolve("zai-org", "/api/paas/v4/async-result/7", true).url,
            "https://router.huggingface.co/zai-org/api/paas/v4/async-result/7");
  // An answer that already names the router keeps its path.
  EXPECT_EQ(resolve("wavespeed", "https://router.huggingface.co/wavespeed/api/v3/predictions/p/result", true).url,
            "https://router.huggingface.co/wavespeed/api/v3/predictions/p/result");
}

TEST(JobUrlTest, FalQueueUrlsGetTheQueueSubdomainMergedIntoTheirQuery) {
  EXPECT_EQ(resolve("fal-ai", "https://queue.fal.run/fal-ai/vid/requests/R1/status", true).url,
            "https://router.huggingface.co/fal-ai/fal-ai/vid/requests/R1/status?_subdomain=queue");
  EXPECT_EQ(resolve("fal-ai", "https://queue.fal.run/fal-ai/vid/requests/R1/status?logs=1", true).url,
            "https://router.huggingface.co/fal-ai/fal-ai/vid/requests/R1/status?logs=1&_subdomain=queue");
  EXPECT_EQ(resolve("fal-ai", "https://queue.fal.run/fal-ai/vid/requests/R1?_subdomain=queue", true).url,
            "https://router.huggingface.co/fal-ai/fal-ai/vid/requests/R1?_subdomain=queue");
}

TEST(JobUrlTest, DirectJobsStayOnTheProvidersHost) {
  Resolved same = resolve("together", "https://api.together.xyz/v2/videos/v1", false, "https://api.together.xyz");
  EXPECT_EQ(same.status, HFI_OK);
  EXPECT_EQ(same.url, "https://api.together.xyz/v2/videos/v1");
  // fal-ai's queue host is fal-ai's too.
  EXPECT_EQ(resolve("fal-ai", "https://queue.fal.run/fal-ai/vid/requests/R1/status", false, "https://fal.run").status,
            HFI_OK);
  // A configured base (a proxy, the emulator) is the provider's host for its jobs.
  EXPECT_EQ(resolve("together", "http://127.0.0.1:8080/direct/together/v2/videos/v1", false,
                    "http://127.0.0.1:8080/direct/together")
                .status,
            HFI_OK);
  EXPECT_EQ(resolve("together", "/v2/videos/v1", false, "https://api.together.xyz").url,
            "https://api.together.xyz/v2/videos/v1");
}

TEST(JobUrlTest, AKeyIsNeverSentToAnotherHost) {
  for (std::string_view url : {"https://evil.example/v2/videos/v1", "http://api.together.xyz/v2/videos/v1",
                               "https://api.together.xyz:8443/v2/videos/v1", "https://api.together.xyz.evil.example/x"}) {
    Resolved r = resolve("together", url, false, "https://api.together.xyz");
    EXPECT_EQ(r.status, HFI_E_PROTOCOL) << url;
    EXPECT_TRUE(r.url.empty()) << url;
    EXPECT_FALSE(r.error.empty()) << url;
  }
}

TEST(JobUrlTest, UrlsThatAreNotHttpOrHideTheirHostAreRefused) {
  for (std::string_view url : {"", "ftp://api.together.xyz/x", "file:///etc/passwd", "https://user@api.together.xyz/x",
                               "https://api.together.xyz/x\r\nX-Injected: 1", "//api.together.xyz/x", "videos/v1"}) {
    EXPECT_EQ(resolve("together", url, true).status, HFI_E_PROTOCOL) << url;
    EXPECT_EQ(resolve("together", url, false, "https://api.together.xyz").status, HFI_E_PROTOCOL) << url;
  }
}

}  // namespace
}  // namespace hfi::providers
