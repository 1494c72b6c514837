#include "protocol/error_body.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace hfi::json {
namespace {

// ---------------------------------------------------------------------------
// Real error bodies, one row per distinct shape, copied verbatim from
// ../shared/fixtures/hfjs-tapes/interactions.ndjson (records with
// "is_error": true; huggingface.js tapes, MIT, see
// fixtures/LICENSE-huggingface.js.txt). The expected strings were checked by
// reading each record.
// ---------------------------------------------------------------------------

struct RecordedError {
  int ordinal;
  const char* provider;
  const char* content_type;
  std::string_view body;
  const char* message;
  const char* type;
  const char* code;
};

constexpr const char* kHyperbolicAllowList =
    "Only Qwen/Qwen2.5-72B-Instruct && meta-llama/Llama-3.2-3B-Instruct && FLUX.1-dev && mistralai/Pixtral-12B-2409 "
    "&& StableDiffusion && Qwen/Qwen2-VL-72B-Instruct && meta-llama/Meta-Llama-3-70B-Instruct && "
    "meta-llama/Meta-Llama-3.1-70B-Instruct && meta-llama/Meta-Llama-3.1-8B-Instruct && "
    "Qwen/Qwen2.5-Coder-32B-Instruct && meta-llama/Meta-Llama-3.1-405B-FP8 && TTS && "
    "meta-llama/Meta-Llama-3.1-405B-Instruct && deepseek-ai/DeepSeek-R1-Zero && deepseek-ai/DeepSeek-V3 && "
    "Qwen/QwQ-32B-Preview && Qwen/Qwen2-VL-7B-Instruct && meta-llama/Llama-3.3-70B-Instruct && "
    "NousResearch/Hermes-3-Llama-3.1-70B && meta-llama/Meta-Llama-3.1-405B && "
    "meta-llama/Meta-Llama-3.1-405B-Instruct-Virtuals && deepseek-ai/DeepSeek-R1 allowed now, your model "
    "mistralai/Mixtral-8x7B-Instruct-v0.1";

const RecordedError kRecordedErrors[] = {
    // HF: {"error": "..."}
    {1, "hf-inference", "application/json",
     R"json({"error":"Model this-model-does-not-exist-123 does not exist"})json",
     "Model this-model-does-not-exist-123 does not exist", "", ""},
    {242, "hf-inference (via /api/inference-proxy)", "application/json",
     R"json({"error":"Not Found: Model not found"})json", "Not Found: Model not found", "", ""},
    // TGI: {"error": "...", "error_type": "..."}
    {82, "hf-inference", "application/json",
     R"json({"error":"Template error: template not found","error_type":"template_error"})json",
     "Template error: template not found", "template_error", ""},
    // TGI: the data payload of the 200 text/event-stream error event (record 37), as a body
    {37, "hf-inference", "application/json",
     R"json({"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 17 `inputs` tokens and 10000 `max_new_tokens`","error_type":"validation"})json",
     "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 17 `inputs` tokens and 10000 "
     "`max_new_tokens`",
     "validation", ""},
    // TGI/axum: 422 text/plain
    {83, "hf-inference", "text/plain; charset=utf-8",
     R"json(Failed to deserialize the JSON body into the target type: missing field `messages` at line 1 column 144)json",
     "Failed to deserialize the JSON body into the target type: missing field `messages` at line 1 column 144", "", ""},
    {321, "fal-ai", "text/plain; charset=utf-8", R"json(404: Not Found)json", "404: Not Found", "", ""},
    // FastAPI: {"detail": "..."}
    {105, "fal-ai", "application/json", R"json({"detail":"Unsupported data URL"})json", "Unsupported data URL", "", ""},
    {326, "fal-ai", "application/json",
     R"json({"detail":"Model directory /data/models/hub/models--nerijs--pixel-art-xl/snapshots/8bf4a4d9ea283e00a51fafda8e0539f8248ea037 does not contain a config.json or model_index.json file."})json",
     "Model directory /data/models/hub/models--nerijs--pixel-art-xl/snapshots/8bf4a4d9ea283e00a51fafda8e0539f8248ea037 "
     "does not contain a config.json or model_index.json file.",
     "", ""},
    // FastAPI/pydantic v1: {"detail": [{"loc","msg","type"}]}
    {322, "fal-ai", "application/json",
     R"json({"detail":[{"loc":["body","loras",0,"path"],"msg":"str type expected","type":"type_error.str"}]})json",
     "str type expected", "type_error.str", ""},
    // FastAPI/pydantic v2: {"detail": [{"type","loc","msg","input"}]}
    {301, "hyperbolic", "application/json",
     R"json({"detail":[{"type":"missing","loc":["body","model_name"],"msg":"Field required","input":{"height":128,"width":128,"prompt":"award winning high resolution photo of a giant tortoise","model":"SD2"}}]})json",
     "Field required", "missing", ""},
    // Kong gateway (mistral): {"message","request_id"}
    {118, "mistral (custom endpoint)", "application/json; charset=utf-8",
     R"json({"message":"no Route matched with those values","request_id":"1d3de173b2ad3558d3fb33431615bf43"})json",
     "no Route matched with those values", "", ""},
    {119, "openai (custom endpoint)", "application/json",
     R"json({"message":"Welcome to the OpenAI API! Documentation is available at https://platform.openai.com/docs/api-reference"})json",
     "Welcome to the OpenAI API! Documentation is available at https://platform.openai.com/docs/api-reference", "", ""},
    // OpenAI / together: {"error": {"message","type","param","code"}}
    {176, "openai (custom endpoint)", "application/json; charset=utf-8",
     R"json({"error":{"message":"you must provide a model parameter","type":"invalid_request_error","param":null,"code":null}})json",
     "you must provide a model parameter", "invalid_request_error", ""},
    {153, "together", "application/json; charset=utf-8",
     R"json({"id":"9026c5ba8ae9d397-CDG","error":{"message":"Invalid request","type":"invalid_request_error","param":"model","code":null}})json",
     "Invalid request", "invalid_request_error", ""},
    // vLLM: {"object":"error","message","type","param","code"} with a numeric code
    {307, "hyperbolic", "application/json",
     R"json({"object":"error","message":"Only Qwen/Qwen2.5-72B-Instruct && meta-llama/Llama-3.2-3B-Instruct && FLUX.1-dev && mistralai/Pixtral-12B-2409 && StableDiffusion && Qwen/Qwen2-VL-72B-Instruct && meta-llama/Meta-Llama-3-70B-Instruct && meta-llama/Meta-Llama-3.1-70B-Instruct && meta-llama/Meta-Llama-3.1-8B-Instruct && Qwen/Qwen2.5-Coder-32B-Instruct && meta-llama/Meta-Llama-3.1-405B-FP8 && TTS && meta-llama/Meta-Llama-3.1-405B-Instruct && deepseek-ai/DeepSeek-R1-Zero && deepseek-ai/DeepSeek-V3 && Qwen/QwQ-32B-Preview && Qwen/Qwen2-VL-7B-Instruct && meta-llama/Llama-3.3-70B-Instruct && NousResearch/Hermes-3-Llama-3.1-70B && meta-llama/Meta-Llama-3.1-405B && meta-llama/Meta-Llama-3.1-405B-Instruct-Virtuals && deepseek-ai/DeepSeek-R1 allowed now, your model mistralai/Mixtral-8x7B-Instruct-v0.1","type":"","param":null,"code":40301})json",
     kHyperbolicAllowList, "", "40301"},
    // replicate: application/problem+json {"detail","status","title","invalid_fields"}; detail ends in "\n"
    {125, "replicate", "application/problem+json",
     R"json({"detail":"- Additional property provider is not allowed\n","status":422,"title":"Input validation failed","invalid_fields":[{"type":"additional_property_not_allowed","field":"","description":"Additional property provider is not allowed"}]})json",
     "- Additional property provider is not allowed", "", ""},
    {276, "replicate", "application/problem+json",
     R"json({"detail":"- input: text is required\n","status":422,"title":"Input validation failed","invalid_fields":[{"type":"required","field":"input","description":"text is required"}]})json",
     "- input: text is required", "", ""},
};

class RecordedErrorBody : public ::testing::TestWithParam<RecordedError> {};

TEST_P(RecordedErrorBody, ExtractsTheProviderMessage) {
  const RecordedError& record = GetParam();
  const ErrorInfo info = parse_error_body(record.body, record.content_type);
  EXPECT_EQ(info.message, record.message);
  EXPECT_EQ(info.type, record.type);
  EXPECT_EQ(info.code, record.code);
  EXPECT_EQ(info.estimated_time, -1);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RecordedErrorBody, ::testing::ValuesIn(kRecordedErrors),
                         [](const ::testing::TestParamInfo<RecordedError>& info) {
                           return "record_" + std::to_string(info.param.ordinal);
                         });

// ---------------------------------------------------------------------------
// Shapes the tapes do not contain
// ---------------------------------------------------------------------------

ErrorInfo json_error(std::string_view body) { return parse_error_body(body, "application/json"); }

TEST(ErrorBodyShapes, ErrorListIsJoined) {
  EXPECT_EQ(json_error(R"({"error":["inputs must be a string","parameters.top_k must be positive"]})").message,
            "inputs must be a string; parameters.top_k must be positive");
  EXPECT_EQ(json_error(R"({"error":[{"message":"a"}," b ",null,""]})").message, "a; b");
}

TEST(ErrorBodyShapes, OpenAiErrorCodeAsStringOrNumber) {
  const ErrorInfo text = json_error(
      R"({"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}})");
  EXPECT_EQ(text.message, "Rate limit reached");
  EXPECT_EQ(text.type, "requests");
  EXPECT_EQ(text.code, "rate_limit_exceeded");
  EXPECT_EQ(json_error(R"({"error":{"message":"m","code":429}})").code, "429");
}

