// Provider routes through the router (/{provider}/...) and directly (/direct/{provider}/...).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base64.h"
#include "emulator.h"
#include "media_files.h"
#include "test_client.h"

namespace hfi::emu::test {
namespace {

using nlohmann::json;

class Providers : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(emulator.start(&error)) << error;
  }
  Response post(const std::string& path, const std::string& body, std::vector<std::string> headers = {}) {
    Call call;
    call.method = "POST";
    call.url = emulator.base_url() + path;
    call.body = body;
    call.headers = std::move(headers);
    return request(call);
  }
  Emulator emulator;
};

std::string multipart_body(const std::string& audio) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nemu-deepinfra/automatic-speech-recognition\r\n"
         "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\nContent-Type: audio/wav\r\n\r\n" +
         audio + "\r\n--XyZ--\r\n";
}

TEST_F(Providers, ChatUnderEveryProviderChatRoute) {
  for (const char* path : {"/baseten/v1/chat/completions", "/cohere/compatibility/v1/chat/completions",
                           "/deepinfra/v1/openai/chat/completions", "/fireworks-ai/inference/v1/chat/completions",
                           "/groq/openai/v1/chat/completions", "/novita/v3/openai/chat/completions",
                           "/zai-org/api/paas/v4/chat/completions", "/together/v1/chat/completions"}) {
    Response response = post(path, chat_body("hi"));
    ASSERT_EQ(response.status, 200) << path << ": " << response.body;
    EXPECT_EQ(json::parse(response.body)["choices"][0]["message"]["content"], "Hello! You said: hi") << path;
  }
}

TEST_F(Providers, CompletionsPlainAndStreamed) {
  for (const char* path : {"/deepinfra/v1/openai/completions", "/together/v1/completions", "/novita/v3/openai/completions",
                           "/featherless-ai/v1/completions", "/nebius/v1/completions", "/scaleway/v1/completions",
                           "/ovhcloud/v1/completions"}) {
    Response plain = post(path, R"({"model":"m","prompt":"one two three"})");
    ASSERT_EQ(plain.status, 200) << path << plain.body;
    std::string text = json::parse(plain.body)["choices"][0]["text"];
    Response streamed = post(path, R"({"model":"m","prompt":"one two three","stream":true})");
    ASSERT_EQ(streamed.header("content-type"), "text/event-stream") << path;
    std::vector<std::string> events = sse_data(streamed.body);
    ASSERT_EQ(events.back(), "[DONE]");
    std::string joined;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) joined += json::parse(events[i])["choices"][0]["text"].get<std::string>();
    EXPECT_EQ(joined, text) << path;
  }
  EXPECT_EQ(post("/together/v1/completions", R"({"model":"m"})").status, 422);
}

TEST_F(Providers, EmbeddingsOnePerInput) {
  for (const char* path : {"/deepinfra/v1/openai/embeddings", "/together/v1/embeddings", "/nebius/v1/embeddings",
                           "/sambanova/v1/embeddings", "/scaleway/v1/embeddings"}) {
    Response response = post(path, R"({"model":"m","input":["a","b","c"]})");
    ASSERT_EQ(response.status, 200) << path << response.body;
    json answer = json::parse(response.body);
    ASSERT_EQ(answer["data"].size(), 3u) << path;
    EXPECT_EQ(answer["data"][2]["index"], 2);
    EXPECT_EQ(answer["data"][0]["embedding"].size(), 8u);
  }
}

TEST_F(Providers, ImagesAsBase64) {
  std::string png = media_bytes("png");
  for (const char* provider : {"together", "nscale", "nebius"}) {
    Response response = post(std::string("/") + provider + "/v1/images/generations",
                             R"({"model":"m","prompt":"a cat","response_format":"b64_json"})");
    ASSERT_EQ(response.status, 200) << provider << response.body;
    std::string bytes;
    ASSERT_TRUE(base64_decode(json::parse(response.body)["data"][0]["b64_json"].get<std::string>(), &bytes));
    EXPECT_EQ(bytes, png) << provider;
  }
  Response hyperbolic = post("/hyperbolic/v1/images/generations", R"({"model_name":"SD2","prompt":"a cat"})");
  std::string bytes;
  ASSERT_TRUE(base64_decode(json::parse(hyperbolic.body)["images"][0]["image"].get<std::string>(), &bytes));
  EXPECT_EQ(bytes, png);
  EXPECT_EQ(post("/together/v1/images/generations", R"({"model":"m"})").status, 422);
}

