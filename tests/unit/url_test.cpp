// URL rules: which URLs are accepted, which hosts count as loopback or Hugging Face, and where
// chat requests go for a router or an OpenAI-compatible base URL.
#include "core/url.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using hfi::UrlParts;

UrlParts parsed(const std::string& url) {
  UrlParts parts;
  std::string error;
  EXPECT_TRUE(hfi::parse_http_url(url, parts, error)) << url << ": " << error;
  return parts;
}

// Refused, with a reason.
void expect_refused(const std::string& url) {
  UrlParts parts;
  std::string error;
  EXPECT_FALSE(hfi::parse_http_url(url, parts, error)) << "accepted: " << url;
  EXPECT_FALSE(error.empty()) << "no reason given for refusing " << url;
}

std::string base_chat(const std::string& url, const std::string& model = "org/m") {
  return hfi::chat_url_for_base(parsed(url), model);
}

// ---- parse_http_url --------------------------------------------------------------------------

TEST(ParseHttpUrl, AcceptsHttpsWithDefaults) {
  UrlParts u = parsed("https://router.huggingface.co");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "router.huggingface.co");
  EXPECT_EQ(u.port, "");
  EXPECT_EQ(u.path, "");
  EXPECT_EQ(u.query, "");
}

TEST(ParseHttpUrl, AcceptsHttpWithPortPathAndQuery) {
  UrlParts u = parsed("http://localhost:8080/v1/x?api-version=2&a=b");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, "8080");
  EXPECT_EQ(u.path, "/v1/x");
  EXPECT_EQ(u.query, "api-version=2&a=b");
}

TEST(ParseHttpUrl, RootPathBecomesEmpty) {
  EXPECT_EQ(parsed("https://example.com/").path, "");
  EXPECT_EQ(parsed("https://example.com/a/").path, "/a/");
}

TEST(ParseHttpUrl, SchemeAndHostAreLowerCased) {
  UrlParts u = parsed("HTTPS://Router.HuggingFace.CO/Path");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host, "router.huggingface.co");
  EXPECT_EQ(u.path, "/Path");  // paths are case-sensitive and kept
}

TEST(ParseHttpUrl, ExplicitDefaultPortIsKept) {
  EXPECT_EQ(parsed("https://example.com:443/v1").port, "443");
  EXPECT_EQ(parsed("http://example.com:80").port, "80");
}

TEST(ParseHttpUrl, Ipv6HostIsUnbracketed) {
  UrlParts u = parsed("http://[::1]:8080/v1");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, "8080");
  EXPECT_EQ(u.path, "/v1");
  EXPECT_EQ(parsed("http://[::1]").host, "::1");
}

TEST(ParseHttpUrl, Ipv4Host) {
  UrlParts u = parsed("http://127.0.0.1:9000");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "9000");
}

TEST(ParseHttpUrl, RefusesOtherSchemes) {
  expect_refused("ftp://example.com/file");
  expect_refused("file:///etc/passwd");
  expect_refused("ws://example.com/socket");
  expect_refused("wss://example.com/socket");
  expect_refused("gopher://example.com");
  expect_refused("javascript:alert(1)");
}

TEST(ParseHttpUrl, RefusesCredentials) {
  expect_refused("https://user:pw@example.com/v1");
  expect_refused("https://user@example.com/v1");
  expect_refused("https://:pw@example.com/v1");
  expect_refused("http://hf_token:x@localhost:8080");
}

TEST(ParseHttpUrl, CredentialsAreNotEchoedInTheReason) {
  UrlParts parts;
  std::string error;
  ASSERT_FALSE(hfi::parse_http_url("https://alice:s3cr3t-hf-xyz@example.com/", parts, error));
  EXPECT_EQ(error.find("s3cr3t-hf-xyz"), std::string::npos) << error;
}

TEST(ParseHttpUrl, RefusesFragments) {
  expect_refused("https://example.com/v1#frag");
  expect_refused("https://example.com#top");
  expect_refused("https://example.com/v1?q=1#frag");
}

TEST(ParseHttpUrl, RefusesEmptyAndGarbage) {
  expect_refused("");
  expect_refused(" ");
  expect_refused("not a url");
  expect_refused("router.huggingface.co");  // no scheme: no guessing
  expect_refused("://example.com");
  expect_refused("https://");
  expect_refused("http://exa mple.com/");
  expect_refused("https://example.com:99999/");
  expect_refused("https://example.com:port/");
  expect_refused("https://[::1/");
}

