// The int8 GEMMs' output stage at the edges of TFLite's requantization, against the scalar
// kernels::MultiplyByQuantizedMultiplier: accumulators anywhere in int32 (through the bias),
// right shifts up to 31, left shifts that wrap, and exact ties at both of its roundings. The
// random-layer tests (optimized_conv_test.cc ...) only reach the modest accumulators and shifts
// of realistic layers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/fixed_point.h"
#include "kernels/optimized/micro_kernels.h"
#include "tests/kernels/optimized_tester.h"

namespace kernels::optimized {
namespace {

using namespace tester;  // NOLINT(google-build-using-namespace): the tester helpers

// One output channel's case: the accumulator the GEMM must form, and its requantization.
struct Case {
  int32_t accumulator;
  int32_t multiplier;
  int32_t shift;
};

// An accumulator whose requantized value lands near `target` (so that the clamp to int8 does
// not hide it), jittered by a few units.
int32_t AccumulatorNear(std::mt19937& rng, double target, int32_t multiplier, int32_t shift) {
  const double scale = static_cast<double>(multiplier) / 2147483648.0 * std::ldexp(1.0, shift);
  const double exact = target / scale + Uniform(rng, -3, 3);
  return static_cast<int32_t>(std::clamp(exact, -2147483648.0, 2147483647.0));
}

std::vector<Case> EdgeCases(std::mt19937& rng, int count) {
  std::vector<Case> cases;
  const int32_t kHalf = int32_t{1} << 30;  // multiplier 0.5: the first rounding sees ties
  for (int i = 0; static_cast<int>(cases.size()) < count; ++i) {
    const int32_t multiplier = Uniform(rng, kHalf, std::numeric_limits<int32_t>::max());
    switch (i % 6) {
      case 0: {  // right shifts over the whole range, values near the int8 window
        const int32_t shift = -Uniform(rng, 0, 31);
        cases.push_back(
            {AccumulatorNear(rng, Uniform(rng, -150, 150), multiplier, shift), multiplier, shift});
        break;
      }
      case 1: {  // ties at the second rounding: s = (2t + 1) 2^(e-1), so s / 2^e = t + 1/2
        const int e = Uniform(rng, 1, 20);
        const int64_t s = (2 * int64_t{Uniform(rng, -140, 140)} + 1) << (e - 1);
        if (s * 2 > std::numeric_limits<int32_t>::max() ||
            s * 2 < std::numeric_limits<int32_t>::min()) {
          break;
        }
        // With multiplier 2^30 the first step is exactly (2s + 1) / 2 -> s (floor((x + 1) / 2)).
        cases.push_back({static_cast<int32_t>(2 * s), kHalf, -e});
        break;
      }
      case 2: {  // ties at the first rounding: odd accumulators times one half
        const int32_t x = 2 * Uniform(rng, -1000, 1000) + 1;
        cases.push_back({x, kHalf, -Uniform(rng, 0, 4)});
        break;
      }
      case 3: {  // left shifts, values near the window
        const int32_t shift = Uniform(rng, 1, 8);
        cases.push_back(
            {AccumulatorNear(rng, Uniform(rng, -150, 150), multiplier, shift), multiplier, shift});
        break;
      }
      case 4: {  // left shifts that wrap in 32 bits, as the scalar (uint32_t)x << s does
        cases.push_back(
            {Uniform(rng, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()),
             multiplier, Uniform(rng, 1, 12)});
        break;
      }
      default: {  // the extremes of int32 under large right shifts
        const int32_t extremes[] = {std::numeric_limits<int32_t>::min(),
                                    std::numeric_limits<int32_t>::min() + 1,
                                    -1,
                                    0,
                                    1,
                                    std::numeric_limits<int32_t>::max() - 1,
                                    std::numeric_limits<int32_t>::max()};
        cases.push_back({extremes[Uniform(rng, 0, 6)], multiplier, -Uniform(rng, 24, 31)});
        break;
      }
    }
  }
  return cases;
}

// A GEMM whose channel c forms exactly cases[c].accumulator: one depth step of weight 1 against
// the activation u = 0 (x = -128 with input offset 128, so no zero-point correction either);
// the accumulator is the bias.
void ExpectOutputStageMatchesScalar(KernelVariant variant, const std::vector<Case>& cases,
                                    const Int8OutputStage& stage, int rows) {
  const int n = static_cast<int>(cases.size());
  const int k = 4;
  std::vector<int8_t> filter(static_cast<size_t>(n) * k, 0);
  std::vector<int32_t> bias, multipliers, shifts;
  for (int c = 0; c < n; ++c) {
    filter[static_cast<size_t>(c) * k] = 1;
    bias.push_back(cases[static_cast<size_t>(c)].accumulator);
    multipliers.push_back(cases[static_cast<size_t>(c)].multiplier);
    shifts.push_back(cases[static_cast<size_t>(c)].shift);
  }
  const PackedInt8Weights weights =
      PackInt8Weights(filter.data(), n, k, bias.data(), 128, multipliers.data(), shifts.data(), n);
  const std::vector<uint8_t> activations(static_cast<size_t>(rows) * k, 0);
  std::vector<int8_t> out(static_cast<size_t>(rows) * n, 0);
  Int8GemmOf(variant)(weights, activations.data(), rows, k, stage, out.data(), n);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < n; ++c) {
      const Case& e = cases[static_cast<size_t>(c)];
      const int32_t scaled = MultiplyByQuantizedMultiplier(e.accumulator, e.multiplier, e.shift);
      // The zero point is added in int32 as TFLite does; where a wrapped left shift left a value
      // near INT32_MAX that sum overflows, and the kernels wrap (the reference's int32 add has no
      // defined result there), so the expectation wraps too.
      const auto offset_value = static_cast<int32_t>(static_cast<uint32_t>(scaled) +
                                                     static_cast<uint32_t>(stage.output_offset));
      const auto expected =
          static_cast<int8_t>(std::clamp(offset_value, stage.activation_min, stage.activation_max));
      ASSERT_EQ(out[static_cast<size_t>(r) * n + c], expected)
          << VariantLabel(variant) << " row " << r << " channel " << c << ": accumulator "
          << e.accumulator << " multiplier " << e.multiplier << " shift " << e.shift
          << " (unclamped " << offset_value << ")";
    }
  }
}

TEST(OptimizedRequantizationTest, EveryInt8GemmMatchesScalarRequantizationAtTheEdges) {
  std::mt19937 rng(20261123);
  for (KernelVariant variant : SupportedOptimizedVariants()) {
    for (int trial = 0; trial < 200; ++trial) {
      // 64 channels fill the widest tile; 37 leaves a partial channel block.
      const std::vector<Case> cases = EdgeCases(rng, trial % 2 == 0 ? 64 : 37);
      const Int8OutputStage stage{Uniform(rng, -20, 20), -128, 127};
      ExpectOutputStageMatchesScalar(variant, cases, stage, Uniform(rng, 1, 9));
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
