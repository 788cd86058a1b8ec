// CONV_2D int16x8 reference kernel: hand-computed cases for the two requantizations the bias
// type selects (int64: one rounding, ties up; int32 or none: TFLite's double rounding), per-
// channel scales, large right shifts, a scale above one, the Q15 multiplier cap, saturation
// and the activation clamp; and a sweep over random shapes, strides, paddings, dilations and
// groups against a zero-padded 128-bit correlation with the exact requantizations.
#include "kernels/reference/conv_int16.h"

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

ConvParams Int16Params() {
  ConvParams params;
  params.quantized_activation_min = INT16_MIN;
  params.quantized_activation_max = INT16_MAX;
  return params;
}

template <class Bias>
std::vector<int16_t> RunConv16(const ConvParams& params, const Requant& r, const Shape& input_shape,
                               const std::vector<int16_t>& input, const Shape& filter_shape,
                               const std::vector<int8_t>& filter, const Bias* bias,
                               const Shape& output_shape) {
  std::vector<int16_t> output(static_cast<size_t>(output_shape.FlatSize()), -12345);
  ConvPerChannel(params, r.multipliers.data(), r.shifts.data(), input_shape, input.data(),
                 filter_shape, filter.data(), bias, output_shape, output.data());
  return output;
}

// One 1x1 tap: the output is the requantized (input * filter + bias).
template <class Bias>
int16_t Single(double scale, int16_t input, int8_t filter, const Bias* bias) {
  return RunConv16(Int16Params(), FromScales({scale}), {1, 1, 1, 1}, {input}, {1, 1, 1, 1},
                   {filter}, bias, {1, 1, 1, 1})[0];
}

TEST(ConvInt16, PerChannelHandComputed) {
  // Input 2x2 {1000, -2000, 3000, 4000}; channel 0 sums it (6000), channel 1 weighs it
  // {2, -1, 0, 1} (8000). Biases 501 and -8002: 6501 * 0.5 = 3250.5 -> 3251 (tie up) and
  // -2 * 0.25 = -0.5 -> 0 (tie up).
  const int64_t bias[] = {501, -8002};
  EXPECT_THAT(
      RunConv16(Int16Params(), FromScales({0.5, 0.25}), {1, 2, 2, 1}, {1000, -2000, 3000, 4000},
                {2, 2, 2, 1}, {1, 1, 1, 1, 2, -1, 0, 1}, bias, {1, 1, 1, 2}),
      ElementsAre(3251, 0));
}

TEST(ConvInt16, BiasTypeSelectsTheRounding) {
  // -6 * 0.25 = -1.5. The int64 path rounds once, ties toward +infinity: -1. The int32 path
  // (int32 bias or none) halves in the high multiply (-3, exact) and then rounds the right
  // shift by one half away from zero: -2.
  const int64_t zero64[] = {0};
  const int32_t zero32[] = {0};
  EXPECT_EQ(Single(0.25, -6, 1, zero64), -1);
  EXPECT_EQ(Single(0.25, -6, 1, zero32), -2);
  EXPECT_EQ(Single<int32_t>(0.25, -6, 1, nullptr), -2);
  EXPECT_EQ(Single(0.25, 6, 1, zero64), 2);  // 1.5 -> 2 both ways
  EXPECT_EQ(Single(0.25, 6, 1, zero32), 2);
}

TEST(ConvInt16, LargeRightShift) {
  // Scale 2^-20 (multiplier 2^30, shift -19): +-3 * 2^19 -> +-1.5 -> 2 and -1 (ties up).
  const int64_t bias_up[] = {3 * (1 << 19)};
  const int64_t bias_down[] = {-3 * (1 << 19)};
  EXPECT_EQ(Single(1.0 / (1 << 20), 0, 1, bias_up), 2);
  EXPECT_EQ(Single(1.0 / (1 << 20), 0, 1, bias_down), -1);
  // Int64 bias beyond int32: (2^40 + 2^19) * 2^-30 = 1024.0005 -> 1024.
  const int64_t wide[] = {(int64_t{1} << 40) + (1 << 19)};
  EXPECT_EQ(Single(1.0 / (1 << 30), 0, 1, wide), 1024);
}

