#include "protocol/stream_chunks.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace hfi::json {
namespace {

// A payload as the SSE parser hands it over: a view into the bytes received (exactly sized, so
// reading past it is an ASan error), or a copy followed by 64 zero bytes. Each chunk gets a buffer
// of its own, as the previous one's bytes would be overwritten in the real stream.
class Payload {
 public:
  Payload(std::string_view text, bool padded)
      : size_(text.size()), bytes_(new char[text.size() + (padded ? 64 : 0)]()) {
    std::memcpy(bytes_.get(), text.data(), text.size());
  }
  std::string_view view() const { return {bytes_.get(), size_}; }

 private:
  size_t size_;
  std::unique_ptr<char[]> bytes_;
};

void expect_same(const ChunkView& fast, const ChunkView& full, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(fast.id, full.id);
  EXPECT_EQ(fast.model, full.model);
  EXPECT_EQ(fast.object, full.object);
  EXPECT_EQ(fast.is_error, full.is_error);
  EXPECT_EQ(fast.error_message, full.error_message);
  EXPECT_EQ(fast.error_type, full.error_type);
  EXPECT_EQ(fast.error_code, full.error_code);
  EXPECT_EQ(fast.usage.present, full.usage.present);
  EXPECT_EQ(fast.usage.prompt_tokens, full.usage.prompt_tokens);
  EXPECT_EQ(fast.usage.completion_tokens, full.usage.completion_tokens);
  EXPECT_EQ(fast.usage.total_tokens, full.usage.total_tokens);
  ASSERT_EQ(fast.choices.size(), full.choices.size());
  for (size_t i = 0; i < fast.choices.size(); ++i) {
    const ChoiceDelta& a = fast.choices[i];
    const ChoiceDelta& b = full.choices[i];
    EXPECT_EQ(a.index, b.index);
    EXPECT_EQ(a.content, b.content);
    EXPECT_EQ(a.reasoning, b.reasoning);
    EXPECT_EQ(a.role, b.role);
    EXPECT_EQ(a.finish_reason, b.finish_reason);
    ASSERT_EQ(a.tool_calls.size(), b.tool_calls.size());
    for (size_t t = 0; t < a.tool_calls.size(); ++t) {
      EXPECT_EQ(a.tool_calls[t].index, b.tool_calls[t].index);
      EXPECT_EQ(a.tool_calls[t].id, b.tool_calls[t].id);
      EXPECT_EQ(a.tool_calls[t].type, b.tool_calls[t].type);
      EXPECT_EQ(a.tool_calls[t].name, b.tool_calls[t].name);
      EXPECT_EQ(a.tool_calls[t].arguments, b.tool_calls[t].arguments);
    }
  }
}

// Parses `chunks` in order with a StreamChunkParser and, independently, with a fresh ChunkParser
// each; both must agree on success and on every field. Chunks alternate between padded and not,
// as the SSE parser hands them over both ways. Returns the number of repeats recognised.
uint64_t check_against_full_parse(const std::vector<std::string>& chunks, StreamChunkParser& stream) {
  ChunkView fast;
  const uint64_t before = stream.repeats();
  for (size_t i = 0; i < chunks.size(); ++i) {
    const bool padded = i % 2 == 1;
    Payload data(chunks[i], padded);
    ChunkParser full;
    ChunkView expected;
    bool full_ok = full.parse(data.view(), padded, expected);
    bool fast_ok = stream.parse(data.view(), padded, fast);
    EXPECT_EQ(fast_ok, full_ok) << "chunk " << i << ": " << chunks[i];
    if (fast_ok && full_ok) expect_same(fast, expected, "chunk " + std::to_string(i) + ": " + chunks[i]);
  }
  return stream.repeats() - before;
}

std::string chunk(std::string_view content_json, std::string_view id = "chatcmpl-1",
                  std::string_view finish = "null") {
  return std::string(R"({"id":")") + std::string(id) +
         R"(","object":"chat.completion.chunk","created":1732240000,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":)" +
         std::string(content_json) + R"(},"logprobs":null,"finish_reason":)" + std::string(finish) +
         R"(}],"usage":null})";
}

TEST(StreamChunkParserTest, RepeatsOfTheSameShapeSkipTheParseAndAgreeWithIt) {
  StreamChunkParser parser;
  std::vector<std::string> chunks = {chunk(R"("The")"), chunk(R"(" quick")"), chunk(R"(" brown")"),
                                     chunk(R"("")"), chunk(R"(" fox")")};
  EXPECT_EQ(check_against_full_parse(chunks, parser), 4u);
}

TEST(StreamChunkParserTest, NonAsciiTextIsRepeatedWhenValidUtf8) {
  StreamChunkParser parser;
  std::vector<std::string> chunks = {chunk(R"("a")"), chunk("\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"")};
  EXPECT_EQ(check_against_full_parse(chunks, parser), 1u);
}

TEST(StreamChunkParserTest, InvalidUtf8FailsLikeTheFullParse) {
  for (const char* bad : {"\"\xC3\"", "\"\xFF\"", "\"\xED\xA0\x80\"", "\"\xF0\x9F\x98\""}) {
    StreamChunkParser parser;
    EXPECT_EQ(check_against_full_parse({chunk(R"("a")"), chunk(bad)}, parser), 0u);
  }
}

TEST(StreamChunkParserTest, OneCharacterEscapesAreDecodedWithoutAParse) {
  StreamChunkParser parser;
  std::vector<std::string> chunks = {chunk(R"("a")"), chunk(R"("line\nbreak")"),
                                     chunk(R"("say \"hi\" \\ \/ \b\f\r\t end\\")")};
  EXPECT_EQ(check_against_full_parse(chunks, parser), 2u);
}

TEST(StreamChunkParserTest, UnicodeEscapesBadBytesAndStructureChangesGoThroughTheFullParse) {
  for (std::string content : {
           std::string(R"("\u00e9")"),
           std::string(R"("\ud83d\ude00")"),
           std::string(R"("\x")"),                         // not an escape: invalid JSON
           std::string("\"raw\ttab\""),                   // a control character in a string: invalid
           std::string(R"("ends in a backslash\")"),       // would escape the closing quote
       }) {
    SCOPED_TRACE(content);
    StreamChunkParser parser;
    EXPECT_EQ(check_against_full_parse({chunk(R"("a")"), chunk(content), chunk(R"("b")")}, parser), 1u)
        << "only the last chunk may be a repeat";
  }
  // A quote in the text changes the structure: such a chunk is parsed, and its shape learnt.
  for (std::string content : {std::string(R"("x","role":"user")"), std::string(R"("x"},"extra":{"content":"y")")}) {
    SCOPED_TRACE(content);
    StreamChunkParser parser;
    EXPECT_EQ(check_against_full_parse({chunk(R"("a")"), chunk(content), chunk(R"("b")")}, parser), 0u);
  }
}

TEST(StreamChunkParserTest, AChangeAnywhereElseIsParsedInFull) {
  StreamChunkParser parser;
  std::vector<std::string> chunks = {chunk(R"("a")"), chunk(R"("b")", "chatcmpl-2"),
                                     chunk(R"("c")", "chatcmpl-2", R"("stop")"), chunk(R"("d")", "chatcmpl-2")};
  EXPECT_EQ(check_against_full_parse(chunks, parser), 0u);
}

TEST(StreamChunkParserTest, ContentThatIsNotAPlainStringIsNeverRepeated) {
  StreamChunkParser parser;
  std::vector<std::string> chunks = {
      chunk(R"([{"type":"text","text":"a"}])"), chunk(R"([{"type":"text","text":"b"}])"),
      chunk("null"), chunk("null"),
      // A string content followed by a duplicate that replaces it: the token must follow.
      R"({"choices":[{"delta":{"content":"a","content":[{"type":"text","text":"z"}]}}]})",
      R"({"choices":[{"delta":{"content":"b","content":[{"type":"text","text":"z"}]}}]})",
  };
  EXPECT_EQ(check_against_full_parse(chunks, parser), 0u);
}

TEST(StreamChunkParserTest, RawTokensOfTheShapeOutliveTheChunkTheyCameFrom) {
  // A numeric id is handed out as its raw text, which lived in the first chunk's own bytes.
  StreamChunkParser parser;
  std::vector<std::string> chunks = {R"({"id":42,"choices":[{"delta":{"content":"a"}}]})",
                                     R"({"id":42,"choices":[{"delta":{"content":"b"}}]})"};
  EXPECT_EQ(check_against_full_parse(chunks, parser), 1u);
}

TEST(StreamChunkParserTest, ToolCallsAndErrorsAreNeverRepeated) {
  StreamChunkParser parser;
  std::string call = R"({"choices":[{"delta":{"content":"a","tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]})";
  std::string error = R"({"choices":[{"delta":{"content":"a"}}],"error":{"message":"boom"}})";
  EXPECT_EQ(check_against_full_parse({call, call, error, error}, parser), 0u);
}

TEST(StreamChunkParserTest, AChunkWithoutAShapeKeepsTheLastShape) {
  StreamChunkParser parser;
  std::vector<std::string> chunks = {chunk(R"("a")"), chunk(R"("\u00e9")"), R"({"not":"a chunk"})", "[1,2]",
                                     chunk(R"("b")")};
  EXPECT_EQ(check_against_full_parse(chunks, parser), 1u);
}

TEST(StreamChunkParserTest, TwoChoicesAreNeverRepeated) {
  StreamChunkParser parser;
  std::string two_a = R"({"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"x"}}]})";
  std::string two_b = R"({"choices":[{"index":0,"delta":{"content":"b"}},{"index":1,"delta":{"content":"x"}}]})";
  EXPECT_EQ(check_against_full_parse({two_a, two_b}, parser), 0u);
}

