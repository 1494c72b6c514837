// Unit tests for the byte-level SSE parser (src/protocol/sse.h).
//
// Most tests feed the parser through exactly sized heap copies of each chunk, so that ASan reports any
// read past the end of a feed buffer. Every recorded event is also checked for its kPadding promise.
#include "protocol/sse.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <memory>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace hfi::sse {
namespace {

using namespace std::string_literals;

struct Recorded {
  std::string type;
  std::string data;
  std::string id;
  bool operator==(const Recorded& other) const {
    return type == other.type && data == other.data && id == other.id;
  }
};

// Everything observable about one parse: what the sink saw and how the stream ended.
struct ParseResult {
  std::vector<Recorded> events;
  std::vector<std::string> comments;
  std::vector<uint64_t> retries;
  bool finish_discarded = false;
  bool operator==(const ParseResult& other) const {
    return events == other.events && comments == other.comments && retries == other.retries &&
           finish_discarded == other.finish_discarded;
  }
};

std::string escaped(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void PrintTo(const Recorded& ev, std::ostream* os) {
  *os << "{type=\"" << escaped(ev.type) << "\", data=\"" << escaped(ev.data) << "\", id=\"" << escaped(ev.id)
      << "\"}";
}

void PrintTo(const ParseResult& r, std::ostream* os) {
  *os << "events:";
  for (const auto& ev : r.events) {
    *os << " ";
    PrintTo(ev, os);
  }
  *os << " comments:";
  for (const auto& c : r.comments) *os << " \"" << escaped(c) << "\"";
  *os << " retries:";
  for (auto ms : r.retries) *os << " " << ms;
  *os << " finish_discarded=" << r.finish_discarded;
}

Recorded message(std::string data, std::string id = "") { return {"message", std::move(data), std::move(id)}; }

class RecordingSink : public Sink {
 public:
  ParseResult result;
  size_t stop_after_events = std::numeric_limits<size_t>::max();
  const Parser* parser = nullptr;  // when set, the padding is also checked against the buffer capacity
  bool padding_ok = true;
  size_t unpadded = 0;  // events handed over as views into the fed bytes

  bool on_event(const Event& ev) override {
    if (ev.padded) {
      // Reads the promised padding; under ASan this copy faults if fewer than kPadding bytes follow.
      char tail[kPadding];
      std::memcpy(tail, ev.data.data() + ev.data.size(), kPadding);
      for (char c : tail) padding_ok = padding_ok && c == 0;
      if (parser != nullptr) padding_ok = padding_ok && ev.data.size() + kPadding <= parser->data_buffer_capacity();
    } else {
      ++unpadded;
    }
    result.events.push_back({std::string(ev.type), std::string(ev.data), std::string(ev.id)});
    return result.events.size() < stop_after_events;
  }
  void on_comment(std::string_view text) override { result.comments.emplace_back(text); }
  void on_retry(uint64_t ms) override { result.retries.push_back(ms); }
};

// Feeds a private, exactly sized copy of `chunk`, so reading past its end is an ASan error.
FeedStatus feed_exact(Parser& parser, std::string_view chunk, Sink& sink) {
  if (chunk.empty()) return parser.feed(nullptr, 0, sink);
  std::unique_ptr<char[]> copy(new char[chunk.size()]);
  std::memcpy(copy.get(), chunk.data(), chunk.size());
  return parser.feed(copy.get(), chunk.size(), sink);
}

ParseResult parse_chunks(const std::vector<std::string_view>& chunks) {
  Parser parser;
  RecordingSink sink;
  for (auto chunk : chunks) EXPECT_EQ(feed_exact(parser, chunk, sink), FeedStatus::ok);
  EXPECT_TRUE(sink.padding_ok);
  sink.result.finish_discarded = parser.finish();
  return sink.result;
}

ParseResult parse_whole(std::string_view stream) { return parse_chunks({stream}); }

ParseResult parse_split(std::string_view stream, size_t at) {
  return parse_chunks({stream.substr(0, at), stream.substr(at)});
}

ParseResult parse_bytewise(std::string_view stream) {
  std::vector<std::string_view> chunks;
  for (size_t i = 0; i < stream.size(); ++i) chunks.push_back(stream.substr(i, 1));
  return parse_chunks(chunks);
}

ParseResult parse_random_chunks(std::string_view stream, std::mt19937& rng, size_t max_chunk) {
  std::uniform_int_distribution<size_t> chunk_size(0, max_chunk);  // 0 exercises empty feeds too
  std::vector<std::string_view> chunks;
  for (size_t pos = 0; pos < stream.size();) {
    size_t n = std::min(chunk_size(rng), stream.size() - pos);
    chunks.push_back(stream.substr(pos, n));
    pos += n;
  }
  return parse_chunks(chunks);
}

// A deliberately naive reading of the WHATWG algorithm (whole input, split into lines first), written
// independently of the parser so that differential tests compare two implementations.
ParseResult reference_parse(std::string_view stream) {
  ParseResult result;
  if (stream.substr(0, 3) == "\xEF\xBB\xBF") stream.remove_prefix(3);
  std::string data;
  std::string type;
  std::string id;
  size_t pos = 0;
  bool partial_line = false;
  while (pos < stream.size()) {
    size_t eol = stream.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) {
      partial_line = true;
      break;
    }
    std::string line(stream.substr(pos, eol - pos));
    pos = eol + 1;
    if (stream[eol] == '\r' && pos < stream.size() && stream[pos] == '\n') ++pos;

    if (line.empty()) {
      if (!data.empty()) {
        data.pop_back();
        result.events.push_back({type.empty() ? "message" : type, data, id});
      }
      data.clear();
      type.clear();
      continue;
    }
    if (line[0] == ':') {
      result.comments.push_back(line.substr(1));
      continue;
    }
    std::string field = line;
    std::string value;
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      field = line.substr(0, colon);
      value = line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    }
    if (field == "data") {
      data += value + "\n";
    } else if (field == "event") {
      type = value;
    } else if (field == "id") {
      if (value.find('\0') == std::string::npos) id = value;
    } else if (field == "retry") {
      bool digits = !value.empty();
      for (char c : value) digits = digits && c >= '0' && c <= '9';
      if (digits) {
        uint64_t ms = std::numeric_limits<uint64_t>::max();  // the parser saturates; so does this
        if (value.size() <= 20) {
          try {
            ms = std::stoull(value);
          } catch (const std::out_of_range&) {
          }
        }
        result.retries.push_back(ms);
      }
    }
  }
  result.finish_discarded = partial_line || !data.empty() || !type.empty();
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Line ends

TEST(SseLineEnds, Lf) {
  auto r = parse_whole("data: a\ndata: b\n\ndata: c\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb"), message("c")}));
  EXPECT_FALSE(r.finish_discarded);
}

