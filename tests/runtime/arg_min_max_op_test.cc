// ARG_MAX and ARG_MIN through the runtime: negative axis, int8 input, and the refusals
// TFLite-Micro implies (INT64 index, int16 input, axis out of range or not constant).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/model/op_registry.h"
#include "harness/runtime/ops/arg_min_max.h"
#include "tests/runtime/graph_builder.h"
#include "tests/runtime/run_graph.h"

namespace harness::test {
namespace {

using model::DataType;
using runtime::ops::ArgMinMaxOptions;
using runtime::ops::kArgMax;
using runtime::ops::kArgMin;
using ::testing::ElementsAre;

model::Graph ArgGraph(model::OpType type, DataType in_type, std::vector<int32_t> in_shape,
                      int32_t axis, std::vector<int32_t> out_shape,
                      DataType out_type = DataType::kInt32, bool constant_axis = true) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", in_type, in_shape, in_type == DataType::kFloat32 ? 0 : 0.1f, 3);
  const int32_t a = constant_axis ? b.Constant<int32_t>("axis", DataType::kInt32, {1}, {axis})
                                  : b.Tensor("axis", DataType::kInt32, {1});
  const int32_t y = b.Tensor("y", out_type, out_shape);
  b.Op(type, {x, a}, {y}, ArgMinMaxOptions{out_type});
  return b.Build({x}, {y});
}

TEST(ArgMinMaxOp, Int8NegativeAxis) {
  EXPECT_THAT(RunGraph<int32_t>(ArgGraph(kArgMax, DataType::kInt8, {2, 3}, -1, {2}),
                                std::vector<int8_t>{5, 9, 9, -128, -127, -128}),
              ElementsAre(1, 1));
  EXPECT_THAT(RunGraph<int32_t>(ArgGraph(kArgMin, DataType::kFloat32, {2, 3}, -2, {3}),
                                std::vector<float>{5, 9, -1, -2, 9, -1}),
              ElementsAre(1, 0, 0));
}

TEST(ArgMinMaxOp, Refusals) {
  ExpectCompileError(ArgGraph(kArgMax, DataType::kFloat32, {2, 3}, 1, {2}, DataType::kInt64),
                     {"ARG_MAX", "output tensor 'y'", "INT32 indices only"});
  ExpectCompileError(ArgGraph(kArgMax, DataType::kInt16, {2, 3}, 1, {2}),
                     {"input tensor 'x'", "FLOAT32 or INT8"});
  ExpectCompileError(ArgGraph(kArgMin, DataType::kFloat32, {2, 3}, 2, {2}),
                     {"ARG_MIN", "axis tensor 'axis'", "outside [-2, 1]"});
  ExpectCompileError(ArgGraph(kArgMin, DataType::kFloat32, {2, 3}, 1, {3}),
                     {"output tensor 'y'", "expected [2]"});
  ExpectCompileError(ArgGraph(kArgMax, DataType::kFloat32, {2, 3}, 1, {2}, DataType::kInt32, false),
                     {"axis tensor 'axis'", "constant"});
}

TEST(ArgMinMaxOp, DescriptorFacts) {
  for (model::OpType type : {kArgMax, kArgMin}) {
    const model::OpDescriptor& d = model::GetOp(type);
    EXPECT_EQ(*d.quant.output, model::OutputParams::kIndex);
    EXPECT_FALSE(*d.quant.int16x8);
    EXPECT_EQ(*d.arena.builtin_data_bytes, 4u);  // TfLiteArgMaxParams: the output type
  }
}

}  // namespace
}  // namespace harness::test
