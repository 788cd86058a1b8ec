// DEPTHWISE_CONV_2D reference kernels: hand-computed cases (depth multiplier 2 and its channel
// order, strides with SAME padding, dilation, per-channel requantization with differing scales,
// hybrid) and a sweep against a zero-point-padded int64 computation.
#include "kernels/reference/depthwise_conv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "tests/kernels/exact_requantize.h"
#include "tests/kernels/random_conv_cases.h"
#include "tests/kernels/zero_point_padded.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// A 2x2 image with two channels: channel 0 = {1, 2, 3, 4}, channel 1 = {10, 20, 30, 40}
// (pixels in row-major order), stored NHWC.
const std::vector<float> kTwoChannelImage = {1, 10, 2, 20, 3, 30, 4, 40};

// Depth multiplier 2: output channel in_channel * 2 + m. Filter [1, 2, 2, 4], one column per
// output channel: oc0 picks pixel (0,0), oc1 pixel (1,1) (of channel 0); oc2 sums all pixels,
// oc3 = pixel (0,1) - pixel (1,1) (of channel 1).
const std::vector<float> kMultiplierTwoFilter = {
    1, 0, 1, 0,   // tap (0,0): oc0..oc3
    0, 0, 1, 1,   // tap (0,1)
    0, 0, 1, 0,   // tap (1,0)
    0, 1, 1, -1,  // tap (1,1)
};

TEST(DepthwiseConvFloat, DepthMultiplierTwoOrdersChannelsByInputThenMultiplier) {
  DepthwiseParams params;
  params.depth_multiplier = 2;
  const float bias[] = {0.5f, 0.0f, 0.0f, 1.0f};
  std::vector<float> output(4);
  DepthwiseConv(params, {1, 2, 2, 2}, kTwoChannelImage.data(), {1, 2, 2, 4},
                kMultiplierTwoFilter.data(), bias, {1, 1, 1, 4}, output.data());
  EXPECT_THAT(output, ElementsAre(1.5f, 4.0f, 100.0f, -19.0f));
}

TEST(DepthwiseConvFloat, SameStrideTwoAndRelu) {
  // 3x3 image 1..9, 2x2 filter of ones, stride 2, SAME: padding 0 before / 1 after.
  const std::vector<float> image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> ones(4, 1.0f);
  DepthwiseParams params;
  params.stride_width = params.stride_height = 2;
  const float bias[] = {-10.0f};
  params.float_activation_min = 0.0f;  // RELU
  std::vector<float> output(4);
  DepthwiseConv(params, {1, 3, 3, 1}, image.data(), {1, 2, 2, 1}, ones.data(), bias, {1, 2, 2, 1},
                output.data());
  // Sums 12, 9, 15, 9 minus 10, clamped at 0.
  EXPECT_THAT(output, ElementsAre(2.0f, 0.0f, 5.0f, 0.0f));
}

TEST(DepthwiseConvFloat, DilationTwo) {
  // A 2x2 filter of ones dilated by 2 on a 3x3 image reads the four corners: 1 + 3 + 7 + 9.
  const std::vector<float> image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> ones(4, 1.0f);
  DepthwiseParams params;
  params.dilation_width = params.dilation_height = 2;
  std::vector<float> output(1);
  DepthwiseConv(params, {1, 3, 3, 1}, image.data(), {1, 2, 2, 1}, ones.data(), nullptr,
                {1, 1, 1, 1}, output.data());
  EXPECT_THAT(output, ElementsAre(20.0f));
}

TEST(DepthwiseConvPerChannel, DifferingScalesFollowTheOutputChannel) {
  // The float case above in int8 (zero points 0 in, 5 out), accumulators {1, 4, 100, -20} plus
  // int bias {0, 0, 0, 1}, scales 0.5, 0.25, 0.125, 2:
  //   0.5 -> 1 (high-multiply tie toward +inf), 1, 12.5 -> 13 (shift tie away from zero),
  //   -19 * 2 = -38; plus 5.
  std::vector<int8_t> input(kTwoChannelImage.begin(), kTwoChannelImage.end());
  std::vector<int8_t> filter(kMultiplierTwoFilter.begin(), kMultiplierTwoFilter.end());
  const int32_t bias[] = {0, 0, 0, 1};
  const int32_t multipliers[] = {1 << 30, 1 << 30, 1 << 30, 1 << 30};
  const int32_t shifts[] = {0, -1, -2, 2};
  DepthwiseParams params;
  params.depth_multiplier = 2;
  params.output_offset = 5;
  std::vector<int8_t> output(4);
  DepthwiseConvPerChannel(params, multipliers, shifts, {1, 2, 2, 2}, input.data(), {1, 2, 2, 4},
                          filter.data(), bias, {1, 1, 1, 4}, output.data());
  EXPECT_THAT(output, ElementsAre(6, 6, 18, -33));
}

