// Optimized int16x8 FULLY_CONNECTED (the int16 GEMM) against the reference bit for bit: per
// tensor (with a filter zero point) and per channel, int64, int32 or no bias, random and
// extreme operands, for every GEMM this CPU runs and through every dispatch variant.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "kernels/bench/layer_shapes.h"
#include "kernels/optimized/fully_connected_int16.h"
#include "kernels/reference/fully_connected_int16.h"
#include "tests/kernels/optimized_int16_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

struct Case {
  int batches;
  int depth;
  int units;
  bool per_channel;
  BiasKind bias;
  bool extreme;
};

// Runs `run(weights, params, batches, input, output)` (one optimized path) against the reference.
template <class Run>
void TestCase(const Case& k, const std::string& label, std::mt19937& rng, Run run) {
  const std::string where = label + " batches " + std::to_string(k.batches) + " depth " +
                            std::to_string(k.depth) + " units " + std::to_string(k.units) +
                            (k.per_channel ? " per channel " : " per tensor ") + BiasLabel(k.bias) +
                            (k.extreme ? " extreme" : "");
  auto input = RandomInt16(rng, static_cast<int64_t>(k.batches) * k.depth, k.extreme);
  auto filter = RandomInt8Weights(rng, static_cast<int64_t>(k.units) * k.depth, k.extreme);
  if (k.extreme && Uniform(rng, 0, 1) != 0) AlignSigns(k.depth, input, filter);
  std::vector<int64_t> bias64(static_cast<size_t>(k.units));
  std::vector<int32_t> bias32(static_cast<size_t>(k.units));
  for (auto& b : bias64) b = static_cast<int64_t>(Uniform(rng, -(1 << 30), 1 << 30)) * 16;
  for (auto& b : bias32) b = Uniform(rng, -(1 << 20), 1 << 20);
  const bool int64_path = k.bias == BiasKind::kInt64;
  const Requantization q =
      RandomInt16Requantization(rng, k.per_channel ? k.units : 1, int64_path ? 2.0 : 0.9);
  reference::FullyConnectedParams params;
  // Per tensor, the weights may carry a zero point (w - zero point up to 255 in magnitude).
  params.filter_offset = k.per_channel ? 0 : -Uniform(rng, -128, 127);
  if (k.extreme && !k.per_channel) params.filter_offset = Uniform(rng, 0, 1) != 0 ? 128 : -127;
  params.output_multiplier = q.multipliers[0];
  params.output_shift = q.shifts[0];
  std::tie(params.quantized_activation_min, params.quantized_activation_max) =
      RandomInt16ActivationRange(rng);
  const Shape input_shape{k.batches, k.depth};
  const Shape filter_shape{k.units, k.depth};
  const Shape output_shape{k.batches, k.units};
  const size_t outputs = static_cast<size_t>(k.batches) * static_cast<size_t>(k.units);
  std::vector<int16_t> expected(outputs);
  const int64_t* b64 = k.bias == BiasKind::kInt64 ? bias64.data() : nullptr;
  const int32_t* b32 = k.bias == BiasKind::kInt32 ? bias32.data() : nullptr;
  auto reference_run = [&](auto* bias) {
    if (k.per_channel) {
      reference::FullyConnectedPerChannel(params, q.multipliers.data(), q.shifts.data(),
                                          input_shape, input.data(), filter_shape, filter.data(),
                                          bias, output_shape, expected.data());
    } else {
      reference::FullyConnected(params, input_shape, input.data(), filter_shape, filter.data(),
                                bias, output_shape, expected.data());
    }
  };
  if (int64_path) {
    reference_run(b64);
  } else {
    reference_run(b32);
  }
  const PackedInt16x8Weights weights = PackInt16x8Weights(
      filter.data(), k.units, k.depth, params.filter_offset, b64, b32, int64_path,
      q.multipliers.data(), q.shifts.data(), static_cast<int>(q.multipliers.size()));
  std::vector<int16_t> actual(outputs, 0x5A5A);
  run(weights, params, k.batches, input.data(), actual.data());
  for (size_t i = 0; i < outputs; ++i) {
    ASSERT_EQ(actual[i], expected[i]) << where << " at " << i;
  }
}

