// The CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED glue, end to end: tiny graphs built by
// hand, compiled and run through a Session, compared with hand-computed outputs; and the
// prepare-time checks, which must name the op.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"
#include "tests/runtime/run_graph.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::runtime {
namespace {

using model::DataType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using test::AddConstant;
using test::AddTensor;
using test::PerChannel;
using test::PerTensor;
using test::RunGraph;
using test::SetSingleOp;

// int8 CONV_2D: input [1,2,2,1] at scale 0.5, zero point -1; filter [2,2,2,1] with channel
// scales {1, 0.5}; output scale 1, zero point 2; RELU. Effective scales 0.5 and 0.25.
// Input q {3, 5, -1, 1} -> {4, 6, 0, 2}. Channel 0 (ones): 12 + bias 1 = 13 -> 6.5 -> 7 -> 9.
// Channel 1 {1, -1, 2, -2}: -6 + bias -1 = -7 -> -1.75 -> -2 -> 0, which RELU (low end = the
// zero point 2) lifts to 2.
model::Graph Int8ConvGraph() {
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kInt8, {1, 2, 2, 1}, PerTensor(0.5f, -1));
  const int32_t filter =
      AddConstant<int8_t>(g, "filter", DataType::kInt8, {2, 2, 2, 1}, {1, 1, 1, 1, 1, -1, 2, -2},
                          PerChannel({1.0f, 0.5f}, 0));
  const int32_t bias =
      AddConstant<int32_t>(g, "bias", DataType::kInt32, {2}, {1, -1}, PerChannel({0.5f, 0.25f}, 0));
  const int32_t output = AddTensor(g, "output", DataType::kInt8, {1, 1, 1, 2}, PerTensor(1.0f, 2));
  model::Conv2DOptions options;
  options.padding = model::Padding::kValid;
  options.activation = model::Activation::kRelu;
  SetSingleOp(g, model::OpType::kConv2D, {input, filter, bias}, output, options);
  return g;
}

TEST(ConvOps, Int8Conv2DRequantizesPerChannel) {
  EXPECT_THAT(RunGraph<int8_t>(Int8ConvGraph(), std::vector<int8_t>{3, 5, -1, 1}),
              ElementsAre(9, 2));
}

TEST(ConvOps, Int8Conv2DSamePaddingComputesLeadingPadding) {
  // SAME, stride 2 on a 3x3 image with a 2x2 filter of ones: output 2x2, padding 0 before and
  // 1 after. Scales 1 everywhere, zero points 0: sums 12, 9, 15, 9.
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kInt8, {1, 3, 3, 1}, PerTensor(1.0f, 0));
  const int32_t filter = AddConstant<int8_t>(g, "filter", DataType::kInt8, {1, 2, 2, 1},
                                             {1, 1, 1, 1}, PerTensor(1.0f, 0));
  const int32_t output = AddTensor(g, "output", DataType::kInt8, {1, 2, 2, 1}, PerTensor(1.0f, 0));
  model::Conv2DOptions options;
  options.stride_w = options.stride_h = 2;
  SetSingleOp(g, model::OpType::kConv2D, {input, filter}, output, options);
  EXPECT_THAT(RunGraph<int8_t>(std::move(g), std::vector<int8_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}),
              ElementsAre(12, 9, 15, 9));
}

TEST(ConvOps, FloatDepthwiseWithDepthMultiplierTwo) {
  // One pixel with channels {2, -3}; filter [1,1,1,4] = {1, 10, 100, 1000}: outputs
  // {2, 20, -300, -3000} (output channel = input channel * 2 + m).
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kFloat32, {1, 1, 1, 2});
  const int32_t filter =
      AddConstant<float>(g, "filter", DataType::kFloat32, {1, 1, 1, 4}, {1, 10, 100, 1000});
  const int32_t output = AddTensor(g, "output", DataType::kFloat32, {1, 1, 1, 4});
  model::DepthwiseConv2DOptions options;
  options.depth_multiplier = 2;
  SetSingleOp(g, model::OpType::kDepthwiseConv2D, {input, filter, model::kNoTensor}, output, options);
  EXPECT_THAT(RunGraph<float>(std::move(g), std::vector<float>{2, -3}),
              ElementsAre(2.0f, 20.0f, -300.0f, -3000.0f));
}

TEST(ConvOps, FloatFullyConnectedWithRelu6) {
  // {1, 2, 3} . {1, 0, -1} + 0.5 = -1.5 -> 0; {1, 2, 3} . {2, 1, 0.5} - 1 = 4.5.
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kFloat32, {1, 3});
  const int32_t filter =
      AddConstant<float>(g, "weights", DataType::kFloat32, {2, 3}, {1, 0, -1, 2, 1, 0.5f});
  const int32_t bias = AddConstant<float>(g, "bias", DataType::kFloat32, {2}, {0.5f, -1.0f});
  const int32_t output = AddTensor(g, "output", DataType::kFloat32, {1, 2});
  model::FullyConnectedOptions options;
  options.activation = model::Activation::kRelu6;
  SetSingleOp(g, model::OpType::kFullyConnected, {input, filter, bias}, output, options);
  EXPECT_THAT(RunGraph<float>(std::move(g), std::vector<float>{1, 2, 3}), ElementsAre(0.0f, 4.5f));
}

