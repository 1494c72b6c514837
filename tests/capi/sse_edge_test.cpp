// Every SSE edge case of the issue, served by the emulator as raw bytes and read through the C ABI.
#include <string>
#include <vector>

#include "support.h"

using namespace hfi_test;

namespace {

class SseEdge : public EmulatorTest {
 protected:
  StreamResult run(const std::vector<std::string>& pieces, const std::string& extra = "") {
    emu_.script(sse_step(pieces, extra));
    if (!client_) client_ = client_for(emu_);
    return stream_chat(client_.get(), chat_body("edge"));
  }
  ClientPtr client_;
};

std::string event(const std::string& data) { return "data: " + data + "\n\n"; }

TEST_F(SseEdge, DataWithoutSpace) {
  StreamResult r = run({"data:" + delta_chunk("no") + "\n\n", "data:" + delta_chunk(" space") + "\n\n",
                        "data:" + finish_chunk("stop") + "\n\n", "data:[DONE]\n\n"});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "no space");
}

TEST_F(SseEdge, OnlyOneSpaceIsRemoved) {
  // "data:  x" keeps one leading space in the value; JSON ignores it, so the chunk still parses.
  StreamResult r = run({"data:  " + delta_chunk("a") + "\n\n", event(finish_chunk("stop")), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "a");
}

TEST_F(SseEdge, CrLfAndLoneCrLineEnds) {
  StreamResult r = run({"data: " + delta_chunk("crlf ") + "\r\n\r\n", "data: " + delta_chunk("cr") + "\r\r",
                        "data: " + finish_chunk("stop") + "\n\n", "data: [DONE]\r\n\r\n"});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "crlf cr");
}

