#include "harness/runtime/op_kernel.h"

#include "harness/runtime/ops/op_factories.h"
#include "harness/runtime/ops/op_util.h"

namespace harness::runtime {

std::unique_ptr<OpKernel> MakeKernel(const model::Graph& graph, int op_index) {
  using model::OpType;
  const model::Op& op = graph.ops.at(static_cast<size_t>(op_index));
  switch (op.type) {
    case OpType::kConv2D: return ops::MakeConv2D(graph, op_index);
    case OpType::kDepthwiseConv2D: return ops::MakeDepthwiseConv2D(graph, op_index);
    case OpType::kFullyConnected: return ops::MakeFullyConnected(graph, op_index);
    case OpType::kAdd: return ops::MakeAdd(graph, op_index);
    case OpType::kMul: return ops::MakeMul(graph, op_index);
    case OpType::kAveragePool2D: return ops::MakeAveragePool2D(graph, op_index);
    case OpType::kMaxPool2D: return ops::MakeMaxPool2D(graph, op_index);
    case OpType::kReshape: return ops::MakeReshape(graph, op_index);
    case OpType::kConcatenation: return ops::MakeConcatenation(graph, op_index);
    case OpType::kPad: return ops::MakePad(graph, op_index);
    case OpType::kMean: return ops::MakeMean(graph, op_index);
    case OpType::kSoftmax: return ops::MakeSoftmax(graph, op_index);
    case OpType::kLogistic: return ops::MakeLogistic(graph, op_index);
    case OpType::kTanh: return ops::MakeTanh(graph, op_index);
    case OpType::kQuantize: return ops::MakeQuantize(graph, op_index);
    case OpType::kDequantize: return ops::MakeDequantize(graph, op_index);
    case OpType::kRelu: return ops::MakeRelu(graph, op_index);
    case OpType::kRelu6: return ops::MakeRelu6(graph, op_index);
    case OpType::kHardSwish: return ops::MakeHardSwish(graph, op_index);
  }
  throw ops::OpError(graph, op_index, "operator type is not supported");
}

}  // namespace harness::runtime