TEST(StreamChunkParserTest, InterleavedStreamsOnOneParserStayCorrect) {
  StreamChunkParser parser;  // one per driving thread serves every stream it drives
  std::vector<std::string> chunks;
  for (int i = 0; i < 20; ++i) {
    chunks.push_back(chunk("\"a" + std::to_string(i) + "\"", "stream-a"));
    chunks.push_back(chunk("\"b" + std::to_string(i) + "\"", i % 3 == 0 ? "stream-b" : "stream-a"));
  }
  EXPECT_GT(check_against_full_parse(chunks, parser), 0u);
}

TEST(StreamChunkParserTest, TruncatedAndTrailingBytesFailLikeTheFullParse) {
  StreamChunkParser parser;
  std::string good = chunk(R"("a")");
  std::vector<std::string> chunks = {good, good.substr(0, good.size() - 1), good, good + "x", good + " {}",
                                     good.substr(0, 40)};
  check_against_full_parse(chunks, parser);
}

// Every streamed chat completion recorded from real providers, chunk by chunk.
TEST(StreamChunkParserTest, RecordedStreamsAgreeWithTheFullParse) {
  std::ifstream in(std::string(HFI_FIXTURES_DIR) + "/hfjs-tapes/interactions.ndjson", std::ios::binary);
  ASSERT_TRUE(in) << "fixture file missing";
  std::string line;
  size_t streams = 0;
  uint64_t repeats = 0;
  while (std::getline(in, line)) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (!record.is_object() || !record.value("is_stream", false) || !record["response_body"].is_string()) continue;
    std::vector<std::string> payloads;
    std::string body = record["response_body"].get<std::string>();
    size_t at = 0;
    while (at < body.size()) {
      size_t end = body.find('\n', at);
      if (end == std::string::npos) end = body.size();
      std::string_view l(body.data() + at, end - at);
      if (l.substr(0, 6) == "data: " && l != "data: [DONE]") payloads.emplace_back(l.substr(6));
      at = end + 1;
    }
    if (payloads.empty()) continue;
    ++streams;
    StreamChunkParser parser;
    SCOPED_TRACE(record.value("provider", "") + " #" + std::to_string(record.value("ordinal", -1)));
    repeats += check_against_full_parse(payloads, parser);
  }
  EXPECT_GE(streams, 20u);
  EXPECT_GT(repeats, 0u);  // real streams do repeat their framing
}

}  // namespace
}  // namespace hfi::json

