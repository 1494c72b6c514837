#include "tasks/task_output.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "task_schema.h"

namespace hfi::tasks {
namespace {

using nlohmann::json;
using test::check_output;
using test::fixture_path;
using test::print_table;
using test::SchemaChecker;
using test::Tally;

std::string normalized(std::string_view task, std::string_view body) {
  std::string out, error;
  EXPECT_TRUE(normalize_output(task, body, out, error)) << task << ": " << error << "\nbody: " << body;
  EXPECT_TRUE(error.empty());
  return out;
}

std::string failure(std::string_view task, std::string_view body) {
  std::string out = "stale", error;
  EXPECT_FALSE(normalize_output(task, body, out, error)) << task << " accepted: " << body << "\n-> " << out;
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(error.empty());
  return error;
}

// ---------------------------------------------------------------------------
// Classification family: text, zero-shot, image, zero-shot-image, audio
// ---------------------------------------------------------------------------

TEST(TaskOutputTest, TextClassificationUnwrapsTheListOfOneList) {
  // Record 0 (hf-inference), byte for byte: the [[...]] of one input becomes [...].
  EXPECT_EQ(normalized("text-classification",
                       R"([[{"label":"POSITIVE","score":0.9998763799667358},)"
                       R"({"label":"NEGATIVE","score":0.00012365408474579453}]])"),
            R"([{"label":"POSITIVE","score":0.9998763799667358},{"label":"NEGATIVE","score":0.00012365408474579453}])");
}

TEST(TaskOutputTest, TextClassificationShapes) {
  // A flat list, as the spec says.
  EXPECT_EQ(normalized("text-classification", R"([{"label":"a","score":1}])"), R"([{"label":"a","score":1}])");
  // A lone object (top_k=1 on some deployments) is wrapped.
  EXPECT_EQ(normalized("text-classification", R"({"label":"a","score":0.5})"), R"([{"label":"a","score":0.5}])");
  // Two inputs: one list per input stays.
  EXPECT_EQ(normalized("text-classification", R"([[{"label":"a","score":1}],[{"label":"b","score":2}]])"),
            R"([[{"label":"a","score":1}],[{"label":"b","score":2}]])");
  // No result at all.
  EXPECT_EQ(normalized("text-classification", "[]"), "[]");
  EXPECT_EQ(normalized("text-classification", "[[]]"), "[]");
  // Whitespace anywhere, unknown members dropped, spec order (label, score).
  EXPECT_EQ(normalized("image-classification", " [ { \"score\" : 0.25 , \"label\" : \"cat\" , \"id\" : 7 } ] \n"),
            R"([{"label":"cat","score":0.25}])");
  EXPECT_EQ(normalized("audio-classification", R"([{"score":0.5,"label":"neu"}])"), R"([{"label":"neu","score":0.5}])");
  EXPECT_EQ(normalized("zero-shot-image-classification", R"([{"score":0.5,"label":"toy"}])"),
            R"([{"label":"toy","score":0.5}])");
}

TEST(TaskOutputTest, NumbersAndStringsAreCopiedAsReceived) {
  EXPECT_EQ(normalized("text-classification",
                       R"([{"label":"caf\u00e9 \"x\"\n","score":1E-7},{"label":"é","score":-0.0},)"
                       R"({"label":"b","score":0.100000000000000005551115123125782702118}])"),
            R"([{"label":"caf\u00e9 \"x\"\n","score":1E-7},{"label":"é","score":-0.0},)"
            R"({"label":"b","score":0.100000000000000005551115123125782702118}])");
  // Integers beyond 64 bits (a number is a number) and TGI details kept whole, seed digit for digit.
  EXPECT_EQ(normalized("text-generation",
                       R"({"generated_text":"x","details":{"seed":14998481174092497000,"big":123456789012345678901234567890,)"
                       R"("finish_reason":"length","tokens":[]}})"),
            R"({"generated_text":"x","details":{"seed":14998481174092497000,"big":123456789012345678901234567890,)"
            R"("finish_reason":"length","tokens":[]}})");
}

