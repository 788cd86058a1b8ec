// FULLY_CONNECTED reference kernels and the hybrid input quantization: hand-computed cases
// (batches, bias, clamps, filter offsets, per-tensor vs per-channel requantization with ties,
// symmetric and asymmetric hybrid inputs) and a sweep against an int64 computation.
#include "kernels/reference/fully_connected.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "kernels/reference/hybrid.h"
#include "tests/kernels/exact_requantize.h"
#include "tests/kernels/random_conv_cases.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// Two batches {1, 2, 3} and {-1, 0, 1}; weights {1, 0, -1} and {2, 1, 0.5}; bias {0.5, -1}.
const std::vector<float> kInput = {1, 2, 3, -1, 0, 1};
const std::vector<float> kWeights = {1, 0, -1, 2, 1, 0.5f};
const float kBias[] = {0.5f, -1.0f};

TEST(FullyConnectedFloat, BatchesWithBias) {
  std::vector<float> output(4);
  FullyConnected({}, {2, 3}, kInput.data(), {2, 3}, kWeights.data(), kBias, {2, 2}, output.data());
  EXPECT_THAT(output, ElementsAre(-1.5f, 4.5f, -1.5f, -2.5f));
}

TEST(FullyConnectedFloat, Relu6ClampAndNoBias) {
  FullyConnectedParams params;
  params.float_activation_min = 0.0f;
  params.float_activation_max = 6.0f;
  std::vector<float> output(4);
  // Without bias: {-2, 5.5, -2, -1.5}.
  FullyConnected(params, {2, 3}, kInput.data(), {2, 3}, kWeights.data(), nullptr, {2, 2},
                 output.data());
  EXPECT_THAT(output, ElementsAre(0.0f, 5.5f, 0.0f, 0.0f));
}

// Input zero point -1 (offset +1), filter zero point 2 (offset -2), output zero point 3.
// Input {3, -2} -> {4, -1}; filter rows {5, 0} -> {3, -2} and {-1, 4} -> {-3, 2};
// acc = {12 + 2 + bias 1, -12 - 2 + bias 0} = {15, -14}.
struct IntCase {
  std::vector<int8_t> input = {3, -2};
  std::vector<int8_t> filter = {5, 0, -1, 4};
  std::vector<int32_t> bias = {1, 0};
  FullyConnectedParams params;
  IntCase() {
    params.input_offset = 1;
    params.filter_offset = -2;
    params.output_offset = 3;
  }
};

TEST(FullyConnectedInt8, PerTensorWithFilterOffset) {
  IntCase c;
  c.params.output_multiplier = 1 << 30;  // 0.5
  c.params.output_shift = 0;
  std::vector<int8_t> output(2);
  FullyConnected(c.params, {1, 2}, c.input.data(), {2, 2}, c.filter.data(), c.bias.data(), {1, 2},
                 output.data());
  // 7.5 -> 8 (tie toward +inf in the high multiply), -7; plus 3.
  EXPECT_THAT(output, ElementsAre(11, -4));
}

TEST(FullyConnectedInt8, PerChannelMultipliers) {
  IntCase c;
  const int32_t multipliers[] = {1 << 30, 1 << 30};
  const int32_t shifts[] = {0, -1};  // 0.5, 0.25
  std::vector<int8_t> output(2);
  FullyConnectedPerChannel(c.params, multipliers, shifts, {1, 2}, c.input.data(), {2, 2},
                           c.filter.data(), c.bias.data(), {1, 2}, output.data());
  // 7.5 -> 8; -3.5 -> -4 (the right shift rounds the tie away from zero); plus 3.
  EXPECT_THAT(output, ElementsAre(11, -1));
}

TEST(FullyConnectedInt8, SaturatesAtTheActivationRange) {
  IntCase c;
  c.params.output_multiplier = 1 << 30;
  c.params.output_shift = 5;  // scale 16: 240 and -224 saturate
  std::vector<int8_t> output(2);
  FullyConnected(c.params, {1, 2}, c.input.data(), {2, 2}, c.filter.data(), c.bias.data(), {1, 2},
                 output.data());
  EXPECT_THAT(output, ElementsAre(127, -128));
  c.params.quantized_activation_min = 3;  // RELU with output zero point 3
  FullyConnected(c.params, {1, 2}, c.input.data(), {2, 2}, c.filter.data(), c.bias.data(), {1, 2},
                 output.data());
  EXPECT_THAT(output, ElementsAre(127, 3));
}

TEST(FullyConnectedInt8, MatchesNaiveInt64ComputationOnRandomShapes) {
  std::mt19937 rng(77);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 300; ++trial) {
    const int batches = uniform(1, 4), depth = uniform(1, 40), units = uniform(1, 8);
    const bool per_channel = uniform(0, 1) == 1;
    FullyConnectedParams p;
    p.input_offset = -uniform(-128, 127);
    p.filter_offset = per_channel ? 0 : -uniform(-10, 10);
    p.output_offset = uniform(-20, 20);
    std::vector<int8_t> input(static_cast<size_t>(batches * depth));
    std::vector<int8_t> filter(static_cast<size_t>(units * depth));
    std::vector<int32_t> bias(static_cast<size_t>(units)), mult(bias.size()), shift(bias.size());
    testing::FillRandomInt8Operands(uniform, -12, input, filter, bias, mult, shift);
    p.output_multiplier = mult[0];
    p.output_shift = shift[0];
    std::vector<int8_t> output(static_cast<size_t>(batches * units));
    if (per_channel) {
      FullyConnectedPerChannel(p, mult.data(), shift.data(), {batches, depth}, input.data(),
                               {units, depth}, filter.data(), bias.data(), {batches, units},
                               output.data());
    } else {
      FullyConnected(p, {batches, depth}, input.data(), {units, depth}, filter.data(), bias.data(),
                     {batches, units}, output.data());
    }
    std::vector<int8_t> expected;
    for (int b = 0; b < batches; ++b)
      for (int u = 0; u < units; ++u) {
        int64_t acc = bias[static_cast<size_t>(u)];
        for (int d = 0; d < depth; ++d)
          acc +=
              static_cast<int64_t>(filter[static_cast<size_t>(u * depth + d)] + p.filter_offset) *
              (input[static_cast<size_t>(b * depth + d)] + p.input_offset);
        const size_t k = per_channel ? static_cast<size_t>(u) : 0;
        expected.push_back(
            testing::ExactOutput(acc, mult[k], shift[k], p.output_offset, -128, 127));
      }
    ASSERT_THAT(output, ElementsAreArray(expected)) << "trial " << trial;
  }
}

