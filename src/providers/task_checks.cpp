// check_task_input: what the task spec of each task requires of its input
// (../shared/fixtures/task-specs/<task>/input.json), checked before any provider is chosen so that
// the caller learns what is wrong without a request. Lenient where the servers are: text tasks
// take lists of strings (batches), table question answering takes `query` (what the servers read)
// or the spec's `question`.
#include <simdjson.h>

#include "providers/task_request.h"

namespace hfi::providers {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using tasks::BinaryInput;

enum class Want { string, string_or_list, string_list, object, list };

const char* type_name(element e) {
  switch (e.type()) {
    case element_type::ARRAY: return "a list";
    case element_type::OBJECT: return "an object";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
    default: return "a number";
  }
}

bool all_strings(element e) {
  simdjson::dom::array items;
  if (e.get_array().get(items)) return false;
  for (element item : items) {
    if (item.type() != element_type::STRING) return false;
  }
  return true;
}

bool matches(element e, Want want) {
  switch (want) {
    case Want::string: return e.type() == element_type::STRING;
    case Want::string_or_list: return e.type() == element_type::STRING || all_strings(e);
    case Want::string_list: return all_strings(e);
    case Want::object: return e.type() == element_type::OBJECT;
    case Want::list: return e.type() == element_type::ARRAY;
  }
  return false;
}

const char* want_name(Want want) {
  switch (want) {
    case Want::string: return "a string";
    case Want::string_or_list: return "a string or a list of strings";
    case Want::string_list: return "a list of strings";
    case Want::object: return "an object";
    case Want::list: return "a list";
  }
  return "";
}

// A member of an object by a dotted path ("inputs.question"); false when any step is missing.
bool lookup(element root, std::string_view path, element& out) {
  element at = root;
  while (!path.empty()) {
    const size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    simdjson::dom::object object;
    if (at.get_object().get(object) || object.at_key(key).get(at)) return false;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  out = at;
  return true;
}

// "<task> needs <path> (<type>)", with what was found instead when there is something there.
bool require(std::string_view task, element root, std::string_view path, Want want, std::string& error) {
  element found;
  const bool present = lookup(root, path, found);
  if (present && matches(found, want)) return true;
  error = std::string(task) + " needs " + std::string(path) + " (" + want_name(want) + ")";
  if (present) error += std::string(", not ") + type_name(found);
  return false;
}

bool require_one_of(std::string_view task, element root, std::string_view a, std::string_view b, Want want,
                    std::string& error) {
  element found;
  if (lookup(root, a, found) && matches(found, want)) return true;
  if (lookup(root, b, found) && matches(found, want)) return true;
  error = std::string(task) + " needs " + std::string(a) + " or " + std::string(b) + " (" + want_name(want) + ")";
  return false;
}

// The members a task's JSON body must have beyond a binary input.
bool check_json_task(std::string_view task, element root, std::string& error) {
  if (task == "chat-completion") return require(task, root, "messages", Want::list, error);
  if (task == "question-answering") {
    return require(task, root, "inputs", Want::object, error) &&
           require(task, root, "inputs.question", Want::string, error) &&
           require(task, root, "inputs.context", Want::string, error);
  }
  if (task == "sentence-similarity") {
    return require(task, root, "inputs", Want::object, error) &&
           require(task, root, "inputs.source_sentence", Want::string, error) &&
           require(task, root, "inputs.sentences", Want::string_list, error);
  }
  if (task == "table-question-answering") {
    return require(task, root, "inputs", Want::object, error) &&
           require_one_of(task, root, "inputs.query", "inputs.question", Want::string, error) &&
           require(task, root, "inputs.table", Want::object, error);
  }
  if (task == "tabular-classification" || task == "tabular-regression") {
    return require(task, root, "inputs", Want::object, error) &&
           require(task, root, "inputs.data", Want::object, error);
  }
  if (task == "zero-shot-classification") {
    return require(task, root, "inputs", Want::string_or_list, error) &&
           require(task, root, "parameters.candidate_labels", Want::string_list, error);
  }
  // Prompts: one string each (the providers' image, speech and completion APIs take no batch).
  if (task == "text-generation" || task == "text-to-image" || task == "text-to-speech" || task == "text-to-video")
    return require(task, root, "inputs", Want::string, error);
  return require(task, root, "inputs", Want::string_or_list, error);
}

// Media-in tasks: the image or audio as bytes, or in "inputs"; and what goes beside it.
bool check_media_task(const tasks::TaskInfo& task, element root, bool has_binary, std::string& error) {
  const std::string_view name = task.name;
  element inputs;
  const bool has_inputs = lookup(root, "inputs", inputs);
  if (task.binary == BinaryInput::json_image) {
    if (!require(name, root, "inputs", Want::object, error) ||
        !require(name, root, "inputs.question", Want::string, error))
      return false;
    element image;
    if (has_binary && lookup(root, "inputs.image", image)) {
      error = std::string(name) + ": give the image either as bytes or as inputs.image, not both";
      return false;
    }
    return has_binary || require(name, root, "inputs.image", Want::string, error);
  }
  if (has_binary && has_inputs) {
    error = std::string(name) + ": give the input either as bytes or as inputs, not both";
    return false;
  }
  if (!has_binary && !(has_inputs && inputs.type() == element_type::STRING)) {
    error = std::string(name) + " needs the image or audio bytes, or inputs (a URL or base64 string)";
    if (has_inputs) error += std::string(", not ") + type_name(inputs);
    return false;
  }
  if (name == "zero-shot-image-classification")
    return require(name, root, "parameters.candidate_labels", Want::string_list, error);
  return true;
}

}  // namespace

hfi_status check_task_input(const TaskCallInput& in, std::string& error) {
  try {
    if (!in.task) {
      error = "unknown task";
      return HFI_E_INVALID_ARG;
    }
    const tasks::TaskInfo& task = *in.task;
    const std::string name(task.name);
    const bool has_binary = !in.binary.empty();
    if (has_binary && task.binary == BinaryInput::none) {
      error = name + " takes no image or audio input";
      return HFI_E_INVALID_ARG;
    }
    std::string_view json = in.json;
    if (json.empty()) {
      if (task.binary == BinaryInput::none) {
        error = name + " needs a JSON body";
        return HFI_E_INVALID_ARG;
      }
      if (!has_binary) {
        error = name + " needs the image or audio bytes, or a JSON body with inputs";
        return HFI_E_INVALID_ARG;
      }
      json = "{}";  // the bytes alone: what goes beside them is checked as if the body were empty
    }
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(json);
    element root;
    if (parser.parse(padded).get(root) || root.type() != element_type::OBJECT) {
      error = name + ": the request body is not a JSON object";
      return HFI_E_INVALID_ARG;
    }
    element parameters;
    if (lookup(root, "parameters", parameters) && parameters.type() != element_type::OBJECT &&
        parameters.type() != element_type::NULL_VALUE) {
      error = name + " needs parameters (an object), not " + type_name(parameters);
      return HFI_E_INVALID_ARG;
    }
    const bool ok = task.binary == BinaryInput::none ? check_json_task(task.name, root, error)
                                                     : check_media_task(task, root, has_binary, error);
    return ok ? HFI_OK : HFI_E_INVALID_ARG;
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return HFI_E_NOMEM;
  }
}

}  // namespace hfi::providers
