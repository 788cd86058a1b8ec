// Optimized hybrid DEPTHWISE_CONV_2D against reference::HybridDepthwiseConv, bit for bit (the
// float outputs compared as bits), for every variant this CPU runs: random shapes, strides,
// dilations and paddings, depth multipliers 1-3, channel counts around the vector widths (8, 16,
// 17, 64 ...), batches > 1 whose images quantize differently (all zero, all positive or all
// negative: zero points 0, -128 and 127), per-channel and per-tensor scales, with and without
// bias, every fused activation, and the MLPerf Tiny depthwise layers.
#include "kernels/optimized/hybrid_depthwise.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/reference/hybrid.h"
#include "tests/kernels/optimized_tester.h"
#include "tests/kernels/random_conv_cases.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

struct HybridDepthwiseCase {
  reference::DepthwiseParams params;
  Shape input_shape, filter_shape, output_shape;
  bool per_channel = true;
  bool with_bias = true;
};

std::string Dims(const Shape& s) {
  return std::to_string(s.dim(0)) + "x" + std::to_string(s.dim(1)) + "x" +
         std::to_string(s.dim(2)) + "x" + std::to_string(s.dim(3));
}

std::string Describe(KernelVariant variant, const HybridDepthwiseCase& c) {
  const reference::DepthwiseParams& p = c.params;
  return VariantLabel(variant) + " input " + Dims(c.input_shape) + " filter " +
         Dims(c.filter_shape) + " output " + Dims(c.output_shape) + " multiplier " +
         std::to_string(p.depth_multiplier) + " stride " + std::to_string(p.stride_height) + "," +
         std::to_string(p.stride_width) + " dilation " + std::to_string(p.dilation_height) + "," +
         std::to_string(p.dilation_width) + " padding " + std::to_string(p.padding_height) + "," +
         std::to_string(p.padding_width) + (c.per_channel ? " per channel" : " per tensor") +
         (c.with_bias ? "" : " no bias") + " range [" + std::to_string(p.float_activation_min) +
         ", " + std::to_string(p.float_activation_max) + "]";
}

// Each batch image of one kind: plain, a few large outliers, all zero (scale 1, zero point 0),
// all positive (zero point -128), all negative (zero point 127), tiny magnitudes.
std::vector<float> RandomHybridInput(std::mt19937& rng, int batches, int64_t size) {
  std::vector<float> input = RandomFloat(rng, batches * size);
  for (int b = 0; b < batches; ++b) {
    float* image = input.data() + b * size;
    float* end = image + size;
    const int last = static_cast<int>(size - 1);
    switch (Uniform(rng, 0, 7)) {
      case 0:
        for (int i = 0; i < 3; ++i) {
          image[Uniform(rng, 0, last)] = Uniform(rng, 0, 1) ? 900.0f : -1.5e4f;
        }
        break;
      case 1:
        std::fill(image, end, 0.0f);
        break;
      case 2:
        std::for_each(image, end, [](float& v) { v = std::abs(v) * 7.0f; });
        break;
      case 3:
        std::for_each(image, end, [](float& v) { v = -std::abs(v); });
        break;
      case 4:
        std::for_each(image, end, [](float& v) { v *= 1e-30f; });
        break;
      default:
        break;
    }
  }
  return input;
}

// Scratch as the runtime's arena provides it: 16-byte aligned.
struct AlignedScratch {
  explicit AlignedScratch(size_t bytes) : words((bytes + 15) / 16) {}
  std::byte* data() { return reinterpret_cast<std::byte*>(words.data()); }
  struct alignas(16) Word {
    std::byte bytes[16];
  };
  std::vector<Word> words;
};

