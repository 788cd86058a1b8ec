#include "harness/runtime/op_kernel.h"

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/op_util.h"

namespace harness::runtime {

std::unique_ptr<OpKernel> MakeKernel(const model::Graph& graph, int op_index) {
  const model::Op& op = graph.ops.at(static_cast<size_t>(op_index));
  const model::OpDescriptor* descriptor = model::FindOp(op.type);
  if (descriptor == nullptr) throw ops::OpError(graph, op_index, "operator type is not supported");
  return (*descriptor->make_kernel)(graph, op_index);
}

}  // namespace harness::runtime