TEST(SseLineEnds, Cr) {
  auto r = parse_whole("data: a\rdata: b\r\rdata: c\r\r");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb"), message("c")}));
  EXPECT_FALSE(r.finish_discarded);
}

TEST(SseLineEnds, CrLf) {
  auto r = parse_whole("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb"), message("c")}));
  EXPECT_FALSE(r.finish_discarded);
}

TEST(SseLineEnds, MixedInOneEvent) {
  auto r = parse_whole("data: a\r\ndata: b\rdata: c\ndata: d\r\n\r");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb\nc\nd")}));
}

TEST(SseLineEnds, LfThenCrIsTwoLineEnds) {
  // Only CR followed by LF pairs up; LF followed by CR is an empty line, which dispatches.
  auto r = parse_whole("data: a\n\rdata: b\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a"), message("b")}));
}

TEST(SseLineEnds, CrCrLfIsLineEndThenBlankLine) {
  auto r = parse_whole("data: a\r\r\ndata: b\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a"), message("b")}));
}

TEST(SseLineEnds, CrLfSplitAcrossFeedsIsOneLineEnd) {
  // If the LF opening the second feed counted as a line end of its own, it would be a blank line and
  // "a" would be dispatched on its own.
  auto r = parse_chunks({"data: a\r", "\ndata: b\r\n\r\n"});
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb")}));
}

TEST(SseLineEnds, CrLfSplitAcrossFeedsWithEmptyFeedBetween) {
  auto r = parse_chunks({"data: a\r", "", "\ndata: b\n\n"});
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb")}));
}

TEST(SseLineEnds, CrAtEndOfFeedFollowedByOtherByte) {
  auto r = parse_chunks({"data: a\r", "data: b\n\n"});
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb")}));
}

TEST(SseLineEnds, CrAtEndOfFeedFollowedByCr) {
  auto r = parse_chunks({"data: a\r", "\r", "data: b\r", "\r\n"});
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a"), message("b")}));
}

TEST(SseLineEnds, BlankLineDispatchesWithoutWaitingForTheByteAfterCr) {
  // Latency: a CR-terminated blank line dispatches at once, before the feed that may hold its LF.
  Parser parser;
  RecordingSink sink;
  ASSERT_EQ(feed_exact(parser, "data: a\r\n\r", sink), FeedStatus::ok);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("a")}));
  ASSERT_EQ(feed_exact(parser, "\ndata: b\n\n", sink), FeedStatus::ok);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("a"), message("b")}));
  EXPECT_FALSE(parser.finish());
}

TEST(SseLineEnds, UnicodeLineSeparatorsAreNotLineEnds) {
  // U+2028, U+2029, NEL, form feed and vertical tab are data bytes, not line ends.
  std::string data = "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xC2\x85" "d\f\ve";
  auto r = parse_whole("data: " + data + "\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message(data)}));
}

// ---------------------------------------------------------------------------------------------------
// Byte order mark

TEST(SseBom, LeadingBomIgnored) {
  auto r = parse_whole("\xEF\xBB\xBF" "data: a\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a")}));
}

TEST(SseBom, LeadingBomSplitAtEveryPointIgnored) {
  const std::string stream = "\xEF\xBB\xBF" "data: a\n\n";
  for (size_t at = 0; at <= 4; ++at) {
    SCOPED_TRACE("split at " + std::to_string(at));
    EXPECT_EQ(parse_split(stream, at).events, (std::vector<Recorded>{message("a")}));
  }
  EXPECT_EQ(parse_bytewise(stream).events, (std::vector<Recorded>{message("a")}));
  EXPECT_EQ(parse_chunks({"\xEF", "", "\xBB", "", "\xBF", "data: a\n\n"}).events,
            (std::vector<Recorded>{message("a")}));
}

TEST(SseBom, SecondBomIsNotStripped) {
  // The second BOM becomes part of the field name, which is then an unknown field.
  auto r = parse_whole("\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("b")}));
  EXPECT_EQ(parse_bytewise("\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n"), r);
}

TEST(SseBom, BomOnLaterLineIsNotStripped) {
  auto r = parse_whole("data: a\n\n\xEF\xBB\xBF" "data: b\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a")}));
}

TEST(SseBom, BomInsideValueIsKept) {
  auto r = parse_whole("data: \xEF\xBB\xBFx\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("\xEF\xBB\xBFx")}));
}

TEST(SseBom, BomPrefixThatIsNotABomStaysInTheLine) {
  // "EF BB" then 'd' is not a BOM, so those bytes start the field name and the line is ignored.
  const std::string stream = "\xEF\xBB" "data: a\n\ndata: b\n\n";
  for (size_t at = 0; at <= stream.size(); ++at) {
    SCOPED_TRACE("split at " + std::to_string(at));
    EXPECT_EQ(parse_split(stream, at).events, (std::vector<Recorded>{message("b")}));
  }
}

TEST(SseBom, BomPrefixFollowedByLineEndIsAnIgnoredLine) {
  EXPECT_EQ(parse_chunks({"\xEF", "\ndata: a\n\n"}).events, (std::vector<Recorded>{message("a")}));
  EXPECT_EQ(parse_chunks({"\xEF\xBB", "\rdata: a\r\r"}).events, (std::vector<Recorded>{message("a")}));
}

TEST(SseBom, BomOnlyStreamIsClean) {
  EXPECT_FALSE(parse_whole("\xEF\xBB\xBF").finish_discarded);
}

TEST(SseBom, PartialBomAtEndOfStreamIsDiscarded) {
  EXPECT_TRUE(parse_whole("\xEF\xBB").finish_discarded);
  EXPECT_TRUE(parse_chunks({"\xEF", "\xBB"}).finish_discarded);
}

TEST(SseBom, ResetRearmsTheBomCheck) {
  Parser parser;
  RecordingSink sink;
  feed_exact(parser, "\xEF\xBB\xBF" "data: a\n\n", sink);
  parser.reset();
  feed_exact(parser, "\xEF\xBB\xBF" "data: b\n\n", sink);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("a"), message("b")}));
}

