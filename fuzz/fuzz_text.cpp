// Small parsers of untrusted text: URLs (and what hfi derives from them), chat targets, header
// values (Retry-After, rate limits), request bodies hfi rewrites, media sniffing, base64 and data
// URLs, and the scrubber that keeps secrets out of logs. Round trips must hold.
#include <cctype>
#include <ctime>
#include <string>
#include <vector>

#include "core/chat_targets.h"
#include "core/rate_limit.h"
#include "core/redact.h"
#include "core/retry_after.h"
#include "core/url.h"
#include "fuzz_input.h"
#include "protocol/base64.h"
#include "protocol/body_rewrite.h"
#include "protocol/media_type.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hfi_fuzz::Input in(data, size);
  const std::string_view first = in.line(), second = in.line();
  const std::string_view text = in.rest();

  hfi::UrlParts url;
  std::string error;
  if (hfi::parse_http_url(first, url, error)) {
    for (const std::string& derived :
         {hfi::chat_url_for_base(url, second), hfi::chat_url_for_router(url), hfi::origin_of(url)}) {
      hfi::UrlParts again;
      if (!hfi::parse_http_url(derived, again, error) || again.host != url.host) hfi_fuzz::broken();
    }
    hfi::is_loopback_host(url.host);
    hfi::is_hugging_face_host(url.host);
  }
  std::vector<hfi::ChatTarget> targets;
  hfi::parse_target_tier(first, 0, targets, error);

  hfi::parse_retry_after_ms(first, second, static_cast<std::time_t>(1700000000));
  hfi::RateLimit limit;
  hfi::read_rate_limit_header(first, second, limit);

  hfi::json::BodyFacts facts;
  if (hfi::json::inspect_body(text, facts, error)) {
    std::vector<hfi::json::RawMember> members;
    hfi::json::split_object(text, members);
    const std::string rewritten = hfi::json::rewrite_body(text, {{"model", "\"org/m\""}, {"stream", "true"}});
    hfi::json::BodyFacts after;
    if (!hfi::json::inspect_body(rewritten, after, error) || after.model != "org/m" || !after.stream)
      hfi_fuzz::broken();
  }

  std::string encoded, decoded;
  hfi::base64::append_encoded(encoded, text);
  if (!hfi::base64::append_decoded(decoded, encoded) || decoded != text) hfi_fuzz::broken();
  decoded.clear();
  hfi::base64::append_decoded(decoded, text);
  hfi::media::sniff(text);
  hfi::media::extension(hfi::media::type_or_sniffed(first, text));
  const std::string url_of_data = hfi::media::data_url(text, second);

  std::string scrubbed(text);
  hfi::SecretScrubber({hfi::Secret(std::string(first))}).scrub(scrubbed);
  // Tokens and keys are letters, digits, '-' and '_': such a secret never survives a scrub.
  bool token_like = first.size() >= 4 && std::string_view("[redacted]").find(first) == std::string_view::npos;
  for (char c : first) token_like = token_like && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  if (token_like && scrubbed.find(first) != std::string::npos) hfi_fuzz::broken();
  hfi::shown_url(text);
  hfi::shown_header_line(text);
  return 0;
}
