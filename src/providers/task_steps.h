// Building the steps of a task call: failures, media results from bytes or from a URL the
// provider gave, and reading JSON answers. Shared by the synchronous shapes (provider_outputs) and
// the job protocols (jobs), so that both judge media and URLs the same way.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "providers/task_response.h"

namespace hfi::providers {

void fail(TaskStep& out, hfi_status code, std::string message);

// Parses a JSON answer; on failure fills `out` with HFI_E_PROTOCOL naming `who` and returns false.
bool parse_answer(simdjson::dom::parser& parser, std::string_view body, std::string_view who,
                  simdjson::dom::element& doc, TaskStep& out);

// The string at `doc[path...]`, or empty when absent or not a string. `path` is a JSON pointer
// ("/data/urls/get", "/images/0/url").
std::string_view string_at(const simdjson::dom::element& doc, std::string_view pointer);

// Finished with media `bytes`: the type is the server's when it names one, else sniffed, else the
// one the provider announced. Text or JSON where media was expected is a protocol failure: an
// error page served with 200 must not reach the caller as an "image".
void media_done(std::string bytes, std::string_view response_type, std::string_view announced_type,
                std::string_view who, TaskStep& out);

// A media result the provider gave as a URL: a data: URL is decoded in place, an http(s) URL
// becomes a download step (phase downloading), anything else fails.
void media_from_url(JobState& job, std::string_view url, std::string_view who, TaskStep& out);

// Decodes "data:[<type>][;params];base64,<payload>". False for anything else (hfi never needs the
// percent-encoded form: providers only send base64 media).
bool decode_data_url(std::string_view url, std::string& bytes, std::string& type);

bool is_http_url(std::string_view url);

// A provider's error value as text: a string as is, `message`/`msg`/`detail` inside objects and
// lists (FastAPI's `detail: [{msg}]`), else the value as compact JSON.
std::string error_text(const simdjson::dom::element& value);

// `type` without parameters, lower-cased ("Image/PNG; q=1" -> "image/png").
std::string bare_media_type(std::string_view type);

}  // namespace hfi::providers
