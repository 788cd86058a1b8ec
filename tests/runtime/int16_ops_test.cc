// The 16x8 quantization mode's non-weighted ops end to end: tiny hand-built graphs with int16
// activations compiled with CompiledModel and run in a Session, against hand-computed values (and
// the reference kernels where the value is a table lookup), plus the prepare-time refusals of
// quantizations that TFLite-Micro refuses.
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
#include "kernels/reference/softmax_int16.h"

namespace harness::runtime {
namespace {

using model::DataType;
using model::OpType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using test::ExpectCompileError;
using test::GraphBuilder;
using test::RunGraph;

// input -> op -> output.
model::Graph Unary(OpType type, DataType in_type, float in_scale, int64_t in_zero,
                   DataType out_type, float out_scale, int64_t out_zero, std::vector<int32_t> shape,
                   model::OpOptions options = {}) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", in_type, shape, in_scale, in_zero);
  const int32_t y = b.Tensor("y", out_type, shape, out_scale, out_zero);
  b.Op(type, {x}, {y}, std::move(options));
  return b.Build({x}, {y});
}

constexpr float kQ15 = 1.0f / 32768;

// ---- QUANTIZE / DEQUANTIZE ----------------------------------------------------------------

TEST(Int16Ops, QuantizeFloatToInt16RoundsHalfAwayFromZero) {
  // Scale 2^-10: 0.5 / 2^-10 = 512; 1.5 / 1024 steps = 0.0014648 -> 1.5 -> 2; -1.5 -> -2 (not
  // -1: half away from zero); 40 -> 40960 saturates to 32767.
  const auto graph =
      Unary(OpType::kQuantize, DataType::kFloat32, 0.0f, 0, DataType::kInt16, 1.0f / 1024, 0, {5});
  EXPECT_THAT(
      RunGraph<int16_t>(graph, std::vector<float>{0.5f, 1.5f / 1024, -1.5f / 1024, 40.0f, -40.0f}),
      ElementsAre(512, 2, -2, 32767, -32768));
}

TEST(Int16Ops, QuantizeInt16ToInt16HalvesWithTiesTowardPlusInfinity) {
  // input_scale / output_scale = 0.5 = 2^30 * 2^(0 - 31): the doubling high multiply rounds
  // 1.5 to 2 and -1.5 to -1 (gemmlowp's nudge), 16383.5 to 16384.
  const auto graph = Unary(OpType::kQuantize, DataType::kInt16, 1.0f / 2048, 0, DataType::kInt16,
                           1.0f / 1024, 0, {4});
  EXPECT_THAT(RunGraph<int16_t>(graph, std::vector<int16_t>{3, -3, 32767, -32768}),
              ElementsAre(2, -1, 16384, -16384));
}

TEST(Int16Ops, QuantizeInt8ToInt16AndBack) {
  // int8 (scale 1/16, zero point -8) to int16 (scale 1/4096): (q + 8) * 256 exactly, and
  // (127 + 8) * 256 = 34560 saturates.
  const auto widen = Unary(OpType::kQuantize, DataType::kInt8, 1.0f / 16, -8, DataType::kInt16,
                           1.0f / 4096, 0, {3});
  EXPECT_THAT(RunGraph<int16_t>(widen, std::vector<int8_t>{-8, 0, 127}),
              ElementsAre(0, 2048, 32767));
  // Back: q / 256 - 8, the final rounding shift taking 0.5 away from zero (128 -> 1 - 8 = -7),
  // clamped to int8.
  const auto narrow = Unary(OpType::kQuantize, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt8,
                            1.0f / 16, -8, {4});
  EXPECT_THAT(RunGraph<int8_t>(narrow, std::vector<int16_t>{2048, 128, -32768, 32767}),
              ElementsAre(0, -7, -128, 120));
}

TEST(Int16Ops, DequantizeInt16) {
  const auto graph = Unary(OpType::kDequantize, DataType::kInt16, 1.0f / 1024, 0,
                           DataType::kFloat32, 0.0f, 0, {3});
  EXPECT_THAT(RunGraph<float>(graph, std::vector<int16_t>{-32768, 100, 32767}),
              ElementsAre(-32.0f, 0.09765625f, 32767.0f / 1024));
}

// ---- SOFTMAX ------------------------------------------------------------------------------

TEST(Int16Ops, SoftmaxInt16MatchesTheKernelAndHandValues) {
  const auto graph = Unary(OpType::kSoftmax, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt16,
                           kQ15, 0, {2, 3}, model::SoftmaxOptions{1.0f});
  const std::vector<int16_t> input = {-500, -500, -32768, 0, 4096, 8192};
  const auto output = RunGraph<int16_t>(graph, input);
  std::vector<int16_t> expected(6);
  kernels::reference::SoftmaxInt16(kernels::reference::PrepareSoftmaxInt16(1.0f, 1.0f / 4096),
                                   kernels::Shape{2, 3}, input.data(), expected.data());
  EXPECT_EQ(output, expected);
  // Two equal logits and one 8 below (exp(-8) = 3e-4, 11 units): about half each (see the
  // kernel test for the exact 16384 of two equal elements without the third).
  EXPECT_NEAR(output[0], 16379, 4);
  EXPECT_EQ(output[0], output[1]);
  // Logits 0, 1, 2: softmax 0.090, 0.245, 0.665.
  EXPECT_NEAR(output[3], 0.0900306 * 32768, 6);
  EXPECT_NEAR(output[4], 0.2447285 * 32768, 6);
  EXPECT_NEAR(output[5], 0.6652410 * 32768, 6);
}

TEST(Int16Ops, SoftmaxInt16RefusesAnOutputScaleOtherThanOneOver32768) {
  ExpectCompileError(Unary(OpType::kSoftmax, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt16,
                           1.0f / 65536, 0, {4}, model::SoftmaxOptions{1.0f}),
                     {"op 0 (SOFTMAX)", "'y'", "1/32768"});
  ExpectCompileError(Unary(OpType::kSoftmax, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt8,
                           1.0f / 256, -128, {4}, model::SoftmaxOptions{1.0f}),
                     {"op 0 (SOFTMAX)", "'y'", "INT16"});
}

// ---- LOGISTIC / TANH ----------------------------------------------------------------------

TEST(Int16Ops, LogisticAndTanhInt16HandValues) {
  // Scale 2^-12 (the power-of-two path): 512 is x = 0.125, table entry 3 exactly.
  const auto logistic =
      Unary(OpType::kLogistic, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt16, kQ15, 0, {3});
  EXPECT_THAT(RunGraph<int16_t>(logistic, std::vector<int16_t>{0, 512, -512}),
              ElementsAre(16384, 17407, 15361));
  const auto tanh =
      Unary(OpType::kTanh, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt16, kQ15, 0, {3});
  EXPECT_THAT(RunGraph<int16_t>(tanh, std::vector<int16_t>{0, 256, -256}),
              ElementsAre(0, 2045, -2045));
}

TEST(Int16Ops, LogisticInt16RefusesAsymmetricOrWrongScales) {
  ExpectCompileError(
      Unary(OpType::kLogistic, DataType::kInt16, 1.0f / 4096, 3, DataType::kInt16, kQ15, 0, {2}),
      {"op 0 (LOGISTIC)", "'x'", "zero point 3"});
  ExpectCompileError(Unary(OpType::kTanh, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt16,
                           1.0f / 32000, 0, {2}),
                     {"op 0 (TANH)", "'y'", "2^-15"});
  ExpectCompileError(
      Unary(OpType::kTanh, DataType::kInt16, 8.0f, 0, DataType::kInt16, kQ15, 0, {2}),
      {"op 0 (TANH)", "'x'", "too large"});
}

// ---- pooling, ADD, MUL, CONCATENATION, PAD, MEAN, RESHAPE ---------------------------------

model::Pool2DOptions TwoByTwoValid() {
  model::Pool2DOptions options;
  options.padding = model::Padding::kValid;
  options.stride_h = options.stride_w = 2;
  options.filter_height = options.filter_width = 2;
  return options;
}

TEST(Int16Ops, AveragePoolInt16RoundsHalfAwayFromZero) {
  const auto graph = Unary(OpType::kAveragePool2D, DataType::kInt16, 1.0f / 4096, 0,
                           DataType::kInt16, 1.0f / 4096, 0, {1, 2, 4, 1}, TwoByTwoValid());
  // The graph's output shape must be the pooled one.
  auto g = graph;
  g.tensors[1].shape = {1, 1, 2, 1};
  // Windows {30000, 30001, 30001, 30001} (sum 120003 beyond int16: 30000.75 -> 30001) and
  // {-1, -2, -1, -2} (-1.5 -> -2).
  EXPECT_THAT(
      RunGraph<int16_t>(g, std::vector<int16_t>{30000, 30001, -1, -2, 30001, 30001, -1, -2}),
      ElementsAre(30001, -2));
}

TEST(Int16Ops, MaxPoolInt16) {
  auto g = Unary(OpType::kMaxPool2D, DataType::kInt16, 1.0f / 4096, 0, DataType::kInt16,
                 1.0f / 4096, 0, {1, 2, 4, 1}, TwoByTwoValid());
  g.tensors[1].shape = {1, 1, 2, 1};
  EXPECT_THAT(
      RunGraph<int16_t>(g, std::vector<int16_t>{-32768, -300, 7, 32767, -32768, -299, 8, 6}),
      ElementsAre(-299, 32767));
}

TEST(Int16Ops, AddInt16SameScaleIsExactAndSaturates) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt16, {3}, 1.0f / 1024, 0);
  const int32_t z = b.Tensor("z", DataType::kInt16, {3}, 1.0f / 1024, 0);
  const int32_t y = b.Tensor("y", DataType::kInt16, {3}, 1.0f / 1024, 0);
  b.Op(OpType::kAdd, {x, z}, {y}, model::AddOptions{});
  // Input multipliers 1/2, output multiplier 2 / 2^15 with left shift 15: all exact powers of
  // two, so x + z comes out exactly.
  EXPECT_THAT(RunGraph<int16_t>(b.Build({x, z}, {y}), std::vector<int16_t>{100, -7, 30000},
                                std::vector<int16_t>{200, -8, 30000}),
              ElementsAre(300, -15, 32767));
}