// ---------------------------------------------------------------------------------------------------
// Comments

TEST(SseComments, DeliveredWithTextAfterColon) {
  auto r = parse_whole(": OPENROUTER PROCESSING\n:\n:keep-alive\n\n");
  EXPECT_EQ(r.comments, (std::vector<std::string>{" OPENROUTER PROCESSING", "", "keep-alive"}));
  EXPECT_TRUE(r.events.empty());
  EXPECT_FALSE(r.finish_discarded);
}

TEST(SseComments, DoNotInterruptAnEvent) {
  auto r = parse_whole("data: a\n: ping\ndata: b\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb")}));
  EXPECT_EQ(r.comments, (std::vector<std::string>{" ping"}));
}

TEST(SseComments, DefaultSinkIgnoresComments) {
  struct EventsOnly : Sink {
    int events = 0;
    bool on_event(const Event&) override {
      ++events;
      return true;
    }
  } sink;
  Parser parser;
  EXPECT_EQ(parser.feed(": x\nretry: 5\ndata: a\n\n", 22, sink), FeedStatus::ok);
  EXPECT_EQ(sink.events, 1);
}

TEST(SseComments, CommentSplitAcrossFeedsIsDeliveredWhole) {
  auto r = parse_chunks({": keep", "-al", "ive\r", "\n"});
  EXPECT_EQ(r.comments, (std::vector<std::string>{" keep-alive"}));
}

// ---------------------------------------------------------------------------------------------------
// Field and value syntax

TEST(SseFields, DataWithoutSpace) {
  EXPECT_EQ(parse_whole("data:{\"a\":1}\n\n").events, (std::vector<Recorded>{message("{\"a\":1}")}));
}

TEST(SseFields, DataWithTwoSpacesLosesOnlyOne) {
  EXPECT_EQ(parse_whole("data:  x\n\n").events, (std::vector<Recorded>{message(" x")}));
}

TEST(SseFields, TabIsNotStripped) {
  EXPECT_EQ(parse_whole("data:\tx\n\n").events, (std::vector<Recorded>{message("\tx")}));
}

TEST(SseFields, TrailingSpacesAreKept) {
  EXPECT_EQ(parse_whole("data: x  \n\n").events, (std::vector<Recorded>{message("x  ")}));
}

TEST(SseFields, ValueMayContainColons) {
  EXPECT_EQ(parse_whole("data: a:b: c\n\n").events, (std::vector<Recorded>{message("a:b: c")}));
}

TEST(SseFields, MultiLineDataJoinedWithLf) {
  EXPECT_EQ(parse_whole("data: line one\ndata: line two\ndata: three\n\n").events,
            (std::vector<Recorded>{message("line one\nline two\nthree")}));
}

TEST(SseFields, DataWithoutColonAppendsEmptyLine) {
  EXPECT_EQ(parse_whole("data\ndata\n\n").events, (std::vector<Recorded>{message("\n")}));
}

TEST(SseFields, DataWithEmptyValueDispatchesEmptyEvent) {
  // The data buffer holds "\n", which is not empty, so an event with empty data is dispatched.
  EXPECT_EQ(parse_whole("data:\n\n").events, (std::vector<Recorded>{message("")}));
  EXPECT_EQ(parse_whole("data: \n\n").events, (std::vector<Recorded>{message("")}));
}

TEST(SseFields, BlankLineWithoutDataDispatchesNothing) {
  auto r = parse_whole("\n\n\r\n\revent: foo\n\nid: 1\n\n");
  EXPECT_TRUE(r.events.empty());
  EXPECT_FALSE(r.finish_discarded);
}

TEST(SseFields, UnknownFieldsIgnored) {
  auto r = parse_whole("foo: bar\nDATA: x\nData: y\n data: z\ndata\t: w\nretries: 5\n\ndata: real\nxyz\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("real")}));
  EXPECT_TRUE(r.retries.empty());
}

TEST(SseFields, DataWithSpaceBeforeColonIsADifferentField) {
  EXPECT_TRUE(parse_whole("data :x\n\n").events.empty());
  EXPECT_TRUE(parse_whole("data : x\n\n").events.empty());
  EXPECT_EQ(parse_whole("data :x\ndata: y\n\n").events, (std::vector<Recorded>{message("y")}));
}

TEST(SseFields, BytesPassThroughWithoutUtf8Validation) {
  std::string data = "\xFF\xFE\xC3(\xE2\x82 \x80\x00\x01 \xF0\x9F\x98\x80"s;
  EXPECT_EQ(parse_whole("data: " + data + "\n\n").events, (std::vector<Recorded>{message(data)}));
}

// ---------------------------------------------------------------------------------------------------
// Event type

TEST(SseEventType, DefaultIsMessage) {
  EXPECT_EQ(parse_whole("data: x\n\n").events.at(0).type, "message");
}

TEST(SseEventType, NamedEvent) {
  auto r = parse_whole("event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{{"error", "{\"error\":{\"message\":\"overloaded\"}}", ""}}));
}

TEST(SseEventType, ResetAfterDispatch) {
  auto r = parse_whole("event: foo\ndata: 1\n\ndata: 2\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{{"foo", "1", ""}, message("2")}));
}

TEST(SseEventType, ResetByBlankLineEvenWithoutData) {
  auto r = parse_whole("event: foo\n\ndata: x\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("x")}));
}

TEST(SseEventType, LastEventFieldWins) {
  EXPECT_EQ(parse_whole("event: a\nevent: b\ndata: x\n\n").events, (std::vector<Recorded>{{"b", "x", ""}}));
}

TEST(SseEventType, EmptyValueMeansMessage) {
  EXPECT_EQ(parse_whole("event: foo\nevent:\ndata: x\n\n").events.at(0).type, "message");
  EXPECT_EQ(parse_whole("event: foo\nevent\ndata: x\n\n").events.at(0).type, "message");
}

// ---------------------------------------------------------------------------------------------------
// Last event id

TEST(SseId, PersistsAcrossEvents) {
  auto r = parse_whole("id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a", "1"), message("b", "1"), message("c", "2")}));
}

