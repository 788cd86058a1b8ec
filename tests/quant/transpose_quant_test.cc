// TRANSPOSE through the int8 and int16x8 quantizer (see single_op_quant.h): the output shares
// the input's parameters, so the quantized model differs from float by the input's rounding only.
#include <gtest/gtest.h>

#include "harness/runtime/ops/transpose.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant::testing {
namespace {

SingleOpQuantCase TransposeCase() {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", {1, 3, 4, 5});
  const int32_t perm =
      AddConstant(g, "perm", {4}, std::vector<int32_t>{0, 2, 3, 1}, model::DataType::kInt32);
  const int32_t y = AddTensor(g, "y", {1, 4, 5, 3});
  model::Op op;
  op.type = runtime::ops::kTranspose;
  op.inputs = {x, perm};
  op.outputs = {y};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  SingleOpQuantCase c{.float_graph = g, .op = runtime::ops::kTranspose};
  c.int8_version = 2;  // TFLite's op_version.cc
  c.int16_version = 5;
  c.tolerance_steps = 0.5;  // only the input's rounding to the nearest step
  return c;
}

TEST(TransposeQuant, Int8) { CheckSingleOpQuantization(TransposeCase(), false); }
TEST(TransposeQuant, Int16x8) { CheckSingleOpQuantization(TransposeCase(), true); }

}  // namespace
}  // namespace harness::quant::testing