// Int32 path: depths whose worst-case sum (255 * 32768 per tap) plus bias fits the reference's
// int32 accumulator.
constexpr int kInt32PathMaxDepth = 256;

Case RandomCase(std::mt19937& rng, bool extreme) {
  static constexpr int kDepths[] = {1,   2,   3,   7,   16,  31,  64,   127,  128, 129,
                                    130, 255, 256, 257, 300, 640, 1000, 2048, 4099};
  Case k;
  k.batches = Uniform(rng, 1, 11);
  k.units = Uniform(rng, 1, 80);
  k.per_channel = Uniform(rng, 0, 1) != 0;
  k.bias = static_cast<BiasKind>(Uniform(rng, 0, 2));
  k.extreme = extreme;
  k.depth = kDepths[Uniform(rng, 0, static_cast<int>(std::size(kDepths)) - 1)];
  if (k.bias != BiasKind::kInt64) k.depth = std::min(k.depth, kInt32PathMaxDepth);
  return k;
}

// One optimized path: a GEMM called directly.
auto GemmRun(GemmInt16Fn gemm) {
  return [gemm](const PackedInt16x8Weights& w, const reference::FullyConnectedParams& p,
                int batches, const int16_t* in, int16_t* out) {
    const Int16OutputStage stage{p.quantized_activation_min, p.quantized_activation_max};
    gemm(w, in, batches, w.k, stage, out, w.n);
  };
}

// One optimized path: the dispatched FULLY_CONNECTED.
auto VariantRun(KernelVariant variant) {
  return [variant](const PackedInt16x8Weights& w, const reference::FullyConnectedParams& p,
                   int batches, const int16_t* in,
                   int16_t* out) { FullyConnectedInt16x8(variant, p, w, batches, in, out); };
}

TEST(OptimizedInt16FullyConnectedTest, EveryGemmMatchesReferenceOnRandomShapes) {
  std::mt19937 rng(1601);
  for (const NamedGemm& g : SupportedInt16Gemms()) {
    for (int i = 0; i < 400; ++i)
      TestCase(RandomCase(rng, i % 4 == 0), g.name, rng, GemmRun(g.gemm));
  }
}

TEST(OptimizedInt16FullyConnectedTest, EveryVariantMatchesReference) {
  std::mt19937 rng(1602);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int i = 0; i < 100; ++i) {
      TestCase(RandomCase(rng, i % 3 == 0), VariantLabel(variant), rng, VariantRun(variant));
    }
  }
}

// Full-scale operands over long depths: every int32 block sum near its bound (2^30), the int64
// sum far beyond int32, with and without a filter zero point.
TEST(OptimizedInt16FullyConnectedTest, EveryGemmMatchesReferenceAtFullScaleOverLongDepths) {
  std::mt19937 rng(1603);
  for (const NamedGemm& g : SupportedInt16Gemms()) {
    for (int depth : {127, 128, 129, 255, 256, 257, 1024, 4096, 10001}) {
      for (bool per_channel : {false, true}) {
        TestCase(
            {Uniform(rng, 1, 9), depth, Uniform(rng, 1, 40), per_channel, BiasKind::kInt64, true},
            g.name, rng, GemmRun(g.gemm));
      }
      if (depth <= kInt32PathMaxDepth) {
        TestCase({Uniform(rng, 1, 9), depth, Uniform(rng, 1, 40), false, BiasKind::kInt32, true},
                 g.name, rng, GemmRun(g.gemm));
      }
    }
  }
}

TEST(OptimizedInt16FullyConnectedTest, EveryGemmMatchesReferenceAtModelLayers) {
  std::mt19937 rng(1604);
  for (const NamedGemm& g : SupportedInt16Gemms()) {
    for (const bench::FullyConnectedLayer& layer : bench::kFullyConnectedLayers) {
      TestCase({1, layer.input_depth, layer.units, true, BiasKind::kInt64, false}, g.name, rng,
               GemmRun(g.gemm));
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
