#pragma once
// The int16x8 output stage on 16 channels with AVX-512 F/BW, bit-identical to the scalar
// RequantizeInt16Row (gemm_int16.cc): exact int64 dot products in, clamped int16 out, on
// registers. Enabled by target attributes, as gemm_int16_avx512.cc; include only from there
// (and from its tests, behind a cpuid check).
//
// Not shared with requantize_avx512.h: that header is compiled with file-wide AVX-512 flags
// (F/BW/DQ/VL/VNNI), and an inline function that the two kinds of files both emitted out of
// line could be the wide-flag copy at link time, on a CPU that has only F/BW.

#include <immintrin.h>

#include <cstdint>

#include "kernels/optimized/gemm_int16.h"

#define HARNESS_INT16_AVX512 __attribute__((target("avx512f,avx512bw")))

namespace kernels::optimized::int16_avx512 {

// int64 path on 8 lanes: low 32 bits of (x * reduced + rounded_bias) >> total_shift.
// The 64-bit product with vpmuldq (signed 32 x 32 -> 64) alone: x = hi * 2^32 + lo with lo its
// low dword read as signed, so hi = (x + 2^31) >> 32, and x * reduced = (hi * reduced) << 32 +
// lo * reduced modulo 2^64; only hi's low dword matters in the first term (its upper bits are
// shifted out), and vpmuldq reads only low dwords. |reduced| <= 2^15, so both products are exact.
HARNESS_INT16_AVX512 inline __m512i ScaleInt64Lanes(__m512i x, const Int16Requantization& q,
                                                    int channel) {
  const __m512i reduced = _mm512_loadu_si512(q.reduced_multiplier.data() + channel);
  const __m512i hi =
      _mm512_srli_epi64(_mm512_add_epi64(x, _mm512_set1_epi64(int64_t{1} << 31)), 32);
  const __m512i product = _mm512_add_epi64(_mm512_slli_epi64(_mm512_mul_epi32(hi, reduced), 32),
                                           _mm512_mul_epi32(x, reduced));
  const __m512i rounded =
      _mm512_add_epi64(product, _mm512_loadu_si512(q.rounded_bias.data() + channel));
  return _mm512_srav_epi64(rounded, _mm512_loadu_si512(q.total_shift.data() + channel));
}

// The low dwords of 8 + 8 int64 lanes as 16 int32 lanes, in order.
HARNESS_INT16_AVX512 inline __m512i LowDwords(__m512i low, __m512i high) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  return _mm512_permutex2var_epi32(low, even, high);
}

// gemmlowp's SaturatingRoundingDoublingHighMul on 16 lanes. For a negative product,
// trunc((ab + 1 - 2^30) / 2^31) = floor((ab + 1 - 2^30 + 2^31 - 1) / 2^31) = floor((ab + 2^30) /
// 2^31), the same expression as for a non-negative one: an arithmetic shift of the exact
// product plus 2^30. The saturating case INT32_MIN^2 needs a negative multiplier, which
// QuantizeMultiplier never gives.
HARNESS_INT16_AVX512 inline __m512i HighMul(__m512i a, __m512i b) {
  const __m512i nudge = _mm512_set1_epi64(int64_t{1} << 30);
  // Even lanes: the low dword of (product + nudge) >> 31.
  const __m512i even = _mm512_srai_epi64(_mm512_add_epi64(_mm512_mul_epi32(a, b), nudge), 31);
  // Odd lanes: bits 31..62 moved to the high dword by a left shift of one.
  const __m512i odd_product = _mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32));
  const __m512i odd = _mm512_slli_epi64(_mm512_add_epi64(odd_product, nudge), 1);
  return _mm512_mask_blend_epi32(static_cast<__mmask16>(0xAAAA), even, odd);
}

// gemmlowp's RoundingDivideByPOT (ties away from zero) with its own mask / threshold test.
HARNESS_INT16_AVX512 inline __m512i RoundingDivideByPOT(__m512i x, __m512i exponent) {
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, exponent), one);
  const __m512i remainder = _mm512_and_si512(x, mask);
  // (mask >> 1) + (x < 0 ? 1 : 0); x >> 31 is -1 for a negative x.
  const __m512i threshold = _mm512_sub_epi32(_mm512_srai_epi32(mask, 1), _mm512_srai_epi32(x, 31));
  const __m512i shifted = _mm512_srav_epi32(x, exponent);
  const __mmask16 round_up = _mm512_cmpgt_epi32_mask(remainder, threshold);
  return _mm512_mask_add_epi32(shifted, round_up, shifted, one);
}

// Channels [channel, channel + 16) from their exact int64 sums (`low`: the first 8, `high`: the
// next 8), unclamped int32.
HARNESS_INT16_AVX512 inline __m512i Scale(bool int64_path, __m512i low, __m512i high,
                                          const Int16Requantization& q, int channel) {
  if (int64_path) {
    return LowDwords(ScaleInt64Lanes(low, q, channel), ScaleInt64Lanes(high, q, channel + 8));
  }
  // The reference's int32 accumulator: the exact sum modulo 2^32 (its low dword), plus the bias
  // modulo 2^32; vpaddd and vpsllvd wrap as the scalar code's unsigned arithmetic does.
  const __m512i sum =
      _mm512_add_epi32(LowDwords(low, high), _mm512_loadu_si512(q.bias32.data() + channel));
  const __m512i shifted = _mm512_sllv_epi32(sum, _mm512_loadu_si512(q.left_shift.data() + channel));
  return RoundingDivideByPOT(HighMul(shifted, _mm512_loadu_si512(q.multiplier32.data() + channel)),
                             _mm512_loadu_si512(q.right_shift.data() + channel));
}

// Clamp and store the first `count` (1..16) lanes as int16; the clamp leaves every value in
// int16 range, so vpmovdw's truncation is exact.
HARNESS_INT16_AVX512 inline void StoreInt16(__m512i value, const Int16OutputStage& stage, int count,
                                            int16_t* out) {
  value = _mm512_max_epi32(value, _mm512_set1_epi32(stage.activation_min));
  value = _mm512_min_epi32(value, _mm512_set1_epi32(stage.activation_max));
  const auto lanes = count >= 16
                         ? static_cast<__mmask16>(0xFFFF)
                         : static_cast<__mmask16>((1U << static_cast<unsigned>(count)) - 1U);
  _mm512_mask_cvtepi32_storeu_epi16(out, lanes, value);
}

}  // namespace kernels::optimized::int16_avx512

#undef HARNESS_INT16_AVX512