TEST(TaskOutputTest, NullMeansAbsentAndOptionalMembersOfTheWrongTypeAreDropped) {
  EXPECT_EQ(normalized("image-segmentation", R"([{"label":"sky","mask":"iVBOR","score":null}])"),
            R"([{"label":"sky","mask":"iVBOR"}])");
  EXPECT_EQ(normalized("image-segmentation", R"([{"label":"sky","mask":"iVBOR","score":"high"}])"),
            R"([{"label":"sky","mask":"iVBOR"}])");
  EXPECT_EQ(failure("image-segmentation", R"([{"label":"sky","mask":null}])"),
            R"(image-segmentation: expected an array of {label, mask, score?}, got [0] without "mask")");
}

TEST(TaskOutputTest, ClassificationErrors) {
  EXPECT_EQ(failure("text-classification", R"([{"label":"a","score":"0.5"}])"),
            "text-classification: expected an array of {label, score}, got [0].score: a string");
  EXPECT_EQ(failure("text-classification", R"([{"label":"a","score":0.5},{"label":"b"}])"),
            R"(text-classification: expected an array of {label, score}, got [1] without "score")");
  EXPECT_EQ(failure("text-classification", R"([[{"label":"a","score":0.5}],[{"label":7,"score":1}]])"),
            "text-classification: expected an array of {label, score}, got [1][0].label: a number");
  EXPECT_EQ(failure("text-classification", R"("POSITIVE")"),
            "text-classification: expected an array of {label, score}, got a string");
  EXPECT_EQ(failure("text-classification", R"({"label":"a"})"),
            R"(text-classification: expected an array of {label, score}, got an object without "score")");
  EXPECT_EQ(failure("text-classification", R"([{"label":"a","score":1},[]])"),
            "text-classification: expected an array of {label, score}, got [1]: an empty array");
  EXPECT_EQ(failure("image-classification", R"({"error":"Model google/vit is currently loading"})"),
            R"(image-classification: expected an array of {label, score}, got an object with an "error" member)");
}

TEST(TaskOutputTest, ZeroShotClassificationLegacyLabelsAndScores) {
  // Record 10 (hf-inference): one legacy object per input, in a list.
  EXPECT_EQ(normalized("zero-shot-classification",
                       R"([{"sequence":"Hi","labels":["refund","faq","legal"],)"
                       R"("scores":[0.8777875304222107,0.10522652417421341,0.01698593609035015]}])"),
            R"([{"label":"refund","score":0.8777875304222107},{"label":"faq","score":0.10522652417421341},)"
            R"({"label":"legal","score":0.01698593609035015}])");
  // A bare legacy object.
  EXPECT_EQ(normalized("zero-shot-classification", R"({"sequence":"s","labels":["a"],"scores":[1]})"),
            R"([{"label":"a","score":1}])");
  // Two inputs.
  EXPECT_EQ(normalized("zero-shot-classification",
                       R"([{"labels":["a"],"scores":[1]},{"labels":["b"],"scores":[2]}])"),
            R"([[{"label":"a","score":1}],[{"label":"b","score":2}]])");
  // The spec's shape passes through.
  EXPECT_EQ(normalized("zero-shot-classification", R"([{"label":"a","score":1}])"), R"([{"label":"a","score":1}])");
  EXPECT_EQ(failure("zero-shot-classification", R"([{"labels":["a","b"],"scores":[1]}])"),
            "zero-shot-classification: expected an array of {label, score}, got [0] with labels and scores of "
            "different lengths (2 and 1)");
  EXPECT_EQ(failure("zero-shot-classification", R"({"labels":["a"],"scores":["high"]})"),
            "zero-shot-classification: expected an array of {label, score}, got [0].score: a string");
}

// ---------------------------------------------------------------------------
// Other list-shaped tasks
// ---------------------------------------------------------------------------

