#include "providers/task_response.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "protocol/base64.h"

namespace hfi::providers {
namespace {

using nlohmann::json;
using Kind = TaskStep::Kind;
using Phase = JobState::Phase;
using namespace std::string_literals;

const std::string kPng = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s;
const std::string kJpeg = "\xff\xd8\xff\xe0\0\x10JFIF"s;
const std::string kMp4 = "\0\0\0\x18" "ftypisom\0\0\0\0"s;
const std::string kWav = "RIFF\x24\0\0\0WAVEfmt "s;

JobState job_for(std::string_view task, std::string_view provider) {
  JobState job;
  job.task = tasks::find_task(task);
  job.provider = find_provider(provider);
  EXPECT_NE(job.task, nullptr) << task;
  EXPECT_NE(job.provider, nullptr) << provider;
  return job;
}

TaskStep answer(JobState& job, std::string_view body, std::string_view type = "application/json", long status = 200) {
  TaskStep out;
  out.kind = Kind::done;  // stale values must not survive
  out.url = "stale";
  next_step(job, TaskHttpResponse{status, type, body}, out);
  return out;
}

std::string b64(std::string_view bytes) {
  std::string out;
  base64::append_encoded(out, bytes);
  return out;
}

void expect_done_json(const TaskStep& step, const std::string& expected) {
  ASSERT_EQ(step.kind, Kind::done) << step.error;
  EXPECT_EQ(step.code, HFI_OK);
  EXPECT_EQ(step.output_json, expected);
  EXPECT_TRUE(step.bytes.empty());
}

void expect_done_media(const TaskStep& step, const std::string& bytes, std::string_view type) {
  ASSERT_EQ(step.kind, Kind::done) << step.error;
  EXPECT_EQ(step.bytes, bytes);
  EXPECT_EQ(step.content_type, type);
}

void expect_failed(const TaskStep& step, hfi_status code, std::string_view error) {
  ASSERT_EQ(step.kind, Kind::failed);
  EXPECT_EQ(step.code, code);
  EXPECT_EQ(step.error, error);
  EXPECT_TRUE(step.url.empty());
}

void expect_poll(const TaskStep& step, std::string_view url, int interval_ms, std::string_view status,
                 double progress = -1) {
  ASSERT_EQ(step.kind, Kind::poll) << step.error;
  EXPECT_EQ(step.url, url);
  EXPECT_EQ(step.interval_ms, interval_ms);
  EXPECT_EQ(step.status, status);
  EXPECT_DOUBLE_EQ(step.progress, progress);
}

void expect_download(const TaskStep& step, const JobState& job, std::string_view url) {
  ASSERT_EQ(step.kind, Kind::download) << step.error;
  EXPECT_EQ(step.url, url);
  EXPECT_EQ(job.phase, Phase::downloading);
}

// ---------------------------------------------------------------------------
// Synchronous answers
// ---------------------------------------------------------------------------

TEST(TaskResponseTest, HfInferenceJsonIsNormalised) {
  JobState job = job_for("text-classification", "hf-inference");
  expect_done_json(answer(job, R"([[{"label":"POSITIVE","score":0.99},{"label":"NEGATIVE","score":0.01}]])"),
                   R"([{"label":"POSITIVE","score":0.99},{"label":"NEGATIVE","score":0.01}])");
  JobState broken = job_for("text-classification", "hf-inference");
  const TaskStep step = answer(broken, R"({"oops":1})");
  ASSERT_EQ(step.kind, Kind::failed);
  EXPECT_EQ(step.code, HFI_E_PROTOCOL);
  EXPECT_NE(step.error.find("text-classification: expected"), std::string::npos) << step.error;
  JobState garbage = job_for("fill-mask", "hf-inference");
  EXPECT_EQ(answer(garbage, "<html>bad gateway</html>", "text/html").code, HFI_E_PROTOCOL);
}

TEST(TaskResponseTest, HfInferenceMediaBytesWithTheirType) {
  JobState job = job_for("text-to-image", "hf-inference");
  expect_done_media(answer(job, kPng, "image/png"), kPng, "image/png");
  JobState generic = job_for("text-to-speech", "hf-inference");
  expect_done_media(answer(generic, kWav, "application/octet-stream"), kWav, "audio/wav");
  JobState untyped = job_for("image-to-image", "hf-inference");
  expect_done_media(answer(untyped, kJpeg, "Image/JPEG; charset=binary"), kJpeg, "image/jpeg");
  JobState unknown = job_for("text-to-image", "hf-inference");
  expect_done_media(answer(unknown, "\x01\x02\x03", ""), "\x01\x02\x03", "application/octet-stream");
}

TEST(TaskResponseTest, MediaTasksRefuseTextAndEmptyBodies) {
  JobState job = job_for("text-to-image", "hf-inference");
  expect_failed(answer(job, R"({"error":"loading"})", "application/json"), HFI_E_PROTOCOL,
                "hf-inference: expected media, got application/json");
  JobState page = job_for("text-to-speech", "deepinfra");
  expect_failed(answer(page, "<html></html>", "text/html; charset=utf-8"), HFI_E_PROTOCOL,
                "deepinfra: expected media, got text/html");
  JobState empty = job_for("text-to-speech", "together");
  expect_failed(answer(empty, "", "audio/wav"), HFI_E_PROTOCOL, "together: the media result is empty");
}

TEST(TaskResponseTest, RawAudioOfDeepinfraAndTogether) {
  JobState deepinfra = job_for("text-to-speech", "deepinfra");
  expect_done_media(answer(deepinfra, "ID3\x04rest", "audio/mpeg"), "ID3\x04rest", "audio/mpeg");
  JobState together = job_for("text-to-speech", "together");
  expect_done_media(answer(together, kWav, "application/octet-stream"), kWav, "audio/wav");
}

TEST(TaskResponseTest, OpenAiCompletionsBecomeGeneratedTextWithDetails) {
  JobState job = job_for("text-generation", "together");
  const TaskStep step = answer(job, R"({"id":"x","object":"text.completion","choices":[{"text":" Paris.",
    "finish_reason":"length","index":0}],"usage":{"prompt_tokens":5,"completion_tokens":16,"total_tokens":21}})");
  ASSERT_EQ(step.kind, Kind::done) << step.error;
  EXPECT_EQ(json::parse(step.output_json),
            json::parse(R"({"generated_text":" Paris.","details":{"finish_reason":"length","generated_tokens":16,
              "prefill":[],"tokens":[]}})"));
  JobState stop = job_for("text-generation", "deepinfra");
  const TaskStep eos = answer(stop, R"({"choices":[{"text":"a","finish_reason":"stop"}],"usage":{"completion_tokens":1}})");
  ASSERT_EQ(eos.kind, Kind::done) << eos.error;
  EXPECT_EQ(json::parse(eos.output_json)["details"]["finish_reason"], "eos_token");
  // No usage or an unmappable reason: no details rather than invented ones.
  JobState filtered = job_for("text-generation", "nebius");
  expect_done_json(answer(filtered, R"({"choices":[{"text":"a","finish_reason":"content_filter"}],"usage":{"completion_tokens":1}})"),
                   R"({"generated_text":"a"})");
  JobState two = job_for("text-generation", "featherless-ai");
  expect_done_json(answer(two, R"({"choices":[{"text":"a","finish_reason":"length"},{"text":"b"}],"usage":{"completion_tokens":2}})"),
                   R"([{"generated_text":"a"},{"generated_text":"b"}])");
  JobState broken = job_for("text-generation", "together");
  expect_failed(answer(broken, R"({"choices":[{"message":"a"}]})"), HFI_E_PROTOCOL,
                "together: text-generation: choices[0] without a string \"text\"");
}