TEST(ErrorBodyShapes, OAuthErrorDescription) {
  EXPECT_EQ(json_error(R"({"error":"invalid_token","error_description":"The access token expired"})").message,
            "invalid_token: The access token expired");
  EXPECT_EQ(json_error(R"({"error_description":"only a description"})").message, "only a description");
}

TEST(ErrorBodyShapes, ErrorsList) {
  EXPECT_EQ(json_error(R"({"errors":[{"message":"first"},{"message":"second","code":1}]})").message,
            "first; second");
  EXPECT_EQ(json_error(R"({"errors":["plain"]})").message, "plain");
}

TEST(ErrorBodyShapes, FastApiDetailListJoinsMessagesTypeOfFirst) {
  const ErrorInfo info = json_error(
      R"({"detail":[{"loc":["body","a"],"msg":"field required","type":"value_error.missing"},)"
      R"({"loc":["body","b"],"msg":"value is not a valid integer","type":"type_error.integer"}]})");
  EXPECT_EQ(info.message, "field required; value is not a valid integer");
  EXPECT_EQ(info.type, "value_error.missing");
}

TEST(ErrorBodyShapes, DetailObject) {
  EXPECT_EQ(json_error(R"({"detail":{"msg":"nested"}})").message, "nested");
  EXPECT_EQ(json_error(R"({"detail":{"message":"nested too"}})").message, "nested too");
}