TEST(ConvInt16, ScaleAboveOneShiftsLeft) {
  // Scale 3 = 0.75 * 2^2: Q15 multiplier 24576, total shift 13. 100 * 3 = 300, -7 * 3 = -21.
  const int64_t zero[] = {0};
  EXPECT_EQ(Single(3.0, 100, 1, zero), 300);
  EXPECT_EQ(Single(3.0, -7, 1, zero), -21);
}

TEST(ConvInt16, Q15MultiplierIsCappedBelowOne) {
  // 0.99999 in Q31 is 2147462173 >= 0x7FFF0000: TFLite caps the Q15 multiplier at 32767
  // instead of rounding it to 32768, so 32768 * 0.99999 (32767.67) comes out as
  // 32768 * 32767 / 2^15 = 32767 rather than 32768 (which would saturate to 32767 anyway: use
  // a negative value to see it). -32768 * 32767 / 2^15 = -32767.
  const int64_t zero[] = {0};
  EXPECT_EQ(Single(0.99999, -16384, 2, zero), -32767);
}

TEST(ConvInt16, SaturatesAndClamps) {
  // 2x2 filter of 127 over 32767s: 16645636 / 256 = 65022 -> 32767; negated -> -32768.
  const std::vector<int8_t> filter(4, 127);
  const int64_t zero[] = {0};
  const std::vector<int16_t> high(4, 32767), low(4, -32768);
  EXPECT_THAT(RunConv16(Int16Params(), FromScales({1.0 / 256}), {1, 2, 2, 1}, high, {1, 2, 2, 1},
                        filter, zero, {1, 1, 1, 1}),
              ElementsAre(32767));
  EXPECT_THAT(RunConv16(Int16Params(), FromScales({1.0 / 256}), {1, 2, 2, 1}, low, {1, 2, 2, 1},
                        filter, zero, {1, 1, 1, 1}),
              ElementsAre(-32768));
  // A fused RELU6 at output scale 1/1000: [0, 6000].
  ConvParams relu6 = Int16Params();
  relu6.quantized_activation_min = 0;
  relu6.quantized_activation_max = 6000;
  EXPECT_THAT(RunConv16(relu6, FromScales({1.0}), {1, 1, 3, 1}, {-5, 42, 7000}, {1, 1, 1, 1}, {1},
                        zero, {1, 1, 3, 1}),
              ElementsAre(0, 42, 6000));
}

TEST(ConvInt16, IgnoresOffsets) {
  // TFLite's 16x8 convolution has no zero points: offsets left in the params change nothing.
  ConvParams params = Int16Params();
  params.input_offset = 100;
  params.output_offset = -7;
  const int64_t zero[] = {0};
  EXPECT_THAT(RunConv16(params, FromScales({1.0}), {1, 1, 1, 1}, {5}, {1, 1, 1, 1}, {3}, zero,
                        {1, 1, 1, 1}),
              ElementsAre(15));
}

