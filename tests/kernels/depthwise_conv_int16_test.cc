// DEPTHWISE_CONV_2D int16x8 reference kernel: a hand-computed case with a depth multiplier and
// per-channel scales, the int64 requantization's ties, saturation and the clamp; and a sweep
// over random shapes, strides, paddings, dilations and depth multipliers against a zero-padded
// 128-bit correlation with the exact requantization.
#include "kernels/reference/depthwise_conv_int16.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/fixed_point.h"
#include "tests/kernels/exact_requantize_int64.h"
#include "tests/kernels/per_channel_requant.h"
#include "tests/kernels/random_conv_cases.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

using testing::FromScales;
using testing::Requant;

DepthwiseParams Int16Params(int depth_multiplier) {
  DepthwiseParams params;
  params.depth_multiplier = depth_multiplier;
  params.quantized_activation_min = INT16_MIN;
  params.quantized_activation_max = INT16_MAX;
  return params;
}

std::vector<int16_t> RunDepthwise16(const DepthwiseParams& params, const Requant& r,
                                    const Shape& input_shape, const std::vector<int16_t>& input,
                                    const Shape& filter_shape, const std::vector<int8_t>& filter,
                                    const int64_t* bias, const Shape& output_shape) {
  std::vector<int16_t> output(static_cast<size_t>(output_shape.FlatSize()), -12345);
  DepthwiseConvPerChannel(params, r.multipliers.data(), r.shifts.data(), input_shape, input.data(),
                          filter_shape, filter.data(), bias, output_shape, output.data());
  return output;
}

TEST(DepthwiseConvInt16, DepthMultiplierTwoPerChannelHandComputed) {
  // One pixel {1000, -3000}; output channel = input channel * 2 + m, filter {1, 2, 3, -4},
  // bias {0, 1, 2, 3}: accumulators 1000, 2001, -8998, 12003. Scales {0.5, 0.5, 0.25, 0.5}:
  // 500, 1000.5 -> 1001 (tie up), -2249.5 -> -2249 (tie up), 6001.5 -> 6002.
  const int64_t bias[] = {0, 1, 2, 3};
  EXPECT_THAT(RunDepthwise16(Int16Params(2), FromScales({0.5, 0.5, 0.25, 0.5}), {1, 1, 1, 2},
                             {1000, -3000}, {1, 1, 1, 4}, {1, 2, 3, -4}, bias, {1, 1, 1, 4}),
              ElementsAre(500, 1001, -2249, 6002));
}

TEST(DepthwiseConvInt16, PaddingTapsAreSkipped) {
  // 2x2 image {1, 2, 3, 4}, 2x2 filter of ones, leading padding 1, stride 1: the four outputs
  // of a SAME-style window that sees only the top-left part; no bias, scale 1.
  DepthwiseParams params = Int16Params(1);
  params.padding_height = params.padding_width = 1;
  EXPECT_THAT(RunDepthwise16(params, FromScales({1.0}), {1, 2, 2, 1}, {1, 2, 3, 4}, {1, 2, 2, 1},
                             {1, 1, 1, 1}, nullptr, {1, 2, 2, 1}),
              ElementsAre(1, 3, 4, 10));
}

TEST(DepthwiseConvInt16, SaturatesAndClamps) {
  const int64_t bias[] = {int64_t{1} << 40, -(int64_t{1} << 40)};
  EXPECT_THAT(RunDepthwise16(Int16Params(2), FromScales({1.0 / 1024, 1.0 / 1024}), {1, 1, 1, 1},
                             {0}, {1, 1, 1, 2}, {1, 1}, bias, {1, 1, 1, 2}),
              ElementsAre(32767, -32768));
  DepthwiseParams relu = Int16Params(1);
  relu.quantized_activation_min = 0;
  EXPECT_THAT(RunDepthwise16(relu, FromScales({1.0}), {1, 1, 2, 1}, {-9, 9}, {1, 1, 1, 1}, {1},
                             nullptr, {1, 1, 2, 1}),
              ElementsAre(0, 9));
}