TEST_F(Providers, SpeechIsRawAudioAndTranscriptionsAreMultipart) {
  Response speech = post("/deepinfra/v1/openai/audio/speech", R"({"model":"m","input":"hello"})");
  ASSERT_EQ(speech.status, 200) << speech.body;
  EXPECT_EQ(speech.header("content-type"), "audio/wav");
  EXPECT_EQ(speech.body, media_bytes("wav"));
  EXPECT_EQ(post("/together/v1/audio/speech", R"({"model":"m","input":"hi","response_format":"flac"})").header("content-type"),
            "audio/flac");
  for (const char* path : {"/deepinfra/v1/openai/audio/transcriptions", "/together/v1/audio/transcriptions"}) {
    Response text = post(path, multipart_body(media_bytes("wav")), {"Content-Type: multipart/form-data; boundary=XyZ"});
    ASSERT_EQ(text.status, 200) << path << text.body;
    json answer = json::parse(text.body);
    EXPECT_EQ(answer["text"], "emulated transcript of 76 bytes of audio/wav");
    EXPECT_EQ(answer["segments"][0]["text"], answer["text"]);
  }
  EXPECT_EQ(post("/deepinfra/v1/openai/audio/transcriptions", R"({"file":"x"})").status, 400);
}

TEST_F(Providers, FalSyncRoutes) {
  std::string audio = "data:audio/wav;base64," + base64_encode(media_bytes("wav"));
  Response asr = post("/fal-ai/emu-fal-ai/automatic-speech-recognition", R"({"audio_url":")" + audio + "\"}");
  ASSERT_EQ(asr.status, 200) << asr.body;
  EXPECT_EQ(json::parse(asr.body)["text"], "emulated transcript of 76 bytes of audio/wav");
  Response segmentation = post("/fal-ai/emu-fal-ai/image-segmentation",
                               R"({"image_url":"data:image/png;base64,)" + base64_encode(media_bytes("png")) + R"(","sync_mode":true})");
  ASSERT_EQ(segmentation.status, 200) << segmentation.body;
  std::string url = json::parse(segmentation.body)["image"]["url"];
  EXPECT_EQ(url.rfind("data:image/png;base64,", 0), 0u);
  Response image = post("/fal-ai/emu-fal-ai/text-to-image", R"({"prompt":"cat"})");
  std::string file = json::parse(image.body)["images"][0]["url"];
  EXPECT_EQ(get(file).body, media_bytes("png"));
  Response missing = post("/fal-ai/emu-fal-ai/automatic-speech-recognition", "{}");
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(json::parse(missing.body)["detail"][0]["loc"][1], "audio_url");
  EXPECT_EQ(post("/fal-ai/unknown/app", R"({"prompt":"x"})").status, 404);
}

TEST_F(Providers, DirectModeChecksEachProvidersAuthScheme) {
  EXPECT_EQ(post("/direct/together/v1/chat/completions", chat_body("hi")).status, 401);
  EXPECT_EQ(post("/direct/together/v1/chat/completions", chat_body("hi"), {"Authorization: Key k"}).status, 401);
  EXPECT_EQ(post("/direct/together/v1/chat/completions", chat_body("hi"), {"Authorization: Bearer k"}).status, 200);
  EXPECT_EQ(post("/direct/fal-ai/emu-fal-ai/text-to-image", R"({"prompt":"x"})", {"Authorization: Bearer k"}).status, 401);
  EXPECT_EQ(post("/direct/fal-ai/emu-fal-ai/text-to-image", R"({"prompt":"x"})", {"Authorization: Key k"}).status, 200);
  // Through the router no key is needed unless the emulator asks for one.
  EXPECT_EQ(post("/fal-ai/emu-fal-ai/text-to-image", R"({"prompt":"x"})").status, 200);
}

TEST_F(Providers, FilesAreServedWithoutAuthAndRecorded) {
  for (const char* extension : {"png", "wav", "flac", "mp4", "webm"}) {
    Response file = get(emulator.base_url() + "/files/x." + extension);
    ASSERT_EQ(file.status, 200) << extension;
    EXPECT_EQ(file.body, media_bytes(extension));
    EXPECT_EQ(file.header("content-type"), media_content_type(extension));
  }
  EXPECT_EQ(get(emulator.base_url() + "/files/x.exe").status, 404);
  std::vector<RecordedRequest> seen = emulator.requests();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().path, "/files/x.exe");
  EXPECT_EQ(seen.back().headers.count("authorization"), 0u);
}

}  // namespace
}  // namespace hfi::emu::test
