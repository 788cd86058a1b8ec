#pragma once
// Shared pieces of the optimized-kernel testers (XNNPACK style): random quantization parameters
// over the ranges real models use and beyond, the float error bound, and the variants to sweep.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/fixed_point.h"
#include "kernels/optimized/dispatch.h"

namespace kernels::optimized::tester {

inline int Uniform(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

inline std::vector<int8_t> RandomInt8(std::mt19937& rng, int64_t count) {
  std::vector<int8_t> values(static_cast<size_t>(count));
  for (auto& v : values) v = static_cast<int8_t>(Uniform(rng, -128, 127));
  return values;
}

inline std::vector<float> RandomFloat(std::mt19937& rng, int64_t count) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> values(static_cast<size_t>(count));
  for (auto& v : values) v = dist(rng);
  return values;
}

// Per-channel requantization from effective scales log-uniform in [1e-5, 2]: right shifts of up
// to 17 and left shifts of 1 both occur.
struct Requantization {
  std::vector<int32_t> multipliers;
  std::vector<int32_t> shifts;
};
inline Requantization RandomRequantization(std::mt19937& rng, int channels) {
  std::uniform_real_distribution<double> exponent(std::log(1e-5), std::log(2.0));
  Requantization r;
  for (int c = 0; c < channels; ++c) {
    const QuantizedMultiplier m = QuantizeMultiplier(std::exp(exponent(rng)));
    r.multipliers.push_back(m.multiplier);
    r.shifts.push_back(m.shift);
  }
  return r;
}

// A fused activation range inside int8: the full range, or a random sub-range.
inline std::pair<int32_t, int32_t> RandomActivationRange(std::mt19937& rng) {
  if (Uniform(rng, 0, 1) == 0) return {-128, 127};
  const int low = Uniform(rng, -128, 60);
  return {low, Uniform(rng, low, 127)};
}

// SAME / VALID geometry of one spatial dimension as TFLite computes it; output 0 when VALID
// leaves nothing.
struct PaddedSize {
  int output;
  int padding;
};
inline PaddedSize Pad(bool same, int input, int filter, int stride, int dilation) {
  const int effective = (filter - 1) * dilation + 1;
  if (same) {
    const int output = (input + stride - 1) / stride;
    const int total = std::max((output - 1) * stride + effective - input, 0);
    return {output, total / 2};
  }
  return {input >= effective ? (input - effective) / stride + 1 : 0, 0};
}

// Float outputs: the optimized kernels use FMA (one rounding per tap instead of two) and may
// add padded taps as 0 * w, so they differ from the reference by rounding only. The bound is
// the classic one for a sum of n products, |error| <= 2 n u sum |x w| (u = 2^-24), with
// `magnitude` = sum |x w| + |bias| computed by the reference on absolute values.
inline void ExpectFloatNear(const std::vector<float>& actual, const std::vector<float>& expected,
                            const std::vector<float>& magnitude, int terms,
                            const std::string& where) {
  ASSERT_EQ(actual.size(), expected.size());
  const double unit = std::ldexp(1.0, -24);
  for (size_t i = 0; i < actual.size(); ++i) {
    const double bound = 2.0 * (terms + 2) * unit * static_cast<double>(magnitude[i]) + 1e-30;
    ASSERT_LE(std::abs(static_cast<double>(actual[i]) - static_cast<double>(expected[i])), bound)
        << where << " at " << i << ": " << actual[i] << " vs " << expected[i];
  }
}

inline std::vector<float> Abs(std::vector<float> values) {
  for (auto& v : values) v = std::abs(v);
  return values;
}

inline std::string VariantLabel(KernelVariant v) { return std::string(VariantName(v)); }

}  // namespace kernels::optimized::tester
