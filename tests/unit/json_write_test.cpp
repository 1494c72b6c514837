#include "protocol/json_write.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace hfi::json {
namespace {

using namespace std::string_literals;

std::string as_json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// Parses `json` (one JSON string) with simdjson, the reader the library uses.
std::string parse_back(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  const simdjson::padded_string padded(json);
  EXPECT_EQ(parser.parse(padded).get(element), simdjson::SUCCESS) << json;
  std::string_view text;
  EXPECT_EQ(element.get_string().get(text), simdjson::SUCCESS) << json;
  return std::string(text);
}

TEST(JsonWriteString, EmptyStringIsTwoQuotes) { EXPECT_EQ(as_json_string(""), "\"\""); }

TEST(JsonWriteString, PlainAsciiIsCopied) {
  EXPECT_EQ(as_json_string("Hello, world! {[]}:/ 0123 ~"), "\"Hello, world! {[]}:/ 0123 ~\"");
}

TEST(JsonWriteString, QuoteAndBackslashAreEscaped) {
  EXPECT_EQ(as_json_string(R"(say "hi" \ C:\dir)"), R"("say \"hi\" \\ C:\\dir")");
}

TEST(JsonWriteString, ShortEscapesForNamedControls) {
  EXPECT_EQ(as_json_string("\b\f\n\r\t"), R"("\b\f\n\r\t")");
}

TEST(JsonWriteString, OtherControlsUseLowercaseUnicodeEscapes) {
  EXPECT_EQ(as_json_string("\x01"), R"("\u0001")");
  EXPECT_EQ(as_json_string("\x0b"), R"("\u000b")");
  EXPECT_EQ(as_json_string("\x1f"), R"("\u001f")");
  EXPECT_EQ(as_json_string("a\x1b[0mb"), R"("a\u001b[0mb")");
}

TEST(JsonWriteString, EmbeddedNulIsEscapedNotTruncated) {
  EXPECT_EQ(as_json_string("a\0b"s), R"("a\u0000b")");
}

TEST(JsonWriteString, DeleteAndSlashAreNotEscaped) {
  EXPECT_EQ(as_json_string("\x7f/"), "\"\x7f/\"");
}

TEST(JsonWriteString, NonAsciiBytesPassThroughUnchanged) {
  EXPECT_EQ(as_json_string("caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac"), "\"caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac\"");
  // Not validated: invalid UTF-8 is copied as is (the caller owns the bytes).
  EXPECT_EQ(as_json_string("\xff\xfe"), "\"\xff\xfe\"");
}

TEST(JsonWriteString, AppendsWithoutClearing) {
  std::string out = "[";
  append_json_string(out, "a");
  out += ",";
  append_json_string(out, "b\n");
  out += "]";
  EXPECT_EQ(out, R"(["a","b\n"])");
}

TEST(JsonWriteString, EscapeAtStartMiddleAndEnd) {
  EXPECT_EQ(as_json_string("\"x\"y\""), R"("\"x\"y\"")");
  EXPECT_EQ(as_json_string("\n"), R"("\n")");
}

TEST(JsonWriteRoundTrip, EveryAsciiByteAlone) {
  for (int byte = 0; byte < 0x80; ++byte) {
    const std::string text(1, static_cast<char>(byte));
    EXPECT_EQ(parse_back(as_json_string(text)), text) << "byte " << byte;
  }
}

TEST(JsonWriteRoundTrip, AllAsciiBytesTogether) {
  std::string text;
  for (int byte = 0; byte < 0x80; ++byte) text.push_back(static_cast<char>(byte));
  text += text;  // twice, so escapes also follow escapes
  EXPECT_EQ(parse_back(as_json_string(text)), text);
}

TEST(JsonWriteRoundTrip, Utf8Text) {
  const std::string samples[] = {
      "caf\xc3\xa9",                                    // é, 2 bytes
      "\xe2\x82\xac 100",                               // €, 3 bytes
      "\xf0\x9f\x98\x80\xf0\x9f\x91\x8d",               // 😀👍, 4 bytes each
      "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\n\"x\"",    // 日本語 plus escapes
      "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",  // Привет
      "\xef\xbb\xbf" "bom",                             // a BOM inside a string is just text
  };
  for (const std::string& text : samples) EXPECT_EQ(parse_back(as_json_string(text)), text);
}

TEST(JsonWriteKey, WritesQuotedKeyAndColon) {
  std::string out = "{";
  append_json_key(out, "na\"me");
  out += "1}";
  EXPECT_EQ(out, R"({"na\"me":1})");
}

TEST(JsonWriteInt64, Values) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "0"},
      {-1, "-1"},
      {42, "42"},
      {std::numeric_limits<int64_t>::max(), "9223372036854775807"},
      {std::numeric_limits<int64_t>::min(), "-9223372036854775808"},
  };
  for (const auto& [value, text] : cases) {
    std::string out = "x";
    append_json_int64(out, value);
    EXPECT_EQ(out, std::string("x") + text);
  }
}

}  // namespace
}  // namespace hfi::json