void ExpectMatchesReference(KernelVariant variant, const HybridDepthwiseCase& c,
                            std::mt19937& rng) {
  const std::string where = Describe(variant, c);
  const int batches = c.input_shape.dim(0);
  const auto batch_size = static_cast<int>(c.input_shape.FlatSizeSkipDim(0));
  const int channels = c.filter_shape.dim(3);
  const int taps = c.filter_shape.dim(1) * c.filter_shape.dim(2);
  const auto input = RandomHybridInput(rng, batches, batch_size);
  std::vector<int8_t> filter = RandomInt8(rng, c.filter_shape.FlatSize());
  // Symmetric weights, as the dynamic quantizer writes them.
  for (auto& w : filter) w = std::max<int8_t>(w, -127);
  std::vector<float> bias = RandomFloat(rng, channels);
  for (auto& v : bias) v *= 3.0f;
  // Scales log-uniform over the range the dynamic quantizer produces and beyond.
  std::uniform_real_distribution<float> exponent(std::log(1e-6f), std::log(0.5f));
  std::vector<float> filter_scales(static_cast<size_t>(c.per_channel ? channels : 1));
  for (auto& s : filter_scales) s = std::exp(exponent(rng));
  const reference::FilterScales scales{filter_scales.data(), c.per_channel};
  const float* bias_data = c.with_bias ? bias.data() : nullptr;
  const auto count = static_cast<size_t>(c.output_shape.FlatSize());
  const size_t scratch_bytes = reference::HybridScratchBytes(batches, batch_size);

  std::vector<float> expected(count);
  AlignedScratch reference_scratch(scratch_bytes);
  reference::HybridDepthwiseConv(
      c.params, scales, c.input_shape, input.data(), c.filter_shape, filter.data(), bias_data,
      c.output_shape, expected.data(),
      reference::HybridScratchAt(reference_scratch.data(), batches, batch_size));

  const PackedHybridDepthwise packed =
      PackHybridDepthwise(filter.data(), taps, channels, bias_data, scales);
  AlignedScratch scratch(scratch_bytes);
  // A sentinel one past the end: the kernels must store only the output.
  std::vector<float> actual(count + 1, 12345.0f);
  HybridDepthwiseConv(variant, c.params, packed, c.input_shape, input.data(), c.filter_shape,
                      c.output_shape, actual.data(),
                      reference::HybridScratchAt(scratch.data(), batches, batch_size));
  ASSERT_EQ(actual[count], 12345.0f) << where << ": stored past the output";
  actual.pop_back();
  // Bits, not values: a tolerance would hide an FMA or a reordered product, and operator==
  // would let -0 pass for +0.
  for (size_t i = 0; i < count; ++i) {
    uint32_t actual_bits = 0;
    uint32_t expected_bits = 0;
    std::memcpy(&actual_bits, &actual[i], sizeof(float));
    std::memcpy(&expected_bits, &expected[i], sizeof(float));
    ASSERT_EQ(actual_bits, expected_bits)
        << where << " at " << i << ": " << actual[i] << " vs " << expected[i];
  }
}

// NONE, RELU, RELU6, RELU_N1_TO_1.
void SetActivation(int activation, reference::DepthwiseParams& p) {
  constexpr float kInfinity = std::numeric_limits<float>::infinity();
  constexpr float kMin[] = {-kInfinity, 0.0f, 0.0f, -1.0f};
  constexpr float kMax[] = {kInfinity, kInfinity, 6.0f, 1.0f};
  p.float_activation_min = kMin[activation];
  p.float_activation_max = kMax[activation];
}

// A case with explicit padding (or false when the window leaves no output).
bool MakeCase(int batches, int height, int width, int in_channels, int multiplier,
              int filter_height, int filter_width, const reference::DepthwiseParams& window,
              HybridDepthwiseCase& c) {
  c.params = window;
  c.params.depth_multiplier = multiplier;
  const reference::DepthwiseParams& p = c.params;
  const int out_height = kernels::testing::ConvOutputExtent(
      height, filter_height, p.dilation_height, p.stride_height, p.padding_height);
  const int out_width = kernels::testing::ConvOutputExtent(
      width, filter_width, p.dilation_width, p.stride_width, p.padding_width);
  if (out_height < 1 || out_width < 1) return false;
  const int channels = in_channels * multiplier;
  c.input_shape = Shape{batches, height, width, in_channels};
  c.filter_shape = Shape{1, filter_height, filter_width, channels};
  c.output_shape = Shape{batches, out_height, out_width, channels};
  return true;
}

