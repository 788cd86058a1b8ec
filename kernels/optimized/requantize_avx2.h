#pragma once
// TFLite's MultiplyByQuantizedMultiplier on 8 int32 lanes with AVX2, bit-identical to the scalar
// kernels::MultiplyByQuantizedMultiplier. Include only from code compiled for AVX2 (the *_avx2.cc
// files switch it on with a target pragma).
//
// The same reasoning as requantize_avx512.h, with one change: AVX2 has no 64-bit arithmetic
// right shift, but only the low 32 bits of (product + 2^30) >> 31 are kept, and those are bits
// 31..62 of the sum whichever shift brings them down, so a logical shift gives the same bits.

#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace kernels::optimized::avx2 {

__attribute__((target("avx2"))) inline __m256i SaturatingRoundingDoublingHighMul(__m256i a,
                                                                                   __m256i b) {
  const __m256i nudge = _mm256_set1_epi64x(int64_t{1} << 30);
  // Even lanes: the low dword of (product + nudge) >> 31.
  const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(a, b), nudge), 31);
  // Odd lanes: bits 31..62 moved to the high dword by a left shift of one.
  const __m256i odd_product =
      _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
  const __m256i odd = _mm256_slli_epi64(_mm256_add_epi64(odd_product, nudge), 1);
  return _mm256_blend_epi32(even, odd, 0xAA);
}

__attribute__((target("avx2"))) inline __m256i RoundingDivideByPOT(__m256i x, __m256i exponent) {
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, exponent), one);
  const __m256i remainder = _mm256_and_si256(x, mask);
  // (mask >> 1) + (x < 0 ? 1 : 0); x >> 31 is -1 for negative x.
  const __m256i threshold =
      _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_srai_epi32(x, 31));
  const __m256i shifted = _mm256_srav_epi32(x, exponent);
  // The comparison gives -1 where the remainder exceeds the threshold: subtracting adds one.
  return _mm256_sub_epi32(shifted, _mm256_cmpgt_epi32(remainder, threshold));
}

__attribute__((target("avx2"))) inline __m256i MultiplyByQuantizedMultiplier(
    __m256i x, __m256i multiplier, __m256i left_shift, __m256i right_shift) {
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(_mm256_sllv_epi32(x, left_shift), multiplier),
      right_shift);
}

// + output zero point, clamp, narrow to int8 (the values already fit, so the saturating packs
// change nothing) and store the first `count` (<= 8) lanes.
__attribute__((target("avx2"))) inline void StoreInt8(__m256i value, __m256i output_offset,
                                                      __m256i low, __m256i high, int count,
                                                      int8_t* out) {
  value = _mm256_add_epi32(value, output_offset);
  value = _mm256_min_epi32(_mm256_max_epi32(value, low), high);
  const __m128i words =
      _mm_packs_epi32(_mm256_castsi256_si128(value), _mm256_extracti128_si256(value, 1));
  const __m128i bytes = _mm_packs_epi16(words, words);
  if (count >= 8) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), bytes);
  } else {
    alignas(16) int8_t lanes[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), bytes);
    std::memcpy(out, lanes, static_cast<size_t>(count));
  }
}

}  // namespace kernels::optimized::avx2