// An empty authority is a missing host, not a host taken from the path: "https:///v1" must not
// silently mean "https://v1/" (libcurl's lenient reading of extra or missing slashes).
TEST(ParseHttpUrl, RefusesAnEmptyAuthority) {
  expect_refused("https:///v1");
  expect_refused("http:///localhost:8080/v1");
  expect_refused("http:/example.com/v1");
}

TEST(ParseHttpUrl, FailureDoesNotNeedAPreparedOutput) {
  UrlParts parts;
  parts.host = "left over";
  std::string error;
  EXPECT_FALSE(hfi::parse_http_url("ftp://x", parts, error));
  EXPECT_FALSE(error.empty());
}

// ---- is_loopback_host ------------------------------------------------------------------------

TEST(IsLoopbackHost, LoopbackNames) {
  EXPECT_TRUE(hfi::is_loopback_host("localhost"));
  EXPECT_TRUE(hfi::is_loopback_host("a.localhost"));
  EXPECT_TRUE(hfi::is_loopback_host("x.y.localhost"));
  EXPECT_TRUE(hfi::is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(hfi::is_loopback_host("127.255.0.9"));
  EXPECT_TRUE(hfi::is_loopback_host("127.0.0.0"));
  EXPECT_TRUE(hfi::is_loopback_host("127.255.255.255"));
  EXPECT_TRUE(hfi::is_loopback_host("::1"));
}

TEST(IsLoopbackHost, OtherHosts) {
  EXPECT_FALSE(hfi::is_loopback_host(""));
  EXPECT_FALSE(hfi::is_loopback_host("128.0.0.1"));
  EXPECT_FALSE(hfi::is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(hfi::is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(hfi::is_loopback_host("127.0.0"));
  EXPECT_FALSE(hfi::is_loopback_host("127"));
  EXPECT_FALSE(hfi::is_loopback_host("127.0.0.1.evil.com"));
  EXPECT_FALSE(hfi::is_loopback_host("127.0.0.1.1"));
  EXPECT_FALSE(hfi::is_loopback_host("localhost.evil.com"));
  EXPECT_FALSE(hfi::is_loopback_host("evillocalhost"));
  EXPECT_FALSE(hfi::is_loopback_host("1127.0.0.1"));
  EXPECT_FALSE(hfi::is_loopback_host("::2"));
  EXPECT_FALSE(hfi::is_loopback_host("huggingface.co"));
}

// "127.0.0.0/8 written as a dotted quad": four decimal octets 0-255, nothing else. Strings that
// only look like one are host names that DNS would be asked about, not loopback addresses.
TEST(IsLoopbackHost, OnlyRealDottedQuadsCount) {
  EXPECT_FALSE(hfi::is_loopback_host("127..."));
  EXPECT_FALSE(hfi::is_loopback_host("127.0.0."));
  EXPECT_FALSE(hfi::is_loopback_host("127.0..1"));
  EXPECT_FALSE(hfi::is_loopback_host("127.0.0.256"));
  EXPECT_FALSE(hfi::is_loopback_host("127.0.0.1000"));
}

TEST(IsLoopbackHost, AgreesWithParsedUrls) {
  EXPECT_TRUE(hfi::is_loopback_host(parsed("http://LOCALHOST:8080").host));
  EXPECT_TRUE(hfi::is_loopback_host(parsed("http://[::1]:8080").host));
  EXPECT_TRUE(hfi::is_loopback_host(parsed("http://127.0.0.1:8080/v1").host));
  EXPECT_FALSE(hfi::is_loopback_host(parsed("http://127.0.0.1.evil.com/").host));
}

// ---- is_hugging_face_host --------------------------------------------------------------------

TEST(IsHuggingFaceHost, HuggingFaceHosts) {
  EXPECT_TRUE(hfi::is_hugging_face_host("huggingface.co"));
  EXPECT_TRUE(hfi::is_hugging_face_host("router.huggingface.co"));
  EXPECT_TRUE(hfi::is_hugging_face_host("api-inference.huggingface.co"));
  EXPECT_TRUE(hfi::is_hugging_face_host("x.endpoints.huggingface.cloud"));
  EXPECT_TRUE(hfi::is_hugging_face_host("xyz.us-east-1.aws.endpoints.huggingface.cloud"));
  EXPECT_TRUE(hfi::is_hugging_face_host("huggingface.cloud"));
  EXPECT_TRUE(hfi::is_hugging_face_host("hf.co"));
  EXPECT_TRUE(hfi::is_hugging_face_host("a.hf.space"));
  EXPECT_TRUE(hfi::is_hugging_face_host("hf.space"));
}

TEST(IsHuggingFaceHost, LookAlikes) {
  EXPECT_FALSE(hfi::is_hugging_face_host(""));
  EXPECT_FALSE(hfi::is_hugging_face_host("evilhuggingface.co"));
  EXPECT_FALSE(hfi::is_hugging_face_host("huggingface.co.evil.com"));
  EXPECT_FALSE(hfi::is_hugging_face_host("huggingface.com"));
  EXPECT_FALSE(hfi::is_hugging_face_host("huggingface.co.uk"));
  EXPECT_FALSE(hfi::is_hugging_face_host("xhf.co"));
  EXPECT_FALSE(hfi::is_hugging_face_host("hf.co.evil.com"));
  EXPECT_FALSE(hfi::is_hugging_face_host("evilhf.space"));
  EXPECT_FALSE(hfi::is_hugging_face_host("notahuggingface.cloud"));
  EXPECT_FALSE(hfi::is_hugging_face_host(".co"));
  EXPECT_FALSE(hfi::is_hugging_face_host("co"));
  EXPECT_FALSE(hfi::is_hugging_face_host("localhost"));
  EXPECT_FALSE(hfi::is_hugging_face_host("127.0.0.1"));
  EXPECT_FALSE(hfi::is_hugging_face_host("gateway.ai.cloudflare.com"));
}

// ---- chat_url_for_base -----------------------------------------------------------------------

TEST(ChatUrlForBase, EmptyPathGetsV1ChatCompletions) {
  EXPECT_EQ(base_chat("https://example.com"), "https://example.com/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/"), "https://example.com/v1/chat/completions");
}

TEST(ChatUrlForBase, V1GetsChatCompletions) {
  EXPECT_EQ(base_chat("https://example.com/v1"), "https://example.com/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/v1/"), "https://example.com/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/openai/v1"), "https://example.com/openai/v1/chat/completions");
}

