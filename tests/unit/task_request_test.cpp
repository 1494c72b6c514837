// Task requests per provider: exact paths, bodies and headers, multipart bodies parsed back, LoRA
// adapters, the input checks, and (task_request_conformance_test.cpp) the recorded traffic.
#include "providers/task_request.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "protocol/base64.h"
#include "providers/multipart.h"

namespace hfi::providers {
namespace {

using nlohmann::json;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
const std::string kWav = std::string("RIFF\x24\0\0\0WAVEfmt ", 16);

struct Call {
  std::string task, provider, model, provider_model, json, binary = {}, binary_type = {};
  const MappingEntry* mapping = nullptr;
};

// Views into `c`, which must outlive the result.
TaskCallInput input_of(const Call& c) {
  TaskCallInput in;
  in.task = tasks::find_task(c.task);
  in.provider = find_provider(c.provider);
  in.model = c.model.empty() ? std::string_view("org/model") : std::string_view(c.model);
  in.provider_model = c.provider_model.empty() ? in.model : std::string_view(c.provider_model);
  in.json = c.json;
  in.binary = c.binary;
  in.binary_type = c.binary_type;
  in.mapping = c.mapping;
  return in;
}

TaskHttpRequest build(const Call& c) {
  TaskHttpRequest out;
  std::string error;
  EXPECT_EQ(build_task_request(input_of(c), out, error), HFI_OK) << c.provider << " " << c.task << ": " << error;
  return out;
}

std::string failure(const Call& c, hfi_status expected = HFI_E_INVALID_ARG) {
  TaskHttpRequest out;
  std::string error;
  EXPECT_EQ(build_task_request(input_of(c), out, error), expected) << c.provider << " " << c.task;
  return error;
}

std::string data_url(std::string_view type, std::string_view bytes) {
  std::string out = "data:" + std::string(type) + ";base64,";
  base64::append_encoded(out, bytes);
  return out;
}

json body_of(const TaskHttpRequest& r) { return json::parse(r.body); }

TEST(TaskRequestTest, HfInferencePathsFollowTheProviderPrefix) {
  TaskHttpRequest r = build({"text-classification", "hf-inference", "distilbert/sst2", "", R"({"inputs":"hi"})"});
  EXPECT_EQ(r.path, "/models/distilbert/sst2");
  EXPECT_EQ(r.body, R"({"inputs":"hi"})");
  EXPECT_EQ(r.content_type, "application/json");
  r = build({"feature-extraction", "hf-inference", "BAAI/bge", "", R"({"inputs":["a","b"]})"});
  EXPECT_EQ(r.path, "/models/BAAI/bge/pipeline/feature-extraction");
  r = build({"text-to-image", "hf-inference", "sd/xl", "", R"({"inputs":"cat"})"});
  EXPECT_EQ(r.headers, std::vector<std::string>{"Accept: image/png"});
  r = build({"chat-completion", "hf-inference", "meta/llama", "",
             R"({"messages":[{"role":"user","content":"hi"}],"stream":true})"});
  EXPECT_EQ(r.path, "/models/meta/llama/v1/chat/completions");
  EXPECT_EQ(r.body, R"({"model":"meta/llama","messages":[{"role":"user","content":"hi"}],"stream":true})");
  EXPECT_TRUE(r.stream);
  r = build({"image-classification", "hf-inference", "google/vit", "", "", kPng, "image/png"});
  EXPECT_EQ(r.body, kPng);
  EXPECT_EQ(r.content_type, "image/png");
  EXPECT_EQ(failure({"text-to-video", "hf-inference", "a/b", "", R"({"inputs":"x"})"}, HFI_E_UNSUPPORTED),
            "hf-inference does not serve text-to-video");
}

TEST(TaskRequestTest, OpenAIStyleTextRoutes) {
  TaskHttpRequest r = build({"chat-completion", "groq", "meta/Llama-3", "llama-3.1-8b",
                             R"({"messages":[],"model":"meta/Llama-3","temperature":0.70})"});
  EXPECT_EQ(r.path, "/openai/v1/chat/completions");
  EXPECT_EQ(r.body, R"({"model":"llama-3.1-8b","messages":[],"temperature":0.70})");
  EXPECT_FALSE(r.stream);
  r = build({"text-generation", "featherless-ai", "m/x", "m/x-prov",
             R"({"inputs":"Paris is","parameters":{"max_new_tokens":10,"temperature":0.50},"stream":true})"});
  EXPECT_EQ(r.path, "/v1/completions");
  EXPECT_EQ(body_of(r), json::parse(R"({"model":"m/x-prov","prompt":"Paris is","max_tokens":10,"temperature":0.5,
                                        "stream":true})"));
  EXPECT_NE(r.body.find("0.50"), std::string::npos);  // values as written
  EXPECT_TRUE(r.stream);
  r = build({"text-generation", "novita", "m/x", "", R"({"inputs":"a"})"});
  EXPECT_EQ(r.path, "/v3/openai/completions");
  r = build({"feature-extraction", "nebius", "BAAI/bge", "BAAI/bge-en", R"({"inputs":["a","b"]})"});
  EXPECT_EQ(r.path, "/v1/embeddings");
  EXPECT_EQ(r.body, R"({"model":"BAAI/bge-en","input":["a","b"]})");
  r = build({"feature-extraction", "deepinfra", "BAAI/bge", "", R"({"inputs":"a"})"});
  EXPECT_EQ(r.path, "/v1/openai/embeddings");
  EXPECT_EQ(failure({"text-to-image", "groq", "a/b", "", R"({"inputs":"x"})"}, HFI_E_UNSUPPORTED),
            "groq does not serve text-to-image");
}

TEST(TaskRequestTest, FalTextToImage) {
  TaskHttpRequest r = build({"text-to-image", "fal-ai", "black-forest-labs/FLUX.1-schnell", "fal-ai/flux/schnell",
                             R"({"inputs":"a cat","parameters":{"width":512,"height":768,"seed":7}})"});
  EXPECT_EQ(r.path, "/fal-ai/flux/schnell");
  EXPECT_FALSE(r.queued);
  EXPECT_EQ(r.body, R"({"seed":7,"prompt":"a cat","image_size":{"width":512,"height":768},"sync_mode":true})");
  EXPECT_TRUE(r.headers.empty());
  r = build({"text-to-video", "fal-ai", "Lightricks/LTX", "fal-ai/ltx-video", R"({"inputs":"waves"})"});
  EXPECT_TRUE(r.queued);
  EXPECT_EQ(r.body, R"({"prompt":"waves"})");
}

TEST(TaskRequestTest, FalLoraAdapters) {
  MappingEntry lora{"fal-ai", "fal-ai/lora", "live", "text-to-image", "lora", "pixel-art-xl.safetensors"};
  TaskHttpRequest r = build({"text-to-image", "fal-ai", "nerijs/pixel-art-xl", "fal-ai/lora",
                             R"({"inputs":"corgi","parameters":{"negative_prompt":"3d"}})", "", "", &lora});
  EXPECT_EQ(body_of(r), json::parse(R"({"negative_prompt":"3d","prompt":"corgi","sync_mode":true,
      "loras":[{"path":"https://huggingface.co/nerijs/pixel-art-xl/resolve/main/pixel-art-xl.safetensors","scale":1}],
      "model_name":"stabilityai/stable-diffusion-xl-base-1.0"})"));
  lora.provider_id = "fal-ai/flux-lora";
  r = build({"text-to-image", "fal-ai", "openfree/flux-gh", "fal-ai/flux-lora", R"({"inputs":"ship"})", "", "", &lora});
  EXPECT_FALSE(body_of(r).contains("model_name"));
  lora.adapter_weights_path.clear();
  EXPECT_EQ(failure({"text-to-image", "fal-ai", "a/b", "fal-ai/lora", R"({"inputs":"x"})", "", "", &lora}),
            "the mapping of a/b at fal-ai is a LoRA adapter without adapterWeightsPath");
}

TEST(TaskRequestTest, FalMediaInputs) {
  TaskHttpRequest r = build({"automatic-speech-recognition", "fal-ai", "openai/whisper", "fal-ai/whisper",
                             R"({"parameters":{"language":"en"}})", kWav});
  EXPECT_EQ(r.path, "/fal-ai/whisper");
  EXPECT_EQ(body_of(r), json({{"language", "en"}, {"audio_url", data_url("audio/x-wav", kWav)}}));
  r = build({"automatic-speech-recognition", "fal-ai", "openai/whisper", "fal-ai/whisper", "", "\x1a\x45\xdf\xa3...."});
  EXPECT_EQ(body_of(r)["audio_url"].get<std::string>().rfind("data:video/webm;base64,", 0), 0u);
  r = build({"automatic-speech-recognition", "fal-ai", "o/w", "fal-ai/whisper",
             R"({"inputs":")" + data_url("audio/wav", kWav) + R"("})"});
  EXPECT_EQ(body_of(r)["audio_url"], data_url("audio/x-wav", kWav));
  r = build({"automatic-speech-recognition", "fal-ai", "o/w", "fal-ai/whisper", R"({"inputs":"https://x.test/a.wav"})"});
  EXPECT_EQ(body_of(r)["audio_url"], "https://x.test/a.wav");
  EXPECT_EQ(failure({"automatic-speech-recognition", "fal-ai", "o/w", "fal-ai/whisper", "", "fLaC....", "audio/flac"}),
            "fal-ai takes MP3, M4A, WAV or WebM audio, not audio/flac");
  r = build({"image-to-image", "fal-ai", "o/kontext", "fal-ai/kontext",
             R"({"parameters":{"prompt":"make it blue","target_size":{"width":64,"height":64}}})", kPng});
  EXPECT_TRUE(r.queued);
  const std::string url = data_url("image/png", kPng);
  EXPECT_EQ(body_of(r), json({{"prompt", "make it blue"}, {"image_size", {{"width", 64}, {"height", 64}}},
                              {"image_url", url}, {"image_urls", {url}}}));
  r = build({"image-segmentation", "fal-ai", "o/sam", "fal-ai/sam", R"({"inputs":"https://x.test/a.png"})"});
  EXPECT_EQ(body_of(r), json({{"image_url", "https://x.test/a.png"}, {"sync_mode", true}}));
  r = build({"text-to-speech", "fal-ai", "o/tts", "fal-ai/tts", R"({"inputs":"hello"})"});
  EXPECT_EQ(r.body, R"({"text":"hello"})");
  std::string b64;
  base64::append_encoded(b64, kPng);
  r = build({"image-to-video", "fal-ai", "o/i2v", "fal-ai/i2v", R"({"inputs":")" + b64 + R"(","parameters":{"prompt":"go"}})"});
  EXPECT_EQ(body_of(r), json({{"prompt", "go"}, {"image_url", url}}));
}

TEST(TaskRequestTest, Replicate) {
  TaskHttpRequest r = build({"text-to-image", "replicate", "bytedance/sdxl", "bytedance/sdxl-lightning:5599ed30",
                             R"({"inputs":"cake","parameters":{"num_inference_steps":4}})"});
  EXPECT_EQ(r.path, "/v1/predictions");
  EXPECT_EQ(r.body, R"({"input":{"num_inference_steps":4,"prompt":"cake"},"version":"5599ed30"})");
  EXPECT_EQ(r.headers, std::vector<std::string>{"Prefer: wait"});
  r = build({"text-to-speech", "replicate", "hexgrad/Kokoro", "jaaari/kokoro", R"({"inputs":"hi"})"});
  EXPECT_EQ(r.path, "/v1/models/jaaari/kokoro/predictions");
  EXPECT_EQ(r.body, R"({"input":{"text":"hi"}})");
  r = build({"automatic-speech-recognition", "replicate", "openai/whisper", "openai/whisper", "", kWav, "audio/wav"});
  EXPECT_EQ(body_of(r), json({{"input", {{"audio", data_url("audio/wav", kWav)}}}}));
  r = build({"image-to-image", "replicate", "o/edit", "o/edit", R"({"parameters":{"prompt":"p"}})", kPng});
  const std::string url = data_url("image/png", kPng);
  EXPECT_EQ(body_of(r), json({{"input", {{"prompt", "p"}, {"image", url}, {"images", {url}}, {"input_image", url},
                                         {"input_images", {url}}}}}));
  MappingEntry lora{"replicate", "o/flux-dev-lora", "live", "text-to-image", "lora", "lora.safetensors"};
  r = build({"text-to-image", "replicate", "user/my-lora", "o/flux-dev-lora", R"({"inputs":"x"})", "", "", &lora});
  EXPECT_EQ(body_of(r)["input"]["lora_weights"], "https://huggingface.co/user/my-lora");
  EXPECT_EQ(failure({"text-to-image", "replicate", "o/m", "o/m:ver?x=1", R"({"inputs":"x"})"}),
            "replicate version \"ver?x=1\" is not a version id");
}

TEST(TaskRequestTest, TogetherMedia) {
  TaskHttpRequest r = build({"text-to-image", "together", "black-forest-labs/FLUX.1-schnell",
                             "black-forest-labs/FLUX.1-schnell-Free",
                             R"({"inputs":"tortoise","parameters":{"num_inference_steps":4,"width":512},"response_format":"url"})"});
  EXPECT_EQ(r.path, "/v1/images/generations");
  EXPECT_EQ(r.body, R"({"model":"black-forest-labs/FLUX.1-schnell-Free","width":512,"prompt":"tortoise","steps":4,)"
                    R"("response_format":"base64"})");
  const std::string url = data_url("image/png", kPng);
  r = build({"image-to-image", "together", "bfl/FLUX.1-Kontext-dev", "black-forest-labs/FLUX.1-Kontext-dev", "", kPng});
  EXPECT_EQ(body_of(r), json({{"model", "black-forest-labs/FLUX.1-Kontext-dev"}, {"image_url", url}, {"prompt", ""},
                              {"response_format", "base64"}}));
  r = build({"image-to-image", "together", "o/m", "o/m", R"({"parameters":{"prompt":"p"}})", kPng});
  EXPECT_EQ(body_of(r)["reference_images"], json::array({url}));
  r = build({"image-to-video", "together", "o/v", "o/v", R"({"parameters":{"prompt":"p"}})", kPng});
  EXPECT_EQ(r.path, "/v2/videos");
  EXPECT_EQ(body_of(r), json({{"model", "o/v"}, {"prompt", "p"},
                              {"frame_images", {{{"input_image", url}, {"frame", "first"}}}}}));
  r = build({"text-to-video", "together", "o/v", "o/v", R"({"inputs":"sea"})"});
  EXPECT_EQ(r.body, R"({"model":"o/v","prompt":"sea"})");
  r = build({"text-to-speech", "together", "hexgrad/Kokoro-82M", "hexgrad/Kokoro-82M", R"({"inputs":"hi"})"});
  EXPECT_EQ(r.path, "/v1/audio/speech");
  EXPECT_EQ(r.body, R"({"model":"hexgrad/Kokoro-82M","input":"hi","voice":"af_alloy"})");
}

TEST(TaskRequestTest, OpenAIImageApis) {
  const std::string hf = R"({"inputs":"tortoise","parameters":{"width":1024,"height":768,"num_inference_steps":4,"cfg_scale":2,"seed":1}})";
  TaskHttpRequest r = build({"text-to-image", "nscale", "o/sd", "o/sd-n", hf});
  EXPECT_EQ(r.path, "/v1/images/generations");
  EXPECT_EQ(r.body, R"({"model":"o/sd-n","seed":1,"prompt":"tortoise","size":"1024x768","response_format":"b64_json"})");
  EXPECT_EQ(failure({"text-to-image", "nscale", "o/sd", "o/sd-n", R"({"inputs":"t","parameters":{"width":512.5,"height":2}})"}),
            "nscale text-to-image takes width and height together, as whole numbers");
  EXPECT_EQ(failure({"text-to-image", "zai-org", "o/sd", "o/sd-n", R"({"inputs":"t","parameters":{"width":512}})"}),
            "zai-org text-to-image takes width and height together, as whole numbers");
  r = build({"text-to-image", "nebius", "o/sd", "o/sd-n", R"({"inputs":"tortoise"})"});
  EXPECT_EQ(r.body, R"({"model":"o/sd-n","prompt":"tortoise","response_format":"b64_json"})");
  r = build({"text-to-image", "hyperbolic", "o/sd", "SD2", R"({"inputs":"t","parameters":{"height":128,"width":128}})"});
  EXPECT_EQ(r.body, R"({"model_name":"SD2","height":128,"width":128,"prompt":"t"})");
  r = build({"text-to-image", "zai-org", "zai-org/CogView4", "cogview-4",
             R"({"inputs":"t","parameters":{"width":1024,"height":1024}})"});
  EXPECT_EQ(r.path, "/api/paas/v4/async/images/generations");
  EXPECT_EQ(r.body, R"({"model":"cogview-4","prompt":"t","size":"1024x1024"})");
  EXPECT_EQ(r.headers, (std::vector<std::string>{"Accept-Language: en-US,en", "x-source-channel: hugging_face"}));
}

TEST(TaskRequestTest, WavespeedAndNovita) {
  MappingEntry lora{"wavespeed", "wavespeed-ai/flux-dev-lora", "live", "text-to-image", "lora", "w.safetensors"};
  TaskHttpRequest r = build({"text-to-image", "wavespeed", "user/lora", "wavespeed-ai/flux-dev-lora",
                             R"({"inputs":"x","parameters":{"seed":3}})", "", "", &lora});
  EXPECT_EQ(r.path, "/api/v3/wavespeed-ai/flux-dev-lora");
  EXPECT_EQ(r.body, R"({"seed":3,"prompt":"x","loras":[{"path":"user/lora","scale":1}]})");
  r = build({"image-to-video", "wavespeed", "o/m", "wavespeed-ai/wan", R"({"parameters":{"prompt":"go"}})", kPng});
  EXPECT_EQ(body_of(r), json({{"prompt", "go"}, {"image", data_url("image/png", kPng)}}));
  r = build({"text-to-video", "novita", "Wan-AI/Wan2.1", "wan-t2v", R"({"inputs":"x","parameters":{"num_inference_steps":20}})"});
  EXPECT_EQ(r.path, "/v3/async/wan-t2v");
  EXPECT_EQ(r.body, R"({"prompt":"x","steps":20})");
}

// A multipart body read back: each part's headers and content, by name.
struct Part {
  std::string disposition, type, data;
};
std::map<std::string, Part> parse_multipart(const std::string& content_type, const std::string& body) {
  std::map<std::string, Part> parts;
  const std::string marker = "boundary=";
  const std::string delimiter = "--" + content_type.substr(content_type.find(marker) + marker.size());
  size_t at = body.find(delimiter);
  while (at != std::string::npos) {
    at += delimiter.size();
    if (body.compare(at, 2, "--") == 0) break;
    at += 2;  // CRLF
    const size_t headers_end = body.find("\r\n\r\n", at);
    const std::string headers = body.substr(at, headers_end - at);
    const size_t next = body.find("\r\n" + delimiter, headers_end);
    Part part;
    part.data = body.substr(headers_end + 4, next - headers_end - 4);
    const size_t type_at = headers.find("\r\nContent-Type: ");
    part.disposition = headers.substr(0, type_at);
    if (type_at != std::string::npos) part.type = headers.substr(type_at + 16);
    const size_t name_at = part.disposition.find("name=\"") + 6;
    parts[part.disposition.substr(name_at, part.disposition.find('"', name_at) - name_at)] = part;
    at = next + 2;
  }
  return parts;
}

TEST(TaskRequestTest, TranscriptionsAreMultipart) {
  TaskHttpRequest r = build({"automatic-speech-recognition", "deepinfra", "openai/whisper-large-v3",
                             "openai/whisper-large-v3", R"({"parameters":{"language":"en","temperature":0.0}})", kWav});
  EXPECT_EQ(r.path, "/v1/openai/audio/transcriptions");
  ASSERT_EQ(r.content_type.rfind("multipart/form-data; boundary=", 0), 0u);
  std::map<std::string, Part> parts = parse_multipart(r.content_type, r.body);
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts["file"].disposition, R"(Content-Disposition: form-data; name="file"; filename="audio.wav")");
  EXPECT_EQ(parts["file"].type, "audio/wav");
  EXPECT_EQ(parts["file"].data, kWav);
  EXPECT_EQ(parts["model"].data, "openai/whisper-large-v3");
  EXPECT_EQ(parts["language"].data, "en");
  EXPECT_EQ(parts["temperature"].data, "0.0");
  std::string b64;
  base64::append_encoded(b64, kWav);
  r = build({"automatic-speech-recognition", "together", "openai/whisper", "openai/whisper-large-v3",
             R"({"inputs":")" + b64 + R"("})"});
  EXPECT_EQ(r.path, "/v1/audio/transcriptions");
  parts = parse_multipart(r.content_type, r.body);
  EXPECT_EQ(parts["file"].data, kWav);
  r = build({"automatic-speech-recognition", "together", "o/w", "o/w", R"({"inputs":"https://x.test/a.mp3"})"});
  EXPECT_EQ(parse_multipart(r.content_type, r.body)["file"].data, "https://x.test/a.mp3");
  EXPECT_EQ(failure({"automatic-speech-recognition", "deepinfra", "o/w", "o/w", R"({"inputs":"https://x.test/a.mp3"})"}),
            "deepinfra automatic-speech-recognition needs the audio bytes (or base64 in inputs), not a URL");
  EXPECT_EQ(failure({"automatic-speech-recognition", "deepinfra", "o/w", "o/w", R"({"parameters":{"model":"x"}})", kWav}),
            "deepinfra automatic-speech-recognition: \"model\" cannot be a form field of the request");
  r = build({"text-to-speech", "deepinfra", "hexgrad/Kokoro", "hexgrad/Kokoro-82M",
             R"({"inputs":"hi","parameters":{"voice":"af_bella"}})"});
  EXPECT_EQ(r.path, "/v1/openai/audio/speech");
  EXPECT_EQ(r.body, R"({"model":"hexgrad/Kokoro-82M","input":"hi","voice":"af_bella"})");
}

TEST(TaskRequestTest, MultipartBoundariesNeverOccurInAPart) {
  std::string content_type;
  const std::string first = multipart_body({{"a", "", "", "x"}}, content_type);
  const std::string boundary = content_type.substr(content_type.find('=') + 1);
  const std::string tricky = "--" + boundary;  // a part holding the boundary the first body got
  std::string content_type2;
  multipart_body({{"a", "", "", tricky}}, content_type2);
  EXPECT_EQ(tricky.find(content_type2.substr(content_type2.find('=') + 1)), std::string::npos);
  std::string again;
  EXPECT_EQ(multipart_body({{"a", "", "", "x"}}, again), first);  // equal parts, equal bodies
}

TEST(TaskRequestTest, BadInputsAreRefusedWithReasons) {
  EXPECT_EQ(failure({"text-to-image", "fal-ai", "a/b", "fal-ai/../admin", R"({"inputs":"x"})"}),
            "fal-ai model id \"fal-ai/../admin\" cannot go into a URL path");
  EXPECT_EQ(failure({"text-to-image", "fal-ai", "a/b", "fal-ai/x?y", R"({"inputs":"x"})"}),
            "fal-ai model id \"fal-ai/x?y\" cannot go into a URL path");
  EXPECT_EQ(failure({"text-to-image", "fal-ai", "a/b", "fal-ai/x", R"({"inputs":3})"}),
            "text-to-image needs inputs (a string)");
  EXPECT_EQ(failure({"text-to-image", "nscale", "a/b", "", R"([1])"}),
            "text-to-image: the request body is not a JSON object");
  EXPECT_EQ(failure({"text-to-image", "nscale", "a/b", "", R"({"inputs":"x","parameters":[1]})"}),
            "text-to-image: \"parameters\" must be an object");
  EXPECT_EQ(failure({"image-to-image", "fal-ai", "a/b", "fal-ai/x", R"({"parameters":{}})"}),
            "image-to-image: give the image or audio bytes, or \"inputs\" as a URL or base64 string");
  EXPECT_EQ(failure({"image-to-image", "fal-ai", "a/b", "fal-ai/x", R"({"inputs":"not base64!"})"}),
            "image-to-image: \"inputs\" is neither a URL nor base64");
  EXPECT_EQ(failure({"text-to-image", "together", "a/b", "", R"({"inputs":"x"})", kPng}),
            "text-to-image takes no image or audio input");
  TaskCallInput none;
  TaskHttpRequest out;
  std::string error;
  EXPECT_EQ(build_task_request(none, out, error), HFI_E_INVALID_ARG);
  EXPECT_EQ(error, "unknown task");
}

// An input each task accepts, for requests built on every route.
Call typical_call(const tasks::TaskInfo& task, std::string_view provider) {
  Call c{std::string(task.name), std::string(provider), "org/model", "org/model", R"({"inputs":"x"})"};
  const bool audio = task.name.find("audio") != std::string_view::npos || task.name == "automatic-speech-recognition";
  if (task.name == "chat-completion") c.json = R"({"messages":[{"role":"user","content":"hi"}]})";
  if (task.binary != tasks::BinaryInput::none) {
    c.binary = audio ? kWav : kPng;
    c.json = task.binary == tasks::BinaryInput::json_image ? R"({"inputs":{"question":"q"}})" : "";
  }
  return c;
}

TEST(TaskRequestTest, EveryRouteOfTheTableBuildsARequest) {
  int routes = 0;
  for (const ProviderInfo& provider : all_providers()) {
    for (const TaskRoute& route : provider.routes) {
      SCOPED_TRACE(std::string(provider.name) + " " + std::string(route.task));
      const Call c = typical_call(*tasks::find_task(route.task), provider.name);
      TaskHttpRequest r = build(c);
      EXPECT_EQ(r.path, route_path(provider, route, c.provider_model));
      EXPECT_EQ(r.queued, route.queued);
      EXPECT_FALSE(r.body.empty());
      EXPECT_FALSE(r.content_type.empty());
      ++routes;
    }
  }
  for (const tasks::TaskInfo& task : tasks::all_tasks()) {
    if (!task.hf_inference) continue;
    SCOPED_TRACE("hf-inference " + std::string(task.name));
    const Call c = typical_call(task, "hf-inference");
    EXPECT_EQ(build(c).path, "/models/org/model" + std::string(task.hf_route));
    ++routes;
  }
  EXPECT_GE(routes, 80);
}

TEST(CustomEndpointRequestTest, GetsTheHfInferenceBodyWithoutAPath) {
  const Call text{"text-classification", "hf-inference", "", "", R"({"inputs":"hi"})"};
  TaskCallInput in = input_of(text);
  in.provider = nullptr;
  in.model = "";  // a custom endpoint needs no model id
  TaskHttpRequest out;
  std::string error;
  ASSERT_EQ(build_custom_endpoint_request(in, out, error), HFI_OK) << error;
  EXPECT_TRUE(out.path.empty());
  EXPECT_EQ(out.body, R"({"inputs":"hi"})");
  const Call image{"image-classification", "hf-inference", "", "", R"({"parameters":{"top_k":2}})", kPng};
  in = input_of(image);
  ASSERT_EQ(build_custom_endpoint_request(in, out, error), HFI_OK) << error;
  std::string b64;
  base64::append_encoded(b64, kPng);
  EXPECT_EQ(out.body, R"({"inputs":")" + b64 + R"(","parameters":{"top_k":2}})");
  const Call stream{"text-generation", "hf-inference", "", "", R"({"inputs":"a","stream":true})"};
  in = input_of(stream);
  ASSERT_EQ(build_custom_endpoint_request(in, out, error), HFI_OK);
  EXPECT_TRUE(out.stream);
}

}  // namespace
}  // namespace hfi::providers