std::vector<int16_t> Truth(const DepthwiseParams& p, const Requant& r, const Shape& is,
                           const std::vector<int16_t>& input, const Shape& fs,
                           const std::vector<int8_t>& filter, const int64_t* bias,
                           const Shape& os) {
  std::vector<int16_t> out(static_cast<size_t>(os.FlatSize()));
  for (int b = 0; b < os.dim(0); ++b)
    for (int oy = 0; oy < os.dim(1); ++oy)
      for (int ox = 0; ox < os.dim(2); ++ox)
        for (int oc = 0; oc < os.dim(3); ++oc) {
          const int ic = oc / p.depth_multiplier;
          testing::Int128 acc = bias ? bias[oc] : 0;
          for (int fy = 0; fy < fs.dim(1); ++fy)
            for (int fx = 0; fx < fs.dim(2); ++fx) {
              // Coordinates in the zero-padded image; padding contributes 0 * w.
              const int y = oy * p.stride_height + fy * p.dilation_height - p.padding_height;
              const int x = ox * p.stride_width + fx * p.dilation_width - p.padding_width;
              const bool inside = y >= 0 && y < is.dim(1) && x >= 0 && x < is.dim(2);
              const int32_t value =
                  inside ? input[static_cast<size_t>(Offset(is, b, y, x, ic))] : 0;
              acc +=
                  testing::Int128{value} * filter[static_cast<size_t>(Offset(fs, 0, fy, fx, oc))];
            }
          const auto c = static_cast<size_t>(oc);
          out[static_cast<size_t>(Offset(os, b, oy, ox, oc))] = testing::ClampToInt16Range(
              testing::ExactRequantizeInt64(static_cast<int64_t>(acc), r.multipliers[c],
                                            r.shifts[c]),
              p.quantized_activation_min, p.quantized_activation_max);
        }
  return out;
}

TEST(DepthwiseConvInt16, RandomShapesMatchExactTruth) {
  std::mt19937 rng(7);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < 300; ++i) {
    DepthwiseParams p = Int16Params(uniform(1, 3));
    testing::RandomizeWindow(p, uniform);
    testing::MaybeNarrowInt16Activation(p, uniform);
    const int depth = uniform(1, 4);
    const int channels = depth * p.depth_multiplier;
    const int fh = uniform(1, 3), fw = uniform(1, 3);
    const int ih = uniform(1, 6) + (fh - 1) * p.dilation_height;
    const int iw = uniform(1, 6) + (fw - 1) * p.dilation_width;
    const int oh = testing::ConvOutputExtent(ih, fh, p.dilation_height, p.stride_height, p.padding_height);
    const int ow = testing::ConvOutputExtent(iw, fw, p.dilation_width, p.stride_width, p.padding_width);
    const Shape is{uniform(1, 2), ih, iw, depth};
    const Shape fs{1, fh, fw, channels};
    const Shape os{is.dim(0), oh, ow, channels};
    std::vector<int16_t> input(static_cast<size_t>(is.FlatSize()));
    for (auto& v : input) v = static_cast<int16_t>(uniform(INT16_MIN, INT16_MAX));
    std::vector<int8_t> filter(static_cast<size_t>(fs.FlatSize()));
    for (auto& v : filter) v = static_cast<int8_t>(uniform(-127, 127));
    std::vector<int64_t> bias(static_cast<size_t>(channels));
    for (auto& v : bias) v = std::uniform_int_distribution<int64_t>(-(1LL << 27), 1LL << 27)(rng);
    const Requant r = FromScales(testing::RandomChannelScales(rng, uniform, channels, 5, 15));
    const int64_t* bias_data = uniform(0, 4) == 0 ? nullptr : bias.data();
    ASSERT_THAT(RunDepthwise16(p, r, is, input, fs, filter, bias_data, os),
                ElementsAreArray(Truth(p, r, is, input, fs, filter, bias_data, os)))
        << "case " << i;
  }
}

}  // namespace
}  // namespace kernels::reference
