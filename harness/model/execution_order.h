#pragma once
// The structural checks a loaded graph must pass before anything runs it: it has inputs and
// outputs, and its ops are stored in an order that can execute, each reading only tensors that
// exist by then. TFLite runs ops in stored order without checking; a model whose ops are out of
// order would read tensors nobody has written yet and give a wrong answer without an error.

#include <string>

#include "harness/model/graph.h"

namespace harness::model {

// Throws harness::Error placed at `source` (the file), naming the op and the tensor at fault.
void CheckExecutionOrder(const Graph& graph, const std::string& source);

}  // namespace harness::model
