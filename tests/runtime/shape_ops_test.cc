// EXPAND_DIMS and SQUEEZE through the runtime: the data is copied unchanged, the axes are
// resolved as TFLite-Micro resolves them (negative axes, squeeze of every extent-1 dimension),
// and shapes TFLite-Micro's Prepare rejects are refused naming op and tensor.
#include "harness/runtime/ops/shape_ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/model/op_registry.h"
#include "tests/runtime/graph_builder.h"
#include "tests/runtime/run_graph.h"

namespace harness::test {
namespace {

using model::DataType;
using runtime::ops::kExpandDims;
using runtime::ops::kSqueeze;
using runtime::ops::SqueezeOptions;
using ::testing::ElementsAre;

model::Graph ExpandDimsGraph(DataType type, std::vector<int32_t> in_shape, int32_t axis,
                             std::vector<int32_t> out_shape,
                             DataType axis_type = DataType::kInt32) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", type, in_shape);
  const int32_t a = axis_type == DataType::kInt32
                        ? b.Constant<int32_t>("axis", axis_type, {1}, {axis})
                        : b.Constant<int64_t>("axis", axis_type, {1}, {axis});
  const int32_t y = b.Tensor("y", type, out_shape);
  b.Op(kExpandDims, {x, a}, {y});
  return b.Build({x}, {y});
}

TEST(ShapeOps, ExpandDimsNegativeAxisCountsFromTheOutputEnd) {
  // axis -1 of a rank-2 input inserts at position 2, the end.
  EXPECT_THAT(RunGraph<int16_t>(ExpandDimsGraph(DataType::kInt16, {2, 2}, -1, {2, 2, 1}),
                                std::vector<int16_t>{-32768, 1, 2, 32767}),
              ElementsAre(-32768, 1, 2, 32767));
  EXPECT_THAT(RunGraph<float>(ExpandDimsGraph(DataType::kFloat32, {3}, -2, {1, 3}),
                              std::vector<float>{1.5f, -2, 0}),
              ElementsAre(1.5f, -2, 0));
}

TEST(ShapeOps, ExpandDimsRefusals) {
  ExpectCompileError(ExpandDimsGraph(DataType::kInt8, {2, 2}, 3, {2, 2, 1}),
                     {"EXPAND_DIMS", "axis tensor 'axis'", "outside [-3, 2]"});
  ExpectCompileError(ExpandDimsGraph(DataType::kInt8, {2, 2}, 0, {2, 1, 2}),
                     {"output tensor 'y'", "[1, 2, 2]"});
  ExpectCompileError(ExpandDimsGraph(DataType::kInt8, {2, 2}, 0, {1, 2, 2}, DataType::kInt64),
                     {"axis tensor 'axis'", "expected INT32"});
  ExpectCompileError(ExpandDimsGraph(DataType::kInt32, {2}, 0, {1, 2}),
                     {"input tensor 'x'", "FLOAT32, INT8 or INT16"});
}

model::Graph SqueezeGraph(DataType type, std::vector<int32_t> in_shape, std::vector<int32_t> dims,
                          std::vector<int32_t> out_shape) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", type, in_shape, type == DataType::kInt8 ? 0.5f : 0.0f, 1);
  const int32_t y = b.Tensor("y", type, out_shape, type == DataType::kInt8 ? 0.5f : 0.0f, 1);
  b.Op(kSqueeze, {x}, {y}, SqueezeOptions{std::move(dims)});
  return b.Build({x}, {y});
}

TEST(ShapeOps, SqueezeListedOrEveryExtentOneDimension) {
  EXPECT_THAT(RunGraph<int8_t>(SqueezeGraph(DataType::kInt8, {1, 2, 1, 2}, {}, {2, 2}),
                               std::vector<int8_t>{-128, 0, 5, 127}),
              ElementsAre(-128, 0, 5, 127));
  // Only the listed (negative) dimension goes; the leading 1 stays.
  EXPECT_THAT(RunGraph<float>(SqueezeGraph(DataType::kFloat32, {1, 3, 1}, {-1}, {1, 3}),
                              std::vector<float>{1, 2, 3}),
              ElementsAre(1, 2, 3));
}

TEST(ShapeOps, SqueezeRefusals) {
  ExpectCompileError(SqueezeGraph(DataType::kFloat32, {1, 3}, {1}, {1}),
                     {"SQUEEZE", "squeeze_dims entry 1", "[1, 3]"});
  ExpectCompileError(SqueezeGraph(DataType::kFloat32, {1, 3}, {2}, {3}), {"squeeze_dims entry 2"});
  ExpectCompileError(SqueezeGraph(DataType::kFloat32, {1, 3, 1}, {0}, {3}),
                     {"output tensor 'y'", "expected [3, 1]"});
}

TEST(ShapeOps, DescriptorFacts) {
  EXPECT_STREQ(*model::GetOp(kSqueeze).micro_resolver_call, "AddSqueeze");
  EXPECT_STREQ(*model::GetOp(kExpandDims).micro_resolver_call, "AddExpandDims");
  EXPECT_EQ(*model::GetOp(kSqueeze).arena.builtin_data_bytes, 36u);  // int[8] + count
  EXPECT_TRUE(*model::GetOp(kSqueeze).quant.moves_data);
}

}  // namespace
}  // namespace harness::test