TEST_F(SseEdge, CrLfSplitAcrossReads) {
  std::string chunk = "data: " + delta_chunk("split") + "\r";
  StreamResult r = run({chunk, "\n\r", "\n", event(finish_chunk("stop")), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "split");
}

TEST_F(SseEdge, CommentsAndKeepAlivesAreIgnored) {
  StreamResult r = run({": keep-alive\n\n", ":\n\n", event(delta_chunk("x")), ": OPENROUTER PROCESSING\n\n",
                        event(finish_chunk("stop")), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "x");
  EXPECT_EQ(r.recording.count(HFI_EVENT_RAW), 0u);
}

TEST_F(SseEdge, MultiLineDataIsJoined) {
  // One JSON object spread over three data lines: joined with '\n', which JSON treats as space.
  StreamResult r = run({"data: {\"choices\":[{\"index\":0,\ndata: \"delta\":{\"content\":\"joined\"},\ndata: "
                        "\"finish_reason\":null}]}\n\n",
                        event(finish_chunk("stop")), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "joined");
}

TEST_F(SseEdge, ByteOrderMarkAtTheStart) {
  emu_.script(sse_bytes_step({"\xEF\xBB", "\xBF" + event(delta_chunk("bom")), event(finish_chunk("stop")), event("[DONE]")}));
  client_ = client_for(emu_);
  StreamResult r = stream_chat(client_.get(), chat_body("bom"));
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "bom");
}

TEST_F(SseEdge, OtherFieldsAndNamedEventsPassQuietly) {
  StreamResult r = run({"id: 7\nretry: 1000\nevent: message\ndata: " + delta_chunk("f") + "\n\n",
                        "data : ignored field name\n\n", event(finish_chunk("stop")), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "f");
}

TEST_F(SseEdge, UsageChunkWithEmptyChoices) {
  StreamResult r = run({event(delta_chunk("u")), event(finish_chunk("stop")),
                        event("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,"
                              "\"total_tokens\":4}}"),
                        event("[DONE]")});
  ASSERT_EQ(r.status, HFI_OK);
  ASSERT_EQ(r.recording.count(HFI_EVENT_USAGE), 1u);
  int64_t p = 0, c = 0, t = 0;
  hfi_response_usage(r.response.get(), &p, &c, &t);
  EXPECT_EQ(p, 3);
  EXPECT_EQ(c, 1);
  EXPECT_EQ(t, 4);
}

TEST_F(SseEdge, RoleOnlyChunkIsReportedRaw) {
  StreamResult r = run({event("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}"), event(delta_chunk("r")),
                        event(finish_chunk("stop")), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_OK);
  ASSERT_GE(r.recording.events.size(), 1u);
  EXPECT_EQ(r.recording.events[0].type, HFI_EVENT_RAW);
  EXPECT_NE(r.recording.events[0].json.find("assistant"), std::string::npos);
}

TEST_F(SseEdge, EndWithoutDoneAfterFinishIsComplete) {
  // cerebras never sends [DONE]: the finish reason plus a clean end of body is a complete stream.
  StreamResult r = run({event(delta_chunk("cerebras")), event(finish_chunk("stop"))});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "cerebras");
}

TEST_F(SseEdge, EndWithoutDoneOrFinishIsTruncatedAndKeepsText) {
  StreamResult r = run({event(delta_chunk("partial ")), event(delta_chunk("text"))});
  EXPECT_EQ(r.status, HFI_E_STREAM_TRUNCATED);
  EXPECT_EQ(r.recording.deltas(), "partial text");
  EXPECT_EQ(text(r.response.get(), hfi_response_content), "partial text");
  ASSERT_FALSE(r.recording.events.empty());
  EXPECT_EQ(r.recording.events.back().type, HFI_EVENT_ERROR);
  EXPECT_EQ(r.recording.events.back().status, HFI_E_STREAM_TRUNCATED);
}

TEST_F(SseEdge, EndInTheMiddleOfAnEventIsTruncated) {
  StreamResult r = run({event(delta_chunk("a")), event(finish_chunk("stop")), "data: {\"choices\":"});
  EXPECT_EQ(r.status, HFI_E_STREAM_TRUNCATED);
}

TEST_F(SseEdge, ErrorPayloadMidStream) {
  StreamResult r = run({event(delta_chunk("so far")),
                        event("{\"error\":{\"message\":\"Input validation error: too long\",\"type\":\"validation\"}}"),
                        event(delta_chunk("never seen")), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_E_STREAM_ERROR);
  EXPECT_EQ(r.recording.deltas(), "so far");
  const hfi_error* e = hfi_response_error(r.response.get());
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(hfi_error_code(e), HFI_E_STREAM_ERROR);
  EXPECT_EQ(text(e, hfi_error_message), "Input validation error: too long");
  EXPECT_EQ(text(e, hfi_error_type), "validation");
  EXPECT_NE(text(e, hfi_error_body).find("too long"), std::string::npos);
  EXPECT_EQ(r.recording.events.back().type, HFI_EVENT_ERROR);
  EXPECT_EQ(r.recording.events.back().error_message, "Input validation error: too long");
}

TEST_F(SseEdge, TgiStringErrorWithoutSpace) {
  StreamResult r = run({"data:{\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096\","
                        "\"error_type\":\"validation\"}\n\n"});
  EXPECT_EQ(r.status, HFI_E_STREAM_ERROR);
  EXPECT_EQ(text(hfi_response_error(r.response.get()), hfi_error_type), "validation");
}

TEST_F(SseEdge, NamedErrorEvent) {
  StreamResult r = run({event(delta_chunk("x")), "event: error\ndata: {\"code\":400,\"details\":\"bad things\"}\n\n",
                        event("[DONE]")});
  EXPECT_EQ(r.status, HFI_E_STREAM_ERROR);
  EXPECT_EQ(r.recording.deltas(), "x");
}

TEST_F(SseEdge, DoneMustBeExact) {
  // "[DONE] trailing" is not the end marker; as JSON it is malformed, so the stream fails loudly
  // instead of being silently cut short.
  StreamResult r = run({event(delta_chunk("x")), event("[DONE] trailing"), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_E_PROTOCOL);
}

TEST_F(SseEdge, MalformedJsonEvent) {
  StreamResult r = run({event(delta_chunk("ok")), event("{\"choices\":[{\"delta\":"), event("[DONE]")});
  EXPECT_EQ(r.status, HFI_E_PROTOCOL);
  EXPECT_EQ(r.recording.deltas(), "ok");
}

TEST_F(SseEdge, EmptyStreamWithDoneIsValid) {
  StreamResult r = run({event("[DONE]")});
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "");
  EXPECT_EQ(r.recording.count(HFI_EVENT_DONE), 1u);
}

TEST_F(SseEdge, EscapedAndMultibyteContent) {
  std::string emoji = "\xF0\x9F\x98\x80";
  StreamResult r = run({event("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"line\\nquote\\\" \\\\ \\u00e9 "
                              "\\ud83d\\ude00 " + emoji + "\"}}]}"),
                        event(finish_chunk("stop")), event("[DONE]")});
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "line\nquote\" \\ \xC3\xA9 " + emoji + " " + emoji);
}

TEST_F(SseEdge, ReasoningDeltas) {
  StreamResult r = run({event("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"think\"}}]}"),
                        event(delta_chunk("answer")), event(finish_chunk("stop")), event("[DONE]")});
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.count(HFI_EVENT_REASONING), 1u);
  EXPECT_EQ(text(r.response.get(), hfi_response_reasoning), "think");
  EXPECT_EQ(text(r.response.get(), hfi_response_content), "answer");
}

TEST_F(SseEdge, ServerIgnoringStreamStillYieldsEvents) {
  emu_.script("{\"content_type\":\"application/json\",\"body\":" +
              json_str("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                       "\"message\":{\"role\":\"assistant\",\"content\":\"whole answer\"},\"finish_reason\":\"stop\"}],"
                       "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}") + "}");
  ClientPtr client = client_for(emu_);
  StreamResult r = stream_chat(client.get(), chat_body("json please"));
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "whole answer");
  EXPECT_EQ(r.recording.count(HFI_EVENT_FINISH), 1u);
  EXPECT_EQ(r.recording.count(HFI_EVENT_USAGE), 1u);
  EXPECT_EQ(r.recording.events.back().type, HFI_EVENT_DONE);
}

TEST_F(SseEdge, EventLargerThanTheLimit) {
  OptionsPtr o = make_options();
  set_str(o.get(), HFI_OPT_ROUTER_URL, emu_.base_url());
  set_int(o.get(), HFI_OPT_TOKEN_FROM_ENV, 0);
  set_int(o.get(), HFI_OPT_MAX_EVENT_BYTES, 4096);
  ClientPtr client = client_with(o.get());
  emu_.script(sse_step({event(delta_chunk("small")), event(delta_chunk(std::string(10000, 'x'))), event("[DONE]")}));
  StreamResult r = stream_chat(client.get(), chat_body("big"));
  EXPECT_EQ(r.status, HFI_E_TOO_LARGE);
  EXPECT_EQ(r.recording.deltas(), "small");
}

TEST_F(SseEdge, LargeEventsWithinTheDefaultLimit) {
  std::string big(3 << 20, 'y');  // 3 MiB of text in one event
  StreamResult r = run({event(delta_chunk(big)), event(finish_chunk("stop")), event("[DONE]")});
  ASSERT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas().size(), big.size());
}

