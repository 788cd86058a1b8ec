// CONV_2D reference kernels: small hand-computed cases (strides, SAME/VALID padding with even
// and odd totals, dilation, channel layout, fused clamps, requantization ties and saturation,
// hybrid paths) and a sweep comparing the int8 kernel with a zero-point-padded int64
// correlation plus the exact requantization of exact_requantize.h.
#include "kernels/reference/conv.h"

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

std::vector<float> RunFloat(const ConvParams& params, const Shape& input_shape,
                            const std::vector<float>& input, const Shape& filter_shape,
                            const std::vector<float>& filter, const float* bias,
                            const Shape& output_shape) {
  std::vector<float> output(static_cast<size_t>(output_shape.FlatSize()), -999.0f);
  Conv(params, input_shape, input.data(), filter_shape, filter.data(), bias, output_shape,
       output.data());
  return output;
}

const std::vector<float> kOneToNine = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // a 3x3 image

TEST(ConvFloat, ValidStrideOneWithBias) {
  const std::vector<float> filter = {1, 2, 3, 4};
  const float bias[] = {0.5f};
  // Window (0,0): 1*1 + 2*2 + 4*3 + 5*4 = 37, and so on.
  EXPECT_THAT(RunFloat({}, {1, 3, 3, 1}, kOneToNine, {1, 2, 2, 1}, filter, bias, {1, 2, 2, 1}),
              ElementsAre(37.5f, 47.5f, 67.5f, 77.5f));
}

TEST(ConvFloat, SameStrideTwoOddPaddingTotalPadsAfter) {
  // SAME, 3x3 input, 2x2 filter, stride 2: output 2x2, total padding 1 -> 0 before, 1 after.
  const std::vector<float> filter = {1, 2, 3, 4};
  ConvParams params;
  params.stride_width = params.stride_height = 2;
  EXPECT_THAT(
      RunFloat(params, {1, 3, 3, 1}, kOneToNine, {1, 2, 2, 1}, filter, nullptr, {1, 2, 2, 1}),
      ElementsAre(37.0f, 3 * 1 + 6 * 3, 7 * 1 + 8 * 2, 9.0f));
}

TEST(ConvFloat, SameStrideOneEvenPaddingTotalPadsBothSides) {
  // SAME, 3x3 filter of ones: total padding 2 -> 1 on each side; each output is the sum of
  // the 3x3 neighbourhood that lies inside the image.
  const std::vector<float> ones(9, 1.0f);
  ConvParams params;
  params.padding_width = params.padding_height = 1;
  EXPECT_THAT(RunFloat(params, {1, 3, 3, 1}, kOneToNine, {1, 3, 3, 1}, ones, nullptr, {1, 3, 3, 1}),
              ElementsAre(12, 21, 16, 27, 45, 33, 24, 39, 28));
}

TEST(ConvFloat, DilationTwo) {
  // v(y, x) = 5y + x on a 5x5 image; a 2x2 filter {1,2,3,4} dilated by 2 reads v(y,x),
  // v(y,x+2), v(y+2,x), v(y+2,x+2): 10 v(y,x) + 2*2 + 3*10 + 4*12 = 10 v(y,x) + 82.
  std::vector<float> image(25);
  for (int i = 0; i < 25; ++i) image[static_cast<size_t>(i)] = static_cast<float>(i);
  ConvParams params;
  params.dilation_width = params.dilation_height = 2;
  const std::vector<float> out =
      RunFloat(params, {1, 5, 5, 1}, image, {1, 2, 2, 1}, {1, 2, 3, 4}, nullptr, {1, 3, 3, 1});
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x)
      EXPECT_EQ(out[static_cast<size_t>(3 * y + x)], 10.0f * static_cast<float>(5 * y + x) + 82)
          << y << "," << x;
}

