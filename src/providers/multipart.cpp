#include "providers/multipart.h"

#include <cstdint>
#include <cstdio>

namespace hfi::providers {
namespace {

uint64_t fnv1a(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string boundary_for(const std::vector<FormPart>& parts) {
  uint64_t hash = 14695981039346656037ull;
  for (const FormPart& part : parts) hash = fnv1a(fnv1a(hash, part.name), part.data);
  for (uint64_t salt = 0;; ++salt) {
    char text[40];
    std::snprintf(text, sizeof text, "hfi-%016llx", static_cast<unsigned long long>(hash + salt));
    bool clash = false;
    for (const FormPart& part : parts) {
      if (part.data.find(text) != std::string_view::npos) clash = true;
    }
    if (!clash) return text;
  }
}

}  // namespace

std::string multipart_body(const std::vector<FormPart>& parts, std::string& content_type) {
  const std::string boundary = boundary_for(parts);
  content_type = "multipart/form-data; boundary=" + boundary;
  std::string body;
  for (const FormPart& part : parts) {
    body += "--" + boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + part.name + "\"";
    if (!part.filename.empty()) {
      body += "; filename=\"" + part.filename + "\"\r\n";
      body += "Content-Type: " + (part.content_type.empty() ? std::string("application/octet-stream") : part.content_type);
    }
    body += "\r\n\r\n";
    body.append(part.data);
    body += "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return body;
}

}  // namespace hfi::providers
