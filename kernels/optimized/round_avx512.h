#pragma once
// std::round (half away from zero) on 16 floats or 8 doubles with AVX-512F, for the quantizing loops. The
// function carries its own target attribute: include it from files compiled with AVX-512 flags
// or whose callers carry the attribute, and call it only after a cpuid check.

#include <immintrin.h>

#include <cstdint>

namespace kernels::optimized {

// Truncate, then step one away from zero when the dropped fraction is at least one half.
// x - trunc(x) is exact in float, so 0.49999997f stays below the tie (unlike trunc(x + 0.5f)).
// NaN and infinities come out NaN or infinite, as std::round gives them.
__attribute__((target("avx512f"))) inline __m512 RoundHalfAwayFromZero(__m512 x) {
  const __m512 truncated = _mm512_roundscale_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m512 fraction = _mm512_sub_ps(x, truncated);
  const __mmask16 carry =
      _mm512_cmp_ps_mask(_mm512_abs_ps(fraction), _mm512_set1_ps(0.5f), _CMP_GE_OQ);
  const __m512i sign_bit = _mm512_set1_epi32(static_cast<int32_t>(0x80000000U));
  const __m512i one = _mm512_castps_si512(_mm512_set1_ps(1.0f));
  const __m512 away =
      _mm512_castsi512_ps(_mm512_or_si512(_mm512_and_si512(_mm512_castps_si512(x), sign_bit), one));
  return _mm512_mask_add_ps(truncated, carry, truncated, away);
}

// The same on 8 doubles.
__attribute__((target("avx512f"))) inline __m512d RoundHalfAwayFromZero(__m512d x) {
  const __m512d truncated = _mm512_roundscale_pd(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m512d fraction = _mm512_sub_pd(x, truncated);
  const __mmask8 carry =
      _mm512_cmp_pd_mask(_mm512_abs_pd(fraction), _mm512_set1_pd(0.5), _CMP_GE_OQ);
  const __m512i sign_bit = _mm512_set1_epi64(static_cast<int64_t>(0x8000000000000000ULL));
  const __m512i one = _mm512_castpd_si512(_mm512_set1_pd(1.0));
  const __m512d away =
      _mm512_castsi512_pd(_mm512_or_si512(_mm512_and_si512(_mm512_castpd_si512(x), sign_bit), one));
  return _mm512_mask_add_pd(truncated, carry, truncated, away);
}

// The first `remaining` lanes (all 16 when remaining >= 16).
inline __mmask16 TailMask(int64_t remaining) {
  return remaining >= 16 ? __mmask16{0xFFFF}
                         : static_cast<__mmask16>((1U << static_cast<unsigned>(remaining)) - 1U);
}

}  // namespace kernels::optimized
