// The glue of ADD, MUL, the pools, RESHAPE, CONCATENATION, PAD and MEAN: tiny hand-built graphs
// compiled and run through a Session, compared with hand-computed outputs; bad graphs must be
// refused at compile time with an error that names the op.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"
#include "tests/runtime/graph_builder.h"
#include "tests/runtime/run_graph.h"

namespace harness::runtime {
namespace {

using model::Activation;
using model::DataType;
using model::OpType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using test::ExpectCompileError;
using test::GraphBuilder;
using test::RunGraph;

TEST(ElementwiseOps, AddInt8BroadcastsConstantWithOtherScaleAndRelu) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {1, 2, 2}, 0.5f, 0);
  const int32_t bias = b.Constant<int8_t>("bias", DataType::kInt8, {2}, {5, -4}, 0.25f, 0);
  const int32_t y = b.Tensor("y", DataType::kInt8, {1, 2, 2}, 0.5f, 0);
  b.Op(OpType::kAdd, {x, bias}, {y}, model::AddOptions{Activation::kRelu});
  // Real sums 2.75, -0.5, 3.25, 3.5 are 5.5, -1, 6.5, 7 output steps: ties go away from zero,
  // and RELU clamps at the zero point.
  EXPECT_THAT(RunGraph<int8_t>(b.Build({x}, {y}), std::vector<int8_t>{3, 1, 4, 9}),
              ElementsAre(6, 0, 7, 7));
}

TEST(ElementwiseOps, MulFloatBroadcastsTwoInputs) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2, 2});
  const int32_t z = b.Tensor("z", DataType::kFloat32, {2, 1});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {2, 2});
  b.Op(OpType::kMul, {x, z}, {y}, model::MulOptions{});
  EXPECT_THAT(RunGraph<float>(b.Build({x, z}, {y}), std::vector<float>{1, 2, 3, 4},
                         std::vector<float>{10, -1}),
              ElementsAre(10, 20, -3, -4));
}

TEST(ElementwiseOps, AveragePoolInt8SamePadding) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {1, 3, 3, 1}, 0.1f, -1);
  const int32_t y = b.Tensor("y", DataType::kInt8, {1, 2, 2, 1}, 0.1f, -1);
  model::Pool2DOptions options;
  options.padding = model::Padding::kSame;
  options.stride_h = options.stride_w = 2;
  options.filter_height = options.filter_width = 2;
  b.Op(OpType::kAveragePool2D, {x}, {y}, options);
  // Windows {1, 2, 4, 5}, {3, 6}, {7, 8}, {9}: 12 / 4, 9 / 2 -> 5, 15 / 2 -> 8, 9.
  EXPECT_THAT(RunGraph<int8_t>(b.Build({x}, {y}), std::vector<int8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}),
              ElementsAre(3, 5, 8, 9));
}

TEST(ElementwiseOps, MaxPoolFloatValid) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {1, 2, 3, 1});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {1, 1, 2, 1});
  model::Pool2DOptions options;
  options.padding = model::Padding::kValid;
  options.filter_height = options.filter_width = 2;
  b.Op(OpType::kMaxPool2D, {x}, {y}, options);
  EXPECT_THAT(RunGraph<float>(b.Build({x}, {y}), std::vector<float>{1, 5, 2, 3, 0, 4}),
              ElementsAre(5, 5));
}

TEST(ElementwiseOps, ReshapeThenConcatenateOnNegativeAxis) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2, 2});
  const int32_t z = b.Tensor("z", DataType::kFloat32, {2, 1, 2});
  const int32_t reshaped = b.Tensor("reshaped", DataType::kFloat32, {2, 1, 2});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {2, 2, 2});
  b.Op(OpType::kReshape, {x}, {reshaped}, model::ReshapeOptions{{2, 1, 2}});
  b.Op(OpType::kConcatenation, {reshaped, z}, {y}, model::ConcatenationOptions{-2});
  EXPECT_THAT(RunGraph<float>(b.Build({x, z}, {y}), std::vector<float>{1, 2, 3, 4},
                         std::vector<float>{5, 6, 7, 8}),
              ElementsAre(1, 2, 5, 6, 3, 4, 7, 8));
}

TEST(ElementwiseOps, ConcatenationInt8WithEqualQuantization) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {1, 2}, 0.2f, 4);
  const int32_t c = b.Constant<int8_t>("c", DataType::kInt8, {1, 1}, {-9}, 0.2f, 4);
  const int32_t y = b.Tensor("y", DataType::kInt8, {1, 3}, 0.2f, 4);
  b.Op(OpType::kConcatenation, {c, x}, {y}, model::ConcatenationOptions{1});
  EXPECT_THAT(RunGraph<int8_t>(b.Build({x}, {y}), std::vector<int8_t>{7, 8}), ElementsAre(-9, 7, 8));
}

