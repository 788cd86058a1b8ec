// CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED in TFLite's 16x8 mode through the runtime:
// small graphs with int16 activations, int8 per-channel (or per-tensor) weights and int64 or
// int32 bias, compiled and run in a Session, compared with the reference kernel called
// directly (bit for bit: the glue's padding, multipliers and bias wiring) and with a float
// computation of the same quantized values (within one output step); and the prepare-time
// checks the mode adds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"
#include "tests/runtime/run_graph.h"
#include "tests/runtime/single_op_graph.h"
#include "kernels/fixed_point.h"
#include "kernels/reference/conv_int16.h"
#include "kernels/reference/depthwise_conv_int16.h"
#include "kernels/reference/fully_connected_int16.h"

namespace harness::runtime {
namespace {

using model::DataType;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

using test::AddConstant;
using test::AddTensor;
using test::PerChannel;
using test::PerTensor;
using test::RunGraph;
using test::SetSingleOp;

// Random quantized operands: inputs over most of the int16 range, symmetric int8 weights.
struct Operands {
  std::vector<int16_t> input;
  std::vector<int8_t> filter;
  std::vector<int64_t> bias;
};

Operands RandomOperands(uint32_t seed, size_t inputs, size_t weights, size_t channels) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> input_value(-30000, 30000), weight(-127, 127),
      bias_value(-(1 << 20), 1 << 20);
  Operands o;
  for (size_t i = 0; i < inputs; ++i) o.input.push_back(static_cast<int16_t>(input_value(rng)));
  for (size_t i = 0; i < weights; ++i) o.filter.push_back(static_cast<int8_t>(weight(rng)));
  for (size_t i = 0; i < channels; ++i) o.bias.push_back(bias_value(rng));
  return o;
}

struct Multipliers {
  std::vector<int32_t> multipliers, shifts;
};

// TFLite's per-channel rule: input_scale * filter_scale / output_scale in double.
Multipliers PerChannelMultipliers(float input_scale, const std::vector<float>& filter_scales,
                                  float output_scale) {
  Multipliers m;
  for (float s : filter_scales) {
    const auto q = kernels::QuantizeMultiplier(static_cast<double>(input_scale) * double{s} /
                                               double{output_scale});
    m.multipliers.push_back(q.multiplier);
    m.shifts.push_back(q.shift);
  }
  return m;
}

// Each output against the float computation of its quantized operands: |q - real / scale| at
// most one step (half a step of rounding, plus the Q15 multiplier's relative error of 2^-15,
// under half a step for outputs below 2^14 in magnitude, which these cases keep to).
void ExpectWithinOneStep(const std::vector<int16_t>& actual, const std::vector<double>& real,
                         float output_scale, double lo = -32768, double hi = 32767) {
  ASSERT_EQ(actual.size(), real.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const double expected = std::clamp(real[i] / double{output_scale}, lo, hi);
    EXPECT_LE(std::abs(expected), 16384.0) << "case out of the checked range at " << i;
    EXPECT_NEAR(actual[i], expected, 1.0) << "output " << i;
  }
  // The case exercises the range: some output is a thousand steps or more away from zero.
  EXPECT_TRUE(
      std::any_of(actual.begin(), actual.end(), [](int16_t v) { return std::abs(v) > 1000; }));
}

// CONV_2D: input [1,5,5,2] at 1/4096, filter [3,3,3,2] with scales {0.01, 0.02, 0.005},
// SAME padding (1 on each side), int64 bias at input_scale * filter_scale, output 0.004.
TEST(Int16x8WeightedOps, Conv2DMatchesKernelAndFloat) {
  const float input_scale = 1.0f / 4096, output_scale = 0.004f;
  const std::vector<float> filter_scales = {0.01f, 0.02f, 0.005f};
  const Operands o = RandomOperands(11, 50, 54, 3);
  model::Graph g;
  const int32_t input =
      AddTensor(g, "input", DataType::kInt16, {1, 5, 5, 2}, PerTensor(input_scale, 0));
  const int32_t filter =
      AddConstant(g, "filter", DataType::kInt8, {3, 3, 3, 2}, o.filter, PerChannel(filter_scales));
  const int32_t bias = AddConstant(g, "bias", DataType::kInt64, {3}, o.bias);
  const int32_t output =
      AddTensor(g, "output", DataType::kInt16, {1, 5, 5, 3}, PerTensor(output_scale, 0));
  SetSingleOp(g, model::OpType::kConv2D, {input, filter, bias}, output, model::Conv2DOptions{});
  const std::vector<int16_t> actual = RunGraph<int16_t>(std::move(g), o.input);

  kernels::reference::ConvParams params;
  params.padding_height = params.padding_width = 1;
  params.quantized_activation_min = INT16_MIN;
  params.quantized_activation_max = INT16_MAX;
  const Multipliers m = PerChannelMultipliers(input_scale, filter_scales, output_scale);
  std::vector<int16_t> direct(actual.size());
  kernels::reference::ConvPerChannel(params, m.multipliers.data(), m.shifts.data(), {1, 5, 5, 2},
                                     o.input.data(), {3, 3, 3, 2}, o.filter.data(), o.bias.data(),
                                     {1, 5, 5, 3}, direct.data());
  EXPECT_THAT(actual, ElementsAreArray(direct));

  std::vector<double> real;
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x)
      for (int c = 0; c < 3; ++c) {
        const double w_scale = filter_scales[static_cast<size_t>(c)];
        double sum =
            static_cast<double>(o.bias[static_cast<size_t>(c)]) * double{input_scale} * w_scale;
        for (int fy = 0; fy < 3; ++fy)
          for (int fx = 0; fx < 3; ++fx)
            for (int ic = 0; ic < 2; ++ic) {
              const int iy = y + fy - 1, ix = x + fx - 1;
              if (iy < 0 || iy >= 5 || ix < 0 || ix >= 5) continue;
              sum += o.input[static_cast<size_t>((iy * 5 + ix) * 2 + ic)] * double{input_scale} *
                     o.filter[static_cast<size_t>(((c * 3 + fy) * 3 + fx) * 2 + ic)] * w_scale;
            }
        real.push_back(sum);
      }
  ExpectWithinOneStep(actual, real, output_scale);
}

