// Optimized FULLY_CONNECTED against the reference, int8 (per tensor and per channel) and float
// bit for bit, for every variant this CPU runs.
#include "kernels/optimized/fully_connected.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/fully_connected.h"
#include "tests/kernels/optimized_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

// The optimized float kernels sum in the reference's order with every multiply and add rounded
// separately, so their outputs must equal the reference's bit for bit (compared as bits: a
// tolerance would hide an FMA or a reordered sum, and operator== would let -0 pass for +0).
void ExpectSameFloatBits(const std::vector<float>& actual, const std::vector<float>& expected,
                         const std::string& where) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(std::bit_cast<uint32_t>(actual[i]), std::bit_cast<uint32_t>(expected[i]))
        << where << " at " << i << ": " << actual[i] << " vs " << expected[i];
  }
}

void TestInt8(KernelVariant variant, int batches, int depth, int units, bool per_channel,
              std::mt19937& rng) {
  const std::string where = VariantLabel(variant) + " batches " + std::to_string(batches) +
                            " depth " + std::to_string(depth) + " units " +
                            std::to_string(units) + (per_channel ? " per channel" : " per tensor");
  const auto input = RandomInt8(rng, static_cast<int64_t>(batches) * depth);
  const auto filter = RandomInt8(rng, static_cast<int64_t>(units) * depth);
  std::vector<int32_t> bias(static_cast<size_t>(units));
  for (auto& b : bias) b = Uniform(rng, -30000, 30000);
  const int32_t* bias_data = Uniform(rng, 0, 3) != 0 ? bias.data() : nullptr;
  const Requantization q = RandomRequantization(rng, per_channel ? units : 1);
  reference::FullyConnectedParams params;
  params.input_offset = -Uniform(rng, -128, 127);
  params.output_offset = Uniform(rng, -128, 127);
  params.output_multiplier = q.multipliers[0];
  params.output_shift = q.shifts[0];
  std::tie(params.quantized_activation_min, params.quantized_activation_max) =
      RandomActivationRange(rng);
  const Shape input_shape{batches, depth};
  const Shape filter_shape{units, depth};
  const Shape output_shape{batches, units};
  std::vector<int8_t> expected(static_cast<size_t>(batches) * static_cast<size_t>(units));
  if (per_channel) {
    reference::FullyConnectedPerChannel(params, q.multipliers.data(), q.shifts.data(), input_shape,
                                        input.data(), filter_shape, filter.data(), bias_data,
                                        output_shape, expected.data());
  } else {
    reference::FullyConnected(params, input_shape, input.data(), filter_shape, filter.data(),
                              bias_data, output_shape, expected.data());
  }
  const PackedInt8Weights packed =
      PackInt8Weights(filter.data(), units, depth, bias_data, params.input_offset,
                      q.multipliers.data(), q.shifts.data(), per_channel ? units : 1);
  std::vector<std::byte> scratch(FullyConnectedInt8ScratchBytes(depth), std::byte{0xAB});
  std::vector<int8_t> actual(expected.size(), static_cast<int8_t>(0xAB));
  FullyConnectedInt8(variant, params, packed, batches, input.data(), actual.data(),
                     scratch.data());
  ASSERT_EQ(actual, expected) << where;
}

void TestFloat(KernelVariant variant, int batches, int depth, int units, std::mt19937& rng) {
  const auto input = RandomFloat(rng, static_cast<int64_t>(batches) * depth);
  const auto filter = RandomFloat(rng, static_cast<int64_t>(units) * depth);
  const auto bias = RandomFloat(rng, units);
  reference::FullyConnectedParams params;
  params.float_activation_min = Uniform(rng, 0, 1) ? 0.0f : -std::numeric_limits<float>::infinity();
  const Shape input_shape{batches, depth};
  const Shape filter_shape{units, depth};
  const Shape output_shape{batches, units};
  const size_t count = static_cast<size_t>(batches) * static_cast<size_t>(units);
  std::vector<float> expected(count), actual(count);
  const float* bias_data = Uniform(rng, 0, 3) != 0 ? bias.data() : nullptr;
  reference::FullyConnected(params, input_shape, input.data(), filter_shape, filter.data(),
                            bias_data, output_shape, expected.data());
  const PackedFloatWeights packed = PackFloatWeights(filter.data(), units, depth, bias_data);
  FullyConnectedFloat(variant, params, packed, batches, input.data(), actual.data());
  ExpectSameFloatBits(actual, expected,
                      VariantLabel(variant) + " batches " + std::to_string(batches) + " depth " +
                          std::to_string(depth) + " units " + std::to_string(units));
}

