#pragma once
// Shared pieces of the int16x8 optimized-kernel testers: int16 operands (random or extreme),
// requantization that keeps the reference free of int32 overflow on its int32 path, and every
// int16 GEMM this CPU runs (the AVX-512 one needs only F/BW, so it is tested even on CPUs
// without VNNI, where the kAvx512Vnni variant is not selected).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fixed_point.h"
#include "kernels/optimized/cpu_features.h"
#include "kernels/optimized/gemm_int16.h"
#include "tests/kernels/optimized_tester.h"

namespace kernels::optimized::tester {

// Extreme operands: only the ends of the ranges, so long dot products reach the largest sums
// (all products of one sign when `same_sign`).
inline std::vector<int16_t> RandomInt16(std::mt19937& rng, int64_t count, bool extreme) {
  std::vector<int16_t> values(static_cast<size_t>(count));
  for (auto& v : values) {
    v = static_cast<int16_t>(extreme ? (Uniform(rng, 0, 1) != 0 ? 32767 : -32768)
                                     : Uniform(rng, -32768, 32767));
  }
  return values;
}
inline std::vector<int8_t> RandomInt8Weights(std::mt19937& rng, int64_t count, bool extreme) {
  std::vector<int8_t> values(static_cast<size_t>(count));
  for (auto& v : values) {
    v = static_cast<int8_t>(extreme ? (Uniform(rng, 0, 1) != 0 ? 127 : -128)
                                    : Uniform(rng, -128, 127));
  }
  return values;
}

// Extreme operands with every product of a channel of one sign: input -32768 everywhere, each
// filter row all -128 or all 127, so that the dot products (and the int32 block sums of the
// optimized kernels) reach their largest magnitudes instead of cancelling.
inline void AlignSigns(int depth, std::vector<int16_t>& input, std::vector<int8_t>& filter) {
  std::fill(input.begin(), input.end(), int16_t{-32768});
  for (size_t row = 0; row * static_cast<size_t>(depth) < filter.size(); ++row) {
    const int8_t value = filter[row * static_cast<size_t>(depth)] < 0 ? -128 : 127;
    std::fill_n(filter.begin() + static_cast<std::ptrdiff_t>(row * static_cast<size_t>(depth)),
                depth, value);
  }
}

// Effective scales log-uniform in [1e-7, max_scale]; the int32 path uses max_scale < 1 (a left
// shift would overflow the reference's int32 arithmetic on large sums).
inline Requantization RandomInt16Requantization(std::mt19937& rng, int channels, double max_scale) {
  std::uniform_real_distribution<double> exponent(std::log(1e-7), std::log(max_scale));
  Requantization r;
  for (int c = 0; c < channels; ++c) {
    const QuantizedMultiplier m = QuantizeMultiplier(std::exp(exponent(rng)));
    r.multipliers.push_back(m.multiplier);
    r.shifts.push_back(m.shift);
  }
  return r;
}

inline std::pair<int32_t, int32_t> RandomInt16ActivationRange(std::mt19937& rng) {
  if (Uniform(rng, 0, 1) == 0) return {-32768, 32767};
  const int low = Uniform(rng, -32768, 10000);
  return {low, Uniform(rng, low, 32767)};
}

enum class BiasKind { kNone, kInt64, kInt32 };
inline std::string BiasLabel(BiasKind kind) {
  switch (kind) {
    case BiasKind::kNone:
      return "no bias";
    case BiasKind::kInt64:
      return "int64 bias";
    default:
      return "int32 bias";
  }
}

struct NamedGemm {
  std::string name;
  GemmInt16Fn gemm;
};
inline std::vector<NamedGemm> SupportedInt16Gemms() {
  std::vector<NamedGemm> gemms{{"portable", GemmInt16Portable}};
  const CpuFeatures& f = DetectedCpuFeatures();
  if (f.avx2) gemms.push_back({"avx2", GemmInt16Avx2});
  if (f.avx512f && f.avx512bw) gemms.push_back({"avx512", GemmInt16Avx512});
  return gemms;
}

}  // namespace kernels::optimized::tester
