// Client options, key by key: what each accepts, what it refuses and why, and the defaults.
#include "core/options.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace {

using hfi::ClientOptions;

constexpr int32_t kStringKeys[] = {HFI_OPT_TOKEN,      HFI_OPT_ROUTER_URL, HFI_OPT_BASE_URL,
                                   HFI_OPT_PROVIDER,   HFI_OPT_USER_AGENT, HFI_OPT_HEADER,
                                   HFI_OPT_BILL_TO,    HFI_OPT_CA_BUNDLE,  HFI_OPT_PROXY,
                                   HFI_OPT_HUB_URL,    HFI_OPT_PROVIDER_KEY, HFI_OPT_PROVIDER_URL};
constexpr int32_t kIntKeys[] = {HFI_OPT_CONNECT_TIMEOUT_MS, HFI_OPT_TIMEOUT_MS,         HFI_OPT_STALL_TIMEOUT_MS,
                                HFI_OPT_IO_MODE,            HFI_OPT_MAX_RESPONSE_BYTES, HFI_OPT_MAX_EVENT_BYTES,
                                HFI_OPT_TOKEN_FROM_ENV,     HFI_OPT_ALLOW_INSECURE_HTTP, HFI_OPT_MAPPING_TTL_MS,
                                HFI_OPT_MAX_RETRIES,        HFI_OPT_MAX_RETRY_AFTER_MS, HFI_OPT_WAIT_FOR_MODEL_MS,
                                HFI_OPT_FIRST_BYTE_TIMEOUT_MS};

class OptionsTest : public ::testing::Test {
 protected:
  hfi_status str(int32_t key, std::string_view value) {
    error_.clear();
    hfi_status st = hfi::set_option(o_, key, value, error_);
    if (st != HFI_OK) { EXPECT_FALSE(error_.empty()) << "no reason for refusing key " << key; }
    return st;
  }
  hfi_status num(int32_t key, int64_t value) {
    error_.clear();
    hfi_status st = hfi::set_option(o_, key, value, error_);
    if (st != HFI_OK) { EXPECT_FALSE(error_.empty()) << "no reason for refusing key " << key; }
    return st;
  }

  ClientOptions o_;
  std::string error_;
};

// ---- defaults --------------------------------------------------------------------------------

TEST_F(OptionsTest, Defaults) {
  EXPECT_TRUE(o_.token.empty());
  EXPECT_EQ(o_.router_url, "https://router.huggingface.co");
  EXPECT_EQ(o_.router_url, hfi::kDefaultRouterUrl);
  EXPECT_EQ(o_.base_url, "");
  EXPECT_EQ(o_.provider, "");
  EXPECT_EQ(o_.user_agent_suffix, "");
  EXPECT_TRUE(o_.headers.empty());
  EXPECT_EQ(o_.bill_to, "");
  EXPECT_EQ(o_.ca_bundle, "");
  EXPECT_EQ(o_.proxy, "");
  EXPECT_EQ(o_.connect_timeout_ms, 10000);
  EXPECT_EQ(o_.timeout_ms, 0);
  EXPECT_EQ(o_.stall_timeout_ms, 120000);
  EXPECT_EQ(o_.io_mode, HFI_IO_CALLER);
  EXPECT_EQ(o_.max_response_bytes, 64 * 1024 * 1024);
  EXPECT_EQ(o_.max_event_bytes, 64 * 1024 * 1024);
  EXPECT_TRUE(o_.token_from_env);
  EXPECT_FALSE(o_.allow_insecure_http);
}

// ---- unknown keys and wrong types ------------------------------------------------------------

TEST_F(OptionsTest, UnknownStringKeys) {
  for (int32_t key : {0, -1, 1, 999, 1000, 1100, 1500, 1999, 3000, std::numeric_limits<int32_t>::min(),
                      std::numeric_limits<int32_t>::max()}) {
    EXPECT_EQ(str(key, "x"), HFI_E_UNKNOWN_OPTION) << key;
  }
}

TEST_F(OptionsTest, UnknownIntKeys) {
  for (int32_t key : {0, -1, 1, 999, 2000, 2100, 2500, 2999, 3000, std::numeric_limits<int32_t>::min(),
                      std::numeric_limits<int32_t>::max()}) {
    EXPECT_EQ(num(key, 1), HFI_E_UNKNOWN_OPTION) << key;
  }
}

