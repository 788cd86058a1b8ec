// Optimized hybrid FULLY_CONNECTED against reference::HybridFullyConnected, bit for bit, for
// every variant this CPU runs: symmetric and asymmetric input quantization, per-tensor and
// per-channel filter scales, with and without bias, fused activation ranges, batches > 1, rows
// with outliers, all-zero and all-positive rows, and the ends of int8.
#include "kernels/optimized/hybrid_fully_connected.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/fully_connected.h"
#include "kernels/reference/hybrid.h"
#include "tests/kernels/optimized_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

struct HybridCase {
  int batches = 1;
  int depth = 1;
  int units = 1;
  bool per_channel = false;
  bool asymmetric = false;
  bool with_bias = true;
  float activation_min = -std::numeric_limits<float>::infinity();
  float activation_max = std::numeric_limits<float>::infinity();
};

std::string Describe(KernelVariant variant, const HybridCase& c) {
  return VariantLabel(variant) + " batches " + std::to_string(c.batches) + " depth " +
         std::to_string(c.depth) + " units " + std::to_string(c.units) +
         (c.per_channel ? " per channel" : " per tensor") +
         (c.asymmetric ? " asymmetric" : " symmetric") + (c.with_bias ? "" : " no bias") +
         " range [" + std::to_string(c.activation_min) + ", " +
         std::to_string(c.activation_max) + "]";
}

// Input rows of several kinds: plain, with a few large outliers (most values then quantize to
// 0 or +-1), all zero (scale 1, zero point 0), all positive (asymmetric zero point -128), all
// negative (zero point 127), tiny magnitudes.
std::vector<float> RandomHybridInput(std::mt19937& rng, int batches, int depth) {
  std::vector<float> input = RandomFloat(rng, static_cast<int64_t>(batches) * depth);
  for (int b = 0; b < batches; ++b) {
    float* row = input.data() + static_cast<int64_t>(b) * depth;
    switch (Uniform(rng, 0, 7)) {
      case 0:
        for (int i = 0; i < 3; ++i) row[Uniform(rng, 0, depth - 1)] = Uniform(rng, 0, 1) ? 900.0f : -1.5e4f;
        break;
      case 1:
        std::fill(row, row + depth, 0.0f);
        break;
      case 2:
        for (int d = 0; d < depth; ++d) row[d] = std::abs(row[d]) * 7.0f;
        break;
      case 3:
        for (int d = 0; d < depth; ++d) row[d] = -std::abs(row[d]);
        break;
      case 4:
        for (int d = 0; d < depth; ++d) row[d] *= 1e-30f;
        break;
      default:
        break;
    }
  }
  return input;
}

void ExpectHybridMatchesReference(KernelVariant variant, const HybridCase& c,
                                  const std::vector<float>& input,
                                  const std::vector<int8_t>& filter,
                                  const std::vector<float>& bias,
                                  const std::vector<float>& filter_scales) {
  const std::string where = Describe(variant, c);
  reference::FullyConnectedParams params;
  params.asymmetric_quantize_inputs = c.asymmetric;
  params.float_activation_min = c.activation_min;
  params.float_activation_max = c.activation_max;
  const reference::FilterScales scales{filter_scales.data(), c.per_channel};
  const float* bias_data = c.with_bias ? bias.data() : nullptr;
  const Shape input_shape{c.batches, c.depth};
  const Shape filter_shape{c.units, c.depth};
  const Shape output_shape{c.batches, c.units};
  const size_t count = static_cast<size_t>(c.batches) * static_cast<size_t>(c.units);

  std::vector<float> expected(count);
  // Aligned as the runtime's arena (16 bytes).
  std::vector<float> reference_scratch(
      (reference::HybridScratchBytes(c.batches, c.depth) + sizeof(float) - 1) / sizeof(float));
  reference::HybridFullyConnected(
      params, scales, input_shape, input.data(), filter_shape, filter.data(), bias_data,
      output_shape, expected.data(),
      reference::HybridScratchAt(reinterpret_cast<std::byte*>(reference_scratch.data()),
                                 c.batches, c.depth));

  const PackedHybridWeights packed =
      PackHybridFullyConnected(filter.data(), c.units, c.depth, bias_data, scales);
  std::vector<float> scratch((HybridFullyConnectedScratchBytes(packed, c.batches) + 3) / 4);
  // A sentinel one past the end: the kernels must store only the n channels of each row.
  std::vector<float> actual(count + 1, 12345.0f);
  HybridFullyConnected(variant, params, packed, c.batches, input.data(), actual.data(),
                       reinterpret_cast<std::byte*>(scratch.data()));
  ASSERT_EQ(actual[count], 12345.0f) << where << ": stored past the output";
  actual.pop_back();
  // Bits, not values: a tolerance would hide an FMA or a reordered sum, and operator== would let
  // -0 pass for +0.
  ASSERT_EQ(std::memcmp(actual.data(), expected.data(), count * sizeof(float)), 0) << where;
}