bool RandomCase(std::mt19937& rng, HybridDepthwiseCase& c) {
  const auto uniform = [&rng](int low, int high) { return Uniform(rng, low, high); };
  reference::DepthwiseParams window;
  kernels::testing::RandomizeWindow(window, uniform);
  // Mostly multiplier 1 (the vector code), sometimes 2 or 3 (the portable code).
  const int multiplier = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 3) : 1;
  const int batches = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 4) : 1;
  constexpr int kChannelChoices[] = {1, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 64, 70};
  const int in_channels =
      Uniform(rng, 0, 3) == 0 ? Uniform(rng, 1, 70) : kChannelChoices[Uniform(rng, 0, 14)];
  const int height = Uniform(rng, 1, 14);
  const int width = Uniform(rng, 1, 14);
  const int filter_height = Uniform(rng, 1, 5);
  const int filter_width = Uniform(rng, 1, 5);
  c.per_channel = Uniform(rng, 0, 3) != 0;
  c.with_bias = Uniform(rng, 0, 2) != 0;
  const int activation = Uniform(rng, 0, 3);
  if (!MakeCase(batches, height, width, in_channels, multiplier, filter_height, filter_width,
                window, c)) {
    return false;
  }
  SetActivation(activation, c.params);
  return true;
}

TEST(OptimizedHybridDepthwiseConvTest, MatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(91);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    int tested = 0;
    while (tested < 400) {
      HybridDepthwiseCase c;
      if (!RandomCase(rng, c)) continue;
      ExpectMatchesReference(variant, c, rng);
      if (::testing::Test::HasFatalFailure()) return;
      ++tested;
    }
  }
}

// The vector code's special paths on purpose: 3x3 undilated windows inside the image (offset
// folded into the bias, two pixels per step, odd runs), the border pixels around them, 8-channel
// tensors (two pixels per vector), partial blocks; every activation, with and without bias,
// two batches.
TEST(OptimizedHybridDepthwiseConvTest, MatchesReferenceOn3x3InteriorAndBorderPaths) {
  std::mt19937 rng(92);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int channels : {8, 16, 17, 24, 64}) {
      for (int stride : {1, 2}) {
        for (int padding : {0, 1}) {
          for (int activation = 0; activation < 4; ++activation) {
            reference::DepthwiseParams window;
            window.stride_height = window.stride_width = stride;
            window.padding_height = window.padding_width = padding;
            HybridDepthwiseCase c;
            ASSERT_TRUE(MakeCase(2, 7, 9, channels, 1, 3, 3, window, c));
            SetActivation(activation, c.params);
            c.with_bias = activation % 2 == 0;
            ExpectMatchesReference(variant, c, rng);
            if (::testing::Test::HasFatalFailure()) return;
          }
        }
      }
    }
  }
}

// The MLPerf Tiny depthwise layers (SAME padding), one and two batches.
TEST(OptimizedHybridDepthwiseConvTest, MatchesReferenceOnModelLayers) {
  std::mt19937 rng(93);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::DepthwiseLayer& layer : bench::kDepthwiseLayers) {
      for (int batches : {1, 2}) {
        const PaddedSize h = Pad(layer.same_padding, layer.input_height, layer.filter_height,
                                 layer.stride, 1);
        const PaddedSize w =
            Pad(layer.same_padding, layer.input_width, layer.filter_width, layer.stride, 1);
        // SAME may pad one more at the end than at the start: the output extent is TFLite's.
        HybridDepthwiseCase c;
        c.params.stride_height = c.params.stride_width = layer.stride;
        c.params.padding_height = h.padding;
        c.params.padding_width = w.padding;
        c.input_shape = Shape{batches, layer.input_height, layer.input_width, layer.channels};
        c.filter_shape = Shape{1, layer.filter_height, layer.filter_width, layer.channels};
        c.output_shape = Shape{batches, h.output, w.output, layer.channels};
        SetActivation(2, c.params);  // RELU6, as the models
        ExpectMatchesReference(variant, c, rng);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
