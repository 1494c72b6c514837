#include "protocol/generation_chunks.h"

#include <gtest/gtest.h>

namespace {

using hfi::json::GenerationChunk;
using hfi::json::parse_generation_chunk;

TEST(GenerationChunksTest, TgiTokensSkipSpecialOnesAndCarryTheFinishReason) {
  GenerationChunk c;
  ASSERT_TRUE(parse_generation_chunk(
      R"({"index":1,"token":{"id":5,"text":" fox","logprob":-0.1,"special":false},"generated_text":null,"details":null})", c));
  EXPECT_EQ(c.text, " fox");
  EXPECT_EQ(c.finish_reason, "");
  EXPECT_FALSE(c.usage.present);
  ASSERT_TRUE(parse_generation_chunk(
      R"({"index":2,"token":{"id":2,"text":"</s>","logprob":0,"special":true},"generated_text":"The fox",)"
      R"("details":{"finish_reason":"eos_token","generated_tokens":2,"seed":null}})", c));
  EXPECT_EQ(c.text, "");
  EXPECT_EQ(c.finish_reason, "eos_token");
  EXPECT_TRUE(c.usage.present);
  EXPECT_EQ(c.usage.completion_tokens, 2);
}

TEST(GenerationChunksTest, CompletionsChunksTakeChoiceZero) {
  GenerationChunk c;
  ASSERT_TRUE(parse_generation_chunk(
      R"({"id":"c1","object":"text_completion","choices":[{"index":1,"text":"no"},{"index":0,"text":"yes","finish_reason":null}]})", c));
  EXPECT_EQ(c.text, "yes");
  EXPECT_EQ(c.finish_reason, "");
  ASSERT_TRUE(parse_generation_chunk(
      R"({"choices":[{"index":0,"text":"","finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})", c));
  EXPECT_EQ(c.finish_reason, "length");
  EXPECT_EQ(c.usage.total_tokens, 7);
}

TEST(GenerationChunksTest, ErrorsInBothShapes) {
  GenerationChunk c;
  ASSERT_TRUE(parse_generation_chunk(R"({"error":"Input validation error","error_type":"validation"})", c));
  EXPECT_TRUE(c.is_error);
  EXPECT_EQ(c.error_message, "Input validation error");
  EXPECT_EQ(c.error_type, "validation");
  ASSERT_TRUE(parse_generation_chunk(R"({"error":{"message":"overloaded","type":"server_error"}})", c));
  EXPECT_EQ(c.error_message, "overloaded");
  EXPECT_EQ(c.error_type, "server_error");
  ASSERT_TRUE(parse_generation_chunk(R"({"error":null,"token":{"text":"a"}})", c));
  EXPECT_FALSE(c.is_error);
  EXPECT_EQ(c.text, "a");
}

TEST(GenerationChunksTest, NonObjectsAreRefused) {
  GenerationChunk c;
  EXPECT_FALSE(parse_generation_chunk("[1]", c));
  EXPECT_FALSE(parse_generation_chunk("{\"token\":", c));
  EXPECT_FALSE(parse_generation_chunk("", c));
}

}  // namespace