// --- hybrid ---------------------------------------------------------------------------------

TEST(HybridQuantization, SymmetricRoundsHalfAwayFromZero) {
  const float values[] = {1.0f, -0.5f, 0.25f};
  int8_t q[3];
  float scale = 0;
  SymmetricQuantizeFloats(values, 3, q, &scale);
  EXPECT_FLOAT_EQ(scale, 1.0f / 127);
  EXPECT_THAT(q, ElementsAre(127, -64, 32));  // -63.5 -> -64, 31.75 -> 32
}

TEST(HybridQuantization, AllZeroInputGetsUnitScale) {
  const float values[] = {0.0f, 0.0f};
  int8_t q[2] = {7, 7};
  float scale = 0;
  int32_t offset = 9;
  SymmetricQuantizeFloats(values, 2, q, &scale);
  EXPECT_EQ(scale, 1.0f);
  EXPECT_THAT(q, ElementsAre(0, 0));
  AsymmetricQuantizeFloats(values, 2, q, &scale, &offset);
  EXPECT_EQ(offset, 0);
  EXPECT_EQ(scale, 1.0f);
}

TEST(HybridQuantization, AsymmetricNudgesTheZeroPoint) {
  // Range [-1, 3]: scale 4/255; the zero point from either end is -64.25 -> -64;
  // q = round(-64 + x * 63.75) = {-128 (from -127.75), 127 (from 127.25)}.
  const float values[] = {-1.0f, 3.0f};
  int8_t q[2];
  float scale = 0;
  int32_t offset = 0;
  AsymmetricQuantizeFloats(values, 2, q, &scale, &offset);
  EXPECT_FLOAT_EQ(scale, 4.0f / 255);
  EXPECT_EQ(offset, -64);
  EXPECT_THAT(q, ElementsAre(-128, 127));
}

HybridScratch ScratchFor(std::vector<std::byte>& memory, int batches, int depth) {
  memory.assign(HybridScratchBytes(batches, depth) + 16, std::byte{0});
  return HybridScratchAt(memory.data(), batches, depth);
}

TEST(HybridFullyConnected, SymmetricPerTensor) {
  // q = {127, -64, 32} at scale 1/127; weights {1, 2, 3} at scale 0.1: dot = 95.
  const float input[] = {1.0f, -0.5f, 0.25f};
  const int8_t filter[] = {1, 2, 3};
  const float filter_scale = 0.1f;
  const float bias[] = {0.5f};
  std::vector<std::byte> memory;
  float output = 0;
  HybridFullyConnected({}, {&filter_scale, false}, {1, 3}, input, {1, 3}, filter, bias, {1, 1},
                       &output, ScratchFor(memory, 1, 3));
  EXPECT_NEAR(output, 0.5 + 95.0 / 127 * 0.1, 1e-6);
}

TEST(HybridFullyConnected, AsymmetricPerChannelWithRowSumCorrection) {
  // q = {-128, 127} with zero point -64 (see AsymmetricNudgesTheZeroPoint): q - zp = {-64,
  // 191}. Row 0 {2, -1} at scale 0.5: dot = -319; row 1 {1, 1} at scale 0.25: dot = 127.
  const float input[] = {-1.0f, 3.0f};
  const int8_t filter[] = {2, -1, 1, 1};
  const float scales[] = {0.5f, 0.25f};
  FullyConnectedParams params;
  params.asymmetric_quantize_inputs = true;
  params.float_activation_min = -2.0f;  // RELU_N1_TO_1 style clamp on the low side only
  std::vector<std::byte> memory;
  float output[2];
  HybridFullyConnected(params, {scales, true}, {1, 2}, input, {2, 2}, filter, nullptr, {1, 2},
                       output, ScratchFor(memory, 1, 2));
  EXPECT_FLOAT_EQ(output[0], -2.0f);  // -319 * 0.5 * 4/255 = -2.50 clamped
  EXPECT_NEAR(output[1], 127 * 0.25 * 4.0 / 255, 1e-6);
}

TEST(HybridFullyConnected, QuantizesEachBatchOnItsOwn) {
  // Batch 1 is batch 0 times 100: its scale is 100 times larger and its result too.
  const float input[] = {0.5f, -0.25f, 50.0f, -25.0f};
  const int8_t filter[] = {3, -7};
  const float filter_scale = 0.02f;
  std::vector<std::byte> memory;
  float output[2];
  HybridFullyConnected({}, {&filter_scale, false}, {2, 2}, input, {1, 2}, filter, nullptr, {2, 1},
                       output, ScratchFor(memory, 2, 2));
  // q = {127, -64} in both batches (-63.5 -> -64): dot = 381 + 448 = 829.
  EXPECT_NEAR(output[0], 829 * (0.5 / 127) * 0.02, 1e-6);
  EXPECT_NEAR(output[1], 829 * (50.0 / 127) * 0.02, 1e-4);
}

}  // namespace
}  // namespace kernels::reference