TEST(TaskResponseTest, OpenAiEmbeddings) {
  JobState job = job_for("feature-extraction", "sambanova");
  expect_done_json(answer(job, R"({"data":[{"embedding":[0.1,-2e-3],"index":0},{"embedding":[1,2],"index":1}],
    "model":"m","object":"list"})"),
                   "[[0.1,-2e-3],[1,2]]");
}

TEST(TaskResponseTest, TranscriptionSegmentsBecomeChunks) {
  JobState job = job_for("automatic-speech-recognition", "deepinfra");
  expect_done_json(answer(job, R"({"text":"hello world","segments":[{"id":0,"start":0.0,"end":1.25,"text":"hello"},
    {"id":1,"start":1.25,"end":2.5000,"text":" world"}],"language":"en"})"),
                   R"({"text":"hello world","chunks":[{"text":"hello","timestamp":[0.0,1.25]},)"
                   R"({"text":" world","timestamp":[1.25,2.5000]}]})");
  JobState plain = job_for("automatic-speech-recognition", "together");
  expect_done_json(answer(plain, R"({"text":"hi","task":"transcribe"})"), R"({"text":"hi"})");
  JobState broken = job_for("automatic-speech-recognition", "deepinfra");
  expect_failed(answer(broken, R"({"text":"a","segments":[{"start":0,"text":"a"}]})"), HFI_E_PROTOCOL,
                "deepinfra: automatic-speech-recognition: segments[0] without text, start and end");
}