TEST(ChatUrlForBase, FullEndpointIsKept) {
  EXPECT_EQ(base_chat("https://example.com/v1/chat/completions"), "https://example.com/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/v1/chat/completions/"), "https://example.com/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/custom/chat/completions"),
            "https://example.com/custom/chat/completions");
}

TEST(ChatUrlForBase, OtherPathGetsV1ChatCompletionsAppended) {
  EXPECT_EQ(base_chat("https://example.com/models/org/m"), "https://example.com/models/org/m/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/models/org/m/"), "https://example.com/models/org/m/v1/chat/completions");
  // Only a final "/v1" segment counts.
  EXPECT_EQ(base_chat("https://example.com/v1/x"), "https://example.com/v1/x/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/apiv1"), "https://example.com/apiv1/v1/chat/completions");
}

TEST(ChatUrlForBase, TrailingSlashesAreStripped) {
  EXPECT_EQ(base_chat("https://example.com/v1//"), "https://example.com/v1/chat/completions");
  EXPECT_EQ(base_chat("https://example.com/api///"), "https://example.com/api/v1/chat/completions");
}

TEST(ChatUrlForBase, QueryIsKept) {
  EXPECT_EQ(base_chat("https://example.com/v1?api-version=2024"),
            "https://example.com/v1/chat/completions?api-version=2024");
  EXPECT_EQ(base_chat("https://example.com?a=b"), "https://example.com/v1/chat/completions?a=b");
  EXPECT_EQ(base_chat("https://example.com/v1/chat/completions?a=b&c=d"),
            "https://example.com/v1/chat/completions?a=b&c=d");
}

TEST(ChatUrlForBase, PortIsKept) {
  EXPECT_EQ(base_chat("https://example.com:8443/v1"), "https://example.com:8443/v1/chat/completions");
}

TEST(ChatUrlForBase, Ipv6HostIsBracketedAgain) {
  EXPECT_EQ(base_chat("http://[::1]:8080"), "http://[::1]:8080/v1/chat/completions");
}

TEST(ChatUrlForBase, TextGenerationInference) {
  EXPECT_EQ(base_chat("http://localhost:8080"), "http://localhost:8080/v1/chat/completions");
}

TEST(ChatUrlForBase, Vllm) {
  EXPECT_EQ(base_chat("http://localhost:8000/v1"), "http://localhost:8000/v1/chat/completions");
}

TEST(ChatUrlForBase, LlamaCpp) {
  EXPECT_EQ(base_chat("http://127.0.0.1:8080/v1/chat/completions"), "http://127.0.0.1:8080/v1/chat/completions");
}

