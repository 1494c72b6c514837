// A small libcurl client for the emulator's own tests: every byte and every
// write callback is kept so tests can assert on how the answer arrived.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace hfi::emu::test {

struct Call {
  std::string method = "GET";
  std::string url;
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
  std::string ca_file;               // https: trust only this CA
  long timeout_ms = 15000;
};

struct Response {
  CURLcode code = CURLE_OK;
  std::string error;  // curl's message when code != CURLE_OK
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names, last value wins
  std::string body;
  std::vector<std::string> writes;  // the body as libcurl delivered it, one entry per callback
  std::vector<std::chrono::steady_clock::time_point> write_times;
  double seconds = 0;         // whole transfer
  long new_connections = 0;   // CURLINFO_NUM_CONNECTS

  std::string header(const std::string& name) const;
};

// One easy handle; reusing a Client reuses its kept-alive connection.
class Client {
 public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Response run(const Call& call);

 private:
  CURL* handle_;
};

Response request(const Call& call);  // with a fresh Client
Response get(const std::string& url);
Response post_json(const std::string& url, const std::string& body, std::vector<std::string> headers = {});

// The payloads of the "data:" lines of an SSE body, in order.
std::vector<std::string> sse_data(const std::string& body);

std::string chat_body(const std::string& user_text, bool stream = false, const std::string& extra_members = "");

}  // namespace hfi::emu::test
