// AVX2 halves of the asymmetric hybrid-input quantization, 8 floats per step and a scalar tail
// (the reference's own per-element code). Compiled for x86-64 only, with per-function target
// attributes: the caller checks cpuid.
#include "kernels/optimized/asymmetric_quantize_isa.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "kernels/reference/hybrid.h"

#define HARNESS_TARGET_AVX2 __attribute__((target("avx2")))

namespace kernels::optimized::asymmetric_quantize {
namespace {

// std::round on 8 floats: truncate, then step one away from zero when the dropped fraction is
// at least one half (x - trunc(x) is exact, so 0.49999997f stays below the tie).
HARNESS_TARGET_AVX2 __m256 RoundHalfAwayFromZero(__m256 x) {
  const __m256 sign_bit = _mm256_set1_ps(-0.0f);
  const __m256 truncated = _mm256_round_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256 magnitude = _mm256_andnot_ps(sign_bit, _mm256_sub_ps(x, truncated));
  const __m256 carry = _mm256_cmp_ps(magnitude, _mm256_set1_ps(0.5f), _CMP_GE_OQ);
  const __m256 away = _mm256_or_ps(_mm256_and_ps(x, sign_bit), _mm256_set1_ps(1.0f));
  return _mm256_add_ps(truncated, _mm256_and_ps(carry, away));
}

}  // namespace

HARNESS_TARGET_AVX2 Extremes ExtremesAvx2(const float* values, int64_t size) {
  __m256 low = _mm256_setzero_ps();
  __m256 high = _mm256_setzero_ps();
  __m256 unordered = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 8 <= size; i += 8) {
    const __m256 v = _mm256_loadu_ps(values + i);
    unordered = _mm256_or_ps(unordered, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    low = _mm256_min_ps(low, v);
    high = _mm256_max_ps(high, v);
  }
  if (_mm256_movemask_ps(unordered) != 0) return Extremes{0.0f, 0.0f, true};
  alignas(32) float lows[8];
  alignas(32) float highs[8];
  _mm256_store_ps(lows, low);
  _mm256_store_ps(highs, high);
  Extremes extremes{*std::min_element(lows, lows + 8), *std::max_element(highs, highs + 8), false};
  for (; i < size; ++i) {
    if (std::isnan(values[i])) return Extremes{0.0f, 0.0f, true};
    extremes.min = std::min(extremes.min, values[i]);
    extremes.max = std::max(extremes.max, values[i]);
  }
  return extremes;
}

HARNESS_TARGET_AVX2 void QuantizeAvx2(const float* values, int64_t size, float inverse,
                                      float offset_as_float, int8_t* quantized) {
  const __m256 inverse8 = _mm256_set1_ps(inverse);
  const __m256 offset8 = _mm256_set1_ps(offset_as_float);
  int64_t i = 0;
  for (; i + 8 <= size; i += 8) {
    // offset + value * inverse with both operations rounded to float, as the reference.
    const __m256 x = _mm256_add_ps(offset8, _mm256_mul_ps(_mm256_loadu_ps(values + i), inverse8));
    // Truncating conversion (INT32_MIN for NaN, infinities and |x| >= 2^31, like cvttss2si),
    // then two saturating packs: int32 -> int16 -> int8 clamps to [-128, 127].
    const __m256i q = _mm256_cvttps_epi32(RoundHalfAwayFromZero(x));
    const __m128i words =
        _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(quantized + i), _mm_packs_epi16(words, words));
  }
  for (; i < size; ++i) {
    quantized[i] = reference::AsymmetricQuantizeValue(values[i], inverse, offset_as_float);
  }
}

}  // namespace kernels::optimized::asymmetric_quantize

#endif  // __x86_64__
