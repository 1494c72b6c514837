#include "request_reader.h"

#include <cctype>

#include "text_util.h"

namespace hfi::emu {
namespace {

constexpr int kPollSliceMs = 50;
// An idle keep-alive connection is only given up for a waiting one after this long,
// so a client sending its next request right away is not cut off.
constexpr int kYieldGraceMs = 500;

// Index just past the blank line ending the header block, or npos.
std::size_t find_head_end(const std::string& buffer) {
  for (std::size_t p = buffer.find('\n'); p != std::string::npos; p = buffer.find('\n', p + 1)) {
    if (p + 1 < buffer.size() && buffer[p + 1] == '\n') return p + 2;
    if (p + 2 < buffer.size() && buffer[p + 1] == '\r' && buffer[p + 2] == '\n') return p + 3;
  }
  return std::string::npos;
}

bool parse_size(std::string_view digits, int base, std::size_t* value) {
  if (digits.empty() || digits.size() > 15) return false;
  std::size_t result = 0;
  for (char c : digits) {
    int digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    else return false;
    result = result * static_cast<std::size_t>(base) + static_cast<std::size_t>(digit);
  }
  *value = result;
  return true;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool parse_request_line(std::string_view line, HttpRequest* out) {
  std::size_t first_space = line.find(' ');
  std::size_t last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || first_space == last_space) return false;
  out->method = std::string(line.substr(0, first_space));
  out->target = std::string(line.substr(first_space + 1, last_space - first_space - 1));
  std::string_view version = line.substr(last_space + 1);
  if (out->method.empty() || out->target.empty()) return false;
  for (char c : out->method)
    if (!is_token_char(c)) return false;
  if (version == "HTTP/1.1") out->minor_version = 1;
  else if (version == "HTTP/1.0") out->minor_version = 0;
  else return false;

  std::string_view target = out->target;
  if (starts_with(target, "http://") || starts_with(target, "https://")) {  // absolute-form (proxies)
    std::size_t authority = target.find("//") + 2;
    std::size_t path_start = target.find('/', authority);
    target = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  std::size_t question = target.find('?');
  out->path = std::string(target.substr(0, question));
  out->query = question == std::string_view::npos ? std::string() : std::string(target.substr(question + 1));
  return !out->path.empty();
}

}  // namespace

RequestReader::Fill RequestReader::fill(int silence_limit_ms) {
  char chunk[16384];
  for (int waited = 0;; waited += kPollSliceMs) {
    if (stop_.raised()) return Fill::stopped;
    if (waited >= silence_limit_ms) return Fill::failed;
    std::size_t got = 0;
    switch (connection_.read_some(chunk, sizeof chunk, kPollSliceMs, &got)) {
      case ReadResult::data:
        buffer_.append(chunk, got);
        return Fill::more;
      case ReadResult::eof:
        return Fill::eof;
      case ReadResult::error:
        return Fill::failed;
      case ReadResult::timeout:
        break;
    }
  }
}

ReadStatus RequestReader::fill_status() {
  Fill result = fill(kRequestTimeoutMs);
  if (result == Fill::more) return ReadStatus::request;
  return result == Fill::stopped ? ReadStatus::stopped : ReadStatus::closed;
}

ReadStatus RequestReader::wait_for_first_byte(const IdlePolicy& idle) {
  char chunk[16384];
  for (int idle_ms = 0; buffer_.empty(); idle_ms += kPollSliceMs) {
    if (stop_.raised()) return ReadStatus::stopped;
    if (idle_ms >= idle.keep_alive_timeout_ms) return ReadStatus::closed;
    if (served_ > 0 && idle_ms >= kYieldGraceMs && idle.others_waiting && idle.others_waiting())
      return ReadStatus::closed;
    std::size_t got = 0;
    switch (connection_.read_some(chunk, sizeof chunk, kPollSliceMs, &got)) {
      case ReadResult::data:
        buffer_.append(chunk, got);
        break;
      case ReadResult::eof:
      case ReadResult::error:
        return ReadStatus::closed;
      case ReadResult::timeout:
        break;
    }
  }
  return ReadStatus::request;
}

ReadStatus RequestReader::next(HttpRequest* out, const IdlePolicy& idle) {
  *out = HttpRequest{};
  for (;;) {
    ReadStatus status = wait_for_first_byte(idle);
    if (status != ReadStatus::request) return status;
    // RFC 9112 2.2: ignore blank lines before a request line.
    std::size_t skip = 0;
    while (skip < buffer_.size() && (buffer_[skip] == '\r' || buffer_[skip] == '\n')) ++skip;
    buffer_.erase(0, skip);
    if (!buffer_.empty()) break;
  }
  std::size_t head_end;
  while ((head_end = find_head_end(buffer_)) == std::string::npos) {
    if (buffer_.size() > kMaxHeaderBytes) return ReadStatus::header_too_large;
    ReadStatus status = fill_status();
    if (status != ReadStatus::request) return status;
  }
  if (head_end > kMaxHeaderBytes) return ReadStatus::header_too_large;
  ReadStatus status = parse_head(head_end, out);
  if (status != ReadStatus::request) return status;
  status = read_body(out);
  if (status == ReadStatus::request) ++served_;
  return status;
}

ReadStatus RequestReader::parse_head(std::size_t head_end, HttpRequest* out) {
  std::string head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end);
  std::size_t line_start = 0;
  bool first_line = true;
  while (line_start < head.size()) {
    std::size_t newline = head.find('\n', line_start);
    std::string_view line(head.data() + line_start, newline - line_start);
    line_start = newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    if (first_line) {
      if (!parse_request_line(line, out)) return ReadStatus::bad_request;
      first_line = false;
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return ReadStatus::bad_request;
    std::string_view name = line.substr(0, colon);
    for (char c : name)
      if (!is_token_char(c)) return ReadStatus::bad_request;  // also rejects obsolete line folding
    out->headers.emplace_back(to_lower(name), std::string(trim(line.substr(colon + 1))));
  }
  return first_line ? ReadStatus::bad_request : ReadStatus::request;
}

ReadStatus RequestReader::read_body(HttpRequest* out) {
  std::string transfer_encoding = to_lower(out->header("transfer-encoding"));
  bool chunked = false;
  std::size_t length = 0;
  if (!transfer_encoding.empty()) {
    // Only "chunked" as the final coding frames a request body (RFC 9112 6.3).
    if (!ends_with(transfer_encoding, "chunked")) return ReadStatus::bad_request;
    chunked = true;
  } else if (out->has_header("content-length")) {
    std::string declared;
    for (const auto& [name, value] : out->headers) {
      if (name != "content-length") continue;
      if (!declared.empty() && declared != value) return ReadStatus::bad_request;
      declared = value;
    }
    if (!parse_size(declared, 10, &length)) return ReadStatus::bad_request;
    if (length > kMaxBodyBytes) return ReadStatus::body_too_large;
  }
  bool body_expected = chunked || length > 0;
  if (body_expected && out->minor_version == 1 && iequals(out->header("expect"), "100-continue") &&
      buffer_.empty()) {
    if (!connection_.write_all("HTTP/1.1 100 Continue\r\n\r\n")) return ReadStatus::closed;
  }
  if (chunked) return read_chunked_body(out);
  ReadStatus status = ensure_available(length);
  if (status != ReadStatus::request) return status;
  out->body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return ReadStatus::request;
}

ReadStatus RequestReader::read_chunked_body(HttpRequest* out) {
  for (;;) {
    std::string size_line;
    ReadStatus status = read_line(&size_line, 1024);
    if (status != ReadStatus::request) return status;
    std::string_view digits = trim(std::string_view(size_line).substr(0, size_line.find(';')));
    std::size_t size = 0;
    if (!parse_size(digits, 16, &size)) return ReadStatus::bad_request;
    if (size == 0) break;
    if (out->body.size() + size > kMaxBodyBytes) return ReadStatus::body_too_large;
    status = ensure_available(size);
    if (status != ReadStatus::request) return status;
    out->body.append(buffer_, 0, size);
    buffer_.erase(0, size);
    std::string chunk_end;
    status = read_line(&chunk_end, 2);
    if (status != ReadStatus::request) return status;
    if (!chunk_end.empty()) return ReadStatus::bad_request;
  }
  for (;;) {  // trailer fields: read and ignore
    std::string trailer;
    ReadStatus status = read_line(&trailer, kMaxHeaderBytes);
    if (status != ReadStatus::request) return status;
    if (trailer.empty()) return ReadStatus::request;
  }
}

ReadStatus RequestReader::read_line(std::string* line, std::size_t max_length) {
  std::size_t newline;
  while ((newline = buffer_.find('\n')) == std::string::npos) {
    if (buffer_.size() > max_length + 1) return ReadStatus::bad_request;
    ReadStatus status = fill_status();
    if (status != ReadStatus::request) return status;
  }
  if (newline > max_length + 1) return ReadStatus::bad_request;
  line->assign(buffer_, 0, newline);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  buffer_.erase(0, newline + 1);
  return ReadStatus::request;
}

ReadStatus RequestReader::ensure_available(std::size_t bytes) {
  while (buffer_.size() < bytes) {
    ReadStatus status = fill_status();
    if (status != ReadStatus::request) return status;
  }
  return ReadStatus::request;
}

}  // namespace hfi::emu
