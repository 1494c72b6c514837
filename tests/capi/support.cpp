#include "support.h"

#include <curl/curl.h>

#include <cstdio>

namespace hfi_test {

namespace {
size_t collect_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}
}  // namespace

std::string http(const std::string& method, const std::string& url, const std::string& body) {
  std::string answer;
  CURL* h = curl_easy_init();
  if (!h) return answer;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  if (curl_easy_perform(h) != CURLE_OK) answer.clear();
  curl_easy_cleanup(h);
  return answer;
}

OptionsPtr make_options() {
  hfi_client_options* o = nullptr;
  EXPECT_EQ(hfi_client_options_new(&o), HFI_OK);
  EXPECT_EQ(hfi_client_options_set_int(o, HFI_OPT_MAX_RETRIES, 0), HFI_OK);
  return OptionsPtr(o);
}

void set_str(hfi_client_options* o, int32_t key, const std::string& value) {
  ASSERT_EQ(hfi_client_options_set_str(o, key, value.data(), value.size()), HFI_OK) << "key " << key;
}

void set_int(hfi_client_options* o, int32_t key, int64_t value) {
  ASSERT_EQ(hfi_client_options_set_int(o, key, value), HFI_OK) << "key " << key;
}

ClientPtr client_with(hfi_client_options* opts) {
  hfi_client* c = nullptr;
  hfi_status st = hfi_client_new(&c, opts);
  const char* why = "";
  hfi_last_error_message(&why, nullptr);
  EXPECT_EQ(st, HFI_OK) << why;
  return ClientPtr(c);
}

ClientPtr client_for(const hfi::emu::Emulator& emu, int32_t io_mode) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_IO_MODE, io_mode);
  return client_with(o.get());
}

std::string chat_body(const std::string& prompt, const std::string& extra, const std::string& model) {
  std::string escaped;
  for (char c : prompt) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + escaped + "\"}]" +
         extra + "}";
}

std::string StreamRecording::deltas() const {
  std::string out;
  for (const RecordedEvent& e : events)
    if (e.type == HFI_EVENT_DELTA) out += e.text;
  return out;
}

size_t StreamRecording::count(int32_t type) const {
  size_t n = 0;
  for (const RecordedEvent& e : events) n += e.type == type;
  return n;
}

RecordedEvent record_event(const hfi_event* ev) {
  RecordedEvent e;
  e.type = hfi_event_type(ev);
  e.choice = hfi_event_choice_index(ev);
  e.text = text(ev, hfi_event_text);
  e.json = text(ev, hfi_event_json);
  if (e.type == HFI_EVENT_TOOL_CALL) {
    e.tool_index = hfi_event_tool_call_index(ev);
    e.tool_id = text(ev, hfi_event_tool_call_id);
    e.tool_name = text(ev, hfi_event_tool_call_name);
    e.tool_arguments = text(ev, hfi_event_tool_call_arguments);
  }
  if (e.type == HFI_EVENT_USAGE) hfi_event_usage(ev, &e.usage[0], &e.usage[1], &e.usage[2]);
  e.status = hfi_event_status(ev);
  if (const hfi_error* err = hfi_event_error(ev)) e.error_message = text(err, hfi_error_message);
  e.attempt = hfi_event_attempt(ev);
  e.target = text(ev, hfi_event_target);
  return e;
}

int32_t StreamRecording::callback(const hfi_event* ev, void* user_data) {
  auto* rec = static_cast<StreamRecording*>(user_data);
  RecordedEvent e = record_event(ev);
  rec->events.push_back(std::move(e));
  return rec->abort_after >= 0 && static_cast<int>(rec->events.size()) >= rec->abort_after ? 1 : 0;
}

StreamResult stream_chat(hfi_client* client, const std::string& body, int abort_after) {
  StreamResult result;
  result.recording.abort_after = abort_after;
  hfi_response* r = nullptr;
  result.status = hfi_chat_stream(client, body.data(), body.size(), StreamRecording::callback,
                                  &result.recording, &r);
  result.response.reset(r);
  return result;
}

BlockingResult chat(hfi_client* client, const std::string& body) {
  BlockingResult result;
  hfi_response* r = nullptr;
  result.status = hfi_chat(client, body.data(), body.size(), &r);
  result.response.reset(r);
  return result;
}

std::string json_str(const std::string& raw) {
  std::string out = "\"";
  for (unsigned char c : raw) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string sse_step(const std::vector<std::string>& pieces, const std::string& extra) {
  std::string out = "{\"sse\":[";
  for (size_t i = 0; i < pieces.size(); ++i) out += (i ? "," : "") + json_str(pieces[i]);
  return out + "]" + extra + "}";
}

static std::string base64(const std::string& bytes) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out += digits[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = (unsigned char)bytes[i] << 16 | (i + 1 < bytes.size() ? (unsigned char)bytes[i + 1] << 8 : 0u);
    out += digits[(v >> 18) & 63];
    out += digits[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? digits[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string sse_bytes_step(const std::vector<std::string>& pieces) {
  std::string out = "{\"sse_base64\":[";
  for (size_t i = 0; i < pieces.size(); ++i) out += (i ? ",\"" : "\"") + base64(pieces[i]) + "\"";
  return out + "]}";
}

std::string delta_chunk(const std::string& content) {
  return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
         "\"delta\":{\"content\":" + json_str(content) + "},\"finish_reason\":null}]}";
}

std::string finish_chunk(const std::string& reason) {
  return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
         "\"delta\":{},\"finish_reason\":" + json_str(reason) + "}]}";
}

void EmulatorTest::SetUp() {
  std::string error;
  ASSERT_TRUE(emu_.start(&error)) << error;
}

}  // namespace hfi_test