TEST(SseId, SetAfterDataStillAppliesToThatEvent) {
  EXPECT_EQ(parse_whole("data: a\nid: 9\n\n").events, (std::vector<Recorded>{message("a", "9")}));
}

TEST(SseId, SetInEventWithoutDataPersists) {
  EXPECT_EQ(parse_whole("id: 7\n\ndata: a\n\n").events, (std::vector<Recorded>{message("a", "7")}));
}

TEST(SseId, EmptyValueResets) {
  auto r = parse_whole("id: 1\ndata: a\n\nid:\ndata: b\n\nid: 3\ndata: c\n\nid\ndata: d\n\n");
  EXPECT_EQ(r.events,
            (std::vector<Recorded>{message("a", "1"), message("b", ""), message("c", "3"), message("d", "")}));
}

TEST(SseId, ValueWithNulIgnored) {
  auto r = parse_whole("id: good\ndata: a\n\nid: b\0d\ndata: b\n\nid: \0\ndata: c\n\n"s);
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a", "good"), message("b", "good"), message("c", "good")}));
}

TEST(SseId, NulElsewhereIsPlainData) {
  EXPECT_EQ(parse_whole("data: a\0b\n\n"s).events, (std::vector<Recorded>{message("a\0b"s)}));
}

TEST(SseId, ValueKeepsSpacesAfterTheFirst) {
  EXPECT_EQ(parse_whole("id:  x \ndata: a\n\n").events, (std::vector<Recorded>{message("a", " x ")}));
}

TEST(SseId, ResetClearsTheId) {
  Parser parser;
  RecordingSink sink;
  feed_exact(parser, "id: 1\ndata: a\n\n", sink);
  parser.reset();
  feed_exact(parser, "data: b\n\n", sink);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("a", "1"), message("b", "")}));
}

// ---------------------------------------------------------------------------------------------------
// Retry

TEST(SseRetry, DigitsReported) {
  EXPECT_EQ(parse_whole("retry: 1000\nretry:0\nretry: 007\n").retries, (std::vector<uint64_t>{1000, 0, 7}));
}

TEST(SseRetry, NonDigitsIgnored) {
  auto r = parse_whole(
      "retry: one thousand\nretry: 10a\nretry: -5\nretry: +5\nretry:\nretry\nretry:  5\nretry: 5 \n"
      "retry: 1.5\nretry: 1e3\nretry: \xD9\xA1\n");
  EXPECT_TRUE(r.retries.empty());
}

TEST(SseRetry, DoesNotDisturbTheEvent) {
  auto r = parse_whole("data: a\nretry: 5\ndata: b\n\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a\nb")}));
  EXPECT_EQ(r.retries, (std::vector<uint64_t>{5}));
  EXPECT_FALSE(parse_whole("retry: 5\n").finish_discarded);
}

TEST(SseRetry, HugeValuesSaturate) {
  auto r = parse_whole("retry: 18446744073709551614\nretry: 18446744073709551615\nretry: 18446744073709551616\n"
                       "retry: 99999999999999999999999999\n");
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(r.retries, (std::vector<uint64_t>{kMax - 1, kMax, kMax, kMax}));
}

// ---------------------------------------------------------------------------------------------------
// End of stream

TEST(SseFinish, DataWithoutBlankLineIsDiscarded) {
  auto r = parse_whole("data: a\n\ndata: b\n");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a")}));
  EXPECT_TRUE(r.finish_discarded);
}

TEST(SseFinish, PartialLineIsDiscarded) {
  auto r = parse_whole("data: a\n\ndata: b");
  EXPECT_EQ(r.events, (std::vector<Recorded>{message("a")}));
  EXPECT_TRUE(r.finish_discarded);
  EXPECT_TRUE(parse_whole(":partial comment").finish_discarded);
}

TEST(SseFinish, PendingEventTypeCountsAsCutMidEvent) {
  EXPECT_TRUE(parse_whole("event: error\n").finish_discarded);
}

TEST(SseFinish, CleanBoundaries) {
  EXPECT_FALSE(parse_whole("").finish_discarded);
  EXPECT_FALSE(parse_whole("data: a\n\n").finish_discarded);
  EXPECT_FALSE(parse_whole("data: a\r\n\r\n").finish_discarded);
  EXPECT_FALSE(parse_whole("data: a\n\n: keep-alive\n").finish_discarded);
  EXPECT_FALSE(parse_whole("data: a\n\nid: 4\n").finish_discarded);
  EXPECT_FALSE(parse_whole("data: a\r\r").finish_discarded);  // the LF that may follow is not pending data
}

TEST(SseFinish, DiscardedDataDoesNotLeakIntoLaterStream) {
  Parser parser;
  RecordingSink sink;
  feed_exact(parser, "event: x\ndata: stale\ndata: part", sink);
  EXPECT_TRUE(parser.finish());
  EXPECT_FALSE(parser.finish());
  feed_exact(parser, "data: fresh\n\n", sink);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("fresh")}));
}

TEST(SseFinish, EmptyFeedsAreHarmless) {
  Parser parser;
  RecordingSink sink;
  EXPECT_EQ(parser.feed(nullptr, 0, sink), FeedStatus::ok);
  EXPECT_EQ(feed_exact(parser, "data: a\n", sink), FeedStatus::ok);
  EXPECT_EQ(parser.feed(nullptr, 0, sink), FeedStatus::ok);
  EXPECT_EQ(feed_exact(parser, "\n", sink), FeedStatus::ok);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("a")}));
  EXPECT_FALSE(parser.finish());
}

// ---------------------------------------------------------------------------------------------------
// A WebKit-LayoutTests-style canonical vector, written for hfi, covering the same spec corners.