TEST(TaskResponseTest, FalSpeechRecognition) {
  JobState job = job_for("automatic-speech-recognition", "fal-ai");
  expect_done_json(answer(job, R"({"text":"he has","chunks":[{"timestamp":[0,9.9],"text":"he has"}]})"),
                   R"({"text":"he has","chunks":[{"text":"he has","timestamp":[0,9.9]}]})");
  JobState refused = job_for("automatic-speech-recognition", "fal-ai");
  expect_failed(answer(refused, R"({"detail":"Unsupported data URL"})"), HFI_E_SERVER, "fal-ai: Unsupported data URL");
}

TEST(TaskResponseTest, FalImageUrlIsDownloadedWithoutAuthorization) {
  JobState job = job_for("text-to-image", "fal-ai");
  const TaskStep step = answer(job, R"({"images":[{"url":"https://fal.media/files/lion/x.png","width":1024,
    "content_type":"image/jpeg"}],"seed":1})");
  expect_download(step, job, "https://fal.media/files/lion/x.png");
  EXPECT_EQ(job.media_type, "image/jpeg");
  // The CDN may say nothing useful; the bytes tell.
  expect_done_media(answer(job, kPng, "application/octet-stream"), kPng, "image/png");
  JobState again = job_for("text-to-image", "fal-ai");
  answer(again, R"({"images":[{"url":"https://fal.media/y","content_type":"image/webp"}]})");
  expect_done_media(answer(again, "\x01\x02", ""), "\x01\x02", "image/webp");  // the announced type, last
  JobState page = job_for("text-to-image", "fal-ai");
  answer(page, R"({"images":[{"url":"https://fal.media/z"}]})");
  expect_failed(answer(page, "<html>", "text/html"), HFI_E_PROTOCOL, "fal-ai: expected media, got text/html");
}

TEST(TaskResponseTest, FalDataUrlsAreDecodedInPlace) {
  JobState job = job_for("text-to-image", "fal-ai");
  expect_done_media(answer(job, R"({"images":[{"url":"data:image/jpeg;base64,)" + b64(kPng) + R"("}]})"), kPng,
                    "image/png");
  EXPECT_EQ(job.phase, Phase::submitted);
  JobState broken = job_for("text-to-image", "fal-ai");
  expect_failed(answer(broken, R"({"images":[{"url":"data:image/png;base64,@@@@"}]})"), HFI_E_PROTOCOL,
                "fal-ai: the result is a data: URL without base64 media");
  JobState plain = job_for("text-to-image", "fal-ai");
  expect_failed(answer(plain, R"({"images":[{"url":"data:text/plain,hello"}]})"), HFI_E_PROTOCOL,
                "fal-ai: the result is a data: URL without base64 media");
  JobState ftp = job_for("text-to-image", "fal-ai");
  expect_failed(answer(ftp, R"({"images":[{"url":"ftp://fal.media/x.png"}]})"), HFI_E_PROTOCOL,
                "fal-ai: the result URL is neither http(s) nor data: \"ftp://fal.media/x.png\"");
}

TEST(TaskResponseTest, FalSpeechAndMissingMembers) {
  JobState job = job_for("text-to-speech", "fal-ai");
  expect_download(answer(job, R"({"audio":{"url":"https://fal.media/a.wav","content_type":"audio/wav"}})"), job,
                  "https://fal.media/a.wav");
  expect_done_media(answer(job, kWav, "audio/wav"), kWav, "audio/wav");
  JobState missing = job_for("text-to-speech", "fal-ai");
  expect_failed(answer(missing, R"({"audio_file":{"url":"https://x"}})"), HFI_E_PROTOCOL,
                "fal-ai: the answer has no audio.url");
  JobState images = job_for("text-to-image", "fal-ai");
  expect_failed(answer(images, R"({"images":[]})"), HFI_E_PROTOCOL, "fal-ai: the answer has no images[0].url");
  JobState garbage = job_for("text-to-image", "fal-ai");
  expect_failed(answer(garbage, "not json"), HFI_E_PROTOCOL, "fal-ai: the answer is not JSON");
}

TEST(TaskResponseTest, Base64ImagesInJson) {
  JobState hyperbolic = job_for("text-to-image", "hyperbolic");
  expect_done_media(answer(hyperbolic, R"({"images":[{"index":0,"image":")" + b64(kPng) + R"("}]})"), kPng,
                    "image/png");
  JobState together = job_for("image-to-image", "together");
  expect_done_media(answer(together, R"({"data":[{"b64_json":")" + b64(kJpeg) + R"("}]})"), kJpeg, "image/jpeg");
  JobState nscale = job_for("text-to-image", "nscale");
  expect_failed(answer(nscale, R"({"data":[{"url":"https://x"}]})"), HFI_E_PROTOCOL,
                "nscale: the response has no data[0].b64_json");
}

TEST(TaskResponseTest, ZaiLayoutParsingIsImageToText) {
  JobState job = job_for("image-to-text", "zai-org");
  expect_done_json(answer(job, R"({"id":"1","md_results":"# Title\n\ntext","layout_details":[]})"),
                   R"({"generated_text":"# Title\n\ntext"})");
  JobState broken = job_for("image-to-text", "zai-org");
  expect_failed(answer(broken, R"({"id":"1"})"), HFI_E_PROTOCOL, "zai-org: the answer has no md_results");
}

TEST(TaskResponseTest, ChatCompletionIsPassedToTheChatLayer) {
  JobState job = job_for("chat-completion", "groq");
  const std::string body = R"({"id":"1","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}]})";
  expect_done_json(answer(job, body), body);
  JobState broken = job_for("chat-completion", "groq");
  expect_failed(answer(broken, R"({"error":"x"})"), HFI_E_PROTOCOL, "chat-completion: the answer has no \"choices\"");
}

TEST(TaskResponseTest, CallerMistakesAreReportedNotCrashed) {
  JobState empty;
  expect_failed(answer(empty, "{}"), HFI_E_INVALID_ARG, "a job without its task or provider");
  JobState job = job_for("text-classification", "hf-inference");
  expect_failed(answer(job, "{}", "application/json", 503), HFI_E_INVALID_ARG,
                "next_step takes 2xx answers; HTTP 503 is the caller's to report");
  job.phase = Phase::polling;
  EXPECT_EQ(answer(job, "[]").code, HFI_E_INTERNAL);
  JobState fetch = job_for("text-to-video", "together");
  fetch.phase = Phase::fetching;
  EXPECT_EQ(answer(fetch, "{}").code, HFI_E_INTERNAL);
  JobState text = job_for("summarization", "hf-inference");
  text.phase = Phase::downloading;
  expect_failed(answer(text, "abc", "text/plain"), HFI_E_PROTOCOL,
                "hf-inference: summarization has no result to download");
}

// ---------------------------------------------------------------------------
// Jobs, step by step
// ---------------------------------------------------------------------------

TEST(JobTest, FalQueueSegmentationWithADataUrlMask) {
  JobState job = job_for("image-segmentation", "fal-ai");
  const std::string base = "https://queue.fal.run/fal-ai/evf-sam/requests/abc-1";
  expect_poll(answer(job, R"({"request_id":"abc-1","status":"IN_QUEUE","response_url":")" + base +
                              R"(","status_url":")" + base + R"(/status","queue_position":0})"),
              base + "/status", 500, "IN_QUEUE");
  EXPECT_EQ(job.request_id, "abc-1");
  EXPECT_EQ(job.result_url, base);
  EXPECT_EQ(job.phase, Phase::polling);
  expect_poll(answer(job, R"({"status":"IN_PROGRESS","logs":[]})"), base + "/status", 500, "IN_PROGRESS");
  const TaskStep fetch = answer(job, R"({"status":"COMPLETED","response_url":")" + base + R"("})");
  ASSERT_EQ(fetch.kind, Kind::fetch);
  EXPECT_EQ(fetch.url, base);
  EXPECT_EQ(job.phase, Phase::fetching);
  EXPECT_EQ(job.polls, 2);
  expect_done_json(answer(job, R"({"image":{"url":"data:image/png;base64,)" + b64(kPng) + R"("}})"),
                   R"([{"label":"mask","mask":")" + b64(kPng) + R"("}])");
}

TEST(JobTest, FalQueueSegmentationWithAMaskToDownload) {
  JobState job = job_for("image-segmentation", "fal-ai");
  ASSERT_EQ(answer(job, R"({"request_id":"r","status":"COMPLETED","response_url":"https://queue.fal.run/x/requests/r"})")
                .kind,
            Kind::fetch);
  expect_download(answer(job, R"({"image":{"url":"https://v3.fal.media/m.png"}})"), job, "https://v3.fal.media/m.png");
  expect_done_json(answer(job, kPng, "image/png"), R"([{"label":"mask","mask":")" + b64(kPng) + R"("}])");
  JobState bad = job_for("image-segmentation", "fal-ai");
  answer(bad, R"({"request_id":"r","status":"COMPLETED","response_url":"https://queue.fal.run/x/requests/r"})");
  answer(bad, R"({"image":{"url":"https://v3.fal.media/m.png"}})");
  expect_failed(answer(bad, "<html>", "text/html"), HFI_E_PROTOCOL, "fal-ai: the mask is not an image");
}

TEST(JobTest, FalQueueVideoAndItsFailures) {
  JobState job = job_for("text-to-video", "fal-ai");
  const std::string base = "https://queue.fal.run/fal-ai/ltx/requests/v?x=1";
  expect_poll(answer(job, R"({"request_id":"v","status":"IN_QUEUE","response_url":")" + base + R"("})"),
              "https://queue.fal.run/fal-ai/ltx/requests/v/status?x=1", 500, "IN_QUEUE");
  ASSERT_EQ(answer(job, R"({"status":"COMPLETED"})").kind, Kind::fetch);
  expect_download(answer(job, R"({"video":{"url":"https://fal.media/v.mp4","content_type":"video/mp4"}})"), job,
                  "https://fal.media/v.mp4");
  expect_done_media(answer(job, kMp4, "video/mp4"), kMp4, "video/mp4");

  JobState failed = job_for("image-to-video", "fal-ai");
  answer(failed, R"({"request_id":"v","status":"IN_QUEUE","response_url":"https://queue.fal.run/a/requests/v"})");
  expect_failed(answer(failed, R"({"status":"COMPLETED","error":"CUDA out of memory"})"), HFI_E_SERVER,
                "fal-ai: the job failed: CUDA out of memory");
  JobState fetched = job_for("image-to-image", "fal-ai");
  answer(fetched, R"({"request_id":"v","status":"COMPLETED","response_url":"https://queue.fal.run/a/requests/v"})");
  expect_failed(answer(fetched, R"({"detail":[{"loc":["body","image_url"],"msg":"field required"}]})"), HFI_E_SERVER,
                "fal-ai: field required");
  JobState unknown = job_for("text-to-video", "fal-ai");
  answer(unknown, R"({"request_id":"v","status":"IN_QUEUE","response_url":"https://queue.fal.run/a/requests/v"})");
  expect_failed(answer(unknown, R"({"status":"EXPLODED"})"), HFI_E_PROTOCOL, "fal-ai: unknown job status \"EXPLODED\"");
  JobState nourl = job_for("text-to-video", "fal-ai");
  expect_failed(answer(nourl, R"({"request_id":"v","status":"IN_QUEUE"})"), HFI_E_PROTOCOL,
                "fal-ai: the answer has no http(s) response_url");
  JobState noid = job_for("text-to-video", "fal-ai");
  expect_failed(answer(noid, R"({"status":"IN_QUEUE","response_url":"https://queue.fal.run/a"})"), HFI_E_PROTOCOL,
                "fal-ai: the answer has no request_id");
  JobState nostatus = job_for("text-to-video", "fal-ai");
  answer(nostatus, R"({"request_id":"v","status":"IN_QUEUE","response_url":"https://queue.fal.run/a/requests/v"})");
  expect_failed(answer(nostatus, R"({"queue_position":3})"), HFI_E_PROTOCOL, "fal-ai: the answer has no job status");
  JobState garbage = job_for("text-to-video", "fal-ai");
  expect_failed(answer(garbage, "]"), HFI_E_PROTOCOL, "fal-ai: the answer is not JSON");
}

TEST(JobTest, TogetherVideo) {
  JobState job = job_for("text-to-video", "together");
  expect_poll(answer(job, R"({"id":"vid_1","object":"video","status":"queued"})"), "/v2/videos/vid_1", 2000, "queued");
  expect_poll(answer(job, R"({"id":"vid_1","status":"in_progress"})"), "/v2/videos/vid_1", 2000, "in_progress");
  expect_download(answer(job, R"({"id":"vid_1","status":"completed","outputs":{"video_url":"https://cdn.together.ai/v.mp4","cost":1}})"),
                  job, "https://cdn.together.ai/v.mp4");
  EXPECT_EQ(job.polls, 2);
  expect_done_media(answer(job, kMp4, "application/octet-stream"), kMp4, "video/mp4");

  JobState failed = job_for("image-to-video", "together");
  answer(failed, R"({"id":"vid_2","status":"queued"})");
  expect_failed(answer(failed, R"({"id":"vid_2","status":"failed","error":{"code":"x","message":"content policy"}})"),
                HFI_E_SERVER, "together: the job failed: content policy");
  JobState silent = job_for("image-to-video", "together");
  answer(silent, R"({"id":"vid_2","status":"queued"})");
  expect_failed(answer(silent, R"({"id":"vid_2","status":"failed"})"), HFI_E_SERVER,
                "together: the job failed: no reason given");
  JobState nourl = job_for("text-to-video", "together");
  answer(nourl, R"({"id":"v","status":"queued"})");
  expect_failed(answer(nourl, R"({"status":"completed","outputs":{}})"), HFI_E_PROTOCOL,
                "together: a completed video without outputs.video_url");
  JobState noid = job_for("text-to-video", "together");
  expect_failed(answer(noid, R"({"status":"queued"})"), HFI_E_PROTOCOL, "together: the answer has no id");
  JobState odd = job_for("text-to-video", "together");
  expect_failed(answer(odd, R"({"id":"../../v1/secrets","status":"queued"})"), HFI_E_PROTOCOL,
                "together: the job id \"../../v1/secrets\" has unexpected characters");
}

TEST(JobTest, Wavespeed) {
  JobState job = job_for("text-to-image", "wavespeed");
  const std::string get = "https://api.wavespeed.ai/api/v3/predictions/p1/result";
  expect_poll(answer(job, R"({"code":200,"message":"success","data":{"id":"p1","status":"created","urls":{"get":")" +
                              get + R"("},"outputs":[]}})"),
              get, 500, "created");
  expect_poll(answer(job, R"({"code":200,"data":{"id":"p1","status":"processing","outputs":[]}})"), get, 500,
              "processing");
  expect_download(answer(job, R"({"code":200,"data":{"id":"p1","status":"completed","outputs":["https://d.wavespeed.ai/o.jpeg"]}})"),
                  job, "https://d.wavespeed.ai/o.jpeg");
  expect_done_media(answer(job, kJpeg, "image/jpeg"), kJpeg, "image/jpeg");

  JobState failed = job_for("image-to-video", "wavespeed");
  answer(failed, R"({"data":{"id":"p2","status":"created","urls":{"get":")" + get + R"("}}})");
  expect_failed(answer(failed, R"({"data":{"id":"p2","status":"failed","error":"NSFW content detected"}})"),
                HFI_E_SERVER, "wavespeed: the job failed: NSFW content detected");
  JobState refused = job_for("image-to-image", "wavespeed");
  expect_failed(answer(refused, R"({"code":400,"message":"insufficient credits"})"), HFI_E_SERVER,
                "wavespeed: insufficient credits");
  JobState noget = job_for("text-to-video", "wavespeed");
  expect_failed(answer(noget, R"({"data":{"id":"p3","status":"created"}})"), HFI_E_PROTOCOL,
                "wavespeed: the answer has no http(s) data.urls.get");
  JobState nooutput = job_for("text-to-video", "wavespeed");
  answer(nooutput, R"({"data":{"id":"p3","status":"created","urls":{"get":")" + get + R"("}}})");
  expect_failed(answer(nooutput, R"({"data":{"status":"completed","outputs":[]}})"), HFI_E_PROTOCOL,
                "wavespeed: a completed job without data.outputs[0]");
}

TEST(JobTest, ZaiImages) {
  JobState job = job_for("text-to-image", "zai-org");
  expect_poll(answer(job, R"({"id":"8421","request_id":"r","model":"cogview-4","task_status":"PROCESSING"})"),
              "/api/paas/v4/async-result/8421", 5000, "PROCESSING");
  expect_poll(answer(job, R"({"id":"8421","task_status":"PROCESSING"})"), "/api/paas/v4/async-result/8421", 5000,
              "PROCESSING");
  expect_download(answer(job, R"({"task_status":"SUCCESS","image_result":[{"url":"https://aigc-files.bigmodel.cn/i.png"}]})"),
                  job, "https://aigc-files.bigmodel.cn/i.png");
  expect_done_media(answer(job, kPng, "image/png"), kPng, "image/png");
  JobState failed = job_for("text-to-image", "zai-org");
  answer(failed, R"({"id":"1","task_status":"PROCESSING"})");
  expect_failed(answer(failed, R"({"task_status":"FAIL","error":{"code":"1301","message":"sensitive content"}})"),
                HFI_E_SERVER, "zai-org: the job failed: sensitive content");
  JobState nourl = job_for("text-to-image", "zai-org");
  expect_failed(answer(nourl, R"({"id":"1","task_status":"SUCCESS","image_result":[]})"), HFI_E_PROTOCOL,
                "zai-org: a successful job without image_result[0].url");
}

TEST(JobTest, NovitaVideoWithProgress) {
  JobState job = job_for("text-to-video", "novita");
  expect_poll(answer(job, R"({"task_id":"t-9"})"), "/v3/async/task-result?task_id=t-9", 500, "");
  expect_poll(answer(job, R"({"task":{"task_id":"t-9","status":"TASK_STATUS_QUEUED","progress_percent":0}})"),
              "/v3/async/task-result?task_id=t-9", 500, "TASK_STATUS_QUEUED", 0);
  expect_poll(answer(job, R"({"task":{"task_id":"t-9","status":"TASK_STATUS_PROCESSING","progress_percent":40}})"),
              "/v3/async/task-result?task_id=t-9", 500, "TASK_STATUS_PROCESSING", 0.4);
  expect_poll(answer(job, R"({"task":{"status":"TASK_STATUS_PROCESSING","progress_percent":250}})"),
              "/v3/async/task-result?task_id=t-9", 500, "TASK_STATUS_PROCESSING", -1);
  expect_download(answer(job, R"({"task":{"status":"TASK_STATUS_SUCCEED"},"videos":[{"video_url":"https://faas.novita.ai/v.mp4","video_type":"mp4"}]})"),
                  job, "https://faas.novita.ai/v.mp4");
  EXPECT_EQ(job.polls, 4);
  expect_done_media(answer(job, kMp4, "video/mp4"), kMp4, "video/mp4");
  JobState failed = job_for("text-to-video", "novita");
  answer(failed, R"({"task_id":"t"})");
  expect_failed(answer(failed, R"({"task":{"status":"TASK_STATUS_FAILED","reason":"prompt rejected"}})"), HFI_E_SERVER,
                "novita: the job failed: prompt rejected");
  JobState noid = job_for("text-to-video", "novita");
  expect_failed(answer(noid, R"({"code":0})"), HFI_E_PROTOCOL, "novita: the answer has no task_id");
}

TEST(JobTest, ReplicateWaitedPrediction) {
  JobState job = job_for("text-to-image", "replicate");
  expect_download(answer(job, R"({"id":"p","status":"succeeded","output":["https://replicate.delivery/x/out-0.webp"],
    "urls":{"get":"https://api.replicate.com/v1/predictions/p"}})", "application/json", 201),
                  job, "https://replicate.delivery/x/out-0.webp");
  expect_done_media(answer(job, "RIFF\x10\0\0\0WEBPVP8 "s, "application/octet-stream"), "RIFF\x10\0\0\0WEBPVP8 "s,
                    "image/webp");
  // What replicate really answers to "Prefer: wait" (tapes #103, #188): still "processing", with the file.
  JobState early = job_for("text-to-image", "replicate");
  expect_download(answer(early, R"({"id":"p","status":"processing","output":["https://replicate.delivery/y/out-0.png"],
    "urls":{"get":"https://api.replicate.com/v1/predictions/p"}})", "application/json", 201),
                  early, "https://replicate.delivery/y/out-0.png");
  JobState partial = job_for("automatic-speech-recognition", "replicate");
  expect_poll(answer(partial, R"({"id":"p","status":"processing","output":["hel"],
    "urls":{"get":"https://api.replicate.com/v1/predictions/p"}})", "application/json", 201),
              "https://api.replicate.com/v1/predictions/p", 1000, "processing");
  JobState speech = job_for("text-to-speech", "replicate");
  expect_download(answer(speech, R"({"id":"s","status":"succeeded","output":"https://replicate.delivery/s/output.wav"})",
                         "application/json", 201),
                  speech, "https://replicate.delivery/s/output.wav");
}

TEST(JobTest, ReplicateUnfinishedPredictionIsPolled) {
  JobState job = job_for("text-to-video", "replicate");
  const std::string get = "https://api.replicate.com/v1/predictions/q";
  expect_poll(answer(job, R"({"id":"q","status":"starting","output":null,"urls":{"get":")" + get + R"("}})",
                     "application/json", 201),
              get, 1000, "starting");
  expect_poll(answer(job, R"({"id":"q","status":"processing","logs":"50%"})"), get, 1000, "processing");
  expect_download(answer(job, R"({"id":"q","status":"succeeded","output":"https://replicate.delivery/q/o.mp4"})"), job,
                  "https://replicate.delivery/q/o.mp4");
  JobState failed = job_for("image-to-image", "replicate");
  answer(failed, R"({"id":"q","status":"processing","urls":{"get":")" + get + R"("}})");
  expect_failed(answer(failed, R"({"id":"q","status":"failed","error":"CUDA error: out of memory"})"), HFI_E_SERVER,
                "replicate: the job failed: CUDA error: out of memory");
  JobState canceled = job_for("text-to-image", "replicate");
  expect_failed(answer(canceled, R"({"id":"q","status":"canceled","error":null})"), HFI_E_SERVER,
                "replicate: the job canceled: no reason given");
  JobState empty = job_for("text-to-image", "replicate");
  expect_failed(answer(empty, R"({"id":"q","status":"succeeded","output":null})"), HFI_E_PROTOCOL,
                "replicate: a succeeded prediction without output");
  JobState nourl = job_for("text-to-image", "replicate");
  expect_failed(answer(nourl, R"({"id":"q","status":"starting"})"), HFI_E_PROTOCOL,
                "replicate: an unfinished prediction without an http(s) urls.get");
  JobState odd = job_for("text-to-image", "replicate");
  expect_failed(answer(odd, R"({"id":"q","status":"succeeded","output":{"image":"x"}})"), HFI_E_PROTOCOL,
                "replicate: the output is not a URL or a list of URLs");
}

TEST(JobTest, ReplicateSpeechRecognitionOutputs) {
  JobState text = job_for("automatic-speech-recognition", "replicate");
  expect_done_json(answer(text, R"({"id":"a","status":"succeeded","output":"hello \"there\""})"),
                   R"({"text":"hello \"there\""})");
  JobState pieces = job_for("automatic-speech-recognition", "replicate");
  expect_done_json(answer(pieces, R"({"id":"a","status":"succeeded","output":["hel","lo"]})"), R"({"text":"hello"})");
  JobState object = job_for("automatic-speech-recognition", "replicate");
  expect_done_json(answer(object, R"({"id":"a","status":"succeeded","output":{"segments":[],"transcription":"hi"}})"),
                   R"({"text":"hi"})");
  JobState translated = job_for("automatic-speech-recognition", "replicate");
  expect_done_json(answer(translated, R"({"id":"a","status":"succeeded","output":{"translation":"salut"}})"),
                   R"({"text":"salut"})");
  JobState file = job_for("automatic-speech-recognition", "replicate");
  expect_download(answer(file, R"({"id":"a","status":"succeeded","output":{"txt_file":"https://replicate.delivery/a.txt"}})"),
                  file, "https://replicate.delivery/a.txt");
  expect_done_json(answer(file, "line one\nline two", "text/plain"), R"({"text":"line one\nline two"})");
  JobState broken = job_for("automatic-speech-recognition", "replicate");
  expect_failed(answer(broken, R"({"id":"a","status":"succeeded","output":{"srt":"x"}})"), HFI_E_PROTOCOL,
                "replicate: the output has no transcription, translation or txt_file");
  JobState mixed = job_for("automatic-speech-recognition", "replicate");
  expect_failed(answer(mixed, R"({"id":"a","status":"succeeded","output":["a",1]})"), HFI_E_PROTOCOL,
                "replicate: the output list holds a non-string");
}

TEST(JobTest, GarbageAnswersNeverCrash) {
  const char* const bodies[] = {"", "null", "[]", "{}", "\"x\"", "{\"status\":1}", "{\"data\":[]}", "\xff\xfe",
                                "{\"id\":{},\"status\":[]}", "{\"task\":\"x\"}"};
  for (const auto& [task, provider] : {std::pair{"text-to-video", "fal-ai"}, {"text-to-video", "together"},
                                       {"text-to-image", "wavespeed"}, {"text-to-image", "zai-org"},
                                       {"text-to-video", "novita"}, {"text-to-image", "replicate"},
                                       {"automatic-speech-recognition", "replicate"}}) {
    for (Phase phase : {Phase::submitted, Phase::polling}) {
      for (const char* body : bodies) {
        JobState job = job_for(task, provider);
        job.phase = phase;
        job.request_id = "id";
        const TaskStep step = answer(job, body);
        EXPECT_EQ(step.kind, Kind::failed) << provider << " " << body;
        EXPECT_NE(step.code, HFI_OK);
        EXPECT_FALSE(step.error.empty());
      }
    }
  }
}

}  // namespace
}  // namespace hfi::providers
