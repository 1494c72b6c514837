#include "reply_sender.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "http_status_text.h"
#include "text_util.h"

namespace hfi::emu {
namespace {

std::string http_date_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

bool is_framing_header(const std::string& name) {
  // Framing is ours to decide: a scripted value would contradict the bytes we send.
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection");
}

bool has_header(const Reply& reply, const char* name) {
  return std::any_of(reply.headers.begin(), reply.headers.end(),
                     [&](const auto& header) { return iequals(header.first, name); });
}

std::vector<std::string> recut(const std::vector<std::string>& pieces, std::size_t size) {
  std::string all;
  for (const auto& piece : pieces) all += piece;
  std::vector<std::string> cut;
  for (std::size_t at = 0; at < all.size(); at += size) cut.push_back(all.substr(at, size));
  return cut;
}

// The first `budget` bytes of pieces, keeping piece boundaries.
std::vector<std::string> truncate(const std::vector<std::string>& pieces, std::size_t budget) {
  std::vector<std::string> kept;
  for (const auto& piece : pieces) {
    if (budget == 0) break;
    kept.push_back(piece.substr(0, budget));
    budget -= kept.back().size();
  }
  return kept;
}

std::string chunk_frame(const std::string& piece) {
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
  return size_line + piece + "\r\n";
}

std::string head_bytes(const Reply& reply, bool body_allowed, std::size_t content_length, bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " +
                     (reply.reason.empty() ? http_status_text(reply.status) : reply.reason) + "\r\n";
  for (const auto& [name, value] : reply.headers)
    if (!is_framing_header(name)) head += name + ": " + value + "\r\n";
  if (!has_header(reply, "date")) head += "Date: " + http_date_now() + "\r\n";
  if (!has_header(reply, "server")) head += "Server: hfi-emulator\r\n";
  if (body_allowed) {
    if (reply.streamed) head += "Transfer-Encoding: chunked\r\n";
    else head += "Content-Length: " + std::to_string(content_length) + "\r\n";
  }
  head += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  head += "\r\n";
  return head;
}

bool abort_connection(Connection& connection) {
  connection.close_abruptly();
  return false;
}

}  // namespace

bool send_reply(Connection& connection, const Reply& reply, const SendOptions& options, const StopSignal& stop) {
  const Faults& faults = reply.faults;
  if (!stop.sleep_for(faults.delay_ms)) return abort_connection(connection);

  bool body_allowed = !(reply.status < 200 || reply.status == 204 || reply.status == 304);
  bool ends_badly = faults.close_after_headers || faults.drop_after >= 0;
  bool keep_alive = options.keep_alive && !ends_badly;
  std::vector<std::string> pieces =
      faults.split_bytes > 0 ? recut(reply.pieces, static_cast<std::size_t>(faults.split_bytes)) : reply.pieces;
  std::size_t total = 0;
  for (const auto& piece : pieces) total += piece.size();
  std::string head = head_bytes(reply, body_allowed, total, keep_alive);

  if (!body_allowed || options.head_request || faults.close_after_headers) {
    if (!connection.write_all(head) || faults.close_after_headers) return abort_connection(connection);
    if (!keep_alive) connection.close_gracefully();
    return keep_alive;
  }

  bool plain = !reply.streamed && faults.chunk_delay_ms == 0 && faults.split_bytes == 0 && faults.stall_after < 0 &&
               faults.drop_after < 0;
  if (plain) {  // one write: the common case, and what a real server does for a small JSON body
    if (!connection.write_all(head + reply.body())) return abort_connection(connection);
    if (!keep_alive) connection.close_gracefully();
    return keep_alive;
  }

  if (!connection.write_all(head)) return abort_connection(connection);
  // A fixed-length body cut short: promise all of it, deliver half.
  bool truncated_body = !reply.streamed && faults.drop_after >= 0;
  if (truncated_body) pieces = truncate(pieces, total / 2);

  const std::size_t count = pieces.size();
  const std::size_t never = static_cast<std::size_t>(-1);
  std::size_t stall_at =
      faults.stall_after < 0 ? never : std::min(static_cast<std::size_t>(faults.stall_after), count);
  std::size_t drop_at = (reply.streamed && faults.drop_after >= 0)
                            ? std::min(static_cast<std::size_t>(faults.drop_after), count)
                            : never;
  // With split_bytes, a short pause between writes keeps the kernel from coalescing them.
  int pause_ms = faults.chunk_delay_ms > 0 ? faults.chunk_delay_ms : (faults.split_bytes > 0 ? 1 : 0);

  for (std::size_t i = 0; i <= count; ++i) {
    if (i == stall_at && !stop.sleep_for(faults.stall_ms)) return abort_connection(connection);
    if (i == drop_at) return abort_connection(connection);
    if (i == count) break;
    if (i > 0 && !stop.sleep_for(pause_ms)) return abort_connection(connection);
    if (pieces[i].empty()) continue;  // an empty chunk would end the chunked body
    if (!connection.write_all(reply.streamed ? chunk_frame(pieces[i]) : pieces[i]))
      return abort_connection(connection);
  }
  if (truncated_body) return abort_connection(connection);
  if (reply.streamed && !connection.write_all("0\r\n\r\n")) return abort_connection(connection);
  if (!keep_alive) connection.close_gracefully();
  return keep_alive;
}

}  // namespace hfi::emu