TEST(ConvOps, HybridFullyConnectedKeepsNumDims) {
  // Input [1,1,3] {1, -0.5, 0.25} -> q {127, -64, 32} at scale 1/127; weights {1, 2, 3} at
  // scale 0.1; dot 95; output [1,1,1] = 0.5 + 95 / 127 * 0.1.
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kFloat32, {1, 1, 3});
  const int32_t filter =
      AddConstant<int8_t>(g, "weights", DataType::kInt8, {1, 3}, {1, 2, 3}, PerTensor(0.1f, 0));
  const int32_t bias = AddConstant<float>(g, "bias", DataType::kFloat32, {1}, {0.5f});
  const int32_t output = AddTensor(g, "output", DataType::kFloat32, {1, 1, 1});
  model::FullyConnectedOptions options;
  options.keep_num_dims = true;
  SetSingleOp(g, model::OpType::kFullyConnected, {input, filter, bias}, output, options);
  CompiledModel probe(model::Graph{g});
  EXPECT_GE(probe.scratch_bytes(), 3u + sizeof(float) + sizeof(int32_t));
  const auto result = RunGraph<float>(std::move(g), std::vector<float>{1.0f, -0.5f, 0.25f});
  ASSERT_EQ(result.size(), 1u);
  EXPECT_NEAR(result[0], 0.5 + 95.0 / 127 * 0.1, 1e-6);
}

TEST(ConvOps, Int8FullyConnectedTakesTheScaleProductInFloat) {
  // The last layer of MLPerf Tiny's ad01_int8: TFLite-Micro computes its multiplier from
  // float(input_scale * filter_scale) / output_scale, 1462485078 * 2^-40, where the product in
  // double would give 1462485049 * 2^-40. With acc = -88337 the two round to -118 and -117;
  // TFLite-Micro's golden output is -118 + 96 = -22.
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kInt8, {1, 1}, PerTensor(0.0247908905f, 0));
  const int32_t filter =
      AddConstant<int8_t>(g, "weights", DataType::kInt8, {1, 1}, {1}, PerTensor(0.0195566826f, 0));
  const int32_t bias = AddConstant<int32_t>(g, "bias", DataType::kInt32, {1}, {-88337});
  const int32_t output =
      AddTensor(g, "output", DataType::kInt8, {1, 1}, PerTensor(0.364498466f, 96));
  SetSingleOp(g, model::OpType::kFullyConnected, {input, filter, bias}, output,
        model::FullyConnectedOptions{});
  EXPECT_THAT(RunGraph<int8_t>(std::move(g), std::vector<int8_t>{0}), ElementsAre(-22));
}

TEST(ConvOps, HybridConv2DQuantizesItsInputInScratch) {
  // Per-tensor filter {2} at scale 0.5: inputs {1, -0.5} -> q {127, -64} at scale 1/127;
  // output = q * 2 * (0.5 / 127) + 0.25.
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kFloat32, {1, 1, 2, 1});
  const int32_t filter =
      AddConstant<int8_t>(g, "filter", DataType::kInt8, {1, 1, 1, 1}, {2}, PerTensor(0.5f, 0));
  const int32_t bias = AddConstant<float>(g, "bias", DataType::kFloat32, {1}, {0.25f});
  const int32_t output = AddTensor(g, "output", DataType::kFloat32, {1, 1, 2, 1});
  SetSingleOp(g, model::OpType::kConv2D, {input, filter, bias}, output, model::Conv2DOptions{});
  const auto result = RunGraph<float>(std::move(g), std::vector<float>{1.0f, -0.5f});
  ASSERT_EQ(result.size(), 2u);
  EXPECT_NEAR(result[0], 127 * 2 * (0.5 / 127) + 0.25, 1e-6);
  EXPECT_NEAR(result[1], -64 * 2 * (0.5 / 127) + 0.25, 1e-6);
}

TEST(ConvOps, HybridDepthwiseBroadcastsAPerTensorScale) {
  // Channels {1, -0.5}: asymmetric, zero point -43, q - zp = x * 170 at scale 1.5/255; filter
  // {2, -4} at one scale 0.25 for both channels: outputs {0.5, 0.5}.
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kFloat32, {1, 1, 1, 2});
  const int32_t filter =
      AddConstant<int8_t>(g, "filter", DataType::kInt8, {1, 1, 1, 2}, {2, -4}, PerTensor(0.25f, 0));
  const int32_t output = AddTensor(g, "output", DataType::kFloat32, {1, 1, 1, 2});
  SetSingleOp(g, model::OpType::kDepthwiseConv2D, {input, filter}, output,
        model::DepthwiseConv2DOptions{});
  const auto result = RunGraph<float>(std::move(g), std::vector<float>{1.0f, -0.5f});
  ASSERT_EQ(result.size(), 2u);
  EXPECT_NEAR(result[0], 0.5, 1e-5);
  EXPECT_NEAR(result[1], 0.5, 1e-5);
}