TEST(OptimizedFullyConnectedTest, Int8MatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(42);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 200; ++i) {
      // Up to 130 batches: more than one 96-row chunk.
      const int batches = Uniform(rng, 0, 4) == 0 ? Uniform(rng, 1, 130) : Uniform(rng, 1, 3);
      TestInt8(variant, batches, Uniform(rng, 1, 300), Uniform(rng, 1, 150), Uniform(rng, 0, 1) == 1,
               rng);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedFullyConnectedTest, FloatMatchesReferenceBitForBitOnRandomShapes) {
  std::mt19937 rng(43);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 100; ++i) {
      // Up to 130 batches: several row tiles and a partial one.
      const int batches = Uniform(rng, 0, 4) == 0 ? Uniform(rng, 1, 130) : Uniform(rng, 1, 20);
      TestFloat(variant, batches, Uniform(rng, 1, 300), Uniform(rng, 1, 150), rng);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// Operands at the ends of int8: pairs of products such as 255 * -128 + 255 * -128 that an int16
// (vpmaddubsw's saturating sum) cannot hold, and int32 sums near their largest, must still
// match the reference's exact int32 arithmetic.
TEST(OptimizedFullyConnectedTest, Int8MatchesReferenceWithExtremeOperands) {
  std::mt19937 rng(46);
  const auto extreme = [&rng] { return static_cast<int8_t>(Uniform(rng, 0, 1) ? 127 : -128); };
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int depth : {4, 64, 301, 2048}) {
      const int batches = 5;
      const int units = 24;
      std::vector<int8_t> input(static_cast<size_t>(batches * depth));
      std::vector<int8_t> filter(static_cast<size_t>(units * depth));
      for (auto& v : input) v = extreme();
      for (auto& v : filter) v = extreme();
      // Half the rows constant, so that whole sums reach +-255 * 128 * depth.
      std::fill(input.begin(), input.begin() + 2 * depth, int8_t{127});
      std::fill(filter.begin(), filter.begin() + 3 * depth, int8_t{-128});
      reference::FullyConnectedParams params;
      params.input_offset = 128;
      params.output_offset = 3;
      const QuantizedMultiplier m = QuantizeMultiplier(1.0 / (255.0 * 128.0 * depth));
      params.output_multiplier = m.multiplier;
      params.output_shift = m.shift;
      const Shape input_shape{batches, depth};
      const Shape filter_shape{units, depth};
      const Shape output_shape{batches, units};
      std::vector<int8_t> expected(static_cast<size_t>(batches * units));
      reference::FullyConnected(params, input_shape, input.data(), filter_shape, filter.data(),
                                nullptr, output_shape, expected.data());
      const PackedInt8Weights packed = PackInt8Weights(
          filter.data(), units, depth, nullptr, params.input_offset, &params.output_multiplier,
          &params.output_shift, 1);
      std::vector<std::byte> scratch(FullyConnectedInt8ScratchBytes(depth), std::byte{0xAB});
      std::vector<int8_t> actual(expected.size(), static_cast<int8_t>(0xAB));
      FullyConnectedInt8(variant, params, packed, batches, input.data(), actual.data(),
                         scratch.data());
      ASSERT_EQ(actual, expected) << VariantLabel(variant) << " depth " << depth;
      // The all-255 row against the all -128 filter: -255 * 128 * depth, scaled to -1, plus 3.
      EXPECT_EQ(actual[0], 2) << VariantLabel(variant) << " depth " << depth;
    }
  }
}

TEST(OptimizedFullyConnectedTest, Int8MatchesReferenceAtModelLayers) {
  std::mt19937 rng(44);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::FullyConnectedLayer& layer : bench::kFullyConnectedLayers) {
      TestInt8(variant, 1, layer.input_depth, layer.units, false, rng);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(OptimizedFullyConnectedTest, FloatMatchesReferenceBitForBitAtModelLayers) {
  std::mt19937 rng(45);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (const bench::FullyConnectedLayer& layer : bench::kFullyConnectedLayers) {
      TestFloat(variant, 1, layer.input_depth, layer.units, rng);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