TEST(ElementwiseOps, PadInt8WithInt64PaddingsUsesZeroPoint) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {1, 2}, 0.5f, -3);
  const int32_t paddings =
      b.Constant<int64_t>("paddings", DataType::kInt64, {2, 2}, {0, 0, 1, 1});
  const int32_t y = b.Tensor("y", DataType::kInt8, {1, 4}, 0.5f, -3);
  b.Op(OpType::kPad, {x, paddings}, {y});
  EXPECT_THAT(RunGraph<int8_t>(b.Build({x}, {y}), std::vector<int8_t>{10, 20}),
              ElementsAre(-3, 10, 20, -3));
}

TEST(ElementwiseOps, PadFloatWithInt32Paddings) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2});
  const int32_t paddings = b.Constant<int32_t>("paddings", DataType::kInt32, {1, 2}, {1, 0});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {3});
  b.Op(OpType::kPad, {x, paddings}, {y});
  EXPECT_THAT(RunGraph<float>(b.Build({x}, {y}), std::vector<float>{1.5f, -2}),
              ElementsAre(0, 1.5f, -2));
}

TEST(ElementwiseOps, MeanInt8KeepDimsSameQuantizationRounds) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {1, 2, 2, 1}, 1.0f, 0);
  const int32_t axes = b.Constant<int32_t>("axes", DataType::kInt32, {2}, {1, 2});
  const int32_t y = b.Tensor("y", DataType::kInt8, {1, 1, 1, 1}, 1.0f, 0);
  b.Op(OpType::kMean, {x, axes}, {y}, model::ReducerOptions{true});
  // 11 / 4 = 2.75 -> 3: requantized with the folded multiplier (11 -> 5.5 -> 6 -> 3), as
  // TFLite-Micro's EvalIntegerMean does even when the parameters are equal.
  EXPECT_THAT(RunGraph<int8_t>(b.Build({x}, {y}), std::vector<int8_t>{1, 2, 3, 5}), ElementsAre(3));
}

TEST(ElementwiseOps, MeanInt8DropsDimsNegativeAxisRequantizes) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {1, 2, 2, 1}, 1.0f, 0);
  const int32_t axes = b.Constant<int32_t>("axes", DataType::kInt32, {2}, {-3, 2});
  const int32_t y = b.Tensor("y", DataType::kInt8, {1, 1}, 0.5f, 1);
  b.Op(OpType::kMean, {x, axes}, {y}, model::ReducerOptions{false});
  // Mean 2.75 is 5.5 output steps; multiplier 0.5 on the sum 11 rounds the tie up: 6, plus 1.
  EXPECT_THAT(RunGraph<int8_t>(b.Build({x}, {y}), std::vector<int8_t>{1, 2, 3, 5}), ElementsAre(7));
}

TEST(ElementwiseOps, MeanFloatOverLastAxis) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2, 3});
  const int32_t axes = b.Constant<int32_t>("axes", DataType::kInt32, {1}, {-1});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {2});
  b.Op(OpType::kMean, {x, axes}, {y}, model::ReducerOptions{false});
  EXPECT_THAT(RunGraph<float>(b.Build({x}, {y}), std::vector<float>{1, 2, 3, 4, 5, 9}),
              ElementsAre(2, 6));
}

TEST(ElementwiseOpsErrors, ConcatenationWithMismatchedQuantizationNamesTensors) {
  GraphBuilder b;
  const int32_t x = b.Tensor("left", DataType::kInt8, {1, 2}, 0.2f, 4);
  const int32_t z = b.Tensor("right", DataType::kInt8, {1, 2}, 0.3f, 4);
  const int32_t y = b.Tensor("joined", DataType::kInt8, {1, 4}, 0.2f, 4);
  b.Op(OpType::kConcatenation, {x, z}, {y}, model::ConcatenationOptions{1});
  ExpectCompileError(b.Build({x, z}, {y}), {"op 0 (CONCATENATION)", "'right'", "'joined'"});
}

TEST(ElementwiseOpsErrors, ConcatenationWithFusedActivation) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {4});
  b.Op(OpType::kConcatenation, {x, x}, {y}, model::ConcatenationOptions{0, Activation::kRelu});
  ExpectCompileError(b.Build({x}, {y}), {"op 0 (CONCATENATION)", "RELU", "not supported"});
}

