// Optimized int16x8 CONV_2D (im2col and 1x1 paths over the int16 GEMM) against
// reference::ConvPerChannel bit for bit: random shapes, strides, paddings and dilations, int64,
// int32 or no bias, random and extreme operands, for every variant this CPU runs. (The GEMMs
// themselves, the AVX-512 one included, are swept in optimized_int16_fully_connected_test.cc.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/optimized/conv_int16.h"
#include "kernels/reference/conv_int16.h"
#include "tests/kernels/optimized_int16_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

struct ConvCase {
  int batches, height, width, in_channels, out_channels;
  int filter_height, filter_width, stride_height, stride_width, dilation_height, dilation_width;
  bool same;
  BiasKind bias;
  bool extreme;
};

std::string Describe(const ConvCase& c) {
  return "input " + std::to_string(c.batches) + "x" + std::to_string(c.height) + "x" +
         std::to_string(c.width) + "x" + std::to_string(c.in_channels) + " filter " +
         std::to_string(c.out_channels) + "x" + std::to_string(c.filter_height) + "x" +
         std::to_string(c.filter_width) + " stride " + std::to_string(c.stride_height) + "," +
         std::to_string(c.stride_width) + " dilation " + std::to_string(c.dilation_height) + "," +
         std::to_string(c.dilation_width) + (c.same ? " SAME " : " VALID ") + BiasLabel(c.bias) +
         (c.extreme ? " extreme" : "");
}

// Runs the driver with `variant` (an optimized variant) against the reference.
void TestConv(const ConvCase& c, KernelVariant variant, std::mt19937& rng) {
  const std::string where = VariantLabel(variant) + " " + Describe(c);
  const PaddedSize h = Pad(c.same, c.height, c.filter_height, c.stride_height, c.dilation_height);
  const PaddedSize w = Pad(c.same, c.width, c.filter_width, c.stride_width, c.dilation_width);
  if (h.output == 0 || w.output == 0) return;
  const Shape input_shape{c.batches, c.height, c.width, c.in_channels};
  const Shape filter_shape{c.out_channels, c.filter_height, c.filter_width, c.in_channels};
  const Shape output_shape{c.batches, h.output, w.output, c.out_channels};
  auto input = RandomInt16(rng, input_shape.FlatSize(), c.extreme);
  auto filter = RandomInt8Weights(rng, filter_shape.FlatSize(), c.extreme);
  const int depth = c.filter_height * c.filter_width * c.in_channels;
  if (c.extreme && Uniform(rng, 0, 1) != 0) AlignSigns(depth, input, filter);
  std::vector<int64_t> bias64(static_cast<size_t>(c.out_channels));
  std::vector<int32_t> bias32(static_cast<size_t>(c.out_channels));
  for (auto& b : bias64) b = static_cast<int64_t>(Uniform(rng, -(1 << 30), 1 << 30)) * 16;
  for (auto& b : bias32) b = Uniform(rng, -(1 << 20), 1 << 20);
  const bool int64_path = c.bias == BiasKind::kInt64;
  const Requantization q = RandomInt16Requantization(rng, c.out_channels, int64_path ? 2.0 : 0.9);
  reference::ConvParams params;
  params.stride_height = c.stride_height;
  params.stride_width = c.stride_width;
  params.dilation_height = c.dilation_height;
  params.dilation_width = c.dilation_width;
  params.padding_height = h.padding;
  params.padding_width = w.padding;
  std::tie(params.quantized_activation_min, params.quantized_activation_max) =
      RandomInt16ActivationRange(rng);
  const int64_t* b64 = c.bias == BiasKind::kInt64 ? bias64.data() : nullptr;
  const int32_t* b32 = c.bias == BiasKind::kInt32 ? bias32.data() : nullptr;
  std::vector<int16_t> expected(static_cast<size_t>(output_shape.FlatSize()));
  if (int64_path) {
    reference::ConvPerChannel(params, q.multipliers.data(), q.shifts.data(), input_shape,
                              input.data(), filter_shape, filter.data(), b64, output_shape,
                              expected.data());
  } else {
    reference::ConvPerChannel(params, q.multipliers.data(), q.shifts.data(), input_shape,
                              input.data(), filter_shape, filter.data(), b32, output_shape,
                              expected.data());
  }
  const PackedInt16x8Weights weights =
      PackInt16x8Weights(filter.data(), c.out_channels, depth, 0, b64, b32, int64_path,
                         q.multipliers.data(), q.shifts.data(), c.out_channels);
  std::vector<std::byte> scratch(ConvInt16x8ScratchBytes(filter_shape), std::byte{0xAB});
  std::vector<int16_t> actual(expected.size(), 0x5A5A);
  ConvPerChannelInt16x8(variant, params, weights, input_shape, input.data(), filter_shape,
                        output_shape, actual.data(), scratch.data());
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << where << " at " << i;
  }
}

// The int32 path: filter depths whose worst-case sum (128 * 32768 per tap) plus bias fits the
// reference's int32 accumulator.
constexpr int kInt32PathMaxDepth = 256;

ConvCase RandomCase(std::mt19937& rng, bool extreme) {
  ConvCase c{};
  c.batches = Uniform(rng, 1, 2);
  c.height = Uniform(rng, 1, 12);
  c.width = Uniform(rng, 1, 12);
  c.in_channels = Uniform(rng, 1, 24);
  c.out_channels = Uniform(rng, 1, 40);
  c.filter_height = Uniform(rng, 1, 5);
  c.filter_width = Uniform(rng, 1, 5);
  c.stride_height = Uniform(rng, 1, 3);
  c.stride_width = Uniform(rng, 1, 3);
  c.dilation_height = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 3) : 1;
  c.dilation_width = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 3) : 1;
  c.same = Uniform(rng, 0, 1) != 0;
  c.bias = static_cast<BiasKind>(Uniform(rng, 0, 2));
  c.extreme = extreme;
  if (Uniform(rng, 0, 3) == 0) {  // the 1x1 path
    c.filter_height = c.filter_width = 1;
    c.stride_height = c.stride_width = 1;
  }
  if (c.bias != BiasKind::kInt64) {
    while (c.filter_height * c.filter_width * c.in_channels > kInt32PathMaxDepth) --c.in_channels;
  }
  return c;
}

TEST(OptimizedInt16ConvTest, MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(1701);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 300; ++i) {
      TestConv(RandomCase(rng, i % 4 == 0), variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

// Deep filters at full scale: int32 blocks near their bound, int64 sums beyond int32.
TEST(OptimizedInt16ConvTest, MatchesReferenceAtFullScaleWithDeepFilters) {
  std::mt19937 rng(1702);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int in_channels : {64, 129, 300}) {
      for (int filter : {1, 3}) {
        TestConv(
            {1, 5, 6, in_channels, 19, filter, filter, 1, 1, 1, 1, true, BiasKind::kInt64, true},
            variant, rng);
        if (HasFatalFailure()) return;
      }
    }
    TestConv({1, 4, 4, 28, 17, 3, 3, 1, 1, 1, 1, true, BiasKind::kInt32, true}, variant, rng);
  }
}

TEST(OptimizedInt16ConvTest, MatchesReferenceAtModelLayers) {
  std::mt19937 rng(1703);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::ConvLayer& layer : bench::kConvLayers) {
      TestConv({1, layer.input_height, layer.input_width, layer.input_channels,
                layer.output_channels, layer.filter_height, layer.filter_width, layer.stride,
                layer.stride, 1, 1, layer.same_padding, BiasKind::kInt64, false},
               variant, rng);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
