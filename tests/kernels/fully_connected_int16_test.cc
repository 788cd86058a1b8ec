// FULLY_CONNECTED int16x8 reference kernels: hand-computed per-tensor (with and without a
// filter zero point) and per-channel cases, the rounding each bias type selects, batches,
// saturation and the clamp; and a sweep against a 128-bit dot product with the exact
// requantizations.
#include "kernels/reference/fully_connected_int16.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/fixed_point.h"
#include "tests/kernels/exact_requantize_int64.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

FullyConnectedParams PerTensorParams(double scale, int32_t filter_offset = 0) {
  FullyConnectedParams params;
  const QuantizedMultiplier m = QuantizeMultiplier(scale);
  params.output_multiplier = m.multiplier;
  params.output_shift = m.shift;
  params.filter_offset = filter_offset;
  params.quantized_activation_min = INT16_MIN;
  params.quantized_activation_max = INT16_MAX;
  return params;
}

// Two rows of input {100, -200, 300} and {-1, 0, 1}; weights [2, 3] {1, 2, 3; -1, 0, 1}.
const std::vector<int16_t> kInput = {100, -200, 300, -1, 0, 1};
const std::vector<int8_t> kWeights = {1, 2, 3, -1, 0, 1};

template <class Bias>
std::vector<int16_t> RunPerTensor(const FullyConnectedParams& params, const Bias* bias) {
  std::vector<int16_t> output(4, -12345);
  FullyConnected(params, {2, 3}, kInput.data(), {2, 3}, kWeights.data(), bias, {2, 2},
                 output.data());
  return output;
}

TEST(FullyConnectedInt16, PerTensorHandComputed) {
  // Dots: row 0 {600, 200}, row 1 {2, 2}; bias {1, -1}: {601, 199, 3, 1}; * 0.5 with ties up:
  // 300.5 -> 301, 99.5 -> 100, 1.5 -> 2, 0.5 -> 1.
  const int64_t bias[] = {1, -1};
  EXPECT_THAT(RunPerTensor(PerTensorParams(0.5), bias), ElementsAre(301, 100, 2, 1));
}

TEST(FullyConnectedInt16, PerTensorFilterOffset) {
  // Weights zero point -1 (offset +1): {2, 3, 4; 0, 1, 2}; dots {800, 400} and {2, 2};
  // no bias: the int32 path; * 0.5: 400, 200, 1, 1.
  EXPECT_THAT(RunPerTensor<int32_t>(PerTensorParams(0.5, 1), nullptr), ElementsAre(400, 200, 1, 1));
}

TEST(FullyConnectedInt16, BiasTypeSelectsTheRounding) {
  // Row 0 channel 1 with bias -202: -2 * 0.25 = -0.5. int64: ties up -> 0; int32: the high
  // multiply gives -1 exactly, the right shift rounds -0.5 away from zero -> -1.
  const int64_t bias64[] = {0, -202};
  const int32_t bias32[] = {0, -202};
  EXPECT_EQ(RunPerTensor(PerTensorParams(0.25), bias64)[1], 0);
  EXPECT_EQ(RunPerTensor(PerTensorParams(0.25), bias32)[1], -1);
}

TEST(FullyConnectedInt16, PerChannelHandComputed) {
  // Scales {0.5, 0.25}, bias {1, -1}: 601 * 0.5 -> 301, 199 * 0.25 = 49.75 -> 50,
  // 3 * 0.5 = 1.5 -> 2, 1 * 0.25 -> 0.
  const QuantizedMultiplier half = QuantizeMultiplier(0.5), quarter = QuantizeMultiplier(0.25);
  const int32_t multipliers[] = {half.multiplier, quarter.multiplier};
  const int32_t shifts[] = {half.shift, quarter.shift};
  const int64_t bias[] = {1, -1};
  FullyConnectedParams params = PerTensorParams(1.0);
  params.filter_offset = 5;  // ignored by the per-channel kernel: weights are symmetric
  std::vector<int16_t> output(4);
  FullyConnectedPerChannel(params, multipliers, shifts, {2, 3}, kInput.data(), {2, 3},
                           kWeights.data(), bias, {2, 2}, output.data());
  EXPECT_THAT(output, ElementsAre(301, 50, 2, 0));
}

