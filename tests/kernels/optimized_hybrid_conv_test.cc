// Optimized hybrid CONV_2D against reference::HybridConv, bit for bit, for every variant this
// CPU runs: random shapes, strides, dilations and paddings; both reference paths (per-channel
// scales: asymmetric per-batch input quantization; per-tensor: symmetric), with and without
// bias, fused activation ranges, batches > 1 whose images quantize differently (all zero, all
// positive or all negative, which puts the zero point that padded taps hold at -128 or 127),
// and the MLPerf Tiny conv layers.
#include "kernels/optimized/hybrid_conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/hybrid.h"
#include "tests/kernels/optimized_tester.h"
#include "tests/kernels/random_conv_cases.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

struct HybridConvCase {
  reference::ConvParams params;
  Shape input_shape, filter_shape, output_shape;
  bool per_channel = false;
  bool with_bias = true;
};

std::string Describe(KernelVariant variant, const HybridConvCase& c) {
  const auto dims = [](const Shape& s) {
    return std::to_string(s.dim(0)) + "x" + std::to_string(s.dim(1)) + "x" +
           std::to_string(s.dim(2)) + "x" + std::to_string(s.dim(3));
  };
  const reference::ConvParams& p = c.params;
  return VariantLabel(variant) + " input " + dims(c.input_shape) + " filter " +
         dims(c.filter_shape) + " output " + dims(c.output_shape) + " stride " +
         std::to_string(p.stride_height) + "," + std::to_string(p.stride_width) + " dilation " +
         std::to_string(p.dilation_height) + "," + std::to_string(p.dilation_width) +
         " padding " + std::to_string(p.padding_height) + "," + std::to_string(p.padding_width) +
         (c.per_channel ? " per channel" : " per tensor") + (c.with_bias ? "" : " no bias") +
         " range [" + std::to_string(p.float_activation_min) + ", " +
         std::to_string(p.float_activation_max) + "]";
}

// Each batch image of one kind: plain, a few large outliers, all zero (scale 1, zero point 0),
// all positive (asymmetric zero point -128), all negative (zero point 127), tiny magnitudes.
std::vector<float> RandomHybridInput(std::mt19937& rng, int batches, int64_t size) {
  std::vector<float> input = RandomFloat(rng, batches * size);
  for (int b = 0; b < batches; ++b) {
    float* image = input.data() + b * size;
    const int last = static_cast<int>(size - 1);
    switch (Uniform(rng, 0, 7)) {
      case 0:
        for (int i = 0; i < 3; ++i) image[Uniform(rng, 0, last)] = Uniform(rng, 0, 1) ? 900.0f : -1.5e4f;
        break;
      case 1:
        std::fill(image, image + size, 0.0f);
        break;
      case 2:
        for (int64_t i = 0; i < size; ++i) image[i] = std::abs(image[i]) * 7.0f;
        break;
      case 3:
        for (int64_t i = 0; i < size; ++i) image[i] = -std::abs(image[i]);
        break;
      case 4:
        for (int64_t i = 0; i < size; ++i) image[i] *= 1e-30f;
        break;
      default:
        break;
    }
  }
  return input;
}

void ExpectMatchesReference(KernelVariant variant, const HybridConvCase& c, std::mt19937& rng) {
  const std::string where = Describe(variant, c);
  const int batches = c.input_shape.dim(0);
  const int64_t batch_size = c.input_shape.FlatSizeSkipDim(0);
  const int channels = c.filter_shape.dim(0);
  const auto input = RandomHybridInput(rng, batches, batch_size);
  const auto filter = RandomInt8(rng, c.filter_shape.FlatSize());
  std::vector<float> bias = RandomFloat(rng, channels);
  for (auto& v : bias) v *= 3.0f;
  // Scales log-uniform over the range the dynamic quantizer produces and beyond.
  std::uniform_real_distribution<float> exponent(std::log(1e-6f), std::log(0.5f));
  std::vector<float> filter_scales(static_cast<size_t>(c.per_channel ? channels : 1));
  for (auto& s : filter_scales) s = std::exp(exponent(rng));
  const reference::FilterScales scales{filter_scales.data(), c.per_channel};
  const float* bias_data = c.with_bias ? bias.data() : nullptr;
  const auto count = static_cast<size_t>(c.output_shape.FlatSize());

  std::vector<float> expected(count);
  // Aligned as the runtime's arena (16 bytes).
  std::vector<float> reference_scratch(
      (reference::HybridScratchBytes(batches, static_cast<int>(batch_size)) + 3) / 4);
  reference::HybridConv(
      c.params, scales, c.input_shape, input.data(), c.filter_shape, filter.data(), bias_data,
      c.output_shape, expected.data(),
      reference::HybridScratchAt(reinterpret_cast<std::byte*>(reference_scratch.data()), batches,
                                 static_cast<int>(batch_size)));

  const PackedHybridConv packed = PackHybridConv(filter.data(), c.filter_shape, bias_data, scales);
  std::vector<float> scratch((HybridConvScratchBytes(packed, c.input_shape) + 3) / 4);
  // A sentinel one past the end: the kernels must store only the output.
  std::vector<float> actual(count + 1, 12345.0f);
  HybridConv(variant, c.params, packed, c.input_shape, input.data(), c.filter_shape,
             c.output_shape, actual.data(), reinterpret_cast<std::byte*>(scratch.data()));
  ASSERT_EQ(actual[count], 12345.0f) << where << ": stored past the output";
  actual.pop_back();
  // Bits, not values: a tolerance would hide an FMA or a reordered product, and operator==
  // would let -0 pass for +0.
  ASSERT_EQ(std::memcmp(actual.data(), expected.data(), count * sizeof(float)), 0) << where;
}

