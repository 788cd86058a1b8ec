#pragma once
// TFLite's MultiplyByQuantizedMultiplier on 16 int32 lanes, bit-identical to the scalar
// kernels::MultiplyByQuantizedMultiplier. Include only from files compiled with AVX-512 flags.
//
// Why it is identical:
// - left shift: vpsllvd wraps in 32 bits exactly as the scalar (uint32_t)x << s.
// - SaturatingRoundingDoublingHighMul(a, b) = trunc((a*b + nudge) / 2^31) with nudge = 2^30 for
//   a*b >= 0 and 1 - 2^30 otherwise. For a negative sum, trunc(v / d) = floor((v + d - 1) / d),
//   and 1 - 2^30 + 2^31 - 1 = 2^30, so both cases are floor((a*b + 2^30) / 2^31): an arithmetic
//   64-bit shift of the exact 64-bit product (vpmuldq). The saturating case INT32_MIN^2 cannot
//   occur: multipliers are in [0, 2^31).
// - RoundingDivideByPOT: the same mask / remainder / threshold comparison as the scalar code.

#include <immintrin.h>

namespace kernels::optimized {

inline __m512i SaturatingRoundingDoublingHighMul(__m512i a, __m512i b) {
  const __m512i nudge = _mm512_set1_epi64(int64_t{1} << 30);
  // Even lanes: the low dword of (product + nudge) >> 31 is the result.
  const __m512i even = _mm512_srai_epi64(_mm512_add_epi64(_mm512_mul_epi32(a, b), nudge), 31);
  // Odd lanes: bits 31..62 moved to the high dword by a left shift of one.
  const __m512i odd_product =
      _mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32));
  const __m512i odd = _mm512_slli_epi64(_mm512_add_epi64(odd_product, nudge), 1);
  return _mm512_mask_blend_epi32(static_cast<__mmask16>(0xAAAA), even, odd);
}

inline __m512i RoundingDivideByPOT(__m512i x, __m512i exponent) {
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, exponent), one);
  const __m512i remainder = _mm512_and_si512(x, mask);
  // (mask >> 1) + (x < 0 ? 1 : 0); x >> 31 is -1 for negative x.
  const __m512i threshold = _mm512_sub_epi32(_mm512_srai_epi32(mask, 1), _mm512_srai_epi32(x, 31));
  const __m512i shifted = _mm512_srav_epi32(x, exponent);
  const __mmask16 round_up = _mm512_cmpgt_epi32_mask(remainder, threshold);
  return _mm512_mask_add_epi32(shifted, round_up, shifted, one);
}

inline __m512i MultiplyByQuantizedMultiplier(__m512i x, __m512i multiplier, __m512i left_shift,
                                             __m512i right_shift) {
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(_mm512_sllv_epi32(x, left_shift), multiplier),
      right_shift);
}

// + output zero point, clamp, narrow to int8 and store the first lanes of `lanes`.
inline void StoreInt8(__m512i value, __m512i output_offset, __m512i low, __m512i high,
                      __mmask16 lanes, int8_t* out) {
  value = _mm512_add_epi32(value, output_offset);
  value = _mm512_min_epi32(_mm512_max_epi32(value, low), high);
  _mm_mask_storeu_epi8(out, lanes, _mm512_cvtepi32_epi8(value));
}

inline __mmask16 FirstLanes(int count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1U << static_cast<unsigned>(count)) - 1U);
}

}  // namespace kernels::optimized
