#include "protocol/body_rewrite.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hfi::json {
namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

BodyFacts inspect_ok(std::string_view body) {
  BodyFacts facts;
  std::string error;
  EXPECT_TRUE(inspect_body(body, facts, error)) << body << " -> " << error;
  EXPECT_EQ(error, "");
  return facts;
}

// Rewrites and checks the result is itself a valid object for inspect_body.
std::string rewrite(std::string_view body, const Overrides& overrides = {}) {
  inspect_ok(body);
  std::string out = rewrite_body(body, overrides);
  inspect_ok(out);
  return out;
}

// ---------------------------------------------------------------------------
// inspect_body
// ---------------------------------------------------------------------------

TEST(InspectBody, ReadsModelAndStream) {
  const BodyFacts facts =
      inspect_ok(R"({"messages":[{"role":"user","content":"hi"}],"model":"meta-llama/Llama-3.1-8B-Instruct","stream":true})");
  EXPECT_TRUE(facts.is_object);
  EXPECT_TRUE(facts.has_model);
  EXPECT_EQ(facts.model, "meta-llama/Llama-3.1-8B-Instruct");
  EXPECT_TRUE(facts.has_stream);
  EXPECT_TRUE(facts.stream);
}

TEST(InspectBody, AbsentMembers) {
  const BodyFacts facts = inspect_ok(R"({"messages":[]})");
  EXPECT_TRUE(facts.is_object);
  EXPECT_FALSE(facts.has_model);
  EXPECT_EQ(facts.model, "");
  EXPECT_FALSE(facts.has_stream);
  EXPECT_FALSE(facts.stream);
}

TEST(InspectBody, NonStringModelAndNonBooleanStream) {
  const BodyFacts facts = inspect_ok(R"({"model":null,"stream":"yes"})");
  EXPECT_TRUE(facts.has_model);
  EXPECT_EQ(facts.model, "");
  EXPECT_TRUE(facts.has_stream);
  EXPECT_FALSE(facts.stream);
  EXPECT_FALSE(inspect_ok(R"({"stream":false})").stream);
}

TEST(InspectBody, OnlyTopLevelMembersCount) {
  const BodyFacts facts = inspect_ok(R"({"extra":{"model":"inner","stream":true}})");
  EXPECT_FALSE(facts.has_model);
  EXPECT_FALSE(facts.has_stream);
}

TEST(InspectBody, DuplicateKeysLastWins) {
  const BodyFacts facts = inspect_ok(R"({"model":"a","stream":true,"model":"b","stream":false})");
  EXPECT_EQ(facts.model, "b");
  EXPECT_FALSE(facts.stream);
}

TEST(InspectBody, EscapedKeyAndValue) {
  const BodyFacts facts = inspect_ok(R"({"mod\u0065l":"caf\u00e9\/x"})");
  EXPECT_TRUE(facts.has_model);
  EXPECT_EQ(facts.model, "caf\xc3\xa9/x");
}

TEST(InspectBody, RejectsInvalidJsonAndNonObjects) {
  const std::string cases[] = {
      "",
      "   ",
      "{",
      R"({"a":1,})",
      R"({"a":1} {"b":2})",
      R"({"a":1} x)",
      R"({'a':1})",
      R"({"a":tru})",
      R"({"a":"\x"})",
      "{\"a\":\"\xff\"}",
      std::string("{\"a\":\"\0\"}", 8),
      "[]",
      R"("text")",
      "42",
      "null",
  };
  for (const std::string& body : cases) {
    BodyFacts facts;
    facts.has_model = true;
    std::string error;
    EXPECT_FALSE(inspect_body(body, facts, error)) << body;
    EXPECT_FALSE(error.empty()) << body;
    EXPECT_FALSE(facts.has_model) << body;
  }
}

TEST(InspectBody, ErrorMessagesSayWhatIsWrong) {
  BodyFacts facts;
  std::string error;
  EXPECT_FALSE(inspect_body("[1]", facts, error));
  EXPECT_EQ(error, "request body must be a JSON object");
  EXPECT_FALSE(facts.is_object);
  EXPECT_FALSE(inspect_body("{\"a\":", facts, error));
  EXPECT_EQ(error.rfind("request body is not valid JSON: ", 0), 0u) << error;
}

// ---------------------------------------------------------------------------
// rewrite_body
// ---------------------------------------------------------------------------

TEST(RewriteBody, ModelIsMovedFirst) {
  EXPECT_EQ(rewrite(R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":5,"model":"m"})"),
            R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":5})");
}