// DEPTHWISE_CONV_2D: input [1,4,4,2], filter [1,2,2,4] (depth multiplier 2), VALID, stride 2,
// RELU: the clamp's low end is the zero point 0.
TEST(Int16x8WeightedOps, DepthwiseConv2DMatchesKernelAndFloatWithRelu) {
  const float input_scale = 1.0f / 4096, output_scale = 0.002f;
  const std::vector<float> filter_scales = {0.01f, 0.02f, 0.005f, 0.015f};
  const Operands o = RandomOperands(12, 32, 16, 4);
  model::Graph g;
  const int32_t input =
      AddTensor(g, "input", DataType::kInt16, {1, 4, 4, 2}, PerTensor(input_scale, 0));
  const int32_t filter =
      AddConstant(g, "filter", DataType::kInt8, {1, 2, 2, 4}, o.filter, PerChannel(filter_scales, 3));
  const int32_t bias = AddConstant(g, "bias", DataType::kInt64, {4}, o.bias);
  const int32_t output =
      AddTensor(g, "output", DataType::kInt16, {1, 2, 2, 4}, PerTensor(output_scale, 0));
  model::DepthwiseConv2DOptions options;
  options.padding = model::Padding::kValid;
  options.stride_w = options.stride_h = 2;
  options.depth_multiplier = 2;
  options.activation = model::Activation::kRelu;
  SetSingleOp(g, model::OpType::kDepthwiseConv2D, {input, filter, bias}, output, options);
  const std::vector<int16_t> actual = RunGraph<int16_t>(std::move(g), o.input);

  kernels::reference::DepthwiseParams params;
  params.depth_multiplier = 2;
  params.stride_width = params.stride_height = 2;
  params.quantized_activation_min = 0;
  params.quantized_activation_max = INT16_MAX;
  const Multipliers m = PerChannelMultipliers(input_scale, filter_scales, output_scale);
  std::vector<int16_t> direct(actual.size());
  kernels::reference::DepthwiseConvPerChannel(
      params, m.multipliers.data(), m.shifts.data(), {1, 4, 4, 2}, o.input.data(), {1, 2, 2, 4},
      o.filter.data(), o.bias.data(), {1, 2, 2, 4}, direct.data());
  EXPECT_THAT(actual, ElementsAreArray(direct));
  EXPECT_TRUE(std::any_of(actual.begin(), actual.end(), [](int16_t v) { return v == 0; }));

  std::vector<double> real;
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 2; ++x)
      for (int c = 0; c < 4; ++c) {
        const double w_scale = filter_scales[static_cast<size_t>(c)];
        double sum =
            static_cast<double>(o.bias[static_cast<size_t>(c)]) * double{input_scale} * w_scale;
        for (int fy = 0; fy < 2; ++fy)
          for (int fx = 0; fx < 2; ++fx) {
            const int iy = 2 * y + fy, ix = 2 * x + fx;
            sum += o.input[static_cast<size_t>((iy * 4 + ix) * 2 + c / 2)] * double{input_scale} *
                   o.filter[static_cast<size_t>((fy * 2 + fx) * 4 + c)] * w_scale;
          }
        real.push_back(sum);
      }
  ExpectWithinOneStep(actual, real, output_scale, 0.0);
}