TEST(HybridDepthwiseConv, QuantizesAsymmetricallyAndScalesPerChannel) {
  // One pixel, channels {1, -0.5}: range [-0.5, 1] -> zero point -43, q - zp = {170, -85} =
  // x * 170, scale 1.5/255. Filter {2, -4} at channel scales {0.5, 0.25}: outputs {1, 0.5}.
  const std::vector<float> input = {1.0f, -0.5f};
  const std::vector<int8_t> filter = {2, -4};
  const float scales[] = {0.5f, 0.25f};
  const float bias[] = {0.0f, 1.0f};
  std::vector<std::byte> memory(HybridScratchBytes(1, 2) + 16);
  const HybridScratch scratch = HybridScratchAt(memory.data(), 1, 2);
  std::vector<float> output(2);
  HybridDepthwiseConv({}, {scales, true}, {1, 1, 1, 2}, input.data(), {1, 1, 1, 2}, filter.data(),
                      bias, {1, 1, 1, 2}, output.data(), scratch);
  EXPECT_EQ(scratch.input_offsets[0], -43);
  EXPECT_NEAR(output[0], 1.0, 1e-5);
  EXPECT_NEAR(output[1], 1.5, 1e-5);
}

// Depthwise by a different route: a zero-point-padded input and every tap in int64.
TEST(DepthwiseConvPerChannel, MatchesNaiveInt64ComputationOnRandomShapes) {
  std::mt19937 rng(4242);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 300; ++trial) {
    const int batches = uniform(1, 2), in_h = uniform(1, 6), in_w = uniform(1, 6);
    const int in_d = uniform(1, 3), m = uniform(1, 3), out_d = in_d * m;
    const int f_h = uniform(1, 3), f_w = uniform(1, 3);
    DepthwiseParams p;
    p.depth_multiplier = m;
    testing::RandomizeWindow(p, uniform);
    const int zero_point = uniform(-128, 127);
    p.input_offset = -zero_point;
    p.output_offset = uniform(-20, 20);
    if (uniform(0, 1)) p.quantized_activation_max = std::min(127, p.output_offset + 30);
    const int eff_h = (f_h - 1) * p.dilation_height + 1, eff_w = (f_w - 1) * p.dilation_width + 1;
    const int out_h = (in_h + 2 * p.padding_height - eff_h) / p.stride_height + 1;
    const int out_w = (in_w + 2 * p.padding_width - eff_w) / p.stride_width + 1;
    if (out_h < 1 || out_w < 1) continue;
    std::vector<int8_t> input(static_cast<size_t>(batches * in_h * in_w * in_d));
    std::vector<int8_t> filter(static_cast<size_t>(f_h * f_w * out_d));
    std::vector<int32_t> bias(static_cast<size_t>(out_d)), mult(bias.size()), shift(bias.size());
    testing::FillRandomInt8Operands(uniform, -10, input, filter, bias, mult, shift);
    std::vector<int8_t> output(static_cast<size_t>(batches * out_h * out_w * out_d));
    DepthwiseConvPerChannel(p, mult.data(), shift.data(), {batches, in_h, in_w, in_d}, input.data(),
                            {1, f_h, f_w, out_d}, filter.data(), bias.data(),
                            {batches, out_h, out_w, out_d}, output.data());

    const int padded_h = in_h + 2 * p.padding_height + eff_h;  // generous trailing padding
    const int padded_w = in_w + 2 * p.padding_width + eff_w;
    const std::vector<int64_t> padded =
        testing::ZeroPointPadded(input, batches, in_h, in_w, in_d, padded_h, padded_w,
                                 p.padding_height, p.padding_width, zero_point);
    auto at = [&](int b, int y, int x, int c) {
      return static_cast<size_t>(((b * padded_h + y) * padded_w + x) * in_d + c);
    };
    std::vector<int8_t> expected;
    for (int b = 0; b < batches; ++b)
      for (int oy = 0; oy < out_h; ++oy)
        for (int ox = 0; ox < out_w; ++ox)
          for (int o = 0; o < out_d; ++o) {
            const int c = o / m;  // the input channel of output channel o
            int64_t acc = bias[static_cast<size_t>(o)];
            for (int fy = 0; fy < f_h; ++fy)
              for (int fx = 0; fx < f_w; ++fx)
                acc += filter[static_cast<size_t>((fy * f_w + fx) * out_d + o)] *
                       (padded[at(b, oy * p.stride_height + fy * p.dilation_height,
                                  ox * p.stride_width + fx * p.dilation_width, c)] -
                        zero_point);
            expected.push_back(testing::ExactOutput(
                acc, mult[static_cast<size_t>(o)], shift[static_cast<size_t>(o)], p.output_offset,
                p.quantized_activation_min, p.quantized_activation_max));
          }
    ASSERT_THAT(output, ElementsAreArray(expected)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace kernels::reference
