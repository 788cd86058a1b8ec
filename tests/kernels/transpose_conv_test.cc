// TRANSPOSE_CONV against hand-computed cases (strides, overlapping taps, padding, bias, offsets,
// rounding ties, saturation, an int64-sized bias) and against an independent "gather" statement
// of the op (each output element sums the input elements that reach it) with exact 128-bit
// requantization, over random shapes, strides, paddings and data.
#include "kernels/reference/transpose_conv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "kernels/fixed_point.h"
#include "tests/kernels/exact_requantize.h"
#include "tests/kernels/exact_requantize_int64.h"

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

constexpr float kInf = std::numeric_limits<float>::infinity();

TransposeConvParams Params(int32_t stride, int32_t pad) {
  TransposeConvParams p;
  p.stride_height = p.stride_width = stride;
  p.pad_height = p.pad_width = pad;
  p.float_activation_min = -kInf;
  p.float_activation_max = kInf;
  p.activation_min = std::numeric_limits<int16_t>::min();
  p.activation_max = std::numeric_limits<int16_t>::max();
  return p;
}

TEST(TransposeConvFloat, StrideTwoSpreadsTapsAndAddsBias) {
  // Width 2 -> 4: each input writes filter * x at 2 * in_x and 2 * in_x + 1.
  const std::vector<float> input = {1, 2};
  const std::vector<float> filter = {10, 1};
  const std::vector<float> bias = {5};
  std::vector<float> out(4);
  TransposeConv(Params(2, 0), Shape{1, 1, 2, 1}, input.data(), Shape{1, 1, 2, 1}, filter.data(),
                bias.data(), Shape{1, 1, 4, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(15, 6, 25, 7));
}

TEST(TransposeConvFloat, StrideOneOverlapsPaddingCropsAndActivationClamps) {
  const std::vector<float> input = {1, 2};
  const std::vector<float> filter = {10, 1};
  std::vector<float> out(3);
  TransposeConv(Params(1, 0), Shape{1, 1, 2, 1}, input.data(), Shape{1, 1, 2, 1}, filter.data(),
                nullptr, Shape{1, 1, 3, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(10, 21, 2));
  // Padding 1 shifts the taps left: the first lands outside and is dropped.
  std::vector<float> cropped(2);
  TransposeConvParams padded = Params(1, 0);
  padded.pad_width = 1;
  TransposeConv(padded, Shape{1, 1, 2, 1}, input.data(), Shape{1, 1, 2, 1}, filter.data(), nullptr,
                Shape{1, 1, 2, 1}, cropped.data());
  EXPECT_THAT(cropped, ElementsAre(21, 2));
  TransposeConvParams relu6 = Params(1, 0);
  relu6.float_activation_min = 0.0f;
  relu6.float_activation_max = 6.0f;
  const std::vector<float> negative = {-1, 2};
  TransposeConv(relu6, Shape{1, 1, 2, 1}, negative.data(), Shape{1, 1, 2, 1}, filter.data(),
                nullptr, Shape{1, 1, 3, 1}, out.data());
  EXPECT_THAT(out, ElementsAre(0, 6, 2));  // -10, 19, 2
}

TEST(TransposeConvFloat, TwoOutputChannelsReadTheirOwnFilterRows) {
  const std::vector<float> input = {1, 2};          // [1, 1, 1, 2]: two input channels
  const std::vector<float> filter = {1, 10, 3, 4};  // [2, 1, 1, 2]
  std::vector<float> out(2);
  TransposeConv(Params(1, 0), Shape{1, 1, 1, 2}, input.data(), Shape{2, 1, 1, 2}, filter.data(),
                nullptr, Shape{1, 1, 1, 2}, out.data());
  EXPECT_THAT(out, ElementsAre(21, 11));
}

TEST(TransposeConvInt8, OffsetsBiasAndRoundingTies) {
  // Input zero point 1 (offset -1): values 2 and 4; filter [2, -1]; bias 1; multiplier 0.5.
  // Accumulators 5, -1, 9, -3 -> 2.5, -0.5, 4.5, -1.5 -> the high multiply rounds ties toward
  // +infinity: 3, 0, 5, -1; plus the output zero point -3.
  TransposeConvParams p = Params(2, 0);
  p.input_offset = -1;
  p.output_offset = -3;
  p.activation_min = -128;
  p.activation_max = 127;
  const int32_t multiplier = 1 << 30, shift = 0;
  const std::vector<int8_t> input = {3, 5};
  const std::vector<int8_t> filter = {2, -1};
  const std::vector<int32_t> bias = {1};
  std::vector<int8_t> out(4);
  std::vector<int32_t> scratch(4, 12345);  // not cleared by the caller
  TransposeConvPerChannel(p, &multiplier, &shift, Shape{1, 1, 2, 1}, input.data(),
                          Shape{1, 1, 2, 1}, filter.data(), bias.data(), Shape{1, 1, 4, 1},
                          out.data(), scratch.data());
  EXPECT_THAT(out, ElementsAre(0, -3, 2, -4));
}

TEST(TransposeConvInt8, SaturatesAndClampsToTheActivationRange) {
  TransposeConvParams p = Params(1, 0);
  p.activation_min = -128;
  p.activation_max = 127;
  const int32_t multiplier = 1 << 30, shift = 1;  // x1
  const std::vector<int8_t> input = {127, -128};
  const std::vector<int8_t> filter = {127};
  std::vector<int8_t> out(2);
  std::vector<int32_t> scratch(2);
  TransposeConvPerChannel(p, &multiplier, &shift, Shape{1, 1, 2, 1}, input.data(),
                          Shape{1, 1, 1, 1}, filter.data(), nullptr, Shape{1, 1, 2, 1}, out.data(),
                          scratch.data());
  EXPECT_THAT(out, ElementsAre(127, -128));
  p.activation_min = 0;  // RELU's quantized range
  TransposeConvPerChannel(p, &multiplier, &shift, Shape{1, 1, 2, 1}, input.data(),
                          Shape{1, 1, 1, 1}, filter.data(), nullptr, Shape{1, 1, 2, 1}, out.data(),
                          scratch.data());
  EXPECT_THAT(out, ElementsAre(127, 0));
}

TEST(TransposeConvInt16x8, AccumulatesInInt64) {
  // A bias of 2^33 does not fit int32; times 2^-20 it is 8192.
  const TransposeConvParams p = Params(1, 0);
  const int32_t multiplier = 1 << 30, shift = -19;  // 2^-20
  const std::vector<int16_t> input = {1000, -2000};
  const std::vector<int8_t> filter = {3};
  const std::vector<int64_t> bias = {int64_t{1} << 33};
  std::vector<int16_t> out(2);
  std::vector<int64_t> scratch(2);
  TransposeConvPerChannel(p, &multiplier, &shift, Shape{1, 1, 2, 1}, input.data(),
                          Shape{1, 1, 1, 1}, filter.data(), bias.data(), Shape{1, 1, 2, 1},
                          out.data(), scratch.data());
  EXPECT_THAT(out, ElementsAre(8192, 8192));  // (2^33 + 3000) and (2^33 - 6000) / 2^20
  const std::vector<int64_t> huge = {int64_t{1} << 40};
  TransposeConvPerChannel(p, &multiplier, &shift, Shape{1, 1, 2, 1}, input.data(),
                          Shape{1, 1, 1, 1}, filter.data(), huge.data(), Shape{1, 1, 2, 1},
                          out.data(), scratch.data());
  EXPECT_THAT(out, ElementsAre(32767, 32767));  // 2^20 saturates
}

// The op stated the other way round: out[b, y, x, o] = sum over the input positions and taps
// with in * stride - pad + tap == (y, x).
template <class In, class Acc>
std::vector<Acc> Gather(const TransposeConvParams& p, const Shape& is, const std::vector<In>& in,
                        const Shape& fs, const std::vector<int8_t>& f, const Shape& os,
                        int32_t input_offset) {
  std::vector<Acc> acc(static_cast<size_t>(os.FlatSize()), 0);
  for (int32_t b = 0; b < os.dim(0); ++b)
    for (int32_t y = 0; y < os.dim(1); ++y)
      for (int32_t x = 0; x < os.dim(2); ++x)
        for (int32_t o = 0; o < os.dim(3); ++o) {
          Acc sum = 0;
          for (int32_t fy = 0; fy < fs.dim(1); ++fy)
            for (int32_t fx = 0; fx < fs.dim(2); ++fx) {
              const int32_t ny = y + p.pad_height - fy, nx = x + p.pad_width - fx;
              if (ny < 0 || nx < 0 || ny % p.stride_height || nx % p.stride_width) continue;
              const int32_t iy = ny / p.stride_height, ix = nx / p.stride_width;
              if (iy >= is.dim(1) || ix >= is.dim(2)) continue;
              for (int32_t c = 0; c < is.dim(3); ++c) {
                const Acc v = in[static_cast<size_t>(
                                  ((b * is.dim(1) + iy) * is.dim(2) + ix) * is.dim(3) + c)] +
                              input_offset;
                sum +=
                    v *
                    f[static_cast<size_t>(((o * fs.dim(1) + fy) * fs.dim(2) + fx) * fs.dim(3) + c)];
              }
            }
          acc[static_cast<size_t>(((b * os.dim(1) + y) * os.dim(2) + x) * os.dim(3) + o)] = sum;
        }
  return acc;
}

TEST(TransposeConvQuantized, RandomCasesMatchAGatherStatementWithExactRequantization) {
  std::mt19937 rng(7);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int trial = 0; trial < 60; ++trial) {
    const int32_t stride = pick(1, 3), fh = pick(1, 4), fw = pick(1, 4);
    const int32_t ih = pick(1, 5), iw = pick(1, 5), ic = pick(1, 3), oc = pick(1, 3);
    const int32_t pad_h = pick(0, fh - 1), pad_w = pick(0, fw - 1);
    const int32_t oh = std::max(1, (ih - 1) * stride + fh - 2 * pad_h + pick(0, 1));
    const int32_t ow = std::max(1, (iw - 1) * stride + fw - 2 * pad_w + pick(0, 1));
    const Shape is{1, ih, iw, ic}, fs{oc, fh, fw, ic}, os{1, oh, ow, oc};
    TransposeConvParams p = Params(stride, pad_h);
    p.pad_width = pad_w;
    std::vector<int8_t> filter(static_cast<size_t>(fs.FlatSize()));
    for (auto& w : filter) w = static_cast<int8_t>(pick(-127, 127));
    std::vector<int32_t> multipliers, shifts;
    for (int32_t o = 0; o < oc; ++o) {
      const QuantizedMultiplier m = QuantizeMultiplier(0.0005 + 0.004 * pick(0, 100) / 100.0);
      multipliers.push_back(m.multiplier);
      shifts.push_back(m.shift);
    }
    SCOPED_TRACE(trial);
    {  // int8, with offsets
      p.input_offset = pick(-20, 20);
      p.output_offset = pick(-10, 10);
      p.activation_min = -128;
      p.activation_max = 127;
      std::vector<int8_t> input(static_cast<size_t>(is.FlatSize()));
      for (auto& v : input) v = static_cast<int8_t>(pick(-128, 127));
      std::vector<int32_t> bias(static_cast<size_t>(oc));
      for (auto& v : bias) v = pick(-5000, 5000);
      std::vector<int8_t> out(static_cast<size_t>(os.FlatSize()));
      std::vector<int32_t> scratch(out.size());
      TransposeConvPerChannel(p, multipliers.data(), shifts.data(), is, input.data(), fs,
                              filter.data(), bias.data(), os, out.data(), scratch.data());
      const auto acc = Gather<int8_t, int32_t>(p, is, input, fs, filter, os, p.input_offset);
      for (size_t i = 0; i < out.size(); ++i) {
        const auto o = i % static_cast<size_t>(oc);
        ASSERT_EQ(out[i], kernels::testing::ExactOutput(acc[i] + bias[o], multipliers[o], shifts[o],
                                                        p.output_offset, -128, 127))
            << "element " << i;
      }
    }
    {  // int16x8
      p.input_offset = p.output_offset = 0;
      p.activation_min = -32768;
      p.activation_max = 32767;
      std::vector<int16_t> input(static_cast<size_t>(is.FlatSize()));
      for (auto& v : input) v = static_cast<int16_t>(pick(-32768, 32767));
      std::vector<int64_t> bias(static_cast<size_t>(oc));
      for (auto& v : bias) v = int64_t{pick(-1 << 20, 1 << 20)} * 64;
      std::vector<int16_t> out(static_cast<size_t>(os.FlatSize()));
      std::vector<int64_t> scratch(out.size());
      TransposeConvPerChannel(p, multipliers.data(), shifts.data(), is, input.data(), fs,
                              filter.data(), bias.data(), os, out.data(), scratch.data());
      const auto acc = Gather<int16_t, int64_t>(p, is, input, fs, filter, os, 0);
      for (size_t i = 0; i < out.size(); ++i) {
        const auto o = i % static_cast<size_t>(oc);
        const int32_t expected =
            kernels::testing::ExactRequantizeInt64(acc[i] + bias[o], multipliers[o], shifts[o]);
        ASSERT_EQ(out[i], kernels::testing::ClampToInt16Range(expected, -32768, 32767))
            << "element " << i;
      }
    }
  }
}

}  // namespace
}  // namespace kernels::reference