void TestRandomCase(KernelVariant variant, const HybridCase& c, std::mt19937& rng) {
  const auto input = RandomHybridInput(rng, c.batches, c.depth);
  const auto filter = RandomInt8(rng, static_cast<int64_t>(c.units) * c.depth);
  std::vector<float> bias = RandomFloat(rng, c.units);
  for (auto& b : bias) b *= 3.0f;
  // Scales log-uniform over the range the dynamic quantizer produces and beyond.
  std::uniform_real_distribution<float> exponent(std::log(1e-6f), std::log(0.5f));
  std::vector<float> filter_scales(static_cast<size_t>(c.per_channel ? c.units : 1));
  for (auto& s : filter_scales) s = std::exp(exponent(rng));
  ExpectHybridMatchesReference(variant, c, input, filter, bias, filter_scales);
}

HybridCase RandomShape(std::mt19937& rng) {
  HybridCase c;
  c.batches = Uniform(rng, 0, 3) == 0 ? Uniform(rng, 2, 40) : Uniform(rng, 1, 3);
  c.depth = Uniform(rng, 1, 300);
  c.units = Uniform(rng, 1, 150);
  c.per_channel = Uniform(rng, 0, 1) == 1;
  c.asymmetric = Uniform(rng, 0, 1) == 1;
  c.with_bias = Uniform(rng, 0, 3) != 0;
  switch (Uniform(rng, 0, 3)) {
    case 0:  // RELU
      c.activation_min = 0.0f;
      break;
    case 1:  // RELU6
      c.activation_min = 0.0f;
      c.activation_max = 6.0f;
      break;
    case 2:  // RELU_N1_TO_1
      c.activation_min = -1.0f;
      c.activation_max = 1.0f;
      break;
    default:
      break;
  }
  return c;
}

TEST(OptimizedHybridFullyConnectedTest, MatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(61);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 400; ++i) {
      TestRandomCase(variant, RandomShape(rng), rng);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// The layers of the MLPerf Tiny models, in every quantization mode, one and several batches.
TEST(OptimizedHybridFullyConnectedTest, MatchesReferenceOnModelLayers) {
  std::mt19937 rng(62);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const auto& layer : bench::kFullyConnectedLayers) {
      for (int mode = 0; mode < 4; ++mode) {
        for (int batches : {1, 7}) {
          HybridCase c;
          c.batches = batches;
          c.depth = layer.input_depth;
          c.units = layer.units;
          c.per_channel = (mode & 1) != 0;
          c.asymmetric = (mode & 2) != 0;
          TestRandomCase(variant, c, rng);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

// Inputs and weights at the ends of int8 (every input quantizes to +-127, or -128 and 127 in the
// asymmetric mode), over deep rows: int32 sums near their largest and the row-sum correction
// at its largest must still equal the reference's.
TEST(OptimizedHybridFullyConnectedTest, MatchesReferenceWithExtremeOperands) {
  std::mt19937 rng(63);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int depth : {4, 64, 301, 4096}) {
      for (int mode = 0; mode < 4; ++mode) {
        HybridCase c;
        c.batches = 5;
        c.depth = depth;
        c.units = 24;
        c.per_channel = (mode & 1) != 0;
        c.asymmetric = (mode & 2) != 0;
        std::vector<float> input(static_cast<size_t>(c.batches * depth));
        for (auto& v : input) v = Uniform(rng, 0, 1) ? 2.5f : -2.5f;
        // Constant rows: all positive, all negative.
        std::fill(input.begin(), input.begin() + depth, 2.5f);
        std::fill(input.begin() + depth, input.begin() + 2 * depth, -2.5f);
        std::vector<int8_t> filter(static_cast<size_t>(c.units * depth));
        for (auto& v : filter) v = static_cast<int8_t>(Uniform(rng, 0, 1) ? 127 : -128);
        std::fill(filter.begin(), filter.begin() + 3 * depth, int8_t{-128});
        std::fill(filter.begin() + 3 * depth, filter.begin() + 5 * depth, int8_t{127});
        const std::vector<float> bias = RandomFloat(rng, c.units);
        const std::vector<float> filter_scales(static_cast<size_t>(c.per_channel ? c.units : 1),
                                               0.0123f);
        ExpectHybridMatchesReference(variant, c, input, filter, bias, filter_scales);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