TEST(TaskOutputTest, FillMask) {
  const char* record4 = R"([{"score":0.2910905182361603,"token":1996,"token_str":"the","sequence":"the world!"}])";
  EXPECT_EQ(normalized("fill-mask", record4),
            R"([{"sequence":"the world!","score":0.2910905182361603,"token":1996,"token_str":"the"}])");
  // Several masks: one list per mask.
  EXPECT_EQ(normalized("fill-mask", R"([[{"score":1,"token":1,"token_str":"a","sequence":"a"}],)"
                                    R"([{"score":1,"token":2,"token_str":"b","sequence":"b"}]])"),
            R"([[{"sequence":"a","score":1,"token":1,"token_str":"a"}],)"
            R"([{"sequence":"b","score":1,"token":2,"token_str":"b"}]])");
  EXPECT_EQ(failure("fill-mask", R"([{"score":1,"token":"1","token_str":"a","sequence":"a"}])"),
            "fill-mask: expected an array of {sequence, score, token, token_str}, got [0].token: a string");
}

TEST(TaskOutputTest, QuestionAnswering) {
  // Record 7: one object, the spec wants a list.
  EXPECT_EQ(normalized("question-answering", R"({"score":0.9703431725502014,"start":25,"end":30,"answer":"Paris"})"),
            R"([{"answer":"Paris","score":0.9703431725502014,"start":25,"end":30}])");
  // top_k > 1: a list already. Integers written as 16.0 are numbers too.
  EXPECT_EQ(normalized("question-answering", R"([{"answer":"a","score":0.5,"start":16.0,"end":17},)"
                                             R"({"answer":"b","score":0.25,"start":1,"end":2}])"),
            R"([{"answer":"a","score":0.5,"start":16.0,"end":17},{"answer":"b","score":0.25,"start":1,"end":2}])");
  EXPECT_EQ(failure("question-answering", R"({"answer":"a","score":0.5,"start":"16","end":17})"),
            "question-answering: expected an array of {answer, score, start, end}, got start: a string");
}

TEST(TaskOutputTest, TableQuestionAnswering) {
  EXPECT_EQ(normalized("table-question-answering",
                       R"({"answer":"AVERAGE > 36542","coordinates":[[0,1]],"cells":["36542"],"aggregator":"AVERAGE"})"),
            R"([{"answer":"AVERAGE > 36542","coordinates":[[0,1]],"cells":["36542"],"aggregator":"AVERAGE"}])");
  EXPECT_EQ(normalized("table-question-answering", R"({"answer":"x","coordinates":[],"cells":[]})"),
            R"([{"answer":"x","coordinates":[],"cells":[]}])");
  EXPECT_EQ(failure("table-question-answering", R"({"answer":"x","coordinates":[[0,1]],"cells":[36542]})"),
            "table-question-answering: expected an array of {answer, coordinates, cells, aggregator?}, got "
            "cells[0]: a number");
  EXPECT_EQ(failure("table-question-answering", R"({"answer":"x","coordinates":[0,1],"cells":[]})"),
            "table-question-answering: expected an array of {answer, coordinates, cells, aggregator?}, got "
            "coordinates[0]: a number");
}

TEST(TaskOutputTest, TokenClassification) {
  EXPECT_EQ(normalized("token-classification",
                       R"([{"entity_group":"PER","score":0.99,"word":"Sarah","start":11,"end":16},)"
                       R"({"entity":"B-LOC","score":0.5,"word":"Paris","start":20,"end":25,"index":4}])"),
            R"([{"entity_group":"PER","score":0.99,"word":"Sarah","start":11,"end":16},)"
            R"({"entity":"B-LOC","score":0.5,"word":"Paris","start":20,"end":25}])");
  EXPECT_EQ(normalized("token-classification", "[]"), "[]");
  EXPECT_EQ(failure("token-classification", R"([{"entity":"B","score":0.5,"word":"x","start":1}])"),
            "token-classification: expected an array of {entity_group?, entity?, score, word, start, end}, got [0] "
            "without \"end\"");
}

