// multipart/form-data bodies (RFC 7578), for the OpenAI-style transcription routes that take the
// audio as a file part (deepinfra, together).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::providers {

struct FormPart {
  std::string name;
  std::string filename;      // empty: a plain field
  std::string content_type;  // for files
  std::string_view data;     // must outlive the call to multipart_body
};

// The body, and in `content_type` its header value with the boundary. The boundary is derived from
// the parts and checked against them, so it never occurs inside one and equal parts give equal
// bodies. Names and file names must not hold '"', CR or LF (the caller's form fields are checked).
std::string multipart_body(const std::vector<FormPart>& parts, std::string& content_type);

}  // namespace hfi::providers