namespace hfi::json {
namespace {

// ChatCall stops asking for id and model once it has them; one parser serves every stream of its
// thread, so a shape learnt without them must not answer a stream that still needs them.
TEST(StreamChunkParserTest, AShapeLearntWithoutIdentityDoesNotAnswerACallThatWantsIt) {
  StreamChunkParser parser;
  ParseOptions without;
  without.identity = false;
  ChunkView out;
  std::string a = chunk(R"("a")"), b = chunk(R"("b")"), c = chunk(R"("c")");
  ASSERT_TRUE(parser.parse(a, /*padded=*/false, out, without));
  EXPECT_EQ(out.id, "");
  ASSERT_TRUE(parser.parse(b, /*padded=*/false, out));
  EXPECT_EQ(parser.repeats(), 0u);
  EXPECT_EQ(out.id, "chatcmpl-1");
  EXPECT_EQ(out.model, "m");
  EXPECT_EQ(out.choices.at(0).content, "b");
  // A shape learnt with identity answers both, leaving id, model and object out when not asked for.
  ASSERT_TRUE(parser.parse(c, /*padded=*/false, out, without));
  EXPECT_EQ(parser.repeats(), 1u);
  EXPECT_EQ(out.id, "");
  EXPECT_EQ(out.object, "");
  EXPECT_EQ(out.choices.at(0).content, "c");
  ASSERT_TRUE(parser.parse(a, /*padded=*/false, out));
  EXPECT_EQ(parser.repeats(), 2u);
  EXPECT_EQ(out.id, "chatcmpl-1");
  EXPECT_EQ(out.object, "chat.completion.chunk");
}

}  // namespace
}  // namespace hfi::json