TEST(TaskOutputTest, ObjectDetectionProjectsTheBox) {
  EXPECT_EQ(normalized("object-detection",
                       R"([{"score":0.99,"label":"cat","box":{"xmin":506,"ymin":233,"xmax":629,"ymax":405,"z":1}}])"),
            R"([{"label":"cat","score":0.99,"box":{"xmin":506,"xmax":629,"ymin":233,"ymax":405}}])");
  EXPECT_EQ(failure("object-detection", R"([{"score":0.99,"label":"cat","box":{"xmin":1,"ymin":2,"xmax":3}}])"),
            "object-detection: expected an array of {label, score, box}, got [0].box without \"ymax\"");
  EXPECT_EQ(failure("object-detection", R"([{"score":0.99,"label":"cat","box":[1,2,3,4]}])"),
            "object-detection: expected an array of {label, score, box}, got [0].box: an array");
}

TEST(TaskOutputTest, VisualAndDocumentQuestionAnswering) {
  EXPECT_EQ(normalized("visual-question-answering", R"([{"score":0.51,"answer":"2"},{"score":0.3}])"),
            R"([{"answer":"2","score":0.51},{"score":0.3}])");
  // Record 29: donut answers with the text only.
  EXPECT_EQ(normalized("document-question-answering", R"([{"answer":"us-001"}])"), R"([{"answer":"us-001"}])");
  EXPECT_EQ(normalized("document-question-answering", R"([{"score":0.6,"answer":"us-001","start":16,"end":16}])"),
            R"([{"answer":"us-001","score":0.6,"start":16,"end":16}])");
  EXPECT_EQ(normalized("document-question-answering", R"({"answer":"x"})"), R"([{"answer":"x"}])");
  EXPECT_EQ(failure("document-question-answering", R"([{"score":0.6}])"),
            "document-question-answering: expected an array of {answer, score?, start?, end?}, got [0] without "
            "\"answer\"");
}

TEST(TaskOutputTest, AudioToAudio) {
  EXPECT_EQ(normalized("audio-to-audio", R"([{"label":"label_0","blob":"ZkxhQw==","content-type":"audio/flac"}])"),
            R"([{"label":"label_0","blob":"ZkxhQw==","content-type":"audio/flac"}])");
  EXPECT_EQ(failure("audio-to-audio", R"([{"label":"label_0","blob":null}])"),
            "audio-to-audio: expected an array of {label, blob, content-type?}, got [0] without \"blob\"");
}

// ---------------------------------------------------------------------------
// Object-shaped tasks
// ---------------------------------------------------------------------------

TEST(TaskOutputTest, SummarizationTranslationImageToText) {
  // Records 17, 8, 22: a list of one.
  EXPECT_EQ(normalized("summarization", R"([{"summary_text":"The tower is 324 metres"}])"),
            R"({"summary_text":"The tower is 324 metres"})");
  EXPECT_EQ(normalized("summarization", R"({"summary_text":"s","extra":1})"), R"({"summary_text":"s"})");
  EXPECT_EQ(normalized("translation", R"([{"translation_text":"Mein Name ist Wolfgang"}])"),
            R"({"translation_text":"Mein Name ist Wolfgang"})");
  // Record 45: two inputs, two results.
  EXPECT_EQ(normalized("translation", R"([{"translation_text":"a"},{"translation_text":"b"}])"),
            R"([{"translation_text":"a"},{"translation_text":"b"}])");
  EXPECT_EQ(normalized("image-to-text", R"([{"generated_text":"a giraffe "}])"), R"({"generated_text":"a giraffe "})");
  EXPECT_EQ(failure("summarization", "[]"), "summarization: expected an object {summary_text}, got an empty array");
  EXPECT_EQ(failure("summarization", R"("text")"), "summarization: expected an object {summary_text}, got a string");
  EXPECT_EQ(failure("summarization", R"([{"summary_text":1}])"),
            "summarization: expected an object {summary_text}, got [0].summary_text: a number");
  EXPECT_EQ(failure("translation", R"([{"translation_text":"a"},{"text":"b"}])"),
            "translation: expected an object {translation_text}, got [1] without \"translation_text\"");
  EXPECT_EQ(failure("translation", R"([["a"]])"), "translation: expected an object {translation_text}, got [0]: an array");
}