TEST(ElementwiseOpsErrors, PadWithNonConstantPaddings) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2});
  const int32_t paddings = b.Tensor("paddings", DataType::kInt32, {1, 2});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {4});
  b.Op(OpType::kPad, {x, paddings}, {y});
  ExpectCompileError(b.Build({x, paddings}, {y}), {"op 0 (PAD)", "'paddings'", "constant"});
}

TEST(ElementwiseOpsErrors, PadWithWrongOutputShape) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2});
  const int32_t paddings = b.Constant<int32_t>("paddings", DataType::kInt32, {1, 2}, {1, 2});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {4});
  b.Op(OpType::kPad, {x, paddings}, {y});
  ExpectCompileError(b.Build({x}, {y}), {"op 0 (PAD)", "expected [5]"});
}

TEST(ElementwiseOpsErrors, AddWithMixedTypes) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt8, {2}, 1.0f, 0);
  const int32_t z = b.Tensor("z", DataType::kFloat32, {2});
  const int32_t y = b.Tensor("y", DataType::kInt8, {2}, 1.0f, 0);
  b.Op(OpType::kAdd, {x, z}, {y}, model::AddOptions{});
  ExpectCompileError(b.Build({x, z}, {y}),
                     {"op 0 (ADD)", "unsupported type", "INT8, FLOAT32 -> INT8"});
}

TEST(ElementwiseOpsErrors, AddWithAnOutputMultiplierOfOneOrMore) {
  // 2 * 1 / (2^15 * 2^-20) = 64: the kernel took its exponent as a negative right shift.
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt16, {2}, 1.0f, 0);
  const int32_t z = b.Tensor("z", DataType::kInt16, {2}, 1.0f, 0);
  const int32_t y = b.Tensor("y", DataType::kInt16, {2}, 0x1p-20f, 0);
  b.Op(OpType::kAdd, {x, z}, {y}, model::AddOptions{});
  ExpectCompileError(b.Build({x, z}, {y}),
                     {"op 0 (ADD)", "too small for the input scales", "must be below 1"});
}

TEST(ElementwiseOpsErrors, MulWithShapesThatDoNotBroadcast) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2, 3});
  const int32_t z = b.Tensor("z", DataType::kFloat32, {2});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {2, 3});
  b.Op(OpType::kMul, {x, z}, {y}, model::MulOptions{});
  ExpectCompileError(b.Build({x, z}, {y}), {"op 0 (MUL)", "do not broadcast"});
}

TEST(ElementwiseOpsErrors, MeanWithNonConstantAxesOrWrongShape) {
  {
    GraphBuilder b;
    const int32_t x = b.Tensor("x", DataType::kFloat32, {2, 3});
    const int32_t axes = b.Tensor("axes", DataType::kInt32, {1});
    const int32_t y = b.Tensor("y", DataType::kFloat32, {2});
    b.Op(OpType::kMean, {x, axes}, {y}, model::ReducerOptions{false});
    ExpectCompileError(b.Build({x, axes}, {y}), {"op 0 (MEAN)", "'axes'", "constant"});
  }
  {
    GraphBuilder b;
    const int32_t x = b.Tensor("x", DataType::kFloat32, {2, 3});
    const int32_t axes = b.Constant<int32_t>("axes", DataType::kInt32, {1}, {1});
    const int32_t y = b.Tensor("y", DataType::kFloat32, {2});
    b.Op(OpType::kMean, {x, axes}, {y}, model::ReducerOptions{true});
    ExpectCompileError(b.Build({x}, {y}), {"op 0 (MEAN)", "expected [2, 1]"});
  }
}

TEST(ElementwiseOpsErrors, ReshapeWithDifferentElementCount) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {2, 3});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {5});
  b.Op(OpType::kReshape, {x}, {y}, model::ReshapeOptions{{5}});
  ExpectCompileError(b.Build({x}, {y}), {"op 0 (RESHAPE)", "element counts"});
}

TEST(ElementwiseOpsErrors, PoolWithWrongOutputShape) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kFloat32, {1, 4, 4, 1});
  const int32_t y = b.Tensor("y", DataType::kFloat32, {1, 4, 4, 1});
  model::Pool2DOptions options;
  options.padding = model::Padding::kValid;
  options.filter_height = options.filter_width = 2;
  options.stride_h = options.stride_w = 2;
  b.Op(OpType::kMaxPool2D, {x}, {y}, options);
  ExpectCompileError(b.Build({x}, {y}), {"op 0 (MAX_POOL_2D)", "expected [1, 2, 2, 1]"});
}

}  // namespace
}  // namespace harness::runtime
