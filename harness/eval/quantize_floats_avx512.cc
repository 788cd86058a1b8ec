// AVX-512F loops of QuantizeFloats: 16 floats per step (two vectors of 8 doubles), masked tail.
// Compiled for x86-64 only, with per-function target attributes: the caller checks cpuid.
#include "harness/eval/quantize_floats_isa.h"

#if defined(__x86_64__)
// GCC 12's own AVX-512 intrinsic headers trip -W(maybe-)uninitialized once inlined (GCC bug
// 105593, _mm512_undefined_* inside the intrinsics), not this code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include "kernels/optimized/round_avx512.h"

#define HARNESS_TARGET_AVX512 __attribute__((target("avx512f")))

namespace harness::eval::quantize_floats {
namespace {

struct WideGrid {
  __m512d scale;
  __m512d zero_point;
  __m512d min_value;
  __m512d max_value;
};

HARNESS_TARGET_AVX512 WideGrid Widen(const Grid& grid) {
  return WideGrid{_mm512_set1_pd(static_cast<double>(grid.scale)),
                  _mm512_set1_pd(static_cast<double>(grid.zero_point)),
                  _mm512_set1_pd(static_cast<double>(grid.min_value)),
                  _mm512_set1_pd(static_cast<double>(grid.max_value))};
}

// QuantizeValue on 8 values (widened to double), step by step:
HARNESS_TARGET_AVX512 __m256i QuantizeEight(__m512d value, const WideGrid& grid) {
  // the quotient in double (a division, as the scalar code: value * (1 / scale) rounds
  // differently); NaN becomes 0, which then yields the clamped zero point as the scalar code;
  __m512d quotient = _mm512_div_pd(value, grid.scale);
  quotient = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(quotient, quotient, _CMP_ORD_Q), quotient);
  // std::round (round_avx512.h): quotient - trunc(quotient) is exact, so 0.49999999999999994
  // stays below the tie (trunc(x + 0.5) would round it up); infinities stay infinite;
  __m512d q = kernels::optimized::RoundHalfAwayFromZero(quotient);
  // the scalar code's clamps, in the same order: to +-1e9, then (after adding the zero point,
  // exact in double) to the type's range; the result converts exactly.
  q = _mm512_min_pd(_mm512_max_pd(q, _mm512_set1_pd(-1.0e9)), _mm512_set1_pd(1.0e9));
  q = _mm512_add_pd(q, grid.zero_point);
  q = _mm512_min_pd(_mm512_max_pd(q, grid.min_value), grid.max_value);
  return _mm512_cvttpd_epi32(q);
}

// The 16 int32 results for values[0, 16) (lanes outside `mask` read as 0 and are not used).
HARNESS_TARGET_AVX512 __m512i QuantizeSixteen(const float* values, __mmask16 mask,
                                              const WideGrid& grid) {
  const __m512 v = _mm512_maskz_loadu_ps(mask, values);
  const __m256 low = _mm512_castps512_ps256(v);
  const __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
  const __m256i low_q = QuantizeEight(_mm512_cvtps_pd(low), grid);
  const __m256i high_q = QuantizeEight(_mm512_cvtps_pd(high), grid);
  return _mm512_inserti64x4(_mm512_castsi256_si512(low_q), high_q, 1);
}

}  // namespace

HARNESS_TARGET_AVX512 void QuantizeToBytesAvx512(const float* values, size_t count,
                                                 const Grid& grid, std::byte* destination) {
  const WideGrid wide = Widen(grid);
  for (size_t i = 0; i < count; i += 16) {
    const __mmask16 mask = kernels::optimized::TailMask(static_cast<int64_t>(count - i));
    // Truncating narrowing keeps the low byte: the value already lies in int8's or uint8's range.
    _mm512_mask_cvtepi32_storeu_epi8(destination + i, mask,
                                     QuantizeSixteen(values + i, mask, wide));
  }
}

HARNESS_TARGET_AVX512 void QuantizeToWordsAvx512(const float* values, size_t count,
                                                 const Grid& grid, std::byte* destination) {
  const WideGrid wide = Widen(grid);
  for (size_t i = 0; i < count; i += 16) {
    const __mmask16 mask = kernels::optimized::TailMask(static_cast<int64_t>(count - i));
    _mm512_mask_cvtepi32_storeu_epi16(destination + 2 * i, mask,
                                      QuantizeSixteen(values + i, mask, wide));
  }
}

}  // namespace harness::eval::quantize_floats

#endif  // __x86_64__