TEST(TaskOutputTest, AutomaticSpeechRecognition) {
  EXPECT_EQ(normalized("automatic-speech-recognition", R"({"text":"GOING ALONG"})"), R"({"text":"GOING ALONG"})");
  EXPECT_EQ(normalized("automatic-speech-recognition",
                       R"({"text":" he has","chunks":[{"timestamp":[0,9.9],"text":" he has","speaker":1}],"x":1})"),
            R"({"text":" he has","chunks":[{"text":" he has","timestamp":[0,9.9]}]})");
  // Whisper's open-ended last chunk.
  EXPECT_EQ(normalized("automatic-speech-recognition", R"({"text":"a","chunks":[{"text":"a","timestamp":[1.5,null]}]})"),
            R"({"text":"a","chunks":[{"text":"a","timestamp":[1.5,null]}]})");
  // chunks is optional: a broken one is dropped rather than losing the text.
  EXPECT_EQ(normalized("automatic-speech-recognition", R"({"text":"a","chunks":[{"timestamp":[0,1]}]})"),
            R"({"text":"a"})");
  EXPECT_EQ(failure("automatic-speech-recognition", R"({"chunks":[]})"),
            "automatic-speech-recognition: expected an object {text, chunks?}, got an object without \"text\"");
}

TEST(TaskOutputTest, TextGeneration) {
  // TGI list of one (record 3) and bare object.
  EXPECT_EQ(normalized("text-generation", R"([{"generated_text":"a"}])"), R"({"generated_text":"a"})");
  EXPECT_EQ(normalized("text-generation", R"({"generated_text":"a","details":null})"), R"({"generated_text":"a"})");
  // OpenAI completions (record 154, together).
  EXPECT_EQ(normalized("text-generation",
                       R"({"id":"9026c930e8ed9f04","object":"text.completion","created":1736953756,)"
                       R"("model":"mistralai/Mixtral-8x7B-v0.1","prompt":[],"choices":[{"text":" a city of love, and it’s also",)"
                       R"("finish_reason":"length","seed":14998481174092497000,"logprobs":null,"index":0}],)"
                       R"("usage":{"prompt_tokens":3,"completion_tokens":10,"total_tokens":13}})"),
            R"({"generated_text":" a city of love, and it’s also"})");
  EXPECT_EQ(normalized("text-generation", R"({"choices":[{"text":"a"},{"text":"b"}]})"),
            R"([{"generated_text":"a"},{"generated_text":"b"}])");
  EXPECT_EQ(failure("text-generation", R"({"choices":[{"text":null}]})"),
            "text-generation: expected an object {generated_text, details?}, got choices[0] without a string \"text\"");
  EXPECT_EQ(failure("text-generation", R"({"choices":[]})"),
            "text-generation: expected an object {generated_text, details?}, got an empty \"choices\" array");
  EXPECT_EQ(failure("text-generation", R"({"generated_text":null})"),
            "text-generation: expected an object {generated_text, details?}, got an object without \"generated_text\"");
  // A chat completion is not a text generation.
  EXPECT_FALSE(failure("text-generation", R"({"choices":[{"message":{"content":"a"}}]})").empty());
}

// ---------------------------------------------------------------------------
// Numeric outputs
// ---------------------------------------------------------------------------