TEST(SseCanonical, WebKitStyleVector) {
  const std::vector<std::string_view> chunks = {
      "\xEF\xBB\xBF: a comment\n",
      ":another comment\r\n",
      "data : x\n\n",             // "data " is another field name: ignored, and nothing to dispatch
      "data\ndata:\ndata\n\n",    // three empty data lines: "\n\n\n" minus the last LF
      "id: 1\ndata: first\n\n",
      "data: second\n\n",         // id persists
      "id\ndata: third\n\n",      // bare id resets it
      "retry: one thousand\n",    // ignored
      "retry: 1000\n",
      "data: crlf\r\n\r\n",
      "data: cr\r\r",
      "da",                       // field name split across feeds
      "ta: split\n\n",
  };
  const std::vector<Recorded> expected = {message("\n\n"),    message("first", "1"), message("second", "1"),
                                          message("third"),  message("crlf"),       message("cr"),
                                          message("split")};
  auto r = parse_chunks(chunks);
  EXPECT_EQ(r.events, expected);
  EXPECT_EQ(r.comments, (std::vector<std::string>{" a comment", "another comment"}));
  EXPECT_EQ(r.retries, (std::vector<uint64_t>{1000}));
  EXPECT_FALSE(r.finish_discarded);

  std::string whole;
  for (auto chunk : chunks) whole += chunk;
  EXPECT_EQ(parse_whole(whole), r);
  EXPECT_EQ(parse_bytewise(whole), r);
  EXPECT_EQ(reference_parse(whole), r);
}

// ---------------------------------------------------------------------------------------------------
// Chunking independence

struct Representative {
  const char* name;
  std::string stream;
  ParseResult expected;
};

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

std::vector<Representative> representative_streams() {
  const std::string c1 =
      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})";
  const std::string c2 =
      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello \u00e9\n"},"finish_reason":null}]})";
  const std::string c3 =
      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})";
  const std::string openai =
      "data: " + c1 + "\n\ndata: " + c2 + "\n\ndata: " + c3 + "\n\ndata: [DONE]\n\n";
  ParseResult openai_expected;
  openai_expected.events = {message(c1), message(c2), message(c3), message("[DONE]")};

  // TGI (axum) writes "data:" without the space; shape as recorded from the HF router.
  const std::string t1 = R"({"token":{"id":80,"text":"one","logprob":-0.75,"special":false},"generated_text":null,"details":null})";
  const std::string t2 = R"({"token":{"id":1,"text":"</s>","logprob":-0.03,"special":true},"generated_text":"one","details":null})";
  ParseResult tgi_expected;
  tgi_expected.events = {message(t1), message(t2)};

  const std::string err = R"({"error":{"message":"Overloaded","type":"overloaded_error","code":529}})";
  ParseResult error_expected;
  error_expected.events = {message(c1), {"error", err, ""}, message("[DONE]")};

  ParseResult multi_expected;
  multi_expected.events = {{"update", "{\n\"a\": 1\n}", "42"}, message("second", "42"), message("\n", "")};
  multi_expected.comments = {" keep-alive", ""};
  multi_expected.retries = {2500};

  ParseResult truncated_expected;
  truncated_expected.events = {message(c1)};
  truncated_expected.finish_discarded = true;

  const std::string multi =
      ": keep-alive\nevent: update\nid: 42\ndata: {\ndata: \"a\": 1\ndata: }\n\nretry: 2500\n:\n"
      "data: second\n\nid\ndata\ndata\n\n";

  return {
      {"openai_lf", openai, openai_expected},
      {"openai_crlf", replace_all(openai, "\n", "\r\n"), openai_expected},
      {"openai_cr", replace_all(openai, "\n", "\r"), openai_expected},
      {"openai_bom", "\xEF\xBB\xBF" + openai, openai_expected},
      {"tgi_no_space", "data:" + t1 + "\n\ndata:" + t2 + "\n\n", tgi_expected},
      {"error_event", "data: " + c1 + "\n\nevent: error\ndata: " + err + "\n\ndata: [DONE]\n\n", error_expected},
      {"error_event_crlf",
       "data: " + c1 + "\r\n\r\nevent: error\r\ndata: " + err + "\r\n\r\ndata: [DONE]\r\n\r\n", error_expected},
      {"multi_line_fields", multi, multi_expected},
      {"multi_line_fields_mixed_ends", replace_all(replace_all(multi, "\n\n", "\r\n\r"), "id: 42\n", "id: 42\r"),
       multi_expected},
      {"truncated", "data: " + c1 + "\n\ndata: " + c2.substr(0, 40), truncated_expected},
  };
}

TEST(SseChunking, RepresentativeStreamsOneShotMatchExpected) {
  for (const auto& rep : representative_streams()) {
    SCOPED_TRACE(rep.name);
    EXPECT_EQ(parse_whole(rep.stream), rep.expected);
    EXPECT_EQ(reference_parse(rep.stream), rep.expected);
  }
}

TEST(SseChunking, EverySplitPointMatchesOneShot) {
  for (const auto& rep : representative_streams()) {
    SCOPED_TRACE(rep.name);
    const ParseResult one_shot = parse_whole(rep.stream);
    for (size_t at = 0; at <= rep.stream.size(); ++at) {
      const ParseResult split = parse_split(rep.stream, at);
      EXPECT_EQ(split, one_shot) << "split at " << at;
      if (!(split == one_shot)) break;  // one report per stream is enough
    }
  }
}

TEST(SseChunking, ByteByByteMatchesOneShot) {
  for (const auto& rep : representative_streams()) {
    SCOPED_TRACE(rep.name);
    EXPECT_EQ(parse_bytewise(rep.stream), parse_whole(rep.stream));
  }
}

TEST(SseChunking, EveryPairOfSplitPointsMatchesOneShot) {
  // Three feeds catch state that only goes wrong when a line spans a whole feed (e.g. "\r" alone).
  const std::string stream = "data: a\r\ndata:b\r\r\n: c\revent: e\ndata\r\n\r\n";
  const ParseResult one_shot = parse_whole(stream);
  for (size_t i = 0; i <= stream.size(); ++i) {
    for (size_t j = i; j <= stream.size(); ++j) {
      const ParseResult r = parse_chunks({std::string_view(stream).substr(0, i),
                                          std::string_view(stream).substr(i, j - i),
                                          std::string_view(stream).substr(j)});
      ASSERT_EQ(r, one_shot) << "splits at " << i << " and " << j;
    }
  }
}

