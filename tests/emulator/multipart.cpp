#include "multipart.h"

#include "text_util.h"

namespace hfi::emu {
namespace {

std::string parameter(const std::string& header_value, const std::string& name) {
  std::string lower = to_lower(header_value);
  std::size_t at = 0;
  while ((at = lower.find(name + "=", at)) != std::string::npos) {
    if (at == 0 || lower[at - 1] == ' ' || lower[at - 1] == ';') break;
    at += name.size();
  }
  if (at == std::string::npos) return {};
  std::size_t start = at + name.size() + 1;
  if (start < header_value.size() && header_value[start] == '"') {
    std::size_t end = header_value.find('"', start + 1);
    return end == std::string::npos ? std::string() : header_value.substr(start + 1, end - start - 1);
  }
  std::size_t end = header_value.find(';', start);
  return std::string(trim(header_value.substr(start, end == std::string::npos ? std::string::npos : end - start)));
}

}  // namespace

bool parse_multipart(const std::string& content_type, const std::string& body, std::vector<FormPart>* parts) {
  if (!starts_with(to_lower(content_type), "multipart/form-data")) return false;
  std::string boundary = parameter(content_type, "boundary");
  if (boundary.empty()) return false;
  const std::string delimiter = "--" + boundary;
  std::size_t at = body.find(delimiter);
  if (at == std::string::npos) return false;
  while (true) {
    at += delimiter.size();
    if (body.compare(at, 2, "--") == 0) return true;  // the closing delimiter
    if (body.compare(at, 2, "\r\n") != 0) return false;
    at += 2;
    std::size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string::npos) return false;
    FormPart part;
    std::string headers = body.substr(at, headers_end - at);
    for (std::size_t line_start = 0; line_start < headers.size();) {
      std::size_t line_end = headers.find("\r\n", line_start);
      if (line_end == std::string::npos) line_end = headers.size();
      std::string line = headers.substr(line_start, line_end - line_start);
      std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = to_lower(trim(line.substr(0, colon)));
        std::string value(trim(line.substr(colon + 1)));
        if (name == "content-disposition") {
          part.name = parameter(value, "name");
          part.filename = parameter(value, "filename");
        } else if (name == "content-type") {
          part.content_type = value;
        }
      }
      line_start = line_end + 2;
    }
    std::size_t data_start = headers_end + 4;
    std::size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string::npos) return false;
    part.data = body.substr(data_start, next - data_start);
    parts->push_back(std::move(part));
    at = next + 2;
  }
}

}  // namespace hfi::emu