TEST(ChatUrlForBase, InferenceEndpoint) {
  EXPECT_EQ(base_chat("https://xyz.us-east-1.aws.endpoints.huggingface.cloud"),
            "https://xyz.us-east-1.aws.endpoints.huggingface.cloud/v1/chat/completions");
  EXPECT_EQ(base_chat("https://xyz.us-east-1.aws.endpoints.huggingface.cloud/"),
            "https://xyz.us-east-1.aws.endpoints.huggingface.cloud/v1/chat/completions");
}

TEST(ChatUrlForBase, CloudflareAiGatewayPutsTheModelInThePath) {
  EXPECT_EQ(base_chat("https://gateway.ai.cloudflare.com/v1/ACCT/GW/huggingface", "org/m"),
            "https://gateway.ai.cloudflare.com/v1/ACCT/GW/huggingface/org/m/v1/chat/completions");
  EXPECT_EQ(base_chat("https://gateway.ai.cloudflare.com/v1/ACCT/GW/huggingface/", "org/m"),
            "https://gateway.ai.cloudflare.com/v1/ACCT/GW/huggingface/org/m/v1/chat/completions");
}

TEST(ChatUrlForBase, CloudflareRuleNeedsTheGatewayHostAndTheHuggingFaceSegment) {
  // Another host with the same path follows the ordinary rules.
  EXPECT_EQ(base_chat("https://example.com/v1/ACCT/GW/huggingface", "org/m"),
            "https://example.com/v1/ACCT/GW/huggingface/v1/chat/completions");
  // Another gateway provider follows the ordinary rules too.
  EXPECT_EQ(base_chat("https://gateway.ai.cloudflare.com/v1/ACCT/GW/openai", "org/m"),
            "https://gateway.ai.cloudflare.com/v1/ACCT/GW/openai/v1/chat/completions");
}

TEST(ChatUrlForBase, ModelIsIgnoredOutsideTheGateway) {
  EXPECT_EQ(base_chat("https://example.com/v1", "org/other"), base_chat("https://example.com/v1", "org/m"));
}

// A client computes the URL once unless this says the model is part of it.
TEST(ChatUrlForBase, NamesTheModelOnlyForTheGateway) {
  EXPECT_TRUE(hfi::chat_url_names_model(parsed("https://gateway.ai.cloudflare.com/v1/ACCT/GW/huggingface")));
  EXPECT_TRUE(hfi::chat_url_names_model(parsed("https://gateway.ai.cloudflare.com/v1/ACCT/GW/huggingface/")));
  EXPECT_FALSE(hfi::chat_url_names_model(parsed("https://gateway.ai.cloudflare.com/v1/ACCT/GW/openai")));
  EXPECT_FALSE(hfi::chat_url_names_model(parsed("https://example.com/v1/ACCT/GW/huggingface")));
  EXPECT_FALSE(hfi::chat_url_names_model(parsed("https://example.com/v1/chat/completions")));
}

// ---- chat_url_for_router ---------------------------------------------------------------------

TEST(ChatUrlForRouter, DefaultRouter) {
  EXPECT_EQ(hfi::chat_url_for_router(parsed("https://router.huggingface.co")),
            "https://router.huggingface.co/v1/chat/completions");
  EXPECT_EQ(hfi::chat_url_for_router(parsed("https://router.huggingface.co/")),
            "https://router.huggingface.co/v1/chat/completions");
}

TEST(ChatUrlForRouter, PortPathAndQueryAreKept) {
  EXPECT_EQ(hfi::chat_url_for_router(parsed("http://127.0.0.1:41234")), "http://127.0.0.1:41234/v1/chat/completions");
  EXPECT_EQ(hfi::chat_url_for_router(parsed("https://proxy.example.com/hf/")),
            "https://proxy.example.com/hf/v1/chat/completions");
  EXPECT_EQ(hfi::chat_url_for_router(parsed("https://proxy.example.com/hf?x=1")),
            "https://proxy.example.com/hf/v1/chat/completions?x=1");
  EXPECT_EQ(hfi::chat_url_for_router(parsed("http://[::1]:9")), "http://[::1]:9/v1/chat/completions");
}

// ---- origin_of -------------------------------------------------------------------------------

TEST(OriginOf, SchemeHostAndPortOnly) {
  EXPECT_EQ(hfi::origin_of(parsed("https://router.huggingface.co/v1?x=1")), "https://router.huggingface.co");
  EXPECT_EQ(hfi::origin_of(parsed("http://localhost:8080/v1")), "http://localhost:8080");
  EXPECT_EQ(hfi::origin_of(parsed("http://[::1]:8080/v1")), "http://[::1]:8080");
}

}  // namespace