TEST(ErrorBodyShapes, ProblemJsonTitleWhenNoDetail) {
  const ErrorInfo info = parse_error_body(R"({"type":"about:blank","title":"Not Found","status":404})",
                                          "application/problem+json");
  EXPECT_EQ(info.message, "Not Found");
  EXPECT_EQ(info.type, "about:blank");
}

TEST(ErrorBodyShapes, ModelLoadingEstimatedTime) {
  const ErrorInfo info = json_error(R"({"error":"Model google/gemma-7b is currently loading","estimated_time":20.0})");
  EXPECT_EQ(info.message, "Model google/gemma-7b is currently loading");
  EXPECT_DOUBLE_EQ(info.estimated_time, 20.0);
  EXPECT_DOUBLE_EQ(json_error(R"({"error":"loading","estimated_time":35})").estimated_time, 35.0);
  EXPECT_DOUBLE_EQ(json_error(R"({"error":"loading","estimated_time":"soon"})").estimated_time, -1);
  EXPECT_DOUBLE_EQ(json_error(R"({"error":"loading","estimated_time":-3})").estimated_time, -1);
}

TEST(ErrorBodyShapes, MessageIsTrimmed) {
  EXPECT_EQ(json_error(R"({"error":"  padded \n"})").message, "padded");
}