TEST_F(OptionsTest, IntKeyThroughTheStringSetter) {
  for (int32_t key : kIntKeys) EXPECT_EQ(str(key, "1"), HFI_E_UNKNOWN_OPTION) << key;
}

TEST_F(OptionsTest, StringKeyThroughTheIntSetter) {
  for (int32_t key : kStringKeys) EXPECT_EQ(num(key, 1), HFI_E_UNKNOWN_OPTION) << key;
}

TEST_F(OptionsTest, UnknownKeyIsReportedBeforeTheValueIsChecked) {
  EXPECT_EQ(str(1999, std::string_view("\xff", 1)), HFI_E_UNKNOWN_OPTION);
  EXPECT_EQ(str(HFI_OPT_CONNECT_TIMEOUT_MS, "\r\n"), HFI_E_UNKNOWN_OPTION);
  EXPECT_EQ(num(2999, -5), HFI_E_UNKNOWN_OPTION);
}

TEST_F(OptionsTest, RefusalLeavesTheOptionsUnchanged) {
  ClientOptions before = o_;
  EXPECT_EQ(str(HFI_OPT_ROUTER_URL, "ftp://x"), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_BASE_URL, "nope"), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_PROVIDER, "Bad Name"), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_HEADER, "no colon"), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_TOKEN, "hf_a\nb"), HFI_E_INVALID_ARG);
  EXPECT_EQ(num(HFI_OPT_TIMEOUT_MS, -1), HFI_E_INVALID_ARG);
  EXPECT_EQ(num(HFI_OPT_MAX_EVENT_BYTES, 1), HFI_E_INVALID_ARG);
  EXPECT_EQ(num(HFI_OPT_TOKEN_FROM_ENV, 2), HFI_E_INVALID_ARG);
  EXPECT_EQ(o_.router_url, before.router_url);
  EXPECT_EQ(o_.base_url, before.base_url);
  EXPECT_EQ(o_.provider, before.provider);
  EXPECT_EQ(o_.headers, before.headers);
  EXPECT_TRUE(o_.token.empty());
  EXPECT_EQ(o_.timeout_ms, before.timeout_ms);
  EXPECT_EQ(o_.max_event_bytes, before.max_event_bytes);
  EXPECT_EQ(o_.token_from_env, before.token_from_env);
}

// ---- text rules shared by every string option ------------------------------------------------

TEST_F(OptionsTest, EveryStringOptionRefusesNonUtf8) {
  for (int32_t key : kStringKeys) {
    EXPECT_EQ(str(key, std::string_view("a\xff" "b", 3)), HFI_E_INVALID_ARG) << key;
    EXPECT_EQ(str(key, std::string_view("\xc3", 1)), HFI_E_INVALID_ARG) << key;           // truncated sequence
    EXPECT_EQ(str(key, std::string_view("\xc0\xaf", 2)), HFI_E_INVALID_ARG) << key;       // overlong '/'
    EXPECT_EQ(str(key, std::string_view("\xed\xa0\x80", 3)), HFI_E_INVALID_ARG) << key;   // surrogate
  }
}

TEST_F(OptionsTest, EveryStringOptionRefusesEmbeddedNul) {
  for (int32_t key : kStringKeys) {
    EXPECT_EQ(str(key, std::string_view("a\0b", 3)), HFI_E_INVALID_ARG) << key;
    EXPECT_EQ(str(key, std::string_view("\0", 1)), HFI_E_INVALID_ARG) << key;
  }
}

TEST_F(OptionsTest, EveryStringOptionRefusesCrAndLf) {
  for (int32_t key : kStringKeys) {
    EXPECT_EQ(str(key, "a\rb"), HFI_E_INVALID_ARG) << key;
    EXPECT_EQ(str(key, "a\nb"), HFI_E_INVALID_ARG) << key;
  }
}

