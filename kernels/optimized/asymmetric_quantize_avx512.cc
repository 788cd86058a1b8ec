// AVX-512F halves of the asymmetric hybrid-input quantization, 16 floats per step with a masked
// tail. Compiled for x86-64 only, with per-function target attributes: the caller checks cpuid.
#include "kernels/optimized/asymmetric_quantize_isa.h"

#if defined(__x86_64__)
// GCC 12's own AVX-512 intrinsic headers trip -W(maybe-)uninitialized once inlined (GCC bug
// 105593, _mm512_undefined_* inside the intrinsics), not this code; the AVX-512 sources built
// with -mavx512f get the same two flags in kernels/CMakeLists.txt.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include "kernels/optimized/round_avx512.h"

#define HARNESS_TARGET_AVX512 __attribute__((target("avx512f")))

namespace kernels::optimized::asymmetric_quantize {

HARNESS_TARGET_AVX512 Extremes ExtremesAvx512(const float* values, int64_t size) {
  // Starting from 0 (and zero-filled tail lanes) folds in the min(0, .) and max(0, .) the grid
  // takes anyway. Without NaN, min and max are exact whatever their order of evaluation.
  __m512 low = _mm512_setzero_ps();
  __m512 high = _mm512_setzero_ps();
  __mmask16 unordered = 0;
  for (int64_t i = 0; i < size; i += 16) {
    const __m512 v = _mm512_maskz_loadu_ps(TailMask(size - i), values + i);
    unordered |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    low = _mm512_min_ps(low, v);
    high = _mm512_max_ps(high, v);
  }
  if (unordered != 0) return Extremes{0.0f, 0.0f, true};
  return Extremes{_mm512_reduce_min_ps(low), _mm512_reduce_max_ps(high), false};
}

HARNESS_TARGET_AVX512 void QuantizeAvx512(const float* values, int64_t size, float inverse,
                                          float offset_as_float, int8_t* quantized) {
  const __m512 inverse16 = _mm512_set1_ps(inverse);
  const __m512 offset16 = _mm512_set1_ps(offset_as_float);
  for (int64_t i = 0; i < size; i += 16) {
    const __mmask16 mask = TailMask(size - i);
    const __m512 v = _mm512_maskz_loadu_ps(mask, values + i);
    // offset + value * inverse, each operation rounded to float as in the reference (the
    // library is built with -ffp-contract=off, so no FMA fuses them).
    const __m512 x = _mm512_add_ps(offset16, _mm512_mul_ps(v, inverse16));
    // Truncating conversion: NaN, infinities and |x| >= 2^31 give INT32_MIN like the scalar
    // cvttss2si; the saturating narrowing then clamps to [-128, 127] (INT32_MIN to -128).
    const __m512i q = _mm512_cvttps_epi32(RoundHalfAwayFromZero(x));
    _mm512_mask_cvtsepi32_storeu_epi8(quantized + i, mask, q);
  }
}

}  // namespace kernels::optimized::asymmetric_quantize

#endif  // __x86_64__