TEST(RewriteBody, WithoutModelOrOverridesOnlyTopLevelWhitespaceChanges) {
  EXPECT_EQ(rewrite(" {\n  \"a\" : 1 ,\n  \"b\" :\t[ 1 , { \"c\" : \"d\" } ] \r\n}\n "),
            R"({"a":1,"b":[ 1 , { "c" : "d" } ]})");
}

TEST(RewriteBody, ValuesKeepTheirExactBytes) {
  const std::string body =
      R"({"temperature":0.70,"seed":-1.5E+10,"n":1,"logprobs":false,"stop":null,"x":true,)"
      R"("t":"caf\u00e9 \ud83d\ude00 ☃","model":"m"})";
  EXPECT_EQ(rewrite(body), R"({"model":"m","temperature":0.70,"seed":-1.5E+10,"n":1,"logprobs":false,"stop":null,)"
                           R"("x":true,"t":"caf\u00e9 \ud83d\ude00 ☃"})");
}

TEST(RewriteBody, StringsWithEscapedQuotesBackslashesAndBrackets) {
  const std::string body =
      R"({"messages":[{"role":"user","content":"a \"}\" ] [ { \\\" \\\\ \\"}],"tricky\"key":"v\\","model":"m"})";
  EXPECT_EQ(rewrite(body), R"({"model":"m","messages":[{"role":"user","content":"a \"}\" ] [ { \\\" \\\\ \\"}],)"
                           R"("tricky\"key":"v\\"})");
}

TEST(RewriteBody, OverrideReplacesInPlace) {
  EXPECT_EQ(rewrite(R"({"model":"m","stream":false,"max_tokens":5})", {{"stream", "true"}}),
            R"({"model":"m","stream":true,"max_tokens":5})");
}

TEST(RewriteBody, OverrideAddsMissingKeysAtTheEndInOrder) {
  EXPECT_EQ(rewrite(R"({"model":"m","messages":[]})",
                    {{"stream", "true"}, {"stream_options", R"({"include_usage":true})"}}),
            R"({"model":"m","messages":[],"stream":true,"stream_options":{"include_usage":true}})");
}

TEST(RewriteBody, ModelOverrideGoesFirstWhetherPresentOrNot) {
  EXPECT_EQ(rewrite(R"({"messages":[],"model":"user-alias"})", {{"model", R"("org/real-model")"}}),
            R"({"model":"org/real-model","messages":[]})");
  EXPECT_EQ(rewrite(R"({"messages":[]})", {{"model", R"("org/real-model")"}}),
            R"({"model":"org/real-model","messages":[]})");
}

TEST(RewriteBody, DuplicateKeysAreAllReplacedAtTheFirstPosition) {
  EXPECT_EQ(rewrite(R"({"a":1,"stream":false,"b":2,"stream":"x","c":3})", {{"stream", "true"}}),
            R"({"a":1,"stream":true,"b":2,"c":3})");
  EXPECT_EQ(rewrite(R"({"model":"a","x":1,"model":"b"})", {{"model", R"("c")"}}), R"({"model":"c","x":1})");
}

TEST(RewriteBody, DuplicateModelsWithoutOverrideAreAllMovedFirstInOrder) {
  // Keeps whichever one the server's parser picks (usually the last).
  EXPECT_EQ(rewrite(R"({"x":1,"model":"a","y":2,"model":"b"})"), R"({"model":"a","model":"b","x":1,"y":2})");
}

TEST(RewriteBody, EscapedKeySpellingMatches) {
  EXPECT_EQ(rewrite(R"({"x":1,"mod\u0065l":"m"})"), R"({"mod\u0065l":"m","x":1})");
  EXPECT_EQ(rewrite(R"({"x":1,"str\u0065am":false})", {{"stream", "true"}}), R"({"x":1,"stream":true})");
  EXPECT_EQ(rewrite(R"({"\ud83d\ude00":1})", {{"\xf0\x9f\x98\x80", "2"}}), "{\"\xf0\x9f\x98\x80\":2}");
}

TEST(RewriteBody, OverrideKeysAreEscapedWhenWritten) {
  EXPECT_EQ(rewrite("{}", {{"we\"ird\n", "1"}}), R"({"we\"ird\n":1})");
}

TEST(RewriteBody, LaterOverrideOfTheSameKeyWins) {
  EXPECT_EQ(rewrite(R"({"stream":false})", {{"stream", "true"}, {"stream", "false"}}), R"({"stream":false})");
  EXPECT_EQ(rewrite("{}", {{"a", "1"}, {"b", "2"}, {"a", "3"}}), R"({"a":3,"b":2})");
}