TEST(ConvFloat, ChannelsAreOhwiAndClampsApply) {
  // One pixel with channels {3, 5}; filters o0 = {1, 2} -> 13, o1 = {1, -2} -> -7.
  const std::vector<float> input = {3, 5};
  const std::vector<float> filter = {1, 2, 1, -2};
  EXPECT_THAT(RunFloat({}, {1, 1, 1, 2}, input, {2, 1, 1, 2}, filter, nullptr, {1, 1, 1, 2}),
              ElementsAre(13.0f, -7.0f));
  ConvParams relu6;
  relu6.float_activation_min = 0.0f;
  relu6.float_activation_max = 6.0f;
  EXPECT_THAT(RunFloat(relu6, {1, 1, 1, 2}, input, {2, 1, 1, 2}, filter, nullptr, {1, 1, 1, 2}),
              ElementsAre(6.0f, 0.0f));
}

TEST(ConvFloat, GroupedFilterReadsItsGroupOfInputChannels) {
  // Input depth 2, filter depth 1: two groups; output channel 0 reads input channel 0, output
  // channel 1 reads input channel 1.
  EXPECT_THAT(RunFloat({}, {1, 1, 1, 2}, {3, 5}, {2, 1, 1, 1}, {2, 10}, nullptr, {1, 1, 1, 2}),
              ElementsAre(6.0f, 50.0f));
}

// Three pixels, input zero point 2 (so the kernel sees 8, -22, -11), two output channels:
// channel 0 = 3 * x + 4 at scale 0.5 (multiplier 2^30, shift 0), channel 1 = 2 * x at scale
// 0.25 (shift -1), output zero point -3.
//   ch0: 28 -> 14; -62 -> -31; -29 -> -14.5, a tie the high multiply rounds toward +inf: -14.
//   ch1: 16 -> 4; -44 -> -11; -22 -> -5.5, a tie the right shift rounds away from zero: -6.
TEST(ConvPerChannel, HandComputedWithRoundingTies) {
  const std::vector<int8_t> input = {10, -20, -9};
  const std::vector<int8_t> filter = {3, 2};
  const int32_t bias[] = {4, 0};
  const int32_t multipliers[] = {1 << 30, 1 << 30};
  const int32_t shifts[] = {0, -1};
  ConvParams params;
  params.input_offset = -2;
  params.output_offset = -3;
  std::vector<int8_t> output(6);
  ConvPerChannel(params, multipliers, shifts, {1, 1, 3, 1}, input.data(), {2, 1, 1, 1},
                 filter.data(), bias, {1, 1, 3, 2}, output.data());
  EXPECT_THAT(output, ElementsAre(11, 1, -34, -14, -17, -9));
}

TEST(ConvPerChannel, SaturatesAndAppliesTheActivationRange) {
  // acc = +-100 at scale 2 (multiplier 2^30, shift 2): +-200 saturates to 127 / -128; with a
  // RELU range for output zero point -3 the low end becomes -3.
  const std::vector<int8_t> input = {100, -100};
  const std::vector<int8_t> filter = {1};
  const int32_t multiplier[] = {1 << 30};
  const int32_t shift[] = {2};
  ConvParams params;
  std::vector<int8_t> output(2);
  ConvPerChannel(params, multiplier, shift, {1, 1, 2, 1}, input.data(), {1, 1, 1, 1}, filter.data(),
                 nullptr, {1, 1, 2, 1}, output.data());
  EXPECT_THAT(output, ElementsAre(127, -128));
  params.output_offset = -3;
  params.quantized_activation_min = -3;
  ConvPerChannel(params, multiplier, shift, {1, 1, 2, 1}, input.data(), {1, 1, 1, 1}, filter.data(),
                 nullptr, {1, 1, 2, 1}, output.data());
  EXPECT_THAT(output, ElementsAre(127, -3));
}

