// Optimized int16x8 DEPTHWISE_CONV_2D against the 16x8 reference::DepthwiseConvPerChannel bit for
// bit: random shapes, strides, paddings, dilations and depth multipliers, with and without the
// int64 bias, random and extreme operands (large filters, so that the int32 tap blocks are
// exercised), every channel count around the vector widths, windows partly or wholly in the
// padding, for every variant this CPU runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/optimized/depthwise_conv_int16.h"
#include "kernels/reference/depthwise_conv_int16.h"
#include "tests/kernels/optimized_int16_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

struct DepthwiseCase {
  int batches, height, width, in_channels, multiplier;
  int filter_height, filter_width, stride_height, stride_width, dilation_height, dilation_width;
  bool same;
  bool with_bias;
  bool extreme;
  // Extreme operands with every product of a channel of one sign (the largest sums), instead of
  // a random choice between that and mixed signs.
  bool same_sign = false;
  // Padding beyond SAME / VALID on every side (explicit padding as the params allow): border
  // windows with fewer taps, down to none (bias alone).
  int extra_padding = 0;
};

std::string Describe(const DepthwiseCase& c) {
  return "input " + std::to_string(c.batches) + "x" + std::to_string(c.height) + "x" +
         std::to_string(c.width) + "x" + std::to_string(c.in_channels) + " multiplier " +
         std::to_string(c.multiplier) + " filter " + std::to_string(c.filter_height) + "x" +
         std::to_string(c.filter_width) + " stride " + std::to_string(c.stride_height) + "," +
         std::to_string(c.stride_width) + " dilation " + std::to_string(c.dilation_height) + "," +
         std::to_string(c.dilation_width) + (c.same ? " SAME" : " VALID") +
         (c.with_bias ? " bias" : " no bias") + (c.extreme ? " extreme" : "") +
         (c.same_sign ? " same sign" : "") + " extra padding " + std::to_string(c.extra_padding);
}

// `extra` more padding on both sides of `base`, and the output size that gives.
PaddedSize PadMore(PaddedSize base, int extra, int input, int filter, int stride, int dilation) {
  if (extra == 0) return base;
  const int padding = base.padding + extra;
  const int effective = (filter - 1) * dilation + 1;
  const int span = input + 2 * padding - effective;
  return {span < 0 ? 0 : span / stride + 1, padding};
}

void TestDepthwise(const DepthwiseCase& c, KernelVariant variant, std::mt19937& rng) {
  const std::string where = VariantLabel(variant) + " " + Describe(c);
  const PaddedSize h =
      PadMore(Pad(c.same, c.height, c.filter_height, c.stride_height, c.dilation_height),
              c.extra_padding, c.height, c.filter_height, c.stride_height, c.dilation_height);
  const PaddedSize w =
      PadMore(Pad(c.same, c.width, c.filter_width, c.stride_width, c.dilation_width),
              c.extra_padding, c.width, c.filter_width, c.stride_width, c.dilation_width);
  if (h.output <= 0 || w.output <= 0) return;
  const int channels = c.in_channels * c.multiplier;
  const int taps = c.filter_height * c.filter_width;
  const Shape input_shape{c.batches, c.height, c.width, c.in_channels};
  const Shape filter_shape{1, c.filter_height, c.filter_width, channels};
  const Shape output_shape{c.batches, h.output, w.output, channels};
  auto input = RandomInt16(rng, input_shape.FlatSize(), c.extreme);
  auto filter = RandomInt8Weights(rng, filter_shape.FlatSize(), c.extreme);
  if (c.extreme && (c.same_sign || Uniform(rng, 0, 1) != 0)) {
    // Every product of a channel of one sign: input -32768, each channel's weights all -128 or
    // all 127 (the filter is [taps][channels]).
    std::fill(input.begin(), input.end(), int16_t{-32768});
    for (int ch = 0; ch < channels; ++ch) {
      const int8_t value = filter[static_cast<size_t>(ch)] < 0 ? -128 : 127;
      for (int t = 0; t < taps; ++t) filter[static_cast<size_t>(t * channels + ch)] = value;
    }
  }
  std::vector<int64_t> bias(static_cast<size_t>(channels));
  for (auto& b : bias) b = static_cast<int64_t>(Uniform(rng, -(1 << 30), 1 << 30)) * 16;
  const int64_t* bias_data = c.with_bias ? bias.data() : nullptr;
  const Requantization q = RandomInt16Requantization(rng, channels, 2.0);
  reference::DepthwiseParams params;
  params.stride_height = c.stride_height;
  params.stride_width = c.stride_width;
  params.dilation_height = c.dilation_height;
  params.dilation_width = c.dilation_width;
  params.padding_height = h.padding;
  params.padding_width = w.padding;
  params.depth_multiplier = c.multiplier;
  std::tie(params.quantized_activation_min, params.quantized_activation_max) =
      RandomInt16ActivationRange(rng);
  std::vector<int16_t> expected(static_cast<size_t>(output_shape.FlatSize()));
  reference::DepthwiseConvPerChannel(params, q.multipliers.data(), q.shifts.data(), input_shape,
                                     input.data(), filter_shape, filter.data(), bias_data,
                                     output_shape, expected.data());
  const PackedDepthwiseInt16x8 weights = PackDepthwiseInt16x8(
      filter.data(), taps, channels, bias_data, q.multipliers.data(), q.shifts.data());
  std::vector<int16_t> actual(expected.size(), 0x5A5A);
  DepthwiseConvPerChannelInt16x8(variant, params, weights, input_shape, input.data(), filter_shape,
                                 output_shape, actual.data());
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << where << " at " << i;
  }
}