TEST(RewriteBody, EmptyObject) {
  EXPECT_EQ(rewrite("{}"), "{}");
  EXPECT_EQ(rewrite(" { } "), "{}");
  EXPECT_EQ(rewrite("{}", {{"stream", "true"}}), R"({"stream":true})");
  EXPECT_EQ(rewrite("{}", {{"model", R"("m")"}, {"stream", "true"}}), R"({"model":"m","stream":true})");
}

TEST(RewriteBody, EmptyOverrideValueIsWrittenAsNull) {
  EXPECT_EQ(rewrite(R"({"a":1})", {{"a", ""}}), R"({"a":null})");
}

TEST(RewriteBody, NestedEmptyContainersAndDeepNesting) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "[{\"k\":";
  deep += "\"]}\"";
  for (int i = 0; i < 200; ++i) deep += "}]";
  const std::string body = R"({"a":{},"b":[],"c":[{},[]],"d":)" + deep + R"(,"model":"m"})";
  EXPECT_EQ(rewrite(body), R"({"model":"m","a":{},"b":[],"c":[{},[]],"d":)" + deep + "}");
}

TEST(RewriteBody, LargeDataUrlIsCopiedVerbatimAfterModel) {
  std::string image = "data:image/png;base64,";
  for (int i = 0; i < 100000; ++i) image += "iVBORw0KGgo+/=";
  const std::string body = R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":")" + image +
                           R"("}}]}],"model":"vlm"})";
  const std::string out = rewrite(body, {{"stream", "true"}});
  EXPECT_EQ(out, R"({"model":"vlm","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":")" +
                     image + R"("}}]}],"stream":true})");
}

TEST(RewriteBody, ResultParsesToTheSameMembersPlusOverrides) {
  const std::string body =
      R"({"messages":[{"role":"system","content":"Be \"brief\"\n"},{"role":"user","content":"2+2?"}],)"
      R"("tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}],)"
      R"("model":"m","stream":false,"response_format":{"type":"json_object"}})";
  const std::string out = rewrite(body, {{"stream", "true"}, {"stream_options", R"({"include_usage":true})"}});
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(out).get(doc), simdjson::SUCCESS);
  std::string_view text;
  ASSERT_EQ(doc.at_pointer("/messages/0/content").get_string().get(text), simdjson::SUCCESS);
  EXPECT_EQ(text, "Be \"brief\"\n");
  bool stream = false;
  ASSERT_EQ(doc.at_pointer("/stream").get_bool().get(stream), simdjson::SUCCESS);
  EXPECT_TRUE(stream);
  ASSERT_EQ(doc.at_pointer("/tools/0/function/name").get_string().get(text), simdjson::SUCCESS);
  EXPECT_EQ(text, "f");
  EXPECT_EQ(out.rfind(R"({"model":"m",)", 0), 0u);
  EXPECT_EQ(inspect_ok(out).model, "m");
}

TEST(RewriteBody, BrokenPreconditionReturnsTheBodyUnchanged) {
  const char* cases[] = {"", "[1,2]", "not json", R"({"a":)", R"({"a" 1})", R"({"a":1,})", R"({"a":"x)", "{\"a\":1} x"};
  for (const char* body : cases) EXPECT_EQ(rewrite_body(body, {{"stream", "true"}}), body) << body;
}

// ---------------------------------------------------------------------------
// Property: on generated documents (nesting, escapes, raw UTF-8, duplicate and
// escaped keys, odd whitespace) the result has exactly the members the
// contract promises, in the promised order, with the same values.
// ---------------------------------------------------------------------------

class DocumentGenerator {
 public:
  explicit DocumentGenerator(unsigned seed) : rng_(seed) {}

  std::string object(int depth, bool top_level) {
    std::string out = "{" + space();
    const int members = pick(top_level ? 7 : 4);
    for (int i = 0; i < members; ++i) {
      if (i > 0) out += "," + space();
      out += top_level ? top_level_key() : string_literal();
      out += space() + ":" + space() + value(depth + 1) + space();
    }
    return out + "}";
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }

  std::string space() {
    static const char* kSpaces[] = {"", "", " ", "\n  ", "\t", " \r\n "};
    return kSpaces[pick(6)];
  }

