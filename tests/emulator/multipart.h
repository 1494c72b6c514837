// Reads a multipart/form-data body (RFC 7578), as the OpenAI-style
// transcription routes receive it.
#pragma once

#include <string>
#include <vector>

namespace hfi::emu {

struct FormPart {
  std::string name;
  std::string filename;      // empty for plain fields
  std::string content_type;  // empty when the part did not say
  std::string data;
};

// False when content_type is not multipart/form-data with a boundary, or the body is not framed by it.
bool parse_multipart(const std::string& content_type, const std::string& body, std::vector<FormPart>* parts);

}  // namespace hfi::emu