// The hardest case: the whole edge-case stream cut into two reads at every byte.
TEST_F(SseEdge, EveryEventSplitAtEveryByteBoundary) {
  const std::string stream = "\xEF\xBB\xBF: hi\n\n" + std::string("data:") + delta_chunk("A") + "\r\n\r\n" +
                             "event: message\ndata: " + delta_chunk("\xC3\xA9") + "\r\r" + "data: " +
                             finish_chunk("stop") + "\n\n" +
                             "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,"
                             "\"total_tokens\":3}}\n\n" +
                             "data: [DONE]\n\n";
  client_ = client_for(emu_);
  for (size_t cut = 1; cut < stream.size(); ++cut) {
    emu_.script(sse_bytes_step({stream.substr(0, cut), stream.substr(cut)}));
    StreamResult r = stream_chat(client_.get(), chat_body("split"));
    ASSERT_EQ(r.status, HFI_OK) << "cut at byte " << cut;
    ASSERT_EQ(r.recording.deltas(), "A\xC3\xA9") << "cut at byte " << cut;
    ASSERT_EQ(r.recording.count(HFI_EVENT_USAGE), 1u) << "cut at byte " << cut;
    ASSERT_EQ(r.recording.count(HFI_EVENT_FINISH), 1u) << "cut at byte " << cut;
  }
}

TEST_F(SseEdge, OneByteAtATime) {
  StreamResult r = run({event(delta_chunk("tiny ")), event(delta_chunk("writes")), event(finish_chunk("stop")),
                        event("[DONE]")},
                       ",\"split_bytes\":1");
  EXPECT_EQ(r.status, HFI_OK);
  EXPECT_EQ(r.recording.deltas(), "tiny writes");
}

}  // namespace