TEST_F(OptionsTest, ProviderKeysAndUrlsAreOnePerProviderAndClearedByEmpty) {
  EXPECT_EQ(str(HFI_OPT_PROVIDER_KEY, "together=k1"), HFI_OK) << error_;
  EXPECT_EQ(str(HFI_OPT_PROVIDER_KEY, "fal-ai=k2"), HFI_OK) << error_;
  EXPECT_EQ(str(HFI_OPT_PROVIDER_KEY, "together=k3"), HFI_OK) << error_;
  ASSERT_EQ(o_.provider_keys.size(), 2u);
  EXPECT_EQ(o_.provider_keys[0].first, "together");
  EXPECT_EQ(o_.provider_keys[0].second.get(), "k3");
  EXPECT_EQ(str(HFI_OPT_PROVIDER_KEY, "together="), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_PROVIDER_KEY, "=k"), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_PROVIDER_KEY, "k"), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_PROVIDER_KEY, ""), HFI_OK);
  EXPECT_TRUE(o_.provider_keys.empty());
  EXPECT_EQ(str(HFI_OPT_PROVIDER_URL, "together=https://gw.example/together"), HFI_OK) << error_;
  EXPECT_EQ(str(HFI_OPT_PROVIDER_URL, "together=gw.example"), HFI_E_INVALID_ARG);
  ASSERT_EQ(o_.provider_urls.size(), 1u);
  EXPECT_EQ(o_.provider_urls[0].second, "https://gw.example/together");
  EXPECT_EQ(str(HFI_OPT_HUB_URL, ""), HFI_OK);
  EXPECT_EQ(o_.hub_url, "https://huggingface.co");
  EXPECT_EQ(num(HFI_OPT_MAPPING_TTL_MS, 0), HFI_OK);
  EXPECT_EQ(o_.mapping_ttl_ms, 0);
}

TEST_F(OptionsTest, Utf8IsAccepted) {
  EXPECT_EQ(str(HFI_OPT_USER_AGENT, "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\xa4\x97"), HFI_OK) << error_;
  EXPECT_EQ(o_.user_agent_suffix, "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\xa4\x97");
}

// ---- token -----------------------------------------------------------------------------------

TEST_F(OptionsTest, Token) {
  EXPECT_EQ(str(HFI_OPT_TOKEN, "hf_abc"), HFI_OK);
  EXPECT_EQ(o_.token.get(), "hf_abc");
  EXPECT_EQ(str(HFI_OPT_TOKEN, ""), HFI_OK);
  EXPECT_TRUE(o_.token.empty());
}

TEST_F(OptionsTest, TokenIsNotEchoedInErrors) {
  EXPECT_EQ(str(HFI_OPT_TOKEN, "hf_SECRET\nX"), HFI_E_INVALID_ARG);
  EXPECT_EQ(error_.find("SECRET"), std::string::npos) << error_;
  EXPECT_EQ(str(HFI_OPT_TOKEN, std::string_view("hf_SECRET\xff", 10)), HFI_E_INVALID_ARG);
  EXPECT_EQ(error_.find("SECRET"), std::string::npos) << error_;
}

// ---- URLs ------------------------------------------------------------------------------------

TEST_F(OptionsTest, RouterUrl) {
  EXPECT_EQ(str(HFI_OPT_ROUTER_URL, "http://127.0.0.1:8080"), HFI_OK) << error_;
  EXPECT_EQ(o_.router_url, "http://127.0.0.1:8080");
  EXPECT_EQ(str(HFI_OPT_ROUTER_URL, "https://proxy.example.com/hf"), HFI_OK) << error_;
  EXPECT_EQ(o_.router_url, "https://proxy.example.com/hf");
}

TEST_F(OptionsTest, EmptyRouterUrlResetsToTheDefault) {
  ASSERT_EQ(str(HFI_OPT_ROUTER_URL, "http://localhost:1"), HFI_OK);
  EXPECT_EQ(str(HFI_OPT_ROUTER_URL, ""), HFI_OK);
  EXPECT_EQ(o_.router_url, "https://router.huggingface.co");
}

TEST_F(OptionsTest, BaseUrl) {
  EXPECT_EQ(str(HFI_OPT_BASE_URL, "http://localhost:8000/v1"), HFI_OK) << error_;
  EXPECT_EQ(o_.base_url, "http://localhost:8000/v1");
  EXPECT_EQ(str(HFI_OPT_BASE_URL, ""), HFI_OK);
  EXPECT_EQ(o_.base_url, "");
}