DepthwiseCase RandomCase(std::mt19937& rng, bool extreme) {
  DepthwiseCase c{};
  c.batches = Uniform(rng, 1, 2);
  c.height = Uniform(rng, 1, 12);
  c.width = Uniform(rng, 1, 12);
  c.in_channels = Uniform(rng, 1, 80);
  c.multiplier = Uniform(rng, 0, 2) == 0 ? Uniform(rng, 2, 4) : 1;
  c.filter_height = Uniform(rng, 1, 5);
  c.filter_width = Uniform(rng, 1, 5);
  c.stride_height = Uniform(rng, 1, 3);
  c.stride_width = Uniform(rng, 1, 3);
  c.dilation_height = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 3) : 1;
  c.dilation_width = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 3) : 1;
  c.same = Uniform(rng, 0, 1) != 0;
  c.with_bias = Uniform(rng, 0, 3) != 0;
  c.extreme = extreme;
  return c;
}

TEST(OptimizedInt16DepthwiseConvTest, MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(1801);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 300; ++i) {
      TestDepthwise(RandomCase(rng, i % 4 == 0), variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

// Filters of more taps than one int32 block (256 taps: 16x17, the block ending inside a filter
// row) and than an int32 sum could hold at full scale (over 512 taps: 23x24), with the int64
// sums beyond int32: every product of a channel of one sign, then mixed signs; dilated too.
TEST(OptimizedInt16DepthwiseConvTest, MatchesReferenceAtFullScaleWithLargeFilters) {
  std::mt19937 rng(1802);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (bool same_sign : {true, false}) {
      for (int size : {16, 23}) {
        for (int multiplier : {1, 2}) {
          DepthwiseCase c{1, size, size + 1, 7, multiplier, size, size + 1,
                          1, 1,    1,        1, true,       true, true};
          c.same_sign = same_sign;
          TestDepthwise(c, variant, rng);
          if (HasFatalFailure()) return;
        }
      }
    }
    DepthwiseCase dilated{1, 20, 21, 5, 3, 16, 17, 2, 1, 2, 2, true, true, true};
    dilated.same_sign = true;
    TestDepthwise(dilated, variant, rng);
    if (HasFatalFailure()) return;
  }
}

// Every channel count from 1 to 40 with depth multipliers 1, 2, 3 and 5: partial vectors of 8
// and 16 lanes at the end of the input and of the output channels.
TEST(OptimizedInt16DepthwiseConvTest, MatchesReferenceAtEveryChannelCount) {
  std::mt19937 rng(1804);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int multiplier : {1, 2, 3, 5}) {
      for (int in_channels = 1; in_channels <= 40; ++in_channels) {
        TestDepthwise({1, 4, 5, in_channels, multiplier, 3, 3, 1, 1, 1, 1, true, true, false},
                      variant, rng);
        if (HasFatalFailure()) return;
      }
    }
  }
}

// Padding wider than the filter reaches: windows with one tap inside, and windows wholly in the
// padding, whose output is the requantized bias alone (or zero without bias), as the
// reference's.
TEST(OptimizedInt16DepthwiseConvTest, MatchesReferenceWithWindowsInThePadding) {
  std::mt19937 rng(1805);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 150; ++i) {
      DepthwiseCase c = RandomCase(rng, i % 5 == 0);
      c.height = Uniform(rng, 1, 4);
      c.width = Uniform(rng, 1, 4);
      c.in_channels = Uniform(rng, 1, 20);
      c.extra_padding = Uniform(rng, 1, 4);
      TestDepthwise(c, variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedInt16DepthwiseConvTest, MatchesReferenceAtModelLayers) {
  std::mt19937 rng(1803);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::DepthwiseLayer& layer : bench::kDepthwiseLayers) {
      TestDepthwise(
          {1, layer.input_height, layer.input_width, layer.channels, 1, layer.filter_height,
           layer.filter_width, layer.stride, layer.stride, 1, 1, layer.same_padding, true, false},
          variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