std::string long_mixed_stream() {
  std::string stream = "\xEF\xBB\xBF";
  const char* const endings[] = {"\n", "\r\n", "\r"};
  for (int i = 0; i < 600; ++i) {
    const char* eol = endings[i % 3];
    if (i % 7 == 0) stream += std::string(": ping ") + std::to_string(i) + eol;
    if (i % 11 == 0) stream += std::string("event: kind") + std::to_string(i) + eol;
    if (i % 13 == 0) stream += std::string("id: ") + std::to_string(i) + eol;
    if (i % 17 == 0) stream += std::string("retry: ") + std::to_string(i * 10) + eol;
    stream += std::string(i % 2 ? "data:" : "data: ") + "{\"n\":" + std::to_string(i) + ",\"s\":\"" +
              std::string(static_cast<size_t>(i % 50), 'x') + "\"}" + eol;
    if (i % 5 == 0) stream += std::string("data") + eol;
    stream += eol;
  }
  return stream + "data: [DONE]\n\n";
}

TEST(SseChunking, RandomChunkingMatchesOneShot) {
  const std::string stream = long_mixed_stream();
  const ParseResult one_shot = parse_whole(stream);
  ASSERT_EQ(one_shot.events.size(), 601u);
  EXPECT_EQ(one_shot, reference_parse(stream));
  std::mt19937 rng(20240611);
  for (size_t max_chunk : {1, 2, 3, 5, 8, 64, 300, 4096, 16384}) {
    for (int round = 0; round < 4; ++round) {
      EXPECT_EQ(parse_random_chunks(stream, rng, max_chunk), one_shot) << "max chunk " << max_chunk;
    }
  }
}