TEST(ConvPerChannel, PaddingContributesNothingEvenWithAnInputZeroPoint) {
  // SAME 3x3 filter of ones over a 1x1 image whose value equals the zero point: only the
  // centre tap is inside, and it contributes 0; a padded tap would have added 8 * 5 = 40.
  const std::vector<int8_t> input = {5};
  const std::vector<int8_t> filter(9, 1);
  const int32_t multiplier[] = {1 << 30};
  const int32_t shift[] = {1};  // scale 1
  ConvParams params;
  params.padding_width = params.padding_height = 1;
  params.input_offset = -5;
  std::vector<int8_t> output(1, 99);
  ConvPerChannel(params, multiplier, shift, {1, 1, 1, 1}, input.data(), {1, 3, 3, 1}, filter.data(),
                 nullptr, {1, 1, 1, 1}, output.data());
  EXPECT_THAT(output, ElementsAre(0));
}

// --- hybrid ---------------------------------------------------------------------------------

TEST(HybridConv, PerTensorQuantizesSymmetrically) {
  // Inputs {1, -0.5}: scale 1/127, q = {127, -64} (-63.5 rounds away from zero). Filter {2} at
  // scale 0.5; output = acc * (input_scale * 0.5) + bias.
  const std::vector<float> input = {1.0f, -0.5f};
  const std::vector<int8_t> filter = {2};
  const float filter_scale = 0.5f;
  const float bias[] = {0.25f};
  std::vector<std::byte> memory(HybridScratchBytes(1, 2) + 16);
  const HybridScratch scratch = HybridScratchAt(memory.data(), 1, 2);
  std::vector<float> output(2);
  HybridConv({}, {&filter_scale, false}, {1, 1, 2, 1}, input.data(), {1, 1, 1, 1}, filter.data(),
             bias, {1, 1, 2, 1}, output.data(), scratch);
  const double s = 1.0 / 127 * 0.5;
  EXPECT_NEAR(output[0], 127 * 2 * s + 0.25, 1e-6);
  EXPECT_NEAR(output[1], -64 * 2 * s + 0.25, 1e-6);
  EXPECT_EQ(scratch.input_offsets[0], 0);
}

TEST(HybridConv, DifferingChannelScalesQuantizeAsymmetrically) {
  // Inputs {1, -0.5}: range [-0.5, 1] -> scale 1.5/255, zero point -43 exactly, q = {127,
  // -128}, so q - zero_point = {170, -85} = x * 170. Channel 0: filter 2 at scale 0.5;
  // channel 1: filter -4 at scale 0.25: outputs x * 1 and x * -1.
  const std::vector<float> input = {1.0f, -0.5f};
  const std::vector<int8_t> filter = {2, -4};
  const float filter_scales[] = {0.5f, 0.25f};
  std::vector<std::byte> memory(HybridScratchBytes(1, 2) + 16);
  const HybridScratch scratch = HybridScratchAt(memory.data(), 1, 2);
  std::vector<float> output(4);
  HybridConv({}, {filter_scales, true}, {1, 1, 2, 1}, input.data(), {2, 1, 1, 1}, filter.data(),
             nullptr, {1, 1, 2, 2}, output.data(), scratch);
  EXPECT_EQ(scratch.input_offsets[0], -43);
  EXPECT_NEAR(output[0], 1.0, 1e-5);
  EXPECT_NEAR(output[1], -1.0, 1e-5);
  EXPECT_NEAR(output[2], -0.5, 1e-5);
  EXPECT_NEAR(output[3], 0.5, 1e-5);
}

// --- property sweep -------------------------------------------------------------------------