TEST_F(OptionsTest, BadUrls) {
  for (int32_t key : {HFI_OPT_ROUTER_URL, HFI_OPT_BASE_URL}) {
    for (const char* url : {"ftp://example.com", "example.com", "not a url", "https://user:pw@example.com",
                            "https://example.com/#frag", "https://", "file:///etc/passwd", " "}) {
      EXPECT_EQ(str(key, url), HFI_E_INVALID_ARG) << key << " " << url;
    }
  }
}

// ---- provider --------------------------------------------------------------------------------

TEST_F(OptionsTest, ProviderNames) {
  for (const char* name : {"groq", "together", "fireworks-ai", "hf-inference", "sambanova", "fal_ai",
                           "nebius", "v2.provider", "fastest", "cheapest", "a1"}) {
    EXPECT_EQ(str(HFI_OPT_PROVIDER, name), HFI_OK) << name << ": " << error_;
    EXPECT_EQ(o_.provider, name);
  }
}

TEST_F(OptionsTest, AutoMeansTheDefault) {
  ASSERT_EQ(str(HFI_OPT_PROVIDER, "groq"), HFI_OK);
  EXPECT_EQ(str(HFI_OPT_PROVIDER, "auto"), HFI_OK);
  EXPECT_EQ(o_.provider, "");
  ASSERT_EQ(str(HFI_OPT_PROVIDER, "groq"), HFI_OK);
  EXPECT_EQ(str(HFI_OPT_PROVIDER, ""), HFI_OK);
  EXPECT_EQ(o_.provider, "");
}

TEST_F(OptionsTest, BadProviderNames) {
  for (const char* name : {"Groq", "AUTO", "two words", "groq:fast", "a/b", "groq\t", " groq", "gr?q", "\xc3\xa9"}) {
    EXPECT_EQ(str(HFI_OPT_PROVIDER, name), HFI_E_INVALID_ARG) << name;
  }
}

// ---- free text options -----------------------------------------------------------------------