TEST(FullyConnectedInt16, SaturatesAndClamps) {
  const int64_t bias[] = {int64_t{1} << 40, -(int64_t{1} << 40)};
  EXPECT_THAT(RunPerTensor(PerTensorParams(1.0 / 4096), bias),
              ElementsAre(32767, -32768, 32767, -32768));
  FullyConnectedParams relu = PerTensorParams(1.0);
  relu.quantized_activation_min = 0;
  relu.quantized_activation_max = 250;
  // Dots {600, 200, 2, 2} clamped to [0, 250].
  EXPECT_THAT(RunPerTensor<int64_t>(relu, nullptr), ElementsAre(250, 200, 2, 2));
}

template <class Bias>
void Sweep(uint32_t seed, bool per_channel) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < 300; ++i) {
    const int batches = uniform(1, 3), units = uniform(1, 6), depth = uniform(1, 64);
    std::vector<int16_t> input(static_cast<size_t>(batches * depth));
    for (auto& v : input) v = static_cast<int16_t>(uniform(INT16_MIN, INT16_MAX));
    std::vector<int8_t> weights(static_cast<size_t>(units * depth));
    for (auto& v : weights) v = static_cast<int8_t>(uniform(-127, 127));
    const int64_t bias_range = sizeof(Bias) == 8 ? (int64_t{1} << 30) : (int64_t{1} << 22);
    std::vector<Bias> bias(static_cast<size_t>(units));
    for (auto& v : bias) {
      v = static_cast<Bias>(std::uniform_int_distribution<int64_t>(-bias_range, bias_range)(rng));
    }
    const Bias* bias_data = uniform(0, 4) == 0 ? nullptr : bias.data();
    std::vector<int32_t> multipliers, shifts;
    for (int c = 0; c < units; ++c) {
      const QuantizedMultiplier m = QuantizeMultiplier(
          std::ldexp(std::uniform_real_distribution<double>(0.5, 1.0)(rng), -uniform(6, 16)));
      multipliers.push_back(m.multiplier);
      shifts.push_back(m.shift);
    }
    FullyConnectedParams params = PerTensorParams(1.0, per_channel ? 0 : uniform(-3, 3));
    params.output_multiplier = multipliers[0];
    params.output_shift = shifts[0];
    if (uniform(0, 3) == 0) {
      params.quantized_activation_min = uniform(-20000, 0);
      params.quantized_activation_max = uniform(0, 20000);
    }
    std::vector<int16_t> expected;
    for (int b = 0; b < batches; ++b) {
      for (int c = 0; c < units; ++c) {
        testing::Int128 acc = bias_data ? bias_data[c] : 0;
        for (int d = 0; d < depth; ++d) {
          acc += testing::Int128{input[static_cast<size_t>(b * depth + d)]} *
                 (weights[static_cast<size_t>(c * depth + d)] + params.filter_offset);
        }
        const auto k = static_cast<size_t>(per_channel ? c : 0);
        const auto a = static_cast<int64_t>(acc);
        const int32_t scaled = sizeof(Bias) == 8
                                   ? testing::ExactRequantizeInt64(a, multipliers[k], shifts[k])
                                   : testing::ExactRequantize(a, multipliers[k], shifts[k]);
        expected.push_back(testing::ClampToInt16Range(scaled, params.quantized_activation_min,
                                                      params.quantized_activation_max));
      }
    }
    std::vector<int16_t> output(expected.size(), -12345);
    if (per_channel) {
      FullyConnectedPerChannel(params, multipliers.data(), shifts.data(), {batches, depth},
                               input.data(), {units, depth}, weights.data(), bias_data,
                               {batches, units}, output.data());
    } else {
      FullyConnected(params, {batches, depth}, input.data(), {units, depth}, weights.data(),
                     bias_data, {batches, units}, output.data());
    }
    ASSERT_THAT(output, ElementsAreArray(expected)) << "case " << i;
  }
}

TEST(FullyConnectedInt16, RandomPerTensorInt64BiasMatchesExactTruth) { Sweep<int64_t>(1, false); }
TEST(FullyConnectedInt16, RandomPerTensorInt32BiasMatchesExactTruth) { Sweep<int32_t>(2, false); }
TEST(FullyConnectedInt16, RandomPerChannelInt64BiasMatchesExactTruth) { Sweep<int64_t>(3, true); }
TEST(FullyConnectedInt16, RandomPerChannelInt32BiasMatchesExactTruth) { Sweep<int32_t>(4, true); }

}  // namespace
}  // namespace kernels::reference
