// MAXIMUM and MINIMUM through the quantizer (see single_op_quant.h), against a broadcast float
// constant: the constant is quantized with the output's parameters (the kernel compares raw
// values), the shared range covers it, and the result is within half a step of float.
#include <gtest/gtest.h>

#include "harness/runtime/ops/maximum_minimum.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant::testing {
namespace {

using runtime::ops::kMaximum;
using runtime::ops::kMinimum;

SingleOpQuantCase Case(model::OpType type) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", {1, 4, 4, 3});
  // Bounds partly outside the samples' [-4, 3]: the shared range must widen to hold 5.
  const int32_t c = AddConstant(g, "bound", {3}, std::vector<float>{-1.0f, 0.25f, 5.0f},
                                model::DataType::kFloat32);
  const int32_t y = AddTensor(g, "y", {1, 4, 4, 3});
  model::Op op;
  op.type = type;
  op.inputs = {x, c};
  op.outputs = {y};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  SingleOpQuantCase k{.float_graph = g, .op = type};
  k.int8_version = 2;
  k.int16_version = 4;
  k.tolerance_steps = 0.5;
  return k;
}

void Check(model::OpType type, bool int16) {
  const model::Graph q = CheckSingleOpQuantization(Case(type), int16);
  for (const model::Op& op : q.ops) {
    if (op.type != type) continue;
    const auto& bound = q.tensor(op.inputs[1]).quantization;
    const auto& out = q.tensor(op.outputs[0]).quantization;
    EXPECT_EQ(bound.scales, out.scales);
    EXPECT_EQ(bound.zero_points, out.zero_points);
  }
}

TEST(MaximumMinimumQuant, MaximumInt8) { Check(kMaximum, false); }
TEST(MaximumMinimumQuant, MaximumInt16x8) { Check(kMaximum, true); }
TEST(MaximumMinimumQuant, MinimumInt8) { Check(kMinimum, false); }
TEST(MaximumMinimumQuant, MinimumInt16x8) { Check(kMinimum, true); }

}  // namespace
}  // namespace harness::quant::testing
