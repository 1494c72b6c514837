// hf-inference: every task of the default registry, answers computed from the input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base64.h"
#include "emulator.h"
#include "media_files.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

class HfInference : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(emulator.start(&error)) << error;
  }
  Response post(const std::string& model_and_suffix, const std::string& body, std::vector<std::string> headers = {}) {
    Call call;
    call.method = "POST";
    call.url = emulator.base_url() + "/hf-inference/models/" + model_and_suffix;
    call.body = body;
    call.headers = std::move(headers);
    return request(call);
  }
  json answer(const std::string& model_and_suffix, const std::string& body) {
    Response response = post(model_and_suffix, body);
    EXPECT_EQ(response.status, 200) << model_and_suffix << ": " << response.body;
    return json::parse(response.body, nullptr, false);
  }
  Emulator emulator;
};

std::string png_b64() { return base64_encode(media_bytes("png")); }

TEST_F(HfInference, TextTasksAnswerFromTheirInput) {
  json classes = answer("emu/text-classification", R"({"inputs":"I do not like it"})");
  EXPECT_EQ(classes[0][0]["label"], "NEGATIVE");  // the real [[...]] wrapper
  EXPECT_EQ(answer("emu/text-classification", R"({"inputs":["good","bad"]})").size(), 2u);

  json embedding = answer("emu/feature-extraction/pipeline/feature-extraction", R"({"inputs":"abc"})");
  ASSERT_TRUE(embedding.is_array());
  EXPECT_EQ(embedding.size(), 8u);
  EXPECT_TRUE(embedding[0].is_number());
  json batch = answer("emu/feature-extraction/pipeline/feature-extraction", R"({"inputs":["a","b","c"],"dimensions":4})");
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[2].size(), 4u);

  json similarity = answer("emu/sentence-similarity/pipeline/sentence-similarity",
                           R"({"inputs":{"source_sentence":"a happy dog","sentences":["a happy dog","sunny day"]}})");
  EXPECT_EQ(similarity, json::parse("[1.0, 0.0]"));

  json translation = answer("emu/translation", R"({"inputs":"hello","parameters":{"tgt_lang":"fr"}})");
  EXPECT_EQ(translation[0]["translation_text"], "[fr] HELLO");

  json mask = answer("emu/fill-mask", R"({"inputs":"Hello [MASK]!","parameters":{"top_k":2}})");
  ASSERT_EQ(mask.size(), 2u);
  EXPECT_EQ(mask[0]["sequence"], "Hello the!");

  json qa = answer("emu/question-answering", R"({"inputs":{"question":"Capital?","context":"The capital of France is Paris."}})");
  EXPECT_EQ(qa["answer"], "Paris");
  EXPECT_EQ(qa["start"], 25);
  EXPECT_EQ(qa["end"], 30);

  json entities = answer("emu/token-classification", R"({"inputs":"my name is Sarah"})");
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0]["word"], "Sarah");
  EXPECT_EQ(entities[0]["start"], 11);

  EXPECT_EQ(answer("emu/summarization", R"({"inputs":"First. Second."})")[0]["summary_text"], "First.");
  json zero = answer("emu/zero-shot-classification", R"({"inputs":"I want a refund","parameters":{"candidate_labels":["legal","refund"]}})");
  EXPECT_EQ(zero[0]["label"], "refund");

  json generated = answer("emu/text-generation", R"({"inputs":"one two"})");
  EXPECT_EQ(generated[0]["generated_text"].get<std::string>().rfind("one two", 0), 0u);

  json table = answer("emu/table-question-answering",
                      R"({"inputs":{"query":"How many stars has Datasets?","table":{"Repo":["Transformers","Datasets"],"Stars":["1","2"]}}})");
  EXPECT_EQ(table["answer"], "Datasets");
  EXPECT_EQ(table["coordinates"], json::parse("[[1,0]]"));

  EXPECT_EQ(answer("emu/tabular-regression", R"({"inputs":{"data":{"a":["1","2"],"b":["10","20"]}}})"), json::parse("[11.0,22.0]"));
  EXPECT_EQ(answer("emu/tabular-classification", R"({"table":{"a":["1","2","3"]}})"), json::parse("[0,1,2]"));
}

TEST_F(HfInference, TextGenerationStreamsTgiEvents) {
  Response response = post("emu/text-generation", R"({"inputs":"hi","stream":true})");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/event-stream");
  std::vector<std::string> events = sse_data(response.body);
  ASSERT_GE(events.size(), 2u);
  std::string joined;
  for (const std::string& event : events) joined += json::parse(event)["token"]["text"].get<std::string>();
  EXPECT_EQ(json::parse(events.back())["generated_text"], joined);
}

TEST_F(HfInference, ChatAndCompletionsRoutes) {
  Response chat = post("emu/chat-completion/v1/chat/completions", chat_body("ping"));
  ASSERT_EQ(chat.status, 200) << chat.body;
  EXPECT_EQ(json::parse(chat.body)["choices"][0]["message"]["content"], "Hello! You said: ping");
  Response completion = post("emu/text-generation/v1/completions", R"({"model":"emu/text-generation","prompt":"a b"})");
  ASSERT_EQ(completion.status, 200) << completion.body;
  EXPECT_TRUE(json::parse(completion.body)["choices"][0]["text"].is_string());
}

