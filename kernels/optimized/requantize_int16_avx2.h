#pragma once
// The int16x8 output stage on 8 channels with AVX2, bit-identical to the scalar
// RequantizeInt16Row (gemm_int16.cc): exact int64 dot products in, clamped int16 out, on
// registers. The same arithmetic as requantize_int16_avx512.h (see there for why it is exact),
// with two AVX2 substitutes: no 64-bit arithmetic shift (emulated), no 32-bit narrowing move
// (a saturating pack, exact after the clamp). The int32 path is requantize_avx2.h's.

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/optimized/gemm_int16.h"
#include "kernels/optimized/requantize_avx2.h"

#define HARNESS_INT16_AVX2 __attribute__((target("avx2")))

namespace kernels::optimized::int16_avx2 {

// x >> shift, arithmetic, on 64-bit lanes (shift in [0, 63]): the logical shift, then the
// sign bit, now at 63 - shift, extended upward by xor and subtract.
HARNESS_INT16_AVX2 inline __m256i Load(const int64_t* source) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(source));
}
HARNESS_INT16_AVX2 inline __m256i Load(const int32_t* source) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(source));
}

HARNESS_INT16_AVX2 inline __m256i ShiftRightArithmetic64(__m256i x, __m256i shift) {
  const __m256i logical = _mm256_srlv_epi64(x, shift);
  const __m256i sign = _mm256_srlv_epi64(_mm256_set1_epi64x(INT64_MIN), shift);
  return _mm256_sub_epi64(_mm256_xor_si256(logical, sign), sign);
}

// int64 path on 4 lanes: low 32 bits of (x * reduced + rounded_bias) >> total_shift, the
// product from two vpmuldq as in requantize_int16_avx512.h.
HARNESS_INT16_AVX2 inline __m256i ScaleInt64Lanes(__m256i x, const Int16Requantization& q,
                                                  int channel) {
  const __m256i reduced = Load(q.reduced_multiplier.data() + channel);
  const __m256i hi =
      _mm256_srli_epi64(_mm256_add_epi64(x, _mm256_set1_epi64x(int64_t{1} << 31)), 32);
  const __m256i product = _mm256_add_epi64(_mm256_slli_epi64(_mm256_mul_epi32(hi, reduced), 32),
                                           _mm256_mul_epi32(x, reduced));
  const __m256i rounded = _mm256_add_epi64(product, Load(q.rounded_bias.data() + channel));
  return ShiftRightArithmetic64(rounded, Load(q.total_shift.data() + channel));
}

// The low dwords of 4 + 4 int64 lanes as 8 int32 lanes, in order: vshufps takes dwords 0 and 2
// of each 128-bit half of both (l0 l1 h0 h1 | l2 l3 h2 h3), vpermq puts the quarters in order.
HARNESS_INT16_AVX2 inline __m256i LowDwords(__m256i low, __m256i high) {
  const __m256 mixed = _mm256_shuffle_ps(_mm256_castsi256_ps(low), _mm256_castsi256_ps(high),
                                         _MM_SHUFFLE(2, 0, 2, 0));
  return _mm256_permute4x64_epi64(_mm256_castps_si256(mixed), _MM_SHUFFLE(3, 1, 2, 0));
}

// Channels [channel, channel + 8) from their exact int64 sums (`low`: the first 4, `high`: the
// next 4), unclamped int32.
HARNESS_INT16_AVX2 inline __m256i Scale(bool int64_path, __m256i low, __m256i high,
                                        const Int16Requantization& q, int channel) {
  if (int64_path) {
    return LowDwords(ScaleInt64Lanes(low, q, channel), ScaleInt64Lanes(high, q, channel + 4));
  }
  // The reference's int32 accumulator: the exact sum modulo 2^32 (its low dword), plus the bias
  // modulo 2^32; vpaddd wraps as the scalar code's unsigned arithmetic does.
  const __m256i sum = _mm256_add_epi32(LowDwords(low, high), Load(q.bias32.data() + channel));
  return avx2::MultiplyByQuantizedMultiplier(sum, Load(q.multiplier32.data() + channel),
                                             Load(q.left_shift.data() + channel),
                                             Load(q.right_shift.data() + channel));
}

// Clamp and store the first `count` (1..8) lanes as int16.
HARNESS_INT16_AVX2 inline void StoreInt16(__m256i value, const Int16OutputStage& stage, int count,
                                          int16_t* out) {
  value = _mm256_max_epi32(value, _mm256_set1_epi32(stage.activation_min));
  value = _mm256_min_epi32(value, _mm256_set1_epi32(stage.activation_max));
  const __m128i words =
      _mm_packs_epi32(_mm256_castsi256_si128(value), _mm256_extracti128_si256(value, 1));
  if (count >= 8) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), words);
  } else {
    alignas(16) int16_t lanes[8];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), words);
    std::memcpy(out, lanes, static_cast<size_t>(count) * sizeof(int16_t));
  }
}

}  // namespace kernels::optimized::int16_avx2

#undef HARNESS_INT16_AVX2
