// ARG_MAX and ARG_MIN through the int8 quantizer (see single_op_quant.h): the index output
// stays INT32 without parameters and without a DEQUANTIZE, and the quantized model picks, on
// every row, an element whose float value is within one input step of the float model's pick
// (quantization can only merge values closer than a step). int16x8 refuses them naming the op:
// TFLite-Micro has no int16 kernel.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/error.h"
#include "harness/runtime/ops/arg_min_max.h"
#include "tests/quant/single_op_quant.h"

namespace harness::quant::testing {
namespace {

using runtime::ops::ArgMinMaxOptions;
using runtime::ops::kArgMax;
using runtime::ops::kArgMin;

constexpr int32_t kRows = 6, kClasses = 10;

SingleOpQuantCase ArgCase(model::OpType type) {
  model::Graph g;
  const int32_t x = AddTensor(g, "x", {kRows, kClasses});
  const int32_t axis =
      AddConstant(g, "axis", {1}, std::vector<int32_t>{-1}, model::DataType::kInt32);
  const int32_t y = AddTensor(g, "y", {kRows}, model::DataType::kInt32);
  model::Op op;
  op.type = type;
  op.inputs = {x, axis};
  op.outputs = {y};
  op.options = ArgMinMaxOptions{};
  g.ops.push_back(op);
  g.inputs = {x};
  g.outputs = {y};
  SingleOpQuantCase c{.float_graph = g, .op = type};
  c.int8_version = 2;
  return c;
}

void CheckInt8(model::OpType type) {
  const SingleOpQuantCase c = ArgCase(type);
  const model::Graph q = CheckSingleOpQuantization(c, false);
  const model::Tensor& out = q.tensor(q.outputs.at(0));
  EXPECT_EQ(out.type, model::DataType::kInt32);
  EXPECT_TRUE(out.quantization.scales.empty());
  for (const model::Op& op : q.ops) EXPECT_NE(op.type, model::OpType::kDequantize);
  const model::Op* arg = nullptr;
  for (const model::Op& op : q.ops) {
    if (op.type == type) arg = &op;
  }
  ASSERT_NE(arg, nullptr);
  const double step = q.tensor(arg->inputs[0]).quantization.scales.at(0);

  const runtime::CompiledModel float_model(c.float_graph);
  const runtime::CompiledModel quantized(q);
  size_t same = 0;
  for (size_t i = 0; i < 16; ++i) {
    const std::vector<float> x = SingleOpSample(c.float_graph, i, c.input_lo, c.input_hi);
    const std::vector<int32_t> want = RunOnSample<int32_t>(float_model, x);
    const std::vector<int32_t> got = RunOnSample<int32_t>(quantized, x);
    ASSERT_EQ(got.size(), static_cast<size_t>(kRows));
    for (int32_t r = 0; r < kRows; ++r) {
      const auto row = static_cast<size_t>(r * kClasses);
      const float picked = x[row + static_cast<size_t>(got[static_cast<size_t>(r)])];
      const float best = x[row + static_cast<size_t>(want[static_cast<size_t>(r)])];
      EXPECT_LE(std::abs(static_cast<double>(picked - best)), step) << "sample " << i;
      same += got[static_cast<size_t>(r)] == want[static_cast<size_t>(r)];
    }
  }
  EXPECT_GT(same, 16u * kRows * 9 / 10);  // a close pair is rare in seeded uniform data
}

TEST(ArgMinMaxQuant, ArgMaxInt8) { CheckInt8(kArgMax); }
TEST(ArgMinMaxQuant, ArgMinInt8) { CheckInt8(kArgMin); }

TEST(ArgMinMaxQuant, Int16x8IsRefusedNamingTheOp) {
  try {
    CheckSingleOpQuantization(ArgCase(kArgMax), true);
    ADD_FAILURE() << "int16x8 quantized ARG_MAX";
  } catch (const Error& e) {
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("ARG_MAX"));
  }
}

}  // namespace
}  // namespace harness::quant::testing
