#include "kernels/optimized/affine_quantize.h"

#include <limits>

#include "kernels/reference/quantize.h"

#if defined(__x86_64__)
// GCC 12's own AVX-512 intrinsic headers trip -W(maybe-)uninitialized once inlined (GCC bug
// 105593, _mm512_undefined_* inside the intrinsics), not this code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include "kernels/optimized/round_avx512.h"
#endif

namespace kernels::optimized {
namespace {

#if defined(__x86_64__)
template <class T>
__attribute__((target("avx512f,avx512bw"))) void AffineQuantizeAvx512(float scale,
                                                                      int32_t zero_point,
                                                                      int64_t size,
                                                                      const float* input,
                                                                      T* output) {
  const __m512 scale16 = _mm512_set1_ps(scale);
  // The reference bounds the rounded quotient to +-2^30 before converting (anything beyond
  // clamps to the type anyway); the bounded value is an integer, so the conversion is exact.
  const __m512 limit = _mm512_set1_ps(1073741824.0f);
  const __m512 negative_limit = _mm512_set1_ps(-1073741824.0f);
  const __m512i zero_point16 = _mm512_set1_epi32(zero_point);
  const __m512i low = _mm512_set1_epi32(std::numeric_limits<T>::min());
  const __m512i high = _mm512_set1_epi32(std::numeric_limits<T>::max());
  for (int64_t i = 0; i < size; i += 16) {
    const __mmask16 lanes = TailMask(size - i);
    // Division, not a multiplication by 1 / scale: the reference divides, and the two round
    // differently.
    const __m512 rounded =
        RoundHalfAwayFromZero(_mm512_div_ps(_mm512_maskz_loadu_ps(lanes, input + i), scale16));
    const __mmask16 nan = _mm512_cmp_ps_mask(rounded, rounded, _CMP_UNORD_Q);
    const __m512 bounded = _mm512_min_ps(_mm512_max_ps(rounded, negative_limit), limit);
    __m512i value = _mm512_add_epi32(_mm512_cvtps_epi32(bounded), zero_point16);
    value = _mm512_mask_mov_epi32(value, nan, zero_point16);  // NaN: the zero point
    value = _mm512_min_epi32(_mm512_max_epi32(value, low), high);
    // In the type's range now: the truncating narrowings are exact.
    if constexpr (sizeof(T) == 1) {
      _mm512_mask_cvtepi32_storeu_epi8(output + i, lanes, value);
    } else {
      _mm512_mask_cvtepi32_storeu_epi16(output + i, lanes, value);
    }
  }
}
#endif

template <class T>
void Quantize(KernelVariant variant, float scale, int32_t zero_point, int64_t size,
              const float* input, T* output) {
#if defined(__x86_64__)
  if (variant == KernelVariant::kAvx512Vnni) {
    AffineQuantizeAvx512(scale, zero_point, size, input, output);
    return;
  }
#endif
  reference::AffineQuantize(scale, zero_point, size, input, output);
}

}  // namespace

void AffineQuantize(KernelVariant variant, float scale, int32_t zero_point, int64_t size,
                    const float* input, int8_t* output) {
  Quantize(variant, scale, zero_point, size, input, output);
}
void AffineQuantize(KernelVariant variant, float scale, int32_t zero_point, int64_t size,
                    const float* input, uint8_t* output) {
  Quantize(variant, scale, zero_point, size, input, output);
}
void AffineQuantize(KernelVariant variant, float scale, int32_t zero_point, int64_t size,
                    const float* input, int16_t* output) {
  Quantize(variant, scale, zero_point, size, input, output);
}

}  // namespace kernels::optimized