TEST(Int16Ops, AddInt16DifferentScalesWithRelu) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt16, {2}, 1.0f / 1024, 0);
  const int32_t c = b.Constant<int16_t>("c", DataType::kInt16, {1}, {-1024}, 1.0f / 2048, 0);
  const int32_t y = b.Tensor("y", DataType::kInt16, {2}, 1.0f / 512, 0);
  b.Op(OpType::kAdd, {x, c}, {y}, model::AddOptions{model::Activation::kRelu});
  // x - 0.5 in units of 1/512: 2048 / 1024 - 0.5 = 1.5 -> 768; 0 - 0.5 clamps at 0 (RELU).
  EXPECT_THAT(RunGraph<int16_t>(b.Build({x}, {y}), std::vector<int16_t>{2048, 0}),
              ElementsAre(768, 0));
}

TEST(Int16Ops, MulInt16) {
  GraphBuilder b;
  const int32_t x = b.Tensor("x", DataType::kInt16, {3}, 1.0f / 256, 0);
  const int32_t z = b.Tensor("z", DataType::kInt16, {3}, 1.0f / 256, 0);
  const int32_t y = b.Tensor("y", DataType::kInt16, {3}, 1.0f / 256, 0);
  b.Op(OpType::kMul, {x, z}, {y}, model::MulOptions{});
  // 1.0 * 1.5 = 1.5 -> 384; (-128)^2 saturates; 3.90625 * -0.25 = -0.9765625 -> -250.
  EXPECT_THAT(RunGraph<int16_t>(b.Build({x, z}, {y}), std::vector<int16_t>{256, -32768, 1000},
                                std::vector<int16_t>{384, -32768, -64}),
              ElementsAre(384, 32767, -250));
}