// Conv by a different route: copy the input into a buffer padded with the input zero point
// (whose offset value is 0, so padding contributes nothing), correlate in int64 over every tap,
// and requantize exactly.
std::vector<int8_t> NaiveConvPerChannel(const ConvParams& p, const std::vector<int32_t>& mult,
                                        const std::vector<int32_t>& shift, int batches, int in_h,
                                        int in_w, int in_d, const std::vector<int8_t>& input,
                                        int out_d, int f_h, int f_w,
                                        const std::vector<int8_t>& filter,
                                        const std::vector<int32_t>& bias, int out_h, int out_w) {
  const int pad_top = p.padding_height, pad_left = p.padding_width;
  const int span_h = (out_h - 1) * p.stride_height + (f_h - 1) * p.dilation_height + 1;
  const int span_w = (out_w - 1) * p.stride_width + (f_w - 1) * p.dilation_width + 1;
  const int padded_h = std::max(span_h, pad_top + in_h),
            padded_w = std::max(span_w, pad_left + in_w);
  const int zero_point = -p.input_offset;
  const std::vector<int64_t> padded = testing::ZeroPointPadded(
      input, batches, in_h, in_w, in_d, padded_h, padded_w, pad_top, pad_left, zero_point);
  auto at = [&](int b, int y, int x, int c) {
    return static_cast<size_t>(((b * padded_h + y) * padded_w + x) * in_d + c);
  };
  std::vector<int8_t> output;
  for (int b = 0; b < batches; ++b)
    for (int oy = 0; oy < out_h; ++oy)
      for (int ox = 0; ox < out_w; ++ox)
        for (int o = 0; o < out_d; ++o) {
          int64_t acc = bias[static_cast<size_t>(o)];
          for (int fy = 0; fy < f_h; ++fy)
            for (int fx = 0; fx < f_w; ++fx)
              for (int c = 0; c < in_d; ++c) {
                const int64_t x = padded[at(b, oy * p.stride_height + fy * p.dilation_height,
                                            ox * p.stride_width + fx * p.dilation_width, c)];
                acc += filter[static_cast<size_t>(((o * f_h + fy) * f_w + fx) * in_d + c)] *
                       (x - zero_point);
              }
          output.push_back(testing::ExactOutput(
              acc, mult[static_cast<size_t>(o)], shift[static_cast<size_t>(o)], p.output_offset,
              p.quantized_activation_min, p.quantized_activation_max));
        }
  return output;
}

TEST(ConvPerChannel, MatchesNaiveInt64ComputationOnRandomShapes) {
  std::mt19937 rng(20261123);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 300; ++trial) {
    const int batches = uniform(1, 2), in_h = uniform(1, 6), in_w = uniform(1, 6);
    const int in_d = uniform(1, 3), out_d = uniform(1, 4);
    const int f_h = uniform(1, 3), f_w = uniform(1, 3);
    ConvParams p;
    testing::RandomizeWindow(p, uniform);
    p.input_offset = -uniform(-128, 127);
    p.output_offset = uniform(-20, 20);
    if (uniform(0, 1)) p.quantized_activation_min = p.output_offset;  // RELU
    const int eff_h = (f_h - 1) * p.dilation_height + 1, eff_w = (f_w - 1) * p.dilation_width + 1;
    const int out_h = (in_h + 2 * p.padding_height - eff_h) / p.stride_height + 1;
    const int out_w = (in_w + 2 * p.padding_width - eff_w) / p.stride_width + 1;
    if (out_h < 1 || out_w < 1) continue;
    std::vector<int8_t> input(static_cast<size_t>(batches * in_h * in_w * in_d));
    std::vector<int8_t> filter(static_cast<size_t>(out_d * f_h * f_w * in_d));
    std::vector<int32_t> bias(static_cast<size_t>(out_d)), mult(bias.size()), shift(bias.size());
    testing::FillRandomInt8Operands(uniform, -12, input, filter, bias, mult, shift);
    std::vector<int8_t> output(static_cast<size_t>(batches * out_h * out_w * out_d));
    ConvPerChannel(p, mult.data(), shift.data(), {batches, in_h, in_w, in_d}, input.data(),
                   {out_d, f_h, f_w, in_d}, filter.data(), bias.data(),
                   {batches, out_h, out_w, out_d}, output.data());
    const auto expected = NaiveConvPerChannel(p, mult, shift, batches, in_h, in_w, in_d, input,
                                              out_d, f_h, f_w, filter, bias, out_h, out_w);
    ASSERT_THAT(output, ElementsAreArray(expected)) << "trial " << trial;
  }
}

}  // namespace
}  // namespace kernels::reference