// The independent truth: pad the input with zeros (the zero point is 0, so padding taps
// contribute nothing), correlate in 128 bits, add the bias, requantize exactly.
template <class Bias>
std::vector<int16_t> Truth(const ConvParams& p, const Requant& r, const Shape& is,
                           const std::vector<int16_t>& input, const Shape& fs,
                           const std::vector<int8_t>& filter, const Bias* bias, const Shape& os) {
  const int padded_h = is.dim(1) + 2 * p.padding_height + 8 * p.stride_height;
  const int padded_w = is.dim(2) + 2 * p.padding_width + 8 * p.stride_width;
  const int depth = is.dim(3);
  std::vector<int32_t> padded(static_cast<size_t>(is.dim(0) * padded_h * padded_w * depth), 0);
  for (int b = 0; b < is.dim(0); ++b)
    for (int y = 0; y < is.dim(1); ++y)
      for (int x = 0; x < is.dim(2); ++x)
        for (int c = 0; c < depth; ++c)
          padded[static_cast<size_t>(
              ((b * padded_h + y + p.padding_height) * padded_w + x + p.padding_width) * depth +
              c)] = input[static_cast<size_t>(Offset(is, b, y, x, c))];
  const int filter_depth = fs.dim(3);
  const int per_group = os.dim(3) / (depth / filter_depth);
  std::vector<int16_t> out(static_cast<size_t>(os.FlatSize()));
  for (int b = 0; b < os.dim(0); ++b)
    for (int oy = 0; oy < os.dim(1); ++oy)
      for (int ox = 0; ox < os.dim(2); ++ox)
        for (int oc = 0; oc < os.dim(3); ++oc) {
          testing::Int128 acc = bias ? bias[oc] : 0;
          for (int fy = 0; fy < fs.dim(1); ++fy)
            for (int fx = 0; fx < fs.dim(2); ++fx)
              for (int ic = 0; ic < filter_depth; ++ic) {
                const int y = oy * p.stride_height + fy * p.dilation_height;
                const int x = ox * p.stride_width + fx * p.dilation_width;
                const int c = (oc / per_group) * filter_depth + ic;
                acc += testing::Int128{padded[static_cast<size_t>(
                           ((b * padded_h + y) * padded_w + x) * depth + c)]} *
                       filter[static_cast<size_t>(Offset(fs, oc, fy, fx, ic))];
              }
          const auto a = static_cast<int64_t>(acc);
          const auto oc_index = static_cast<size_t>(oc);
          const int32_t scaled =
              sizeof(Bias) == 8
                  ? testing::ExactRequantizeInt64(a, r.multipliers[oc_index], r.shifts[oc_index])
                  : testing::ExactRequantize(a, r.multipliers[oc_index], r.shifts[oc_index]);
          out[static_cast<size_t>(Offset(os, b, oy, ox, oc))] = testing::ClampToInt16Range(
              scaled, p.quantized_activation_min, p.quantized_activation_max);
        }
  return out;
}

template <class Bias>
void Sweep(uint32_t seed, int cases) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < cases; ++i) {
    ConvParams p = Int16Params();
    testing::RandomizeWindow(p, uniform);
    testing::MaybeNarrowInt16Activation(p, uniform);
    const int groups = uniform(1, 2);
    const int filter_depth = uniform(1, 3);
    const int channels = groups * uniform(1, 3);
    const int fh = uniform(1, 3), fw = uniform(1, 3);
    const int ih = uniform(1, 6) + (fh - 1) * p.dilation_height;
    const int iw = uniform(1, 6) + (fw - 1) * p.dilation_width;
    const int oh = testing::ConvOutputExtent(ih, fh, p.dilation_height, p.stride_height, p.padding_height);
    const int ow = testing::ConvOutputExtent(iw, fw, p.dilation_width, p.stride_width, p.padding_width);
    const Shape is{uniform(1, 2), ih, iw, groups * filter_depth};
    const Shape fs{channels, fh, fw, filter_depth};
    const Shape os{is.dim(0), oh, ow, channels};
    std::vector<int16_t> input(static_cast<size_t>(is.FlatSize()));
    for (auto& v : input) v = static_cast<int16_t>(uniform(INT16_MIN, INT16_MAX));
    std::vector<int8_t> filter(static_cast<size_t>(fs.FlatSize()));
    for (auto& v : filter) v = static_cast<int8_t>(uniform(-127, 127));
    std::vector<Bias> bias(static_cast<size_t>(channels));
    const int64_t bias_range = sizeof(Bias) == 8 ? (int64_t{1} << 27) : (int64_t{1} << 22);
    for (auto& v : bias) {
      v = static_cast<Bias>(std::uniform_int_distribution<int64_t>(-bias_range, bias_range)(rng));
    }
    const Requant r = FromScales(testing::RandomChannelScales(rng, uniform, channels, 6, 16));
    const Bias* bias_data = uniform(0, 4) == 0 ? nullptr : bias.data();
    ASSERT_THAT(RunConv16(p, r, is, input, fs, filter, bias_data, os),
                ElementsAreArray(Truth(p, r, is, input, fs, filter, bias_data, os)))
        << "case " << i;
  }
}

TEST(ConvInt16, RandomShapesInt64BiasMatchExactTruth) { Sweep<int64_t>(16, 300); }
TEST(ConvInt16, RandomShapesInt32BiasMatchExactTruth) { Sweep<int32_t>(32, 300); }

}  // namespace
}  // namespace kernels::reference
