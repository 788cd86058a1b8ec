// PRELU through the int8 quantizer (see single_op_quant.h): the float alpha becomes an int8
// per-tensor operand with its own parameters, the output is calibrated, and the quantized model
// stays within two output steps of float (input, alpha and output rounding). int16x8 refuses
// PRELU naming it: TFLite-Micro's int16 kernel wants an int8 alpha, which that mode does not
// write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/error.h"
#include "harness/runtime/ops/prelu.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant::testing {
namespace {

using runtime::ops::kPrelu;

SingleOpQuantCase PreluCase() {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", {1, 4, 4, 3});
  const int32_t alpha = AddConstant(g, "alpha", {1, 1, 3}, std::vector<float>{0.2f, -0.3f, 1.5f},
                                    model::DataType::kFloat32);
  const int32_t y = AddTensor(g, "y", {1, 4, 4, 3});
  model::Op op;
  op.type = kPrelu;
  op.inputs = {x, alpha};
  op.outputs = {y};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  SingleOpQuantCase c{.float_graph = g, .op = kPrelu};
  c.tolerance_steps = 2.0;
  return c;
}

TEST(PreluQuant, Int8) {
  const model::Graph q = CheckSingleOpQuantization(PreluCase(), false);
  for (const model::Op& op : q.ops) {
    if (op.type == kPrelu) {
      EXPECT_EQ(q.tensor(op.inputs[1]).type, model::DataType::kInt8);
    }
  }
}

TEST(PreluQuant, Int16x8IsRefusedNamingTheOp) {
  try {
    CheckSingleOpQuantization(PreluCase(), true);
    ADD_FAILURE() << "int16x8 quantized PRELU";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("PRELU"));
  }
}

}  // namespace
}  // namespace harness::quant::testing
