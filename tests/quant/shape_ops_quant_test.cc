// EXPAND_DIMS and SQUEEZE through the quantizer (see single_op_quant.h): both keep their input's
// parameters, so the quantized model differs from float by the input's rounding only; SQUEEZE's
// squeeze_dims survive the written file.
#include <gtest/gtest.h>

#include "harness/runtime/ops/shape_ops.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant::testing {
namespace {

using runtime::ops::kExpandDims;
using runtime::ops::kSqueeze;
using runtime::ops::SqueezeOptions;

SingleOpQuantCase ExpandDimsCase() {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", {4, 6});
  const int32_t axis =
      AddConstant(g, "axis", {1}, std::vector<int32_t>{-2}, model::DataType::kInt32);
  const int32_t y = AddTensor(g, "y", {4, 1, 6});
  model::Op op;
  op.type = kExpandDims;
  op.inputs = {x, axis};
  op.outputs = {y};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  SingleOpQuantCase c{.float_graph = g, .op = kExpandDims};
  c.tolerance_steps = 0.5;
  return c;
}

SingleOpQuantCase SqueezeCase() {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", {1, 4, 1, 6});
  const int32_t y = AddTensor(g, "y", {1, 4, 6});
  model::Op op;
  op.type = kSqueeze;
  op.inputs = {x};
  op.outputs = {y};
  op.options = SqueezeOptions{{2}};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  SingleOpQuantCase c{.float_graph = g, .op = kSqueeze};
  c.tolerance_steps = 0.5;
  return c;
}

TEST(ShapeOpsQuant, ExpandDimsInt8AndInt16x8) {
  CheckSingleOpQuantization(ExpandDimsCase(), false);
  CheckSingleOpQuantization(ExpandDimsCase(), true);
}

TEST(ShapeOpsQuant, SqueezeInt8AndInt16x8KeepSqueezeDims) {
  for (bool int16 : {false, true}) {
    const model::Graph q = CheckSingleOpQuantization(SqueezeCase(), int16);
    for (const model::Op& op : q.ops) {
      if (op.type != kSqueeze) continue;
      ASSERT_NE(op.options.get_if<SqueezeOptions>(), nullptr);
      EXPECT_EQ(op.options.get<SqueezeOptions>().squeeze_dims, std::vector<int32_t>{2});
    }
  }
}

}  // namespace
}  // namespace harness::quant::testing
