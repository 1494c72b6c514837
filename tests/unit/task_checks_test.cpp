// check_task_input: what each task requires of its input, and the message that says what is wrong.
#include <gtest/gtest.h>

#include <string>

#include "providers/task_request.h"

namespace hfi::providers {
namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

// The message of a refused input; empty when it is accepted.
std::string problem(std::string_view task, std::string_view json, std::string_view binary = {}) {
  TaskCallInput in;
  in.task = tasks::find_task(task);
  in.json = json;
  in.binary = binary;
  std::string error;
  const hfi_status st = check_task_input(in, error);
  if (st == HFI_OK) return "";
  EXPECT_EQ(st, HFI_E_INVALID_ARG);
  return error.empty() ? "(no message)" : error;
}

TEST(TaskInputCheckTest, ValidInputsPass) {
  EXPECT_EQ(problem("text-classification", R"({"inputs":"I like you"})"), "");
  EXPECT_EQ(problem("text-classification", R"({"inputs":["a","b"],"parameters":{"top_k":2}})"), "");
  EXPECT_EQ(problem("question-answering", R"({"inputs":{"question":"q","context":"c"}})"), "");
  EXPECT_EQ(problem("table-question-answering", R"({"inputs":{"query":"q","table":{"a":["1"]}}})"), "");
  EXPECT_EQ(problem("table-question-answering", R"({"inputs":{"question":"q","table":{"a":["1"]}}})"), "");
  EXPECT_EQ(problem("sentence-similarity", R"({"inputs":{"source_sentence":"a","sentences":["b","c"]}})"), "");
  EXPECT_EQ(problem("zero-shot-classification", R"({"inputs":"x","parameters":{"candidate_labels":["a","b"]}})"), "");
  EXPECT_EQ(problem("tabular-regression", R"({"inputs":{"data":{"a":["1"]}}})"), "");
  EXPECT_EQ(problem("chat-completion", R"({"messages":[{"role":"user","content":"hi"}]})"), "");
  EXPECT_EQ(problem("feature-extraction", R"({"inputs":["a","b"],"parameters":null})"), "");
  EXPECT_EQ(problem("image-classification", "", kPng), "");
  EXPECT_EQ(problem("image-classification", R"({"parameters":{"top_k":1}})", kPng), "");
  EXPECT_EQ(problem("image-classification", R"({"inputs":"https://x.test/cat.png"})"), "");
  EXPECT_EQ(problem("zero-shot-image-classification", R"({"parameters":{"candidate_labels":["cat"]}})", kPng), "");
  EXPECT_EQ(problem("visual-question-answering", R"({"inputs":{"question":"what?"}})", kPng), "");
  EXPECT_EQ(problem("document-question-answering", R"({"inputs":{"question":"q","image":"iVBOR"}})"), "");
}

TEST(TaskInputCheckTest, MissingMembersAreNamed) {
  EXPECT_EQ(problem("question-answering", R"({"inputs":{"context":"c"}})"),
            "question-answering needs inputs.question (a string)");
  EXPECT_EQ(problem("question-answering", R"({"inputs":{"question":"q","context":7}})"),
            "question-answering needs inputs.context (a string), not a number");
  EXPECT_EQ(problem("question-answering", R"({"inputs":"q"})"), "question-answering needs inputs (an object), not a string");
  EXPECT_EQ(problem("zero-shot-classification", R"({"inputs":"x"})"),
            "zero-shot-classification needs parameters.candidate_labels (a list of strings)");
  EXPECT_EQ(problem("zero-shot-classification", R"({"inputs":"x","parameters":{"candidate_labels":"a"}})"),
            "zero-shot-classification needs parameters.candidate_labels (a list of strings), not a string");
  EXPECT_EQ(problem("sentence-similarity", R"({"inputs":{"source_sentence":"a"}})"),
            "sentence-similarity needs inputs.sentences (a list of strings)");
  EXPECT_EQ(problem("sentence-similarity", R"({"inputs":{"source_sentence":"a","sentences":["b",1]}})"),
            "sentence-similarity needs inputs.sentences (a list of strings), not a list");
  EXPECT_EQ(problem("table-question-answering", R"({"inputs":{"table":{}}})"),
            "table-question-answering needs inputs.query or inputs.question (a string)");
  EXPECT_EQ(problem("table-question-answering", R"({"inputs":{"query":"q"}})"),
            "table-question-answering needs inputs.table (an object)");
  EXPECT_EQ(problem("tabular-classification", R"({"inputs":{}})"),
            "tabular-classification needs inputs.data (an object)");
  EXPECT_EQ(problem("chat-completion", R"({"model":"m"})"), "chat-completion needs messages (a list)");
  EXPECT_EQ(problem("fill-mask", R"({"parameters":{}})"), "fill-mask needs inputs (a string or a list of strings)");
  EXPECT_EQ(problem("zero-shot-image-classification", R"({"parameters":{}})", kPng),
            "zero-shot-image-classification needs parameters.candidate_labels (a list of strings)");
  EXPECT_EQ(problem("visual-question-answering", R"({"inputs":{}})", kPng),
            "visual-question-answering needs inputs.question (a string)");
  EXPECT_EQ(problem("document-question-answering", R"({"inputs":{"question":"q"}})"),
            "document-question-answering needs inputs.image (a string)");
}

TEST(TaskInputCheckTest, WrongTypesAreNamed) {
  EXPECT_EQ(problem("text-classification", R"({"inputs":42})"),
            "text-classification needs inputs (a string or a list of strings), not a number");
  EXPECT_EQ(problem("text-generation", R"({"inputs":["a"]})"), "text-generation needs inputs (a string), not a list");
  EXPECT_EQ(problem("text-to-image", R"({"inputs":null})"), "text-to-image needs inputs (a string), not null");
  EXPECT_EQ(problem("summarization", R"({"inputs":"x","parameters":[1]})"),
            "summarization needs parameters (an object), not a list");
  EXPECT_EQ(problem("image-classification", R"({"inputs":{"image":"x"}})"),
            "image-classification needs the image or audio bytes, or inputs (a URL or base64 string), not an object");
}

TEST(TaskInputCheckTest, BodiesAndBinaryInputs) {
  EXPECT_EQ(problem("text-classification", "[1,2]"), "text-classification: the request body is not a JSON object");
  EXPECT_EQ(problem("text-classification", "{\"inputs\":"), "text-classification: the request body is not a JSON object");
  EXPECT_EQ(problem("text-classification", ""), "text-classification needs a JSON body");
  EXPECT_EQ(problem("text-classification", R"({"inputs":"x"})", kPng), "text-classification takes no image or audio input");
  EXPECT_EQ(problem("automatic-speech-recognition", ""),
            "automatic-speech-recognition needs the image or audio bytes, or a JSON body with inputs");
  EXPECT_EQ(problem("automatic-speech-recognition", R"({"parameters":{}})"),
            "automatic-speech-recognition needs the image or audio bytes, or inputs (a URL or base64 string)");
  EXPECT_EQ(problem("image-to-image", R"({"inputs":"aGk="})", kPng),
            "image-to-image: give the input either as bytes or as inputs, not both");
  EXPECT_EQ(problem("visual-question-answering", R"({"inputs":{"question":"q","image":"aGk="}})", kPng),
            "visual-question-answering: give the image either as bytes or as inputs.image, not both");
  TaskCallInput unknown;
  std::string error;
  EXPECT_EQ(check_task_input(unknown, error), HFI_E_INVALID_ARG);
  EXPECT_EQ(error, "unknown task");
}

TEST(TaskInputCheckTest, EveryTaskChecksSomething) {
  for (const tasks::TaskInfo& task : tasks::all_tasks()) {
    SCOPED_TRACE(std::string(task.name));
    EXPECT_NE(problem(task.name, "{}"), "");  // no task is satisfied by an empty object
  }
}

}  // namespace
}  // namespace hfi::providers
