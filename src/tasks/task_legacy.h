// Converting the shapes that real servers send and no task spec describes
// into the spec's shape, before the generic unwrapping of task_output.cpp.
#pragma once

#include <string>

#include "tasks/json_tree.h"
#include "tasks/task_table.h"

namespace hfi::tasks {

// Rewrites `root` in place for `legacy`. Bodies that are not in the legacy
// shape are left alone (the generic rules then judge them). Returns false
// with a description of the offending part in `got` when the body is in the
// legacy shape but broken (e.g. labels and scores of different lengths).
// May throw std::bad_alloc.
bool convert_legacy(Legacy legacy, JsonNode& root, std::string& got);

}  // namespace hfi::tasks