TEST(TaskOutputTest, NumberLists) {
  EXPECT_EQ(normalized("sentence-similarity", "[0.6623499989509583, 0.9382343292236328,0.2296334058046341]"),
            "[0.6623499989509583,0.9382343292236328,0.2296334058046341]");
  EXPECT_EQ(normalized("tabular-regression", "[270.5473526976245,313.6843425638086]"),
            "[270.5473526976245,313.6843425638086]");
  EXPECT_EQ(normalized("tabular-classification", R"([5,5,7])"), "[5,5,7]");
  EXPECT_EQ(normalized("tabular-classification", R"(["setosa",1])"), R"(["setosa",1])");
  EXPECT_EQ(failure("sentence-similarity", R"([0.5,"0.6"])"),
            "sentence-similarity: expected an array of numbers, got [1]: a string");
  EXPECT_EQ(failure("tabular-regression", R"({"error":"bad table"})"),
            "tabular-regression: expected an array of numbers, got an object with an \"error\" member");
  EXPECT_EQ(failure("tabular-classification", R"([null])"),
            "tabular-classification: expected an array of numbers or strings, got [0]: null");
}

TEST(TaskOutputTest, FeatureExtractionKeepsTheDepth) {
  EXPECT_EQ(normalized("feature-extraction", "[-0.1444098949432373,0.3950554430484772]"),
            "[-0.1444098949432373,0.3950554430484772]");
  EXPECT_EQ(normalized("feature-extraction", "[[1,2],[3,4]]"), "[[1,2],[3,4]]");
  EXPECT_EQ(normalized("feature-extraction", "[[[1,2],[3,4]]]"), "[[[1,2],[3,4]]]");
  EXPECT_EQ(normalized("feature-extraction", "[[[[1e3]]]]"), "[[[[1e3]]]]");
  EXPECT_EQ(normalized("feature-extraction", "[]"), "[]");
  // OpenAI embeddings (record 331, sambanova): one row per input.
  EXPECT_EQ(normalized("feature-extraction",
                       R"({"data":[{"embedding":[0.002607916481792927,-0.5],"index":0,"object":"embedding"}],)"
                       R"("model":"E5-Mistral-7B-Instruct","object":"list","usage":{"prompt_tokens":16}})"),
            "[[0.002607916481792927,-0.5]]");
  EXPECT_EQ(failure("feature-extraction", "[[1],2]"), "feature-extraction: expected nested arrays of numbers, got [1]: a number");
  EXPECT_EQ(failure("feature-extraction", "[1,[2]]"), "feature-extraction: expected nested arrays of numbers, got [1]: an array");
  EXPECT_EQ(failure("feature-extraction", R"([[1,"2"]])"),
            "feature-extraction: expected nested arrays of numbers, got [0][1]: a string");
  EXPECT_EQ(failure("feature-extraction", R"({"data":[{"embedding":"AAAA"}]})"),
            "feature-extraction: expected nested arrays of numbers, got data[0] without an \"embedding\" array of numbers");
  EXPECT_EQ(failure("feature-extraction", "3"), "feature-extraction: expected nested arrays of numbers, got a number");
}

// ---------------------------------------------------------------------------
// Bodies that are not JSON, and tasks not handled
// ---------------------------------------------------------------------------

TEST(TaskOutputTest, BodiesThatAreNotJsonFail) {
  const char* bodies[] = {"",        " ",       "not json", "[1,2",      "[1] x",        "{\"a\":1}}", "[1,]",
                          "{\"a\"}", "\"\\x\"", "nul",      "[01]",      "[1.]",         "[\"a]",      "<html></html>",
                          "[1][2]",  "[nan]",   "\"a\" b",  "[\"\xff\"]", "{\"a\":tru}", "[1 2]"};
  for (const char* body : bodies) {
    const std::string error = failure("sentence-similarity", body);
    EXPECT_EQ(error.rfind("sentence-similarity: the body is not JSON (", 0), 0u) << body << " -> " << error;
  }
  // Deeper than simdjson's limit: an error, not a crash.
  for (const std::string& deep : {std::string(5000, '[') + std::string(5000, ']'), std::string(1000000, '['),
                                   std::string(300000, '{') + "\"a\":" + std::string(300000, '}')}) {
    EXPECT_EQ(failure("feature-extraction", deep).rfind("feature-extraction: the body is not JSON (", 0), 0u);
  }
  // Deep but within the limit: fine.
  EXPECT_EQ(normalized("feature-extraction", std::string(500, '[') + "1" + std::string(500, ']')),
            std::string(500, '[') + "1" + std::string(500, ']'));
}

