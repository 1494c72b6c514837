// What each task's normalised output looks like: one row per task, read by
// task_output.cpp. The rows follow ../shared/fixtures/task-specs/<task>/output.json,
// corrected where the spec is wrong or real servers disagree (each such
// correction is commented in task_table.cpp with its evidence).
#pragma once

#include <cstddef>
#include <string_view>

namespace hfi::tasks {

// How a member's value is checked. Integer members accept any JSON number:
// the value is copied as received, and models do emit e.g. 16.0.
enum class ValueType : unsigned char { kAny, kString, kNumber, kInteger, kArray, kObject };

struct Field;

struct FieldList {
  const Field* data = nullptr;
  size_t size = 0;
};

template <size_t N>
constexpr FieldList fields(const Field (&list)[N]) {
  return FieldList{list, N};
}

struct Field {
  std::string_view name;
  ValueType type;
  bool required;
  // Arrays: the type every element must have (kAny: unchecked).
  ValueType item = ValueType::kAny;
  // Objects, or arrays of objects: the members kept (and checked) inside. Empty:
  // the value is copied whole, unknown members included (e.g. TGI `details`).
  FieldList members = {};
};

// The root of the normalised output.
enum class Shape : unsigned char {
  // One object (summarization, translation, ...). A list of one object is
  // unwrapped; a longer list is the answer to batched inputs and stays a list.
  kObject,
  // A list of objects (classification, QA, ...). A lone object is wrapped in a
  // list; a list of lists is a batch, and a batch of one is unwrapped.
  kObjectList,
  // A list of numbers (sentence-similarity, tabular-regression).
  kNumberList,
  // A list of numbers or strings (tabular-classification: class ids or labels).
  kLabelList,
  // Nested lists of numbers of any depth, kept as received (feature-extraction).
  kTensor,
};

// Shapes that real servers send and no spec describes, converted first.
enum class Legacy : unsigned char {
  kNone,
  kZeroShotLabelsScores,  // {"sequence","labels":[..],"scores":[..]} -> [{label,score}]
  kCompletions,           // OpenAI completions {"choices":[{"text"}]} -> {generated_text}
  kEmbeddings,            // OpenAI embeddings {"data":[{"embedding":[..]}]} -> [[..]]
};

struct TaskRow {
  std::string_view task;
  Shape shape;
  FieldList members;      // kObject and kObjectList: the members of each object
  std::string_view what;  // for messages: "an array of {label, score}"
  Legacy legacy = Legacy::kNone;
};

// The row of `task`, or null when the task has no JSON output handled here
// (media outputs, chat-completion, unknown names).
const TaskRow* find_task_row(std::string_view task);

}  // namespace hfi::tasks
