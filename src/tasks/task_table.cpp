#include "tasks/task_table.h"

namespace hfi::tasks {
namespace {

using T = ValueType;

// Member order = the spec's property order, which is the output order.

// common-definitions.json#/definitions/ClassificationOutput
constexpr Field kClassification[] = {{"label", T::kString, true}, {"score", T::kNumber, true}};

// The spec lists "tokenStr" in `required` but names the property "token_str"
// (a spec bug); the servers send token_str, which is what is kept.
constexpr Field kFillMask[] = {{"sequence", T::kString, true},
                               {"score", T::kNumber, true},
                               {"token", T::kInteger, true},
                               {"token_str", T::kString, true}};

constexpr Field kSummarization[] = {{"summary_text", T::kString, true}};
constexpr Field kTranslation[] = {{"translation_text", T::kString, true}};

constexpr Field kQuestionAnswering[] = {{"answer", T::kString, true},
                                        {"score", T::kNumber, true},
                                        {"start", T::kInteger, true},
                                        {"end", T::kInteger, true}};

constexpr Field kTableQuestionAnswering[] = {{"answer", T::kString, true},
                                             {"coordinates", T::kArray, true, T::kArray},
                                             {"cells", T::kArray, true, T::kString},
                                             {"aggregator", T::kString, false}};

constexpr Field kTokenClassification[] = {{"entity_group", T::kString, false}, {"entity", T::kString, false},
                                          {"score", T::kNumber, true},         {"word", T::kString, true},
                                          {"start", T::kInteger, true},        {"end", T::kInteger, true}};

constexpr Field kBoundingBox[] = {{"xmin", T::kInteger, true},
                                  {"xmax", T::kInteger, true},
                                  {"ymin", T::kInteger, true},
                                  {"ymax", T::kInteger, true}};
constexpr Field kObjectDetection[] = {{"label", T::kString, true},
                                      {"score", T::kNumber, true},
                                      {"box", T::kObject, true, T::kAny, fields(kBoundingBox)}};

constexpr Field kImageSegmentation[] = {
    {"label", T::kString, true}, {"mask", T::kString, true}, {"score", T::kNumber, false}};

// The spec lists "generatedText" in `required` but names the property
// "generated_text" (a spec bug); the servers send generated_text.
constexpr Field kImageToText[] = {{"generated_text", T::kString, true}};

constexpr Field kVisualQuestionAnswering[] = {{"answer", T::kString, false}, {"score", T::kNumber, true}};

// The spec requires score, start and end, but generative document models
// answer with the text only: donut (naver-clova-ix/donut-base-finetuned-docvqa)
// returns [{"answer":"us-001"}] (interactions.ndjson record 29).
constexpr Field kDocumentQuestionAnswering[] = {{"answer", T::kString, true},
                                                {"score", T::kNumber, false},
                                                {"start", T::kInteger, false},
                                                {"end", T::kInteger, false}};

// Whisper ends the last chunk with a null timestamp when the audio is cut
// mid-word, so the timestamp's elements are not checked.
constexpr Field kSpeechChunk[] = {{"text", T::kString, true}, {"timestamp", T::kArray, true}};
constexpr Field kSpeechRecognition[] = {{"text", T::kString, true},
                                        {"chunks", T::kArray, false, T::kObject, fields(kSpeechChunk)}};

// No spec exists for audio-to-audio; this is the hf-inference answer
// (records 38 and 262): a base64 FLAC blob per output track.
constexpr Field kAudioToAudio[] = {
    {"label", T::kString, true}, {"blob", T::kString, true}, {"content-type", T::kString, false}};

// TGI's `details` is copied whole (tokens, prefill, best_of_sequences, ...).
constexpr Field kTextGeneration[] = {{"generated_text", T::kString, true}, {"details", T::kObject, false}};

constexpr TaskRow kRows[] = {
    {"text-classification", Shape::kObjectList, fields(kClassification), "an array of {label, score}"},
    {"zero-shot-classification", Shape::kObjectList, fields(kClassification), "an array of {label, score}",
     Legacy::kZeroShotLabelsScores},
    {"image-classification", Shape::kObjectList, fields(kClassification), "an array of {label, score}"},
    {"zero-shot-image-classification", Shape::kObjectList, fields(kClassification), "an array of {label, score}"},
    {"audio-classification", Shape::kObjectList, fields(kClassification), "an array of {label, score}"},
    {"fill-mask", Shape::kObjectList, fields(kFillMask), "an array of {sequence, score, token, token_str}"},
    {"question-answering", Shape::kObjectList, fields(kQuestionAnswering), "an array of {answer, score, start, end}"},
    {"table-question-answering", Shape::kObjectList, fields(kTableQuestionAnswering),
     "an array of {answer, coordinates, cells, aggregator?}"},
    {"token-classification", Shape::kObjectList, fields(kTokenClassification),
     "an array of {entity_group?, entity?, score, word, start, end}"},
    {"object-detection", Shape::kObjectList, fields(kObjectDetection), "an array of {label, score, box}"},
    {"image-segmentation", Shape::kObjectList, fields(kImageSegmentation), "an array of {label, mask, score?}"},
    {"visual-question-answering", Shape::kObjectList, fields(kVisualQuestionAnswering),
     "an array of {answer?, score}"},
    {"document-question-answering", Shape::kObjectList, fields(kDocumentQuestionAnswering),
     "an array of {answer, score?, start?, end?}"},
    {"audio-to-audio", Shape::kObjectList, fields(kAudioToAudio), "an array of {label, blob, content-type?}"},
    {"summarization", Shape::kObject, fields(kSummarization), "an object {summary_text}"},
    {"translation", Shape::kObject, fields(kTranslation), "an object {translation_text}"},
    {"image-to-text", Shape::kObject, fields(kImageToText), "an object {generated_text}"},
    {"automatic-speech-recognition", Shape::kObject, fields(kSpeechRecognition), "an object {text, chunks?}"},
    {"text-generation", Shape::kObject, fields(kTextGeneration), "an object {generated_text, details?}",
     Legacy::kCompletions},
    {"sentence-similarity", Shape::kNumberList, {}, "an array of numbers"},
    {"tabular-regression", Shape::kNumberList, {}, "an array of numbers"},
    {"tabular-classification", Shape::kLabelList, {}, "an array of numbers or strings"},
    {"feature-extraction", Shape::kTensor, {}, "nested arrays of numbers", Legacy::kEmbeddings},
};

}  // namespace

const TaskRow* find_task_row(std::string_view task) {
  for (const TaskRow& row : kRows) {
    if (row.task == task) return &row;
  }
  return nullptr;
}

}  // namespace hfi::tasks
