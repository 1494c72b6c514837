#include "task_catalog.h"

namespace hfi::emu {

const std::vector<TaskSpec>& all_task_specs() {
  static const std::vector<TaskSpec> tasks = {
      {"chat-completion", true, "/v1/chat/completions", false, ""},
      {"text-generation", true, "", false, ""},
      {"feature-extraction", true, "/pipeline/feature-extraction", false, ""},
      {"sentence-similarity", true, "/pipeline/sentence-similarity", false, ""},
      {"fill-mask", true, "", false, ""},
      {"question-answering", true, "", false, ""},
      {"summarization", true, "", false, ""},
      {"table-question-answering", true, "", false, ""},
      {"text-classification", true, "", false, ""},
      {"token-classification", true, "", false, ""},
      {"translation", true, "", false, ""},
      {"zero-shot-classification", true, "", false, ""},
      {"tabular-classification", true, "", false, ""},
      {"tabular-regression", true, "", false, ""},
      {"text-to-image", true, "", false, "image/png"},
      {"text-to-speech", true, "", false, "audio/flac"},
      {"text-to-video", false, "", false, "video/mp4"},
      {"image-classification", true, "", true, ""},
      {"object-detection", true, "", true, ""},
      {"image-to-text", true, "", true, ""},
      {"image-to-image", true, "", true, "image/png"},
      {"image-to-video", false, "", true, "video/mp4"},
      {"audio-classification", true, "", true, ""},
      {"automatic-speech-recognition", true, "", true, ""},
      {"audio-to-audio", true, "", true, ""},
      {"image-segmentation", true, "", true, ""},
      {"zero-shot-image-classification", true, "", true, ""},
      {"visual-question-answering", true, "", true, ""},
      {"document-question-answering", true, "", true, ""},
  };
  return tasks;
}

const TaskSpec* find_task_spec(std::string_view name) {
  for (const TaskSpec& task : all_task_specs())
    if (task.name == name) return &task;
  return nullptr;
}

std::string hub_task_name(std::string_view catalog_task) {
  return catalog_task == "chat-completion" ? "conversational" : std::string(catalog_task);
}

std::string catalog_task_name(std::string_view hub_task) {
  return hub_task == "conversational" ? "chat-completion" : std::string(hub_task);
}

}  // namespace hfi::emu