TEST(ErrorBodyShapes, EscapesAndUtf8InMessages) {
  EXPECT_EQ(json_error(R"({"error":"quote \" backslash \\ caf\u00e9 \ud83d\ude00"})").message,
            "quote \" backslash \\ caf\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(ErrorBodyShapes, ErrorObjectPreferredOverTopLevelMessage) {
  EXPECT_EQ(json_error(R"({"message":"outer","error":{"message":"inner"}})").message, "inner");
}

TEST(ErrorBodyShapes, TopLevelJsonStringOrList) {
  EXPECT_EQ(json_error(R"("just a string")").message, "just a string");
  EXPECT_EQ(json_error(R"(["a","b"])").message, "a; b");
}

TEST(ErrorBodyShapes, UnknownJsonShapeFallsBackToTheBodyText) {
  EXPECT_EQ(json_error(R"(  {"status":"failed","reason_code":7}  )").message, R"({"status":"failed","reason_code":7})");
  EXPECT_EQ(json_error("{}").message, "{}");
  EXPECT_EQ(json_error("[]").message, "[]");
}

TEST(ErrorBodyShapes, TypeOrCodeAloneIsKeptWithoutInventingAMessage) {
  const ErrorInfo info = json_error(R"({"error":{"type":"server_error","code":500}})");
  EXPECT_EQ(info.message, "");
  EXPECT_EQ(info.type, "server_error");
  EXPECT_EQ(info.code, "500");
}

// ---------------------------------------------------------------------------
// Non-JSON bodies
// ---------------------------------------------------------------------------

TEST(ErrorBodyText, PlainTextIsTrimmed) {
  EXPECT_EQ(parse_error_body("\r\n  Bad Gateway \n", "text/plain").message, "Bad Gateway");
  EXPECT_EQ(parse_error_body("upstream connect error", "").message, "upstream connect error");
}

TEST(ErrorBodyText, InvalidJsonFallsBackToText) {
  EXPECT_EQ(json_error(R"({"error": "unterminated)").message, R"({"error": "unterminated)");
  EXPECT_EQ(json_error("{\"error\":\"x\"} trailing").message, "{\"error\":\"x\"} trailing");
  EXPECT_EQ(json_error("[1,2").message, "[1,2");
}

TEST(ErrorBodyText, TextIsCappedAtAThousandBytes) {
  const std::string body(5000, 'x');
  EXPECT_EQ(parse_error_body(body, "text/plain").message, std::string(1000, 'x'));
}

TEST(ErrorBodyText, CapNeverSplitsAUtf8Character) {
  std::string body(999, 'a');
  body += "\xc3\xa9\xc3\xa9";  // é straddles byte 1000
  const std::string message = parse_error_body(body, "text/plain").message;
  EXPECT_EQ(message, std::string(999, 'a'));
  std::string emoji(998, 'b');
  emoji += "\xf0\x9f\x98\x80 tail";
  EXPECT_EQ(parse_error_body(emoji, "text/plain").message, std::string(998, 'b'));
}

TEST(ErrorBodyText, HtmlBodiesGiveNoMessage) {
  EXPECT_EQ(parse_error_body("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html").message, "");
  EXPECT_EQ(parse_error_body("  \n<!DOCTYPE html><html></html>", "text/plain").message, "");
  EXPECT_EQ(parse_error_body("Service unavailable", "Text/HTML; charset=utf-8").message, "");
  EXPECT_EQ(parse_error_body(R"({"error":"x"})", "text/html").message, "");
}

TEST(ErrorBodyText, EmptyAndBlankBodies) {
  for (const char* body : {"", "   ", "\n\r\t"}) {
    const ErrorInfo info = parse_error_body(body, "application/json");
    EXPECT_EQ(info.message, "");
    EXPECT_EQ(info.type, "");
    EXPECT_EQ(info.code, "");
    EXPECT_EQ(info.estimated_time, -1);
  }
}

TEST(ErrorBodyText, BinaryGarbageDoesNotCrash) {
  std::string garbage;
  for (int i = 0; i < 3000; ++i) garbage.push_back(static_cast<char>((i * 7919) & 0xff));
  const ErrorInfo info = parse_error_body(garbage, "application/octet-stream");
  EXPECT_LE(info.message.size(), 1000u);
  const ErrorInfo json_like = parse_error_body("{" + garbage, "application/json");
  EXPECT_LE(json_like.message.size(), 1000u);
}

}  // namespace
}  // namespace hfi::json
