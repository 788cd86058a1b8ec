// The vector int16x8 output stages (requantize_int16_avx2.h, requantize_int16_avx512.h) against
// the scalar fixed-point functions of kernels/fixed_point.h, bit for bit, on sums the GEMM
// tests rarely reach: int64 sums over the whole range TFLite allows (|x| < 2^47), every shift,
// multipliers at the Q15 rounding edge, int32 sums that wrap, and partial stores.
//
// GCC 12's own AVX-512 intrinsic headers trip -Wmaybe-uninitialized at -O3 (GCC bug 105593,
// _mm512_undefined_* inside the intrinsics), not this code: silenced here as in
// gemm_int16_avx512.cc.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <gtest/gtest.h>
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/fixed_point.h"
#include "kernels/optimized/cpu_features.h"
#include "kernels/optimized/gemm_int16.h"
#include "kernels/optimized/requantize_int16_avx2.h"
#include "kernels/optimized/requantize_int16_avx512.h"

namespace kernels::optimized {
namespace {

constexpr int16_t kUntouched = 0x5A5A;

// The whole output stage of one row, `lanes` channels per step, through the vector code.
__attribute__((target("avx512f,avx512bw"))) void RequantizeAvx512(const PackedInt16x8Weights& w,
                                                                  const std::vector<int64_t>& sums,
                                                                  const Int16OutputStage& stage,
                                                                  int16_t* out) {
  for (int c = 0; c < w.n; c += 16) {
    const __m512i low = _mm512_loadu_si512(sums.data() + c);
    const __m512i high = _mm512_loadu_si512(sums.data() + c + 8);
    const __m512i scaled = int16_avx512::Scale(w.int64_path, low, high, w.requantization, c);
    int16_avx512::StoreInt16(scaled, stage, w.n - c, out + c);
  }
}

__attribute__((target("avx2"))) void RequantizeAvx2(const PackedInt16x8Weights& w,
                                                    const std::vector<int64_t>& sums,
                                                    const Int16OutputStage& stage, int16_t* out) {
  for (int c = 0; c < w.n; c += 8) {
    const __m256i scaled =
        int16_avx2::Scale(w.int64_path, int16_avx2::Load(sums.data() + c),
                          int16_avx2::Load(sums.data() + c + 4), w.requantization, c);
    int16_avx2::StoreInt16(scaled, stage, w.n - c, out + c);
  }
}

// The expected row straight from the scalar fixed-point functions (not RequantizeInt16Row).
std::vector<int16_t> Expected(bool int64_path, const std::vector<int64_t>& sums,
                              const std::vector<int64_t>& bias, const std::vector<int32_t>& mult,
                              const std::vector<int32_t>& shift, const Int16OutputStage& stage) {
  std::vector<int16_t> out;
  for (size_t c = 0; c < bias.size(); ++c) {
    int32_t scaled;
    if (int64_path) {
      scaled = MultiplyByQuantizedMultiplier(sums[c] + bias[c], mult[c], shift[c]);
    } else {
      // The reference's int32 accumulator: the sum wrapped to 32 bits, plus the int32 bias.
      const auto wrapped =
          static_cast<int32_t>(static_cast<uint32_t>(sums[c]) + static_cast<uint32_t>(bias[c]));
      scaled = MultiplyByQuantizedMultiplier(wrapped, mult[c], shift[c]);
    }
    out.push_back(
        static_cast<int16_t>(std::clamp(scaled, stage.activation_min, stage.activation_max)));
  }
  return out;
}

struct Row {
  std::vector<int64_t> sums;  // n_padded entries (vector loads read the padding)
  std::vector<int64_t> bias;
  std::vector<int32_t> multiplier;
  std::vector<int32_t> shift;
};

int64_t UniformInt64(std::mt19937_64& rng, int64_t low, int64_t high) {
  return std::uniform_int_distribution<int64_t>(low, high)(rng);
}

// Multipliers: mostly QuantizeMultiplier's [2^30, 2^31), some at the Q15 rounding edge (at and
// above 0x7FFF0000, where the reduced multiplier saturates to 0x7FFF) and some 0.
int32_t RandomMultiplier(std::mt19937_64& rng) {
  switch (UniformInt64(rng, 0, 7)) {
    case 0:
      return static_cast<int32_t>(UniformInt64(rng, 0x7FFF0000 - 2, 0x7FFFFFFF));
    case 1:
      return static_cast<int32_t>(UniformInt64(rng, 0, 1)) * (1 << 30);
    default:
      return static_cast<int32_t>(UniformInt64(rng, int64_t{1} << 30, (int64_t{1} << 31) - 1));
  }
}

// int64 path: TFLite's range, shift in [-31, 7] and |sum + bias| < 2^47 (its checks), with the
// sum's magnitude spread over every bit length so that both halves of the 64-bit product and
// every rounding position are exercised.
Row RandomInt64Row(std::mt19937_64& rng, int n) {
  Row row;
  const int padded = (n + 15) / 16 * 16;
  for (int c = 0; c < padded; ++c) {
    const int bits = static_cast<int>(UniformInt64(rng, 0, 46));
    const int64_t magnitude = int64_t{1} << bits;
    const int64_t total = UniformInt64(rng, -magnitude, magnitude - 1);
    const int64_t bias = UniformInt64(rng, -(int64_t{1} << 40), int64_t{1} << 40);
    row.sums.push_back(total - bias);
    if (c < n) {
      row.bias.push_back(bias);
      row.multiplier.push_back(RandomMultiplier(rng));
      row.shift.push_back(static_cast<int32_t>(UniformInt64(rng, -31, 7)));
    }
  }
  return row;
}

// int32 path: any exact sum (its low 32 bits wrap), an int32 bias, shift in [-31, 30]; the left
// shift wraps in 32 bits on both sides.
Row RandomInt32Row(std::mt19937_64& rng, int n) {
  Row row;
  const int padded = (n + 15) / 16 * 16;
  for (int c = 0; c < padded; ++c) {
    const int bits = static_cast<int>(UniformInt64(rng, 0, 40));
    const int64_t magnitude = int64_t{1} << bits;
    row.sums.push_back(UniformInt64(rng, -magnitude, magnitude - 1));
    if (c < n) {
      row.bias.push_back(UniformInt64(rng, std::numeric_limits<int32_t>::min(),
                                      std::numeric_limits<int32_t>::max()));
      row.multiplier.push_back(RandomMultiplier(rng));
      row.shift.push_back(static_cast<int32_t>(UniformInt64(rng, -31, 30)));
    }
  }
  return row;
}

Int16OutputStage RandomStage(std::mt19937_64& rng) {
  Int16OutputStage stage;
  if (UniformInt64(rng, 0, 1) != 0) {
    stage.activation_min = static_cast<int32_t>(UniformInt64(rng, -32768, 0));
    stage.activation_max = static_cast<int32_t>(UniformInt64(rng, 0, 32767));
  }
  return stage;
}

using RequantizeFn = void (*)(const PackedInt16x8Weights&, const std::vector<int64_t>&,
                              const Int16OutputStage&, int16_t*);

void CheckRows(const std::string& name, RequantizeFn requantize, bool int64_path) {
  std::mt19937_64 rng(int64_path ? 1616 : 3232);
  for (int trial = 0; trial < 400; ++trial) {
    // Channel counts that end inside a vector, on a vector boundary and after several vectors.
    const int n = static_cast<int>(UniformInt64(rng, 1, 50));
    const Row row = int64_path ? RandomInt64Row(rng, n) : RandomInt32Row(rng, n);
    std::vector<int32_t> bias32;
    for (const int64_t b : row.bias) bias32.push_back(static_cast<int32_t>(b));
    const std::vector<int8_t> filter(static_cast<size_t>(n), 0);
    const PackedInt16x8Weights w =
        PackInt16x8Weights(filter.data(), n, 1, 0, int64_path ? row.bias.data() : nullptr,
                           int64_path ? nullptr : bias32.data(), int64_path, row.multiplier.data(),
                           row.shift.data(), n);
    const Int16OutputStage stage = RandomStage(rng);
    // One spare output past the row: partial stores must leave it alone.
    std::vector<int16_t> actual(static_cast<size_t>(n) + 1, kUntouched);
    requantize(w, row.sums, stage, actual.data());
    const std::vector<int16_t> expected =
        Expected(int64_path, row.sums, row.bias, row.multiplier, row.shift, stage);
    for (int c = 0; c < n; ++c) {
      const auto i = static_cast<size_t>(c);
      ASSERT_EQ(actual[i], expected[i])
          << name << (int64_path ? " int64" : " int32") << " path, channel " << c << " of " << n
          << ": sum " << row.sums[i] << " bias " << row.bias[i] << " multiplier "
          << row.multiplier[i] << " shift " << row.shift[i];
    }
    ASSERT_EQ(actual.back(), kUntouched) << name << ": wrote past " << n << " channels";
  }
}

TEST(OptimizedInt16RequantizeTest, Avx512MatchesScalarFixedPoint) {
  const CpuFeatures& f = DetectedCpuFeatures();
  if (!f.avx512f || !f.avx512bw) GTEST_SKIP() << "no AVX-512 F/BW";
  CheckRows("avx512", RequantizeAvx512, true);
  CheckRows("avx512", RequantizeAvx512, false);
}

TEST(OptimizedInt16RequantizeTest, Avx2MatchesScalarFixedPoint) {
  if (!DetectedCpuFeatures().avx2) GTEST_SKIP() << "no AVX2";
  CheckRows("avx2", RequantizeAvx2, true);
  CheckRows("avx2", RequantizeAvx2, false);
}

__attribute__((target("avx2"))) int64_t ShiftRightArithmetic64Avx2(int64_t x, int shift) {
  const __m256i shifted =
      int16_avx2::ShiftRightArithmetic64(_mm256_set1_epi64x(x), _mm256_set1_epi64x(shift));
  return _mm256_extract_epi64(shifted, 0);
}

// The emulated 64-bit arithmetic shift against C++20's (defined) >> on negative values, at every
// shift count, for values of both signs and the extremes.
TEST(OptimizedInt16RequantizeTest, Avx2ArithmeticShiftMatchesSignedShift) {
  if (!DetectedCpuFeatures().avx2) GTEST_SKIP() << "no AVX2";
  std::mt19937_64 rng(64);
  std::vector<int64_t> values{0, -1, 1, std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max()};
  for (int i = 0; i < 200; ++i) values.push_back(static_cast<int64_t>(rng()));
  for (const int64_t x : values) {
    for (int shift = 0; shift < 64; ++shift) {
      ASSERT_EQ(ShiftRightArithmetic64Avx2(x, shift), x >> shift) << x << " >> " << shift;
    }
  }
}

}  // namespace
}  // namespace kernels::optimized