TEST_F(OptionsTest, UserAgentBillToCaBundleProxy) {
  EXPECT_EQ(str(HFI_OPT_USER_AGENT, "myapp/1.2 (+https://example.com)"), HFI_OK);
  EXPECT_EQ(o_.user_agent_suffix, "myapp/1.2 (+https://example.com)");
  EXPECT_EQ(str(HFI_OPT_BILL_TO, "my-org"), HFI_OK);
  EXPECT_EQ(o_.bill_to, "my-org");
  EXPECT_EQ(str(HFI_OPT_CA_BUNDLE, "/etc/ssl/certs/ca-certificates.crt"), HFI_OK);
  EXPECT_EQ(o_.ca_bundle, "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(str(HFI_OPT_PROXY, "http://proxy:3128"), HFI_OK);
  EXPECT_EQ(o_.proxy, "http://proxy:3128");

  for (int32_t key : {HFI_OPT_USER_AGENT, HFI_OPT_BILL_TO, HFI_OPT_CA_BUNDLE, HFI_OPT_PROXY})
    EXPECT_EQ(str(key, ""), HFI_OK) << key;
  EXPECT_EQ(o_.user_agent_suffix, "");
  EXPECT_EQ(o_.bill_to, "");
  EXPECT_EQ(o_.ca_bundle, "");
  EXPECT_EQ(o_.proxy, "");
}

// ---- headers ---------------------------------------------------------------------------------

TEST_F(OptionsTest, HeadersAccumulate) {
  EXPECT_EQ(str(HFI_OPT_HEADER, "X-Trace: abc"), HFI_OK) << error_;
  EXPECT_EQ(str(HFI_OPT_HEADER, "X-Other:no-space"), HFI_OK) << error_;
  EXPECT_EQ(str(HFI_OPT_HEADER, "X-Empty:"), HFI_OK) << error_;
  EXPECT_EQ(str(HFI_OPT_HEADER, "X-Colons: a:b:c"), HFI_OK) << error_;
  ASSERT_EQ(o_.headers.size(), 4u);
  EXPECT_EQ(o_.headers[0], "X-Trace: abc");
  EXPECT_EQ(o_.headers[1], "X-Other:no-space");
  EXPECT_EQ(o_.headers[2], "X-Empty:");
  EXPECT_EQ(o_.headers[3], "X-Colons: a:b:c");
}

TEST_F(OptionsTest, HeaderNamesMayUseEveryTokenCharacter) {
  EXPECT_EQ(str(HFI_OPT_HEADER, "A1!#$%&'*+-.^_`|~: v"), HFI_OK) << error_;
}

TEST_F(OptionsTest, EmptyHeaderValueClearsTheHeaders) {
  ASSERT_EQ(str(HFI_OPT_HEADER, "A: 1"), HFI_OK);
  ASSERT_EQ(str(HFI_OPT_HEADER, "B: 2"), HFI_OK);
  EXPECT_EQ(str(HFI_OPT_HEADER, ""), HFI_OK);
  EXPECT_TRUE(o_.headers.empty());
  EXPECT_EQ(str(HFI_OPT_HEADER, "C: 3"), HFI_OK);
  ASSERT_EQ(o_.headers.size(), 1u);
  EXPECT_EQ(o_.headers[0], "C: 3");
}

TEST_F(OptionsTest, BadHeaders) {
  for (const char* line : {"no colon here", ": empty name", ":", "Bad Name: v", " Lead: v", "Trail : v",
                           "Tab\tName: v", "Quote\"d: v", "Paren(s): v", "Slash/x: v", "At@: v",
                           "X-A: 1\r\nX-B: 2", "X-A: 1\nX-B: 2", "X-A: 1\r", "\r\nX: 1", "X\n: 1"}) {
    EXPECT_EQ(str(HFI_OPT_HEADER, line), HFI_E_INVALID_ARG) << line;
  }
  EXPECT_EQ(str(HFI_OPT_HEADER, std::string_view("X: a\0b", 6)), HFI_E_INVALID_ARG);
  EXPECT_EQ(str(HFI_OPT_HEADER, std::string_view("N\xc3\xa9: v", 6)), HFI_E_INVALID_ARG);  // non-ASCII name
  EXPECT_TRUE(o_.headers.empty());
}

TEST(HeaderName, IsTheTextBeforeTheFirstColon) {
  EXPECT_EQ(hfi::header_name("Authorization: Bearer x"), "Authorization");
  EXPECT_EQ(hfi::header_name("X-A:b:c"), "X-A");
  EXPECT_EQ(hfi::header_name("X-Empty:"), "X-Empty");
  EXPECT_EQ(hfi::header_name("nocolon"), "nocolon");
  EXPECT_EQ(hfi::header_name(""), "");
}

// ---- timeouts --------------------------------------------------------------------------------

TEST_F(OptionsTest, Timeouts) {
  EXPECT_EQ(num(HFI_OPT_CONNECT_TIMEOUT_MS, 0), HFI_OK);
  EXPECT_EQ(o_.connect_timeout_ms, 0);
  EXPECT_EQ(num(HFI_OPT_CONNECT_TIMEOUT_MS, 2500), HFI_OK);
  EXPECT_EQ(o_.connect_timeout_ms, 2500);
  EXPECT_EQ(num(HFI_OPT_TIMEOUT_MS, 0), HFI_OK);
  EXPECT_EQ(o_.timeout_ms, 0);
  EXPECT_EQ(num(HFI_OPT_TIMEOUT_MS, 60000), HFI_OK);
  EXPECT_EQ(o_.timeout_ms, 60000);
  EXPECT_EQ(num(HFI_OPT_STALL_TIMEOUT_MS, 0), HFI_OK);
  EXPECT_EQ(o_.stall_timeout_ms, 0);
  EXPECT_EQ(num(HFI_OPT_STALL_TIMEOUT_MS, 1), HFI_OK);
  EXPECT_EQ(o_.stall_timeout_ms, 1);
}

TEST_F(OptionsTest, NegativeTimeouts) {
  for (int32_t key : {HFI_OPT_CONNECT_TIMEOUT_MS, HFI_OPT_TIMEOUT_MS, HFI_OPT_STALL_TIMEOUT_MS}) {
    EXPECT_EQ(num(key, -1), HFI_E_INVALID_ARG) << key;
    EXPECT_EQ(num(key, std::numeric_limits<int64_t>::min()), HFI_E_INVALID_ARG) << key;
  }
  EXPECT_EQ(o_.connect_timeout_ms, 10000);
  EXPECT_EQ(o_.timeout_ms, 0);
  EXPECT_EQ(o_.stall_timeout_ms, 120000);
}

// ---- I/O mode --------------------------------------------------------------------------------

TEST_F(OptionsTest, IoMode) {
  EXPECT_EQ(num(HFI_OPT_IO_MODE, HFI_IO_THREAD), HFI_OK);
  EXPECT_EQ(o_.io_mode, HFI_IO_THREAD);
  EXPECT_EQ(num(HFI_OPT_IO_MODE, HFI_IO_CALLER), HFI_OK);
  EXPECT_EQ(o_.io_mode, HFI_IO_CALLER);
  for (int64_t bad : {int64_t{-1}, int64_t{2}, int64_t{100}, std::numeric_limits<int64_t>::max()})
    EXPECT_EQ(num(HFI_OPT_IO_MODE, bad), HFI_E_INVALID_ARG) << bad;
  EXPECT_EQ(o_.io_mode, HFI_IO_CALLER);
}

// ---- size limits -----------------------------------------------------------------------------

TEST_F(OptionsTest, SizeLimits) {
  for (int32_t key : {HFI_OPT_MAX_RESPONSE_BYTES, HFI_OPT_MAX_EVENT_BYTES}) {
    int64_t& field = key == HFI_OPT_MAX_RESPONSE_BYTES ? o_.max_response_bytes : o_.max_event_bytes;
    EXPECT_EQ(num(key, 1024), HFI_OK) << key;
    EXPECT_EQ(field, 1024);
    EXPECT_EQ(num(key, int64_t{1} << 32), HFI_OK) << key;
    EXPECT_EQ(field, int64_t{1} << 32);
    for (int64_t bad : {int64_t{1023}, int64_t{1}, int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min()})
      EXPECT_EQ(num(key, bad), HFI_E_INVALID_ARG) << key << " " << bad;
    EXPECT_EQ(field, int64_t{1} << 32);
  }
}

TEST_F(OptionsTest, SizeLimitsAreIndependent) {
  EXPECT_EQ(num(HFI_OPT_MAX_RESPONSE_BYTES, 4096), HFI_OK);
  EXPECT_EQ(o_.max_event_bytes, 64 * 1024 * 1024);
  EXPECT_EQ(num(HFI_OPT_MAX_EVENT_BYTES, 2048), HFI_OK);
  EXPECT_EQ(o_.max_response_bytes, 4096);
}

// ---- flags -----------------------------------------------------------------------------------

TEST_F(OptionsTest, Flags) {
  EXPECT_EQ(num(HFI_OPT_TOKEN_FROM_ENV, 0), HFI_OK);
  EXPECT_FALSE(o_.token_from_env);
  EXPECT_EQ(num(HFI_OPT_TOKEN_FROM_ENV, 1), HFI_OK);
  EXPECT_TRUE(o_.token_from_env);
  EXPECT_EQ(num(HFI_OPT_ALLOW_INSECURE_HTTP, 1), HFI_OK);
  EXPECT_TRUE(o_.allow_insecure_http);
  EXPECT_EQ(num(HFI_OPT_ALLOW_INSECURE_HTTP, 0), HFI_OK);
  EXPECT_FALSE(o_.allow_insecure_http);
}

TEST_F(OptionsTest, FlagsAreZeroOrOneOnly) {
  for (int32_t key : {HFI_OPT_TOKEN_FROM_ENV, HFI_OPT_ALLOW_INSECURE_HTTP}) {
    for (int64_t bad : {int64_t{-1}, int64_t{2}, int64_t{255}, std::numeric_limits<int64_t>::max()})
      EXPECT_EQ(num(key, bad), HFI_E_INVALID_ARG) << key << " " << bad;
  }
  EXPECT_TRUE(o_.token_from_env);
  EXPECT_FALSE(o_.allow_insecure_http);
}

}  // namespace