TEST(SseChunking, RandomStreamsMatchReferenceParser) {
  // Streams built from the tokens where SSE parsers tend to go wrong, parsed whole, at every split
  // point and in random chunks, and compared with the naive reference reading of the spec.
  const std::vector<std::string> tokens = {
      "data",  "data:", "data: ", "data :", "event", "event:", "event: ", "id", "id:", "id: ", "retry:",
      "retry: ", "12", "x", " ", ":", "\r", "\n", "\r\n", "\n\n", "\r\r", "\xEF\xBB\xBF", "\xEF", "\xBB",
      std::string(1, '\0'), "\xC3\xA9", "{\"a\":[1,2]}", "[DONE]", "error", "message"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, tokens.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  for (int round = 0; round < 1500; ++round) {
    std::string stream;
    if (round % 4 == 0) stream = "\xEF\xBB\xBF";
    for (int i = length(rng); i > 0; --i) stream += tokens[pick(rng)];
    const ParseResult one_shot = parse_whole(stream);
    ASSERT_EQ(one_shot, reference_parse(stream)) << "stream \"" << escaped(stream) << "\"";
    for (size_t at = 0; at <= stream.size(); ++at) {
      ASSERT_EQ(parse_split(stream, at), one_shot) << "stream \"" << escaped(stream) << "\" split at " << at;
    }
    ASSERT_EQ(parse_random_chunks(stream, rng, 4), one_shot) << "stream \"" << escaped(stream) << "\"";
  }
}

// ---------------------------------------------------------------------------------------------------
// Padding promise

TEST(SsePadding, EveryEventHasZeroedPaddingInsideTheBuffer) {
  Parser parser;
  RecordingSink sink;
  sink.parser = &parser;
  std::string stream;
  for (size_t n = 0; n < 2100; n += 7) stream += "data: " + std::string(n, 'a') + "\n\n";
  stream += "data\n\n";                       // empty data
  stream += "data: " + std::string(1 << 20, 'b') + "\n\n";  // forces regrowth of the data buffer
  stream += "data: tiny\n\n";                 // a small event in a big, previously used buffer
  std::mt19937 rng(3);
  std::uniform_int_distribution<size_t> chunk_size(1, 5000);
  for (size_t pos = 0; pos < stream.size();) {
    size_t n = std::min(chunk_size(rng), stream.size() - pos);
    ASSERT_EQ(feed_exact(parser, std::string_view(stream).substr(pos, n), sink), FeedStatus::ok);
    pos += n;
  }
  EXPECT_EQ(sink.result.events.size(), 300u + 1 + 1 + 1);
  EXPECT_TRUE(sink.padding_ok);
}

TEST(SsePadding, StaleBytesAfterAShorterEventAreZeroed) {
  // A long event leaves bytes behind in the buffer; the padding of the next, shorter one must not show them.
  auto r = parse_whole("data: " + std::string(500, 'z') + "\n\ndata: short\n\n");
  EXPECT_EQ(r.events.size(), 2u);  // the sink asserts the zeroed padding of each
}

// ---------------------------------------------------------------------------------------------------
// Linear work, measured by the parser's own counters (never by wall time)

TEST(SseLinear, OneMebibyteEventFedByteByByte) {
  const std::string payload(size_t{1} << 20, 'q');
  const std::string stream = "data: " + payload + "\n\n";
  Parser parser;
  RecordingSink sink;
  for (size_t i = 0; i < stream.size(); ++i) ASSERT_EQ(parser.feed(&stream[i], 1, sink), FeedStatus::ok);
  ASSERT_EQ(sink.result.events.size(), 1u);
  EXPECT_EQ(sink.result.events[0].data, payload);
  const ParserStats stats = parser.stats();
  // Into the line buffer once, doubling regrowth of it at most twice more, into the data buffer once.
  // A quadratic parser would copy about 5e11 bytes here.
  EXPECT_LE(stats.bytes_copied, 4 * stream.size() + 4096);
  EXPECT_LE(stats.bytes_scanned, 2 * stream.size());
  EXPECT_EQ(parser.bytes_seen(), stream.size());
}

TEST(SseLinear, OneMebibyteEventInSixteenKibReads) {
  const std::string stream = "data: " + std::string(size_t{1} << 20, 'q') + "\n\n";
  Parser parser;
  RecordingSink sink;
  for (size_t pos = 0; pos < stream.size(); pos += 16384) {
    ASSERT_EQ(parser.feed(stream.data() + pos, std::min<size_t>(16384, stream.size() - pos), sink), FeedStatus::ok);
  }
  ASSERT_EQ(sink.result.events.size(), 1u);
  EXPECT_LE(parser.stats().bytes_copied, 4 * stream.size() + 4096);
  EXPECT_LE(parser.stats().bytes_scanned, 2 * stream.size());
}

TEST(SseLinear, ManyLinesOfOneLineEndKindInOneFeed) {
  // A naive "memchr for CR, memchr for LF" re-scans the whole rest of the feed per line for the absent
  // character; the work counter must stay proportional to the input instead.
  for (const char* eol : {"\n", "\r"}) {
    std::string stream;
    for (int i = 0; i < 100000; ++i) stream += std::string("data: x") + eol + eol;
    Parser parser;
    RecordingSink sink;
    ASSERT_EQ(parser.feed(stream.data(), stream.size(), sink), FeedStatus::ok);
    EXPECT_EQ(sink.result.events.size(), 100000u);
    EXPECT_LE(parser.stats().bytes_scanned, 2 * stream.size());
  }
}

TEST(SseLinear, WholeLinesInOneFeedAreNotCopiedIntoTheLineBuffer) {
  Parser parser;
  RecordingSink sink;
  feed_exact(parser, ": c\nevent: e\nid: 1\ndata: abc\ndata: de\n\n", sink);
  ASSERT_EQ(sink.result.events.size(), 1u);
  EXPECT_EQ(parser.stats().bytes_copied, 7u);  // only "abc\n" + "de\n" into the data buffer

  Parser split_parser;
  feed_exact(split_parser, "data: a", sink);
  feed_exact(split_parser, "bc\n\n", sink);
  EXPECT_EQ(split_parser.stats().bytes_copied, 7u + 2u + 4u);  // partial line carried, then the data
}

TEST(SseLinear, OneLineEventsThatArriveWholeAreNotCopied) {
  Parser parser;
  RecordingSink sink;
  feed_exact(parser, "data: {\"a\":1}\n\nevent: e\ndata: x\n\n", sink);
  ASSERT_EQ(sink.result.events.size(), 2u);
  EXPECT_EQ(sink.result.events[0].data, "{\"a\":1}");
  EXPECT_EQ(sink.result.events[1].type, "e");
  EXPECT_EQ(sink.result.events[1].data, "x");
  EXPECT_EQ(sink.unpadded, 2u);
  EXPECT_EQ(parser.stats().bytes_copied, 0u);
}

TEST(SseLinear, ADataLineWhoseEventEndsInALaterFeedIsCopiedBeforeTheFeedReturns) {
  Parser parser;
  RecordingSink sink;
  feed_exact(parser, "data: first\n", sink);  // the caller's buffer is gone after this
  feed_exact(parser, "data: second\n\ndata: third\n", sink);
  feed_exact(parser, "\n", sink);
  ASSERT_EQ(sink.result.events.size(), 2u);
  EXPECT_EQ(sink.result.events[0].data, "first\nsecond");
  EXPECT_EQ(sink.result.events[1].data, "third");
  EXPECT_EQ(sink.unpadded, 0u);
  EXPECT_TRUE(sink.padding_ok);
  EXPECT_FALSE(parser.finish());
}

TEST(SseLinear, TypicalLlmStreamCopiesOnlyTheEventsCutByReads) {
  // ~300-byte "data: {json}\n\n" events read 16 KiB at a time, the common case for chat streaming.
  const std::string json = "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"" + std::string(240, 'w') + "\"}}]}";
  std::string stream;
  for (int i = 0; i < 2000; ++i) stream += "data: " + json + "\n\n";
  Parser parser;
  RecordingSink sink;
  size_t reads = 0;
  for (size_t pos = 0; pos < stream.size(); pos += 16384, ++reads) {
    ASSERT_EQ(parser.feed(stream.data() + pos, std::min<size_t>(16384, stream.size() - pos), sink), FeedStatus::ok);
  }
  ASSERT_EQ(sink.result.events.size(), 2000u);
  // Only the line cut by each read boundary is carried over, and its event's data copied.
  EXPECT_LE(parser.stats().bytes_copied, reads * 2 * (json.size() + 8));
  EXPECT_LE(parser.stats().bytes_scanned, 2 * stream.size());
}

// ---------------------------------------------------------------------------------------------------
// Size limits

TEST(SseLimits, DataAtTheLimitIsAccepted) {
  Parser parser(10);
  RecordingSink sink;
  EXPECT_EQ(feed_exact(parser, "data:01234\ndata:5678\n\n", sink), FeedStatus::ok);  // 10 bytes of data
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("01234\n5678")}));
}

TEST(SseLimits, DataOverTheLimitFails) {
  Parser parser(10);
  RecordingSink sink;
  EXPECT_EQ(feed_exact(parser, "data: ok\n\ndata:01234\ndata:56789\n\n", sink), FeedStatus::event_too_large);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("ok")}));
  EXPECT_TRUE(parser.finish());
}

TEST(SseLimits, DataOverTheLimitFailsWhenFedByteByByte) {
  Parser parser(10);
  RecordingSink sink;
  const std::string stream = "data:01234\ndata:56789\n\n";
  FeedStatus status = FeedStatus::ok;
  for (char c : stream) status = feed_exact(parser, std::string_view(&c, 1), sink);
  EXPECT_EQ(status, FeedStatus::event_too_large);
  EXPECT_TRUE(sink.result.events.empty());
}

TEST(SseLimits, LineAtTheLimitIsAccepted) {
  Parser parser(10);
  RecordingSink sink;
  EXPECT_EQ(feed_exact(parser, "event:abcd\ndata:x\n\n", sink), FeedStatus::ok);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{{"abcd", "x", ""}}));
}