TEST(TaskOutputTest, TasksWithoutJsonOutputAreRefused) {
  for (const char* task : {"text-to-image", "text-to-speech", "image-to-image", "text-to-video", "chat-completion",
                           "conversational", "", "Text-Classification"}) {
    EXPECT_FALSE(has_output_normalization(task)) << task;
    EXPECT_EQ(failure(task, "[]"), "no JSON output normalisation for task \"" + std::string(task) + "\"");
  }
}

// The tasks of issue 4 with a JSON answer.
const char* const kTasks[] = {"text-classification",
                              "fill-mask",
                              "summarization",
                              "translation",
                              "question-answering",
                              "table-question-answering",
                              "token-classification",
                              "zero-shot-classification",
                              "feature-extraction",
                              "sentence-similarity",
                              "image-classification",
                              "object-detection",
                              "image-segmentation",
                              "image-to-text",
                              "zero-shot-image-classification",
                              "visual-question-answering",
                              "document-question-answering",
                              "audio-classification",
                              "automatic-speech-recognition",
                              "audio-to-audio",
                              "text-generation",
                              "tabular-classification",
                              "tabular-regression"};

TEST(TaskOutputTest, EveryTaskIsKnown) {
  for (const char* task : kTasks) EXPECT_TRUE(has_output_normalization(task)) << task;
}

TEST(TaskOutputTest, SchemaCheckerCatchesWhatItShould) {
  SchemaChecker checker;
  ASSERT_TRUE(checker.loaded());
  EXPECT_EQ(check_output(checker, "text-classification", json::parse(R"([{"label":"a","score":1}])")), "");
  EXPECT_NE(check_output(checker, "text-classification", json::parse(R"([{"label":"a"}])")), "");
  EXPECT_NE(check_output(checker, "text-classification", json::parse(R"([[{"label":"a","score":1}]])")), "");
  EXPECT_NE(check_output(checker, "summarization", json::parse(R"([{"summary_text":"a"}])")), "");
  EXPECT_EQ(check_output(checker, "summarization", json::parse(R"([{"summary_text":"a"},{"summary_text":"b"}])")), "");
  EXPECT_EQ(check_output(checker, "fill-mask", json::parse(R"([{"sequence":"a","score":1,"token":1,"token_str":"a"}])")),
            "");
  EXPECT_NE(check_output(checker, "fill-mask", json::parse(R"([{"sequence":"a","score":1,"token":1.5,"token_str":"a"}])")),
            "");
  EXPECT_NE(check_output(checker, "object-detection",
                         json::parse(R"([{"label":"a","score":1,"box":{"xmin":1,"xmax":1,"ymin":1}}])")),
            "");
  EXPECT_NE(check_output(checker, "text-generation",
                         json::parse(R"({"generated_text":"a","details":{"finish_reason":"tired","generated_tokens":1,
                           "prefill":[],"tokens":[]}})")),
            "");
  EXPECT_EQ(check_output(checker, "text-generation",
                         json::parse(R"({"generated_text":"a","details":{"finish_reason":"length","generated_tokens":1,
                           "prefill":[],"tokens":[{"id":1,"text":"a","logprob":null,"special":false}]}})")),
            "");
  EXPECT_EQ(check_output(checker, "feature-extraction", json::parse("[[[1,2]]]")), "");
  EXPECT_NE(check_output(checker, "feature-extraction", json::parse(R"([["a"]])")), "");
}