// FULLY_CONNECTED, per-tensor weights: input [2,16], weights [5,16], int64 or int32 bias or
// none. TFLite-Micro takes the per-tensor multiplier from float(input_scale * filter_scale).
model::Graph FullyConnectedGraph(const Operands& o, DataType bias_type, bool with_bias) {
  model::Graph g;
  const int32_t input = AddTensor(g, "input", DataType::kInt16, {2, 16}, PerTensor(1.0f / 4096, 0));
  const int32_t filter =
      AddConstant(g, "weights", DataType::kInt8, {5, 16}, o.filter, PerTensor(0.01f, 0));
  int32_t bias = model::kNoTensor;
  if (with_bias && bias_type == DataType::kInt64) {
    bias = AddConstant(g, "bias", DataType::kInt64, {5}, o.bias);
  } else if (with_bias) {
    bias = AddConstant(g, "bias", DataType::kInt32, {5},
                       std::vector<int32_t>(o.bias.begin(), o.bias.end()));
  }
  const int32_t output = AddTensor(g, "output", DataType::kInt16, {2, 5}, PerTensor(0.002f, 0));
  SetSingleOp(g, model::OpType::kFullyConnected, {input, filter, bias}, output,
              model::FullyConnectedOptions{});
  return g;
}

TEST(Int16x8WeightedOps, FullyConnectedMatchesKernelAndFloatForEachBiasType) {
  const Operands o = RandomOperands(13, 32, 80, 5);
  const auto q =
      kernels::QuantizeMultiplier(static_cast<double>((1.0f / 4096) * 0.01f) / double{0.002f});
  kernels::reference::FullyConnectedParams params;
  params.output_multiplier = q.multiplier;
  params.output_shift = q.shift;
  params.quantized_activation_min = INT16_MIN;
  params.quantized_activation_max = INT16_MAX;
  const std::vector<int32_t> bias32(o.bias.begin(), o.bias.end());
  std::vector<double> real;
  for (int b = 0; b < 2; ++b)
    for (int c = 0; c < 5; ++c) {
      double sum = static_cast<double>(o.bias[static_cast<size_t>(c)]);
      for (int d = 0; d < 16; ++d) {
        sum += static_cast<double>(o.input[static_cast<size_t>(b * 16 + d)]) *
               o.filter[static_cast<size_t>(c * 16 + d)];
      }
      real.push_back(sum * (1.0 / 4096) * double{0.01f});
    }

  std::vector<int16_t> direct(10);
  kernels::reference::FullyConnected(params, {2, 16}, o.input.data(), {5, 16}, o.filter.data(),
                                     o.bias.data(), {2, 5}, direct.data());
  const std::vector<int16_t> with64 =
      RunGraph<int16_t>(FullyConnectedGraph(o, DataType::kInt64, true), o.input);
  EXPECT_THAT(with64, ElementsAreArray(direct));
  ExpectWithinOneStep(with64, real, 0.002f);

  kernels::reference::FullyConnected(params, {2, 16}, o.input.data(), {5, 16}, o.filter.data(),
                                     bias32.data(), {2, 5}, direct.data());
  const std::vector<int16_t> with32 =
      RunGraph<int16_t>(FullyConnectedGraph(o, DataType::kInt32, true), o.input);
  EXPECT_THAT(with32, ElementsAreArray(direct));
  ExpectWithinOneStep(with32, real, 0.002f);

  kernels::reference::FullyConnected(params, {2, 16}, o.input.data(), {5, 16}, o.filter.data(),
                                     static_cast<const int32_t*>(nullptr), {2, 5}, direct.data());
  EXPECT_THAT(RunGraph<int16_t>(FullyConnectedGraph(o, DataType::kInt64, false), o.input),
              ElementsAreArray(direct));
}

