// The provider table: what it must hold, and its routes against the recorded traffic of
// ../shared/fixtures/hfjs-tapes (the recordings are direct calls to each provider's own host).
#include "providers/table.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tapes.h"
#include "tasks/catalog.h"

namespace hfi::providers {
namespace {

TEST(ProviderTableTest, HoldsEveryProviderOfTheIssueOnce) {
  const char* wanted[] = {"baseten", "cerebras", "cohere", "deepinfra", "fal-ai", "featherless-ai", "fireworks-ai",
                          "groq", "hf-inference", "hyperbolic", "nebius", "novita", "nscale", "openai", "ovhcloud",
                          "publicai", "replicate", "sambanova", "scaleway", "together", "wavespeed", "zai-org"};
  for (const char* name : wanted) EXPECT_NE(find_provider(name), nullptr) << name;
  std::set<std::string_view> names;
  for (const ProviderInfo& p : all_providers()) EXPECT_TRUE(names.insert(p.name).second) << p.name;
  EXPECT_EQ(names.size(), std::size(wanted));
  EXPECT_EQ(find_provider("Together"), nullptr);  // names are exact
}

TEST(ProviderTableTest, EntriesAreWellFormed) {
  for (const ProviderInfo& p : all_providers()) {
    SCOPED_TRACE(std::string(p.name));
    if (p.name != "hf-inference") {
      EXPECT_EQ(p.direct_base.rfind("https://", 0), 0u);
      EXPECT_NE(p.direct_base.back(), '/');
      EXPECT_FALSE(p.routes.empty());
    }
    std::set<std::string_view> tasks;
    for (const TaskRoute& r : p.routes) {
      EXPECT_NE(tasks::find_task(r.task), nullptr) << r.task;
      EXPECT_TRUE(tasks.insert(r.task).second) << "two routes for " << r.task;
      EXPECT_EQ(r.path.front(), '/') << r.path;
      EXPECT_TRUE(!r.queued || !p.queue_base.empty()) << r.task;
    }
    for (std::string_view h : p.headers) EXPECT_NE(h.find(": "), std::string_view::npos) << h;
  }
  EXPECT_FALSE(find_provider("openai")->routed);
  EXPECT_EQ(find_provider("fal-ai")->direct_auth, DirectAuth::key);
  EXPECT_EQ(find_provider("together")->direct_auth, DirectAuth::bearer);
}

TEST(ProviderTableTest, RoutePathsFillInTheProviderModel) {
  const ProviderInfo& fal = *find_provider("fal-ai");
  EXPECT_EQ(route_path(fal, *find_route(fal, "text-to-image"), "fal-ai/flux/schnell"), "/fal-ai/flux/schnell");
  EXPECT_TRUE(find_route(fal, "text-to-video")->queued);
  EXPECT_FALSE(find_route(fal, "text-to-image")->queued);
  const ProviderInfo& replicate = *find_provider("replicate");
  const TaskRoute& t2i = *find_route(replicate, "text-to-image");
  EXPECT_EQ(route_path(replicate, t2i, "black-forest-labs/flux-schnell"),
            "/v1/models/black-forest-labs/flux-schnell/predictions");
  EXPECT_EQ(route_path(replicate, t2i, "owner/model:5599ed30"), "/v1/predictions");
  const ProviderInfo& groq = *find_provider("groq");
  EXPECT_EQ(route_path(groq, *find_route(groq, "chat-completion"), "ignored"), "/openai/v1/chat/completions");
  EXPECT_EQ(find_route(groq, "text-to-image"), nullptr);
}

std::string host_of(std::string_view url) { return test::split_url(url).host; }

// The provider's model id as the recording shows it, for routes that carry it.
std::string recorded_provider_model(std::string_view provider, const std::string& path, const nlohmann::json& body) {
  if (provider == "fal-ai") return path.substr(1);
  if (provider == "replicate") {
    const std::string prefix = "/v1/models/", suffix = "/predictions";
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size() + suffix.size())
      return path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    if (body.is_object() && body.contains("version")) return "pinned:" + body["version"].get<std::string>();
  }
  return "unused";
}

TEST(ProviderTableConformanceTest, RecordedCallsUseTheTablesHostAndRoute) {
  const std::vector<nlohmann::json> records = test::recorded_interactions();
  ASSERT_FALSE(records.empty()) << "fixture file missing";
  std::map<std::string, std::pair<int, int>> by_provider;  // passed, total
  std::vector<std::string> skipped;
  for (const nlohmann::json& r : records) {
    if (r.value("kind", "") != "inference") continue;
    const std::string recorded = r.value("provider", "");
    if (recorded.rfind("hf-inference", 0) == 0) continue;  // hf_inference_test.cpp
    const std::string task = r.value("task", "");
    const std::string where = recorded + " " + task + " #" + std::to_string(r.value("ordinal", -1));
    if (recorded.find("(custom endpoint)") != std::string::npos) {
      skipped.push_back(where + ": a custom base URL, not a provider route");
      continue;
    }
    const ProviderInfo* provider = find_provider(recorded);
    if (!provider) {
      skipped.push_back(where + ": provider not served by the router today");
      continue;
    }
    auto& [passed, total] = by_provider[recorded];
    ++total;
    SCOPED_TRACE(where + " " + r.value("url", ""));
    const TaskRoute* route = find_route(*provider, task);
    ASSERT_NE(route, nullptr) << "no route for " << task;
    const test::UrlParts url = test::split_url(r.value("url", ""));
    const std::string& host = url.host;
    const std::string& path = url.path;
    nlohmann::json body = r["request_body"].is_string()
                              ? nlohmann::json::parse(r["request_body"].get<std::string>(), nullptr, false)
                              : nlohmann::json();
    EXPECT_EQ(host, host_of(route->queued ? provider->queue_base : provider->direct_base));
    EXPECT_EQ(route_path(*provider, *route, recorded_provider_model(recorded, path, body)), path);
    if (!::testing::Test::HasFailure()) ++passed;
  }
  int passed_all = 0, total_all = 0;
  std::cout << "provider routes checked against recorded calls:\n";
  for (const auto& [name, counts] : by_provider) {
    std::cout << "  " << name << ": " << counts.first << "/" << counts.second << "\n";
    passed_all += counts.first;
    total_all += counts.second;
  }
  std::cout << "  all: " << passed_all << "/" << total_all << "\nnot checked:\n";
  for (const std::string& s : skipped) std::cout << "  " << s << "\n";
  EXPECT_EQ(passed_all, total_all);
  EXPECT_GE(total_all, 80);
}

}  // namespace
}  // namespace hfi::providers
