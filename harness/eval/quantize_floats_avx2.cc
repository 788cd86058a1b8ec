// AVX2 loops of QuantizeFloats: 8 floats per step (two vectors of 4 doubles), the scalar
// QuantizeValue for the tail. Compiled for x86-64 only, with per-function target attributes:
// the caller checks cpuid.
#include "harness/eval/quantize_floats_isa.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include <cstring>

#include "harness/eval/quantize_floats.h"

#define HARNESS_TARGET_AVX2 __attribute__((target("avx2")))

namespace harness::eval::quantize_floats {
namespace {

struct WideGrid {
  __m256d scale;
  __m256d zero_point;
  __m256d min_value;
  __m256d max_value;
};

HARNESS_TARGET_AVX2 WideGrid Widen(const Grid& grid) {
  return WideGrid{_mm256_set1_pd(static_cast<double>(grid.scale)),
                  _mm256_set1_pd(static_cast<double>(grid.zero_point)),
                  _mm256_set1_pd(static_cast<double>(grid.min_value)),
                  _mm256_set1_pd(static_cast<double>(grid.max_value))};
}

// QuantizeValue on 4 values (widened to double); the steps of the AVX-512 loop, which says why.
HARNESS_TARGET_AVX2 __m128i QuantizeFour(__m128 values, const WideGrid& grid) {
  const __m256d sign_bit = _mm256_set1_pd(-0.0);
  __m256d quotient = _mm256_div_pd(_mm256_cvtps_pd(values), grid.scale);
  quotient = _mm256_and_pd(quotient, _mm256_cmp_pd(quotient, quotient, _CMP_ORD_Q));  // NaN -> 0
  const __m256d truncated = _mm256_round_pd(quotient, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256d magnitude = _mm256_andnot_pd(sign_bit, _mm256_sub_pd(quotient, truncated));
  const __m256d carry = _mm256_cmp_pd(magnitude, _mm256_set1_pd(0.5), _CMP_GE_OQ);
  const __m256d away = _mm256_or_pd(_mm256_and_pd(quotient, sign_bit), _mm256_set1_pd(1.0));
  __m256d q = _mm256_add_pd(truncated, _mm256_and_pd(carry, away));
  q = _mm256_min_pd(_mm256_max_pd(q, _mm256_set1_pd(-1.0e9)), _mm256_set1_pd(1.0e9));
  q = _mm256_add_pd(q, grid.zero_point);
  q = _mm256_min_pd(_mm256_max_pd(q, grid.min_value), grid.max_value);
  return _mm256_cvttpd_epi32(q);
}

// The 8 results for values[0, 8) as int16: every type's range fits, so the pack is exact.
HARNESS_TARGET_AVX2 __m128i QuantizeEightToWords(const float* values, const WideGrid& grid) {
  const __m256 v = _mm256_loadu_ps(values);
  return _mm_packs_epi32(QuantizeFour(_mm256_castps256_ps128(v), grid),
                         QuantizeFour(_mm256_extractf128_ps(v, 1), grid));
}

template <typename Quantized>
void QuantizeTail(const float* values, size_t count, const Grid& grid, std::byte* destination) {
  for (size_t i = 0; i < count; ++i) {
    const auto q = static_cast<Quantized>(
        QuantizeValue(values[i], grid.scale, grid.zero_point, grid.min_value, grid.max_value));
    std::memcpy(destination + i * sizeof(Quantized), &q, sizeof(Quantized));
  }
}

}  // namespace

HARNESS_TARGET_AVX2 void QuantizeToBytesAvx2(const float* values, size_t count, const Grid& grid,
                                             std::byte* destination) {
  const WideGrid wide = Widen(grid);
  // The low byte of each int16 (the value already lies in int8's or uint8's range).
  const __m128i low_bytes =
      _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, -1, -1, -1, -1, -1, -1, -1, -1);
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m128i bytes = _mm_shuffle_epi8(QuantizeEightToWords(values + i, wide), low_bytes);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(destination + i), bytes);
  }
  // int8 and uint8 tails write the same low byte of the same int32.
  QuantizeTail<int8_t>(values + i, count - i, grid, destination + i);
}

HARNESS_TARGET_AVX2 void QuantizeToWordsAvx2(const float* values, size_t count, const Grid& grid,
                                             std::byte* destination) {
  const WideGrid wide = Widen(grid);
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(destination + 2 * i),
                     QuantizeEightToWords(values + i, wide));
  }
  QuantizeTail<int16_t>(values + i, count - i, grid, destination + 2 * i);
}

}  // namespace harness::eval::quantize_floats

#endif  // __x86_64__