TEST(Int16x8WeightedOps, Conv2DAcceptsInt32Bias) {
  // 1x1 conv, scale 0.25 overall, acc -6: the int32 path rounds -1.5 away from zero (-2)
  // where an int64 bias would round it up (-1); TFLite-Micro does the same.
  for (const DataType bias_type : {DataType::kInt32, DataType::kInt64}) {
    model::Graph g;
    const int32_t input = AddTensor(g, "input", DataType::kInt16, {1, 1, 1, 1}, PerTensor(0.5f, 0));
    const int32_t filter = AddConstant(g, "filter", DataType::kInt8, {1, 1, 1, 1},
                                       std::vector<int8_t>{1}, PerTensor(0.5f, 0));
    const int32_t bias = bias_type == DataType::kInt32
                             ? AddConstant(g, "bias", bias_type, {1}, std::vector<int32_t>{-4})
                             : AddConstant(g, "bias", bias_type, {1}, std::vector<int64_t>{-4});
    const int32_t output = AddTensor(g, "output", DataType::kInt16, {1, 1, 1, 1}, PerTensor(1.0f, 0));
    SetSingleOp(g, model::OpType::kConv2D, {input, filter, bias}, output, model::Conv2DOptions{});
    EXPECT_THAT(RunGraph<int16_t>(std::move(g), std::vector<int16_t>{-2}),
                ElementsAreArray({bias_type == DataType::kInt32 ? -2 : -1}));
  }
}

std::string PrepareError(model::Graph g) {
  try {
    CompiledModel compiled(std::move(g));
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

model::Graph DepthwiseGraph(DataType bias_type, int64_t input_zero_point) {
  model::Graph g;
  model::Quantization input_q = PerTensor(0.5f, 0);
  input_q.zero_points = {input_zero_point};
  const int32_t input = AddTensor(g, "input", DataType::kInt16, {1, 1, 1, 1}, input_q);
  const int32_t filter = AddConstant(g, "filter", DataType::kInt8, {1, 1, 1, 1},
                                     std::vector<int8_t>{1}, PerChannel({0.5f}, 3));
  const int32_t bias = bias_type == DataType::kInt32
                           ? AddConstant(g, "bias", bias_type, {1}, std::vector<int32_t>{0})
                           : AddConstant(g, "bias", bias_type, {1}, std::vector<int64_t>{0});
  const int32_t output = AddTensor(g, "output", DataType::kInt16, {1, 1, 1, 1}, PerTensor(1.0f, 0));
  SetSingleOp(g, model::OpType::kDepthwiseConv2D, {input, filter, bias}, output,
              model::DepthwiseConv2DOptions{});
  return g;
}

TEST(Int16x8WeightedOps, PrepareChecksNameTheProblem) {
  EXPECT_EQ(PrepareError(DepthwiseGraph(DataType::kInt64, 0)), "no error");
  // TFLite-Micro's 16x8 depthwise reads an int64 bias only.
  const std::string int32_bias = PrepareError(DepthwiseGraph(DataType::kInt32, 0));
  EXPECT_THAT(int32_bias, HasSubstr("DEPTHWISE_CONV_2D"));
  EXPECT_THAT(int32_bias, HasSubstr("bias"));
  // The 16x8 kernels have no offsets: a nonzero int16 zero point would be ignored.
  EXPECT_THAT(PrepareError(DepthwiseGraph(DataType::kInt64, 3)), HasSubstr("zero point 3"));
}

}  // namespace
}  // namespace harness::runtime