TEST(Int16Ops, ConcatenationPadMeanReshapeInt16) {
  GraphBuilder b;
  const float s = 1.0f / 4096;
  const int32_t x = b.Tensor("x", DataType::kInt16, {2, 2}, s, 0);
  const int32_t c = b.Constant<int16_t>("c", DataType::kInt16, {2, 1}, {-32768, 32767}, s, 0);
  const int32_t cat = b.Tensor("cat", DataType::kInt16, {2, 3}, s, 0);
  b.Op(OpType::kConcatenation, {x, c}, {cat}, model::ConcatenationOptions{1});
  const int32_t paddings = b.Constant<int32_t>("paddings", DataType::kInt32, {2, 2}, {0, 0, 1, 0});
  const int32_t padded = b.Tensor("padded", DataType::kInt16, {2, 4}, s, 0);
  b.Op(OpType::kPad, {cat, paddings}, {padded});
  const int32_t flat = b.Tensor("flat", DataType::kInt16, {1, 8}, s, 0);
  b.Op(OpType::kReshape, {padded}, {flat}, model::ReshapeOptions{{1, 8}});
  const int32_t axes = b.Constant<int32_t>("axes", DataType::kInt32, {1}, {1});
  const int32_t mean = b.Tensor("mean", DataType::kInt16, {1}, s, 0);
  b.Op(OpType::kMean, {flat, axes}, {mean}, model::ReducerOptions{false});
  const int32_t y = b.Tensor("y", DataType::kInt16, {1, 8}, s, 0);
  b.Op(OpType::kReshape, {flat}, {y}, model::ReshapeOptions{{1, 8}});
  model::Graph g = b.Build({x}, {y, mean});
  // Rows [1, 2 | -32768] and [3, 4 | 32767], padded in front with 0.
  const CompiledModel compiled(std::move(g));
  auto session = compiled.NewSession();
  const std::vector<int16_t> input = {1, 2, 3, 4};
  std::memcpy(session->input(0).data(), input.data(), 8);
  session->Invoke();
  std::vector<int16_t> out(8);
  std::memcpy(out.data(), session->output(0).data(), 16);
  EXPECT_THAT(out, ElementsAre(0, 1, 2, -32768, 0, 3, 4, 32767));
  // Same quantization: the int32 sum 9 over 8 elements truncates to 1.
  int16_t m = 0;
  std::memcpy(&m, session->output(1).data(), 2);
  EXPECT_EQ(m, 1);
}

}  // namespace
}  // namespace harness::runtime
