// Placeholder: this op is not implemented yet; its factory refuses the op by name.
#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"

namespace harness::runtime::ops {

std::unique_ptr<OpKernel> MakeConcatenation(const model::Graph& graph, int op_index) {
  throw OpError(graph, op_index, "not implemented yet");
}

}  // namespace harness::runtime::ops