  std::string top_level_key() {
    static const char* kKeys[] = {R"("model")", R"("stream")", R"("messages")", R"("a")", R"("b")",
                                  R"("mod\u0065l")", R"("x\"y")", R"("\u00e9")"};
    return kKeys[pick(8)];
  }

  std::string string_literal() {
    static const char* kPieces[] = {"a", "Z", " ", "\\\"", "\\\\", "\\n", "\\/", "\\u00e9", "\\ud83d\\ude00",
                                    "\xc3\xa9", "\xe2\x98\x83", "{", "}", "[", "]", ",", ":", "\\t"};
    std::string out = "\"";
    const int pieces = pick(6);
    for (int i = 0; i < pieces; ++i) out += kPieces[pick(18)];
    return out + "\"";
  }

  std::string value(int depth) {
    switch (depth > 4 ? pick(4) : pick(7)) {
      case 0: return string_literal();
      case 1: {
        static const char* kNumbers[] = {"0", "-1", "42", "3.25", "-12.5e3", "1E+2", "9223372036854775807"};
        return kNumbers[pick(7)];
      }
      case 2: {
        static const char* kLiterals[] = {"true", "false", "null"};
        return kLiterals[pick(3)];
      }
      case 3: return string_literal();
      case 4:
      case 5: {
        std::string out = "[" + space();
        const int items = pick(4);
        for (int i = 0; i < items; ++i) {
          if (i > 0) out += "," + space();
          out += value(depth + 1) + space();
        }
        return out + "]";
      }
      default: return object(depth, false);
    }
  }

  std::mt19937 rng_;
};

using MemberList = std::vector<std::pair<std::string, std::string>>;  // key, minified value

MemberList members_of(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  EXPECT_EQ(parser.parse(simdjson::padded_string(json)).get(object), simdjson::SUCCESS) << json;
  MemberList members;
  for (const simdjson::dom::key_value_pair member : object) {
    members.emplace_back(std::string(member.key), simdjson::minify(member.value));
  }
  return members;
}

std::string minify_value(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  EXPECT_EQ(parser.parse(simdjson::padded_string(json)).get(element), simdjson::SUCCESS) << json;
  return simdjson::minify(element);
}

// The contract of rewrite_body, written the slow and obvious way.
MemberList expected_members(const MemberList& original, const Overrides& overrides) {
  auto override_of = [&](const std::string& key) -> const std::string* {
    const std::string* found = nullptr;
    for (const auto& [k, v] : overrides) {
      if (k == key) found = &v;
    }
    return found;
  };
  MemberList expected;
  if (const std::string* model = override_of("model")) {
    expected.emplace_back("model", minify_value(*model));
  } else {
    for (const auto& member : original) {
      if (member.first == "model") expected.push_back(member);
    }
  }
  std::vector<std::string> written;
  auto write_override = [&](const std::string& key) {
    for (const std::string& done : written) {
      if (done == key) return;
    }
    written.push_back(key);
    expected.emplace_back(key, minify_value(*override_of(key)));
  };
  for (const auto& member : original) {
    if (member.first == "model") continue;
    if (override_of(member.first)) {
      write_override(member.first);
    } else {
      expected.push_back(member);
    }
  }
  for (const auto& [key, value] : overrides) {
    if (key != "model") write_override(key);
  }
  return expected;
}

TEST(RewriteBodyProperty, GeneratedDocumentsKeepTheContract) {
  const Overrides override_sets[] = {
      {},
      {{"stream", "true"}},
      {{"model", R"("org/m")"}},
      {{"model", R"("org/m")"}, {"stream", "true"}, {"stream_options", R"({"include_usage":true})"}},
      {{"a", "[1,{\"b\":null}]"}, {"new", R"("v\"\\")"}, {"a", "false"}},
      {{"\xc3\xa9", "1"}, {"x\"y", "2"}},
  };
  for (unsigned seed = 1; seed <= 400; ++seed) {
    DocumentGenerator generator(seed);
    const std::string body = generator.object(0, true);
    const Overrides& overrides = override_sets[seed % std::size(override_sets)];
    BodyFacts facts;
    std::string error;
    ASSERT_TRUE(inspect_body(body, facts, error)) << body << " -> " << error;
    const std::string out = rewrite_body(body, overrides);
    ASSERT_TRUE(inspect_body(out, facts, error)) << out << " -> " << error;
    EXPECT_EQ(members_of(out), expected_members(members_of(body), overrides)) << "seed " << seed << "\n" << body
                                                                                 << "\n" << out;
  }
}

}  // namespace
}  // namespace hfi::json