void RandomizeActivation(std::mt19937& rng, reference::ConvParams& p) {
  switch (Uniform(rng, 0, 3)) {
    case 0:  // RELU
      p.float_activation_min = 0.0f;
      break;
    case 1:  // RELU6
      p.float_activation_min = 0.0f;
      p.float_activation_max = 6.0f;
      break;
    case 2:  // RELU_N1_TO_1
      p.float_activation_min = -1.0f;
      p.float_activation_max = 1.0f;
      break;
    default:
      break;
  }
}

// A random case, or false when its window leaves no output.
bool RandomCase(std::mt19937& rng, HybridConvCase& c) {
  const auto uniform = [&rng](int low, int high) { return Uniform(rng, low, high); };
  c = HybridConvCase{};
  kernels::testing::RandomizeWindow(c.params, uniform);
  const int batches = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 5) : 1;
  const int height = Uniform(rng, 1, 12);
  const int width = Uniform(rng, 1, 12);
  const int in_channels = Uniform(rng, 0, 2) == 0 ? Uniform(rng, 1, 4) : Uniform(rng, 1, 40);
  const int out_channels = Uniform(rng, 1, 70);
  const int filter_height = Uniform(rng, 1, 5);
  const int filter_width = Uniform(rng, 1, 5);
  const reference::ConvParams& p = c.params;
  const int out_height = kernels::testing::ConvOutputExtent(
      height, filter_height, p.dilation_height, p.stride_height, p.padding_height);
  const int out_width = kernels::testing::ConvOutputExtent(
      width, filter_width, p.dilation_width, p.stride_width, p.padding_width);
  c.per_channel = Uniform(rng, 0, 1) == 1;
  c.with_bias = Uniform(rng, 0, 3) != 0;
  RandomizeActivation(rng, c.params);
  if (out_height < 1 || out_width < 1) return false;
  c.input_shape = Shape{batches, height, width, in_channels};
  c.filter_shape = Shape{out_channels, filter_height, filter_width, in_channels};
  c.output_shape = Shape{batches, out_height, out_width, out_channels};
  return true;
}

TEST(OptimizedHybridConvTest, MatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(71);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    int tested = 0;
    while (tested < 500) {
      HybridConvCase c;
      if (!RandomCase(rng, c)) continue;
      ExpectMatchesReference(variant, c, rng);
      if (::testing::Test::HasFatalFailure()) return;
      ++tested;
    }
  }
}

// Unit-stride 1x1 convolutions without padding (the rows are the quantized input itself when
// the depth is a multiple of 4).
TEST(OptimizedHybridConvTest, MatchesReferenceOnPointwise) {
  std::mt19937 rng(72);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int in_channels : {4, 7, 16, 64}) {
      for (int mode = 0; mode < 4; ++mode) {
        HybridConvCase c;
        c.per_channel = (mode & 1) != 0;
        c.with_bias = (mode & 2) != 0;
        c.input_shape = Shape{3, 9, 5, in_channels};
        c.filter_shape = Shape{37, 1, 1, in_channels};
        c.output_shape = Shape{3, 9, 5, 37};
        ExpectMatchesReference(variant, c, rng);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

// The conv layers of the MLPerf Tiny models, on both reference paths, one and two batches.
TEST(OptimizedHybridConvTest, MatchesReferenceOnModelLayers) {
  std::mt19937 rng(73);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const auto& layer : bench::kConvLayers) {
      for (int mode = 0; mode < 2; ++mode) {
        for (int batches : {1, 2}) {
          const PaddedSize h = Pad(layer.same_padding, layer.input_height, layer.filter_height,
                                   layer.stride, 1);
          const PaddedSize w = Pad(layer.same_padding, layer.input_width, layer.filter_width,
                                   layer.stride, 1);
          HybridConvCase c;
          c.params.stride_height = c.params.stride_width = layer.stride;
          c.params.padding_height = h.padding;
          c.params.padding_width = w.padding;
          c.per_channel = mode == 1;
          c.input_shape =
              Shape{batches, layer.input_height, layer.input_width, layer.input_channels};
          c.filter_shape = Shape{layer.output_channels, layer.filter_height, layer.filter_width,
                                 layer.input_channels};
          c.output_shape = Shape{batches, h.output, w.output, layer.output_channels};
          ExpectMatchesReference(variant, c, rng);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