TEST(SseLimits, OverlongLineFailsEvenIfNotData) {
  for (const char* line : {"event:abcde\n", ":123456789x\n", "unknown:xyz\n", "data:0123456\n"}) {
    SCOPED_TRACE(line);
    Parser parser(10);
    RecordingSink sink;
    EXPECT_EQ(feed_exact(parser, line, sink), FeedStatus::event_too_large);
    EXPECT_TRUE(sink.result.comments.empty());
  }
}

TEST(SseLimits, OverlongLineAcrossFeedsFailsBeforeItsEndArrives) {
  // A line that never ends must not grow the buffer without bound.
  Parser parser(10);
  RecordingSink sink;
  EXPECT_EQ(feed_exact(parser, "data:012", sink), FeedStatus::ok);
  EXPECT_EQ(feed_exact(parser, "34", sink), FeedStatus::ok);  // exactly 10 bytes pending
  EXPECT_EQ(feed_exact(parser, "5", sink), FeedStatus::event_too_large);
}

TEST(SseLimits, FailureIsStickyUntilReset) {
  Parser parser(10);
  RecordingSink sink;
  EXPECT_EQ(feed_exact(parser, "data: far too long for this\n\n", sink), FeedStatus::event_too_large);
  EXPECT_EQ(feed_exact(parser, "data: a\n\n", sink), FeedStatus::event_too_large);
  EXPECT_TRUE(sink.result.events.empty());
  EXPECT_TRUE(parser.finish());
  parser.reset();
  EXPECT_EQ(feed_exact(parser, "data: a\n\n", sink), FeedStatus::ok);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("a")}));
}

TEST(SseLimits, BuffersDoNotDoubleBeyondTheLimit) {
  // An event just under the limit, built from many lines, must not leave a buffer twice the limit.
  const size_t limit = 100000;
  Parser parser(limit);
  RecordingSink sink;
  sink.parser = &parser;
  std::string stream;
  for (int i = 0; i < 999; ++i) stream += "data:" + std::string(99, 'L') + "\n";  // 99899 bytes of data
  stream += "\n";
  for (size_t pos = 0; pos < stream.size(); pos += 100) {
    ASSERT_EQ(parser.feed(stream.data() + pos, std::min<size_t>(100, stream.size() - pos), sink), FeedStatus::ok);
  }
  ASSERT_EQ(sink.result.events.size(), 1u);
  EXPECT_TRUE(sink.padding_ok);
  EXPECT_LE(parser.data_buffer_capacity(), limit + 1 + kPadding);
}

TEST(SseLimits, ZeroMeansNoLimit) {
  Parser parser(0);
  RecordingSink sink;
  const std::string big(300000, 'n');
  EXPECT_EQ(feed_exact(parser, "data: " + big + "\n\n", sink), FeedStatus::ok);
  ASSERT_EQ(sink.result.events.size(), 1u);
  EXPECT_EQ(sink.result.events[0].data, big);
}

TEST(SseLimits, DefaultAllowsLargeEvents) {
  // Image-generation events exceed 8 MiB; the default limit is 64 MiB.
  Parser parser;
  RecordingSink sink;
  const std::string big(size_t{9} << 20, 'i');
  EXPECT_EQ(feed_exact(parser, "data: " + big + "\n\n", sink), FeedStatus::ok);
  EXPECT_EQ(sink.result.events.size(), 1u);
}

// ---------------------------------------------------------------------------------------------------
// Stopping

TEST(SseStop, SinkReturningFalseStopsImmediately) {
  Parser parser;
  RecordingSink sink;
  sink.stop_after_events = 1;
  const std::string first = "data: [DONE]\n\n";
  EXPECT_EQ(feed_exact(parser, first + "data: after\n\n: c\n", sink), FeedStatus::stopped);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("[DONE]")}));
  EXPECT_TRUE(sink.result.comments.empty());
  EXPECT_EQ(parser.bytes_seen(), first.size());
}

TEST(SseStop, LaterFeedsReturnStoppedWithoutCallingTheSink) {
  Parser parser;
  RecordingSink sink;
  sink.stop_after_events = 1;
  EXPECT_EQ(feed_exact(parser, "data: a\n\n", sink), FeedStatus::stopped);
  EXPECT_EQ(feed_exact(parser, "data: b\n\n: c\nretry: 1\n", sink), FeedStatus::stopped);
  EXPECT_EQ(parser.feed(nullptr, 0, sink), FeedStatus::stopped);
  EXPECT_EQ(sink.result.events.size(), 1u);
  EXPECT_TRUE(sink.result.comments.empty());
  EXPECT_TRUE(sink.result.retries.empty());
  EXPECT_FALSE(parser.finish());
}

TEST(SseStop, StopOnCrLineEndAtEndOfFeed) {
  Parser parser;
  RecordingSink sink;
  sink.stop_after_events = 1;
  EXPECT_EQ(feed_exact(parser, "data: a\r\n\r", sink), FeedStatus::stopped);
  EXPECT_EQ(parser.bytes_seen(), 10u);
}

TEST(SseStop, ResetResumesParsing) {
  Parser parser;
  RecordingSink sink;
  sink.stop_after_events = 1;
  EXPECT_EQ(feed_exact(parser, "data: a\n\n", sink), FeedStatus::stopped);
  parser.reset();
  sink.stop_after_events = 10;
  EXPECT_EQ(feed_exact(parser, "data: b\n\n", sink), FeedStatus::ok);
  EXPECT_EQ(sink.result.events, (std::vector<Recorded>{message("a"), message("b")}));
}

// ---------------------------------------------------------------------------------------------------
// Accounting

TEST(SseBytesSeen, CountsEveryConsumedByteIncludingBom) {
  Parser parser;
  RecordingSink sink;
  feed_exact(parser, "\xEF\xBB", sink);
  feed_exact(parser, "\xBF" "data: a\r", sink);
  feed_exact(parser, "\n\r\n: partial", sink);
  EXPECT_EQ(parser.bytes_seen(), 2u + 9u + 12u);
  parser.reset();
  EXPECT_EQ(parser.bytes_seen(), 0u);
  EXPECT_EQ(parser.stats().bytes_copied, 0u);
  EXPECT_EQ(parser.stats().bytes_scanned, 0u);
}

}  // namespace
}  // namespace hfi::sse
