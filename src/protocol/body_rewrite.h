// The user's chat body is JSON passthrough: new API fields must reach the
// server untouched. These helpers read the few top-level facts the library
// needs and adjust top-level members without re-serialising anything else.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hfi::json {

struct BodyFacts {
  bool is_object = false;
  std::string model;  // set when "model" is a string
  bool has_model = false;
  bool stream = false;  // set when "stream" is a boolean
  bool has_stream = false;
};

// Fully validates `body` (simdjson DOM: syntax, UTF-8, one value only) and
// reads its top-level facts. With duplicate keys the last one wins, as in most
// JSON parsers. Returns false and sets `error_message` if the body is not
// valid JSON or not an object. Never throws.
bool inspect_body(std::string_view body, BodyFacts& out, std::string& error_message);

// inspect_body() with a parser kept from one body to the next: setting up a parser's buffers
// costs more than reading a chat body. Any thread may call inspect(): a body that finds the
// parser busy gets a parser of its own instead of waiting, and so does a body larger than
// kReusedBytes, so that one big media body does not leave megabytes held for good.
class BodyInspector {
 public:
  static constexpr size_t kReusedBytes = 64 * 1024;
  BodyInspector();
  ~BodyInspector();
  bool inspect(std::string_view body, BodyFacts& out, std::string& error_message);

 private:
  struct Parser;  // keeps simdjson.h out of this header
  std::mutex mutex_;
  std::unique_ptr<Parser> parser_;
};

// One member of a JSON object as written: the decoded key for comparisons, the raw key and value
// bytes for copying them unchanged.
struct RawMember {
  std::string key;
  std::string_view raw_key, raw_value;
};

// Splits the text of one JSON object (already validated, e.g. by inspect_body) into its members,
// in order. False if the text is not a single object. May throw std::bad_alloc.
bool split_object(std::string_view object_text, std::vector<RawMember>& members);

// Writes a JSON object member by member into `out` (appending to what it holds).
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  // A member copied as written: its raw (quoted) key and raw value.
  void raw(std::string_view raw_key, std::string_view raw_value);
  void raw(const RawMember& member) { raw(member.raw_key, member.raw_value); }
  // A member from a plain key and a raw JSON value; an empty value is written as null.
  void member(std::string_view key, std::string_view value_json);
  void close() { out_.push_back('}'); }

 private:
  void separate();
  std::string& out_;
  bool first_ = true;
};

// Rebuilds the top-level object:
//  * each override (key -> raw JSON value text, written as given) replaces
//    every occurrence of its key at the position of the first one, or is
//    appended if the key is absent; a later override of the same key wins;
//  * "model" (after overrides) is moved first, because the HF router reads
//    it from the start of the body (large data URLs may follow);
//  * every other member keeps its order and its exact raw key and value
//    bytes; only whitespace between top-level tokens is dropped.
//  * members whose key is in `removed` (and not overridden) are left out.
// Precondition: inspect_body(body) succeeded and each override value is
// valid JSON (an empty value is written as null). If the precondition is
// broken the body comes back unchanged. Returns an empty string only if
// memory runs out. Never throws.
std::string rewrite_body(std::string_view body, const std::vector<std::pair<std::string, std::string>>& overrides,
                         const std::vector<std::string_view>& removed = {});

}  // namespace hfi::json