TEST_F(HfInference, BinaryInputsAsRawBytesOrBase64) {
  std::string png = media_bytes("png");
  Response raw = post("emu/image-classification", png, {"Content-Type: image/png"});
  ASSERT_EQ(raw.status, 200) << raw.body;
  EXPECT_EQ(json::parse(raw.body)[0]["label"], "png");
  json wrapped = answer("emu/image-classification", R"({"inputs":")" + png_b64() + R"(","parameters":{"top_k":1}})");
  EXPECT_EQ(wrapped[0]["label"], "png");
  json asr = answer("emu/automatic-speech-recognition", media_bytes("wav"));
  EXPECT_EQ(asr["text"], "emulated transcript of 76 bytes of audio/wav");
  EXPECT_EQ(answer("emu/object-detection", png)[0]["box"]["xmax"], 1);
  EXPECT_TRUE(answer("emu/image-to-text", png)[0]["generated_text"].is_string());
  EXPECT_EQ(answer("emu/audio-classification", media_bytes("flac"))[0]["label"], "flac");
  std::string mask;
  ASSERT_TRUE(base64_decode(answer("emu/image-segmentation", R"({"inputs":")" + png_b64() + "\"}")[0]["mask"].get<std::string>(), &mask));
  EXPECT_EQ(mask, png);
  std::string blob;
  ASSERT_TRUE(base64_decode(answer("emu/audio-to-audio", media_bytes("wav"))[0]["blob"].get<std::string>(), &blob));
  EXPECT_EQ(blob.substr(0, 4), "fLaC");
  json zero = answer("emu/zero-shot-image-classification",
                     R"({"inputs":")" + png_b64() + R"(","parameters":{"candidate_labels":["cat","png"]}})");
  EXPECT_EQ(zero[0]["label"], "png");
  json vqa = answer("emu/visual-question-answering", R"({"inputs":{"question":"what animal","image":")" + png_b64() + "\"}}");
  EXPECT_EQ(vqa[0]["answer"], "animal");
  json dqa = answer("emu/document-question-answering", R"({"inputs":{"question":"which invoice","image":")" + png_b64() + "\"}}");
  EXPECT_EQ(dqa[0]["answer"], "invoice");
  EXPECT_TRUE(dqa[0].contains("start"));
}

TEST_F(HfInference, MediaOutputsAreFilesWithTheirType) {
  Response image = post("emu/text-to-image", R"({"inputs":"a cat"})", {"Accept: image/png"});
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.header("content-type"), "image/png");
  EXPECT_EQ(image.body, media_bytes("png"));
  Response speech = post("emu/text-to-speech", R"({"inputs":"hello"})");
  EXPECT_EQ(speech.header("content-type"), "audio/flac");
  EXPECT_EQ(speech.body.substr(0, 4), "fLaC");
  Response edited = post("emu/image-to-image", media_bytes("png"));
  EXPECT_EQ(edited.header("content-type"), "image/png");
}

TEST_F(HfInference, MissingMembersAndBadBodies) {
  struct Case {
    std::string model, body;
    long status;
  } cases[] = {
      {"emu/text-classification", "not json", 400},
      {"emu/text-classification", R"({"parameters":{}})", 422},
      {"emu/question-answering", R"({"inputs":{"question":"q"}})", 422},
      {"emu/fill-mask", R"({"inputs":"no mask here"})", 422},
      {"emu/zero-shot-classification", R"({"inputs":"x"})", 422},
      {"emu/sentence-similarity/pipeline/sentence-similarity", R"({"inputs":{"source_sentence":"a"}})", 422},
      {"emu/image-classification", "", 422},
      {"emu/text-to-image", R"({"inputs":5})", 422},
  };
  for (const Case& c : cases) {
    Response response = post(c.model, c.body);
    EXPECT_EQ(response.status, c.status) << c.model << " " << c.body << " -> " << response.body;
    json error = json::parse(response.body, nullptr, false);
    EXPECT_TRUE(error.is_object() && error["error"].is_string()) << response.body;
  }
  EXPECT_EQ(post("nobody/nothing", R"({"inputs":"x"})").status, 404);
  EXPECT_EQ(post("emu/text-to-video", R"({"inputs":"x"})").status, 400);  // not an hf-inference task
}

TEST_F(HfInference, RegistryDecidesTheTask) {
  post_json(emulator.base_url() + "/_emulator/mappings",
            R"({"model":"acme/classifier","mapping":{"hf-inference":{"providerId":"acme/classifier","status":"live","task":"translation"}}})");
  EXPECT_EQ(answer("acme/classifier", R"({"inputs":"abc"})")[0]["translation_text"], "ABC");
}

}  // namespace
}  // namespace hfi::emu::test
