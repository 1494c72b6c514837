#include "tasks/catalog.h"

namespace hfi::tasks {

// Routes and input rules: ../shared/research/hf-clients.md §A.0–A.1 and the task specs
// (`inputs` "can also be provided as a raw bytes payload" when there are no parameters).
const std::vector<TaskInfo>& all_tasks() {
  using B = BinaryInput;
  static const std::vector<TaskInfo> tasks = {
      {"chat-completion", B::none, Output::json, true, "/v1/chat/completions", ""},
      // TGI's route, as the Python client uses it; the OpenAI completions route is the provider
      // layer's business for servers that only have that.
      {"text-generation", B::none, Output::json, true, "", ""},
      {"feature-extraction", B::none, Output::json, true, "/pipeline/feature-extraction", ""},
      {"sentence-similarity", B::none, Output::json, true, "/pipeline/sentence-similarity", ""},
      {"fill-mask", B::none, Output::json, true, "", ""},
      {"question-answering", B::none, Output::json, true, "", ""},
      {"summarization", B::none, Output::json, true, "", ""},
      {"table-question-answering", B::none, Output::json, true, "", ""},
      {"text-classification", B::none, Output::json, true, "", ""},
      {"token-classification", B::none, Output::json, true, "", ""},
      {"translation", B::none, Output::json, true, "", ""},
      {"zero-shot-classification", B::none, Output::json, true, "", ""},
      {"tabular-classification", B::none, Output::json, true, "", ""},
      {"tabular-regression", B::none, Output::json, true, "", ""},
      {"text-to-image", B::none, Output::media, true, "", "image/png"},
      {"text-to-speech", B::none, Output::media, true, "", ""},
      {"text-to-video", B::none, Output::media, false, "", ""},
      {"image-classification", B::body_or_json, Output::json, true, "", ""},
      {"object-detection", B::body_or_json, Output::json, true, "", ""},
      {"image-to-text", B::body_or_json, Output::json, true, "", ""},
      {"image-to-image", B::body_or_json, Output::media, true, "", "image/png"},
      {"image-to-video", B::body_or_json, Output::media, false, "", ""},
      {"audio-classification", B::body_or_json, Output::json, true, "", ""},
      {"automatic-speech-recognition", B::body_or_json, Output::json, true, "", ""},
      {"audio-to-audio", B::body_or_json, Output::json, true, "", ""},
      // The JS client sends segmentation as base64 JSON even without parameters.
      {"image-segmentation", B::json_inputs, Output::json, true, "", ""},
      {"zero-shot-image-classification", B::json_inputs, Output::json, true, "", ""},
      {"visual-question-answering", B::json_image, Output::json, true, "", ""},
      {"document-question-answering", B::json_image, Output::json, true, "", ""},
  };
  return tasks;
}

const TaskInfo* find_task(std::string_view name) {
  for (const TaskInfo& task : all_tasks()) {
    if (task.name == name) return &task;
  }
  return nullptr;
}

}  // namespace hfi::tasks
