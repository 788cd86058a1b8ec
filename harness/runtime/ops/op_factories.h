#pragma once
// One factory per builtin op; MakeKernel dispatches on the op type. Each factory lives in the
// file of its op under harness/runtime/ops/.

#include <memory>

#include "harness/runtime/op_kernel.h"

namespace harness::runtime::ops {

using Factory = std::unique_ptr<OpKernel> (*)(const model::Graph& graph, int op_index);

std::unique_ptr<OpKernel> MakeConv2D(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeDepthwiseConv2D(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeFullyConnected(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeAdd(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeMul(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeAveragePool2D(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeMaxPool2D(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeReshape(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeConcatenation(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakePad(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeMean(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeSoftmax(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeLogistic(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeTanh(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeQuantize(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeDequantize(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeRelu(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeRelu6(const model::Graph& graph, int op_index);
std::unique_ptr<OpKernel> MakeHardSwish(const model::Graph& graph, int op_index);

}  // namespace harness::runtime::ops
