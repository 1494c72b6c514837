#include "providers/task_steps.h"

#include <utility>

#include "protocol/base64.h"
#include "protocol/media_type.h"

namespace hfi::providers {
namespace {

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Types that say nothing about the bytes: the sniffed type is better.
bool is_generic(std::string_view type) {
  return type.empty() || type == "application/octet-stream" || type == "binary/octet-stream" ||
         type == "application/binary";
}

bool is_textual(std::string_view type) {
  return type.rfind("text/", 0) == 0 || type == "application/json" || type == "application/problem+json" ||
         type == "application/xml";
}

}  // namespace

void fail(TaskStep& out, hfi_status code, std::string message) {
  out = TaskStep{};
  out.kind = TaskStep::Kind::failed;
  out.code = code;
  out.error = std::move(message);
}

bool parse_answer(simdjson::dom::parser& parser, std::string_view body, std::string_view who,
                  simdjson::dom::element& doc, TaskStep& out) {
  if (parser.parse(body.data(), body.size()).get(doc)) {
    fail(out, HFI_E_PROTOCOL, std::string(who) + ": the answer is not JSON");
    return false;
  }
  return true;
}

std::string_view string_at(const simdjson::dom::element& doc, std::string_view pointer) {
  std::string_view value;
  if (doc.at_pointer(pointer).get(value)) return {};
  return value;
}

std::string bare_media_type(std::string_view type) {
  const size_t semicolon = type.find(';');
  if (semicolon != std::string_view::npos) type = type.substr(0, semicolon);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string out(type);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void media_done(std::string bytes, std::string_view response_type, std::string_view announced_type,
                std::string_view who, TaskStep& out) {
  if (bytes.empty()) return fail(out, HFI_E_PROTOCOL, std::string(who) + ": the media result is empty");
  const std::string server = bare_media_type(response_type);
  const std::string_view sniffed = media::sniff(bytes);
  std::string type;
  if (sniffed.empty() && is_textual(server)) {
    return fail(out, HFI_E_PROTOCOL, std::string(who) + ": expected media, got " + server);
  }
  if (!is_generic(server)) {
    type = server;
  } else if (!sniffed.empty()) {
    type = std::string(sniffed);
  } else if (!announced_type.empty()) {
    type = bare_media_type(announced_type);
  } else {
    type = "application/octet-stream";
  }
  out = TaskStep{};
  out.kind = TaskStep::Kind::done;
  out.bytes = std::move(bytes);
  out.content_type = std::move(type);
}

std::string error_text(const simdjson::dom::element& value) {
  std::string_view text;
  if (!value.get(text)) return std::string(text);
  for (const char* key : {"message", "msg", "detail", "error"}) {
    simdjson::dom::element inner;
    if (value.is_object() && !value[key].get(inner)) return error_text(inner);
  }
  simdjson::dom::array list;
  if (!value.get(list) && list.size() > 0) return error_text(list.at(0).value_unsafe());
  return simdjson::minify(value);
}

bool is_http_url(std::string_view url) {
  return starts_with_nocase(url, "https://") || starts_with_nocase(url, "http://");
}

bool decode_data_url(std::string_view url, std::string& bytes, std::string& type) {
  if (!starts_with_nocase(url, "data:")) return false;
  const size_t comma = url.find(',');
  if (comma == std::string_view::npos) return false;
  const std::string_view header = url.substr(5, comma - 5);
  constexpr std::string_view kBase64 = ";base64";
  if (header.size() < kBase64.size() || !starts_with_nocase(header.substr(header.size() - kBase64.size()), kBase64)) {
    return false;
  }
  type = bare_media_type(header.substr(0, header.size() - kBase64.size()));
  bytes.clear();
  if (!base64::append_decoded(bytes, url.substr(comma + 1))) {
    bytes.clear();
    return false;
  }
  return true;
}

void media_from_url(JobState& job, std::string_view url, std::string_view who, TaskStep& out) {
  if (url.empty()) return fail(out, HFI_E_PROTOCOL, std::string(who) + ": the answer has no result URL");
  if (starts_with_nocase(url, "data:")) {
    std::string bytes, type;
    if (!decode_data_url(url, bytes, type)) {
      return fail(out, HFI_E_PROTOCOL, std::string(who) + ": the result is a data: URL without base64 media");
    }
    // The data URL's own type beats a guess but not the bytes' magic: providers label PNGs "image/jpeg".
    const std::string_view sniffed = media::sniff(bytes);
    return media_done(std::move(bytes), sniffed.empty() ? std::string_view(type) : sniffed, job.media_type, who,
                      out);
  }
  if (!is_http_url(url)) {
    return fail(out, HFI_E_PROTOCOL, std::string(who) + ": the result URL is neither http(s) nor data: \"" +
                                         std::string(url.substr(0, 64)) + "\"");
  }
  out = TaskStep{};
  out.kind = TaskStep::Kind::download;
  out.url = std::string(url);
  job.phase = JobState::Phase::downloading;
}

}  // namespace hfi::providers