// ---------------------------------------------------------------------------
// Conformance over the recorded real traffic
// ---------------------------------------------------------------------------

// Records that may fail, with the reason. Every entry must be a genuinely
// broken recording (not a server shape we should handle). None so far.
const std::map<int, const char*> kBrokenRecordings = {};

TEST(TaskOutputTest, RecordedResponsesNormaliseToTheirSchemas) {
  SchemaChecker checker;
  ASSERT_TRUE(checker.loaded());
  std::ifstream in(fixture_path("hfjs-tapes/interactions.ndjson"), std::ios::binary);
  ASSERT_TRUE(in) << "fixture file missing";
  const std::set<std::string> tasks(std::begin(kTasks), std::end(kTasks));
  std::map<std::string, Tally> by_task, by_provider;
  std::vector<std::string> skipped;
  std::map<std::string, int> skip_reasons;
  std::set<int> allowed_failures;
  std::string line;
  while (std::getline(in, line)) {
    const json record = json::parse(line, nullptr, false);
    if (!record.is_object() || record.value("kind", "") != "inference") continue;
    const int ordinal = record.value("ordinal", -1);
    const std::string task = record.value("task", "");
    std::string provider = record.value("provider", "");
    provider = provider.substr(0, provider.find(" ("));
    const int status = record.value("response_status", 0);
    const std::string label = "#" + std::to_string(ordinal) + " " + task + " (" + record.value("provider", "") + ")";
    std::string reason;
    if (!tasks.count(task)) {
      reason = "task out of scope";
    } else if (status < 200 || status > 299) {
      reason = "error status " + std::to_string(status);
    } else if (!record["response_body"].is_string() || record.value("response_body_encoding", "") != "text") {
      reason = "binary body (not recorded)";
    } else if (record.value("is_stream", false)) {
      reason = record.value("is_error", false) ? "SSE stream with an error event" : "SSE stream (not a JSON body)";
    }
    if (!reason.empty()) {
      skipped.push_back(label + ": " + reason);
      const bool status_reason = reason.rfind("error status", 0) == 0;
      ++skip_reasons[status_reason ? std::string("error status") : reason];
      continue;
    }
    SCOPED_TRACE(label);
    Tally& task_tally = by_task[task];
    Tally& provider_tally = by_provider[provider];
    ++task_tally.total;
    ++provider_tally.total;
    std::string out, error;
    std::string problem;
    if (!normalize_output(task, record["response_body"].get<std::string>(), out, error)) {
      problem = "normalize_output failed: " + error;
    } else {
      const json output = json::parse(out, nullptr, false);
      problem = output.is_discarded() ? "the output is not JSON: " + out : check_output(checker, task, output);
    }
    if (problem.empty()) {
      ++task_tally.passed;
      ++provider_tally.passed;
    } else if (kBrokenRecordings.count(ordinal)) {
      allowed_failures.insert(ordinal);
    } else {
      ADD_FAILURE() << problem;
    }
  }
  print_table("passed / total by task", by_task);
  print_table("passed / total by provider", by_provider);
  std::cout << "\nskipped " << skipped.size() << " records:\n";
  for (const auto& [reason, count] : skip_reasons) std::cout << "  " << count << " x " << reason << "\n";
  for (const std::string& s : skipped) std::cout << "  " << s << "\n";
  // The allow-list must not go stale.
  for (const auto& [ordinal, why] : kBrokenRecordings) {
    EXPECT_TRUE(allowed_failures.count(ordinal)) << "record " << ordinal << " passes now; drop it (" << why << ")";
  }
  int checked = 0;
  for (const auto& [name, tally] : by_task) checked += tally.total;
  EXPECT_GE(checked, 100);               // the fixture was read
  EXPECT_EQ(by_task.size(), 23u);        // every task has at least one recording
}

}  // namespace
}  // namespace hfi::tasks