// --- prepare-time errors --------------------------------------------------------------------

std::string CompileError(model::Graph graph) {
  try {
    CompiledModel model(std::move(graph));
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "op 0 (CONV_2D)");
    return e.what();
  }
  ADD_FAILURE() << "compiling succeeded";
  return {};
}

TEST(ConvOps, WrongTypeCombinationIsRefused) {
  model::Graph g = Int8ConvGraph();
  g.tensors[0].type = DataType::kFloat32;  // float input, int8 filter, int8 output
  EXPECT_THAT(CompileError(std::move(g)),
              HasSubstr("op 0 (CONV_2D): unsupported type combination: input FLOAT32, "
                        "filter INT8, output INT8"));
}

TEST(ConvOps, BiasWithoutDataIsRefused) {
  model::Graph g = Int8ConvGraph();
  g.tensors[2].buffer = -1;  // the bias is no longer a constant
  EXPECT_THAT(CompileError(std::move(g)), HasSubstr("bias tensor 'bias' must be constant"));
}

TEST(ConvOps, PerChannelScaleCountMustMatchOutputChannels) {
  model::Graph g = Int8ConvGraph();
  g.tensors[1].quantization = PerChannel({1.0f, 0.5f, 0.25f}, 0);
  EXPECT_THAT(CompileError(std::move(g)), HasSubstr("3 per-channel scales, expected 2"));
}

TEST(ConvOps, PerChannelScalesMustRunAlongOutputChannels) {
  model::Graph g = Int8ConvGraph();
  g.tensors[1].quantization.quantized_dimension = 3;
  EXPECT_THAT(CompileError(std::move(g)), HasSubstr("quantized along dimension 3, expected 0"));
}

TEST(ConvOps, InputWithoutChannelsIsRefused) {
  // Depth 0 made the group count input_depth / filter_depth zero, then a divisor.
  model::Graph g = Int8ConvGraph();
  g.tensors[0].shape = {1, 2, 2, 0};
  EXPECT_THAT(CompileError(std::move(g)), HasSubstr("does not match input depth 0"));
}

TEST(ConvOps, OutputShapeMustMatchPadding) {
  model::Graph g = Int8ConvGraph();
  g.tensors[3].shape = {1, 2, 2, 2};  // VALID 2x2 over 2x2 gives 1x1
  EXPECT_THAT(CompileError(std::move(g)), HasSubstr("expected [1, 1, 1, 2]"));
}

// int8 FULLY_CONNECTED [1,2] x [1,2] -> [1,1] whose filter carries a per-tensor zero point.
model::Graph Int8FullyConnectedGraph(int64_t input_zero_point, int64_t filter_zero_point) {
  model::Graph g;
  const int32_t input =
      AddTensor(g, "input", DataType::kInt8, {1, 2}, PerTensor(0.5f, input_zero_point));
  const int32_t filter = AddConstant<int8_t>(g, "weights", DataType::kInt8, {1, 2}, {3, -3},
                                             PerTensor(0.5f, filter_zero_point));
  const int32_t output = AddTensor(g, "output", DataType::kInt8, {1, 1}, PerTensor(1.0f, 0));
  SetSingleOp(g, model::OpType::kFullyConnected, {input, filter}, output,
              model::FullyConnectedOptions{});
  return g;
}

std::string FullyConnectedError(model::Graph graph) {
  try {
    CompiledModel model(std::move(graph));
  } catch (const Error& e) {
    EXPECT_EQ(e.place(), "op 0 (FULLY_CONNECTED)");
    return e.what();
  }
  ADD_FAILURE() << "compiling succeeded";
  return {};
}

TEST(ConvOps, ZeroPointsOutsideTheirTypeAreRefused) {
  // (w - zero point) * (x - zero point) overflowed int32 in the reference kernel.
  EXPECT_THAT(FullyConnectedError(Int8FullyConnectedGraph(0, -150994905)),
              HasSubstr("filter tensor 'weights' has zero point -150994905, outside the INT8 "
                        "range [-128, 127]"));
  EXPECT_THAT(FullyConnectedError(Int8FullyConnectedGraph(128, 0)),
              HasSubstr("input tensor 'input' has zero point 128, outside the INT8 range"));
  // The extremes of the type still compile and run.
  EXPECT_THAT(RunGraph<int8_t>(Int8FullyConnectedGraph(-128, 127), std::vector<int8_t>{-128, 0}),
              ElementsAre(-128));
}

}  // namespace
}  // namespace harness::runtime
