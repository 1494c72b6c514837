#include "test_client.h"

#include <cctype>

namespace hfi::emu::test {
namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_ALL); }
  ~GlobalInit() { curl_global_cleanup(); }
};
const GlobalInit global_init;

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  response->writes.emplace_back(data, size * count);
  response->write_times.push_back(std::chrono::steady_clock::now());
  response->body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  std::string line(data, size * count);
  std::size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    response->headers[name] = value;
  }
  return size * count;
}

}  // namespace

std::string Response::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

Client::Client() : handle_(curl_easy_init()) {}
Client::~Client() { curl_easy_cleanup(handle_); }

Response Client::run(const Call& call) {
  Response response;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_reset(handle_);  // keeps the connection cache
  curl_easy_setopt(handle_, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  if (call.method == "POST" || !call.body.empty()) {
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, call.body.data());
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  }
  if (call.method == "HEAD") curl_easy_setopt(handle_, CURLOPT_NOBODY, 1L);
  curl_slist* headers = nullptr;
  for (const auto& header : call.headers) headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, call.timeout_ms);
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  if (!call.ca_file.empty()) curl_easy_setopt(handle_, CURLOPT_CAINFO, call.ca_file.c_str());
  auto started = std::chrono::steady_clock::now();
  response.code = curl_easy_perform(handle_);
  response.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_getinfo(handle_, CURLINFO_NUM_CONNECTS, &response.new_connections);
  if (response.code != CURLE_OK) response.error = error[0] ? error : curl_easy_strerror(response.code);
  curl_slist_free_all(headers);
  return response;
}

Response request(const Call& call) {
  Client client;
  return client.run(call);
}

Response get(const std::string& url) {
  Call call;
  call.url = url;
  return request(call);
}

Response post_json(const std::string& url, const std::string& body, std::vector<std::string> headers) {
  Call call;
  call.method = "POST";
  call.url = url;
  call.body = body;
  call.headers = std::move(headers);
  call.headers.push_back("Content-Type: application/json");
  return request(call);
}

std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> payloads;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("data:", 0) == 0) {
      std::string payload = line.substr(5);
      if (!payload.empty() && payload.front() == ' ') payload.erase(0, 1);
      payloads.push_back(payload);
    }
    start = end + 1;
  }
  return payloads;
}

std::string chat_body(const std::string& user_text, bool stream, const std::string& extra_members) {
  std::string escaped;
  for (char c : user_text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  std::string body = R"({"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[{"role":"user","content":")" +
                     escaped + R"("}])";
  if (stream) body += R"(,"stream":true)";
  if (!extra_members.empty()) body += "," + extra_members;
  return body + "}";
}

}  // namespace hfi::emu::test
