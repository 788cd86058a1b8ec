// float32 GEMM micro-kernel for AVX2: a tile of up to 4 rows x 16 channels (two vectors of 8).
// As in gemm_float_avx512.cc, each lane owns one output channel of one row and does what the
// reference's scalar loop does: total = 0, then total = total + a[d] * w[d] for d in order, a
// rounded multiply then a rounded add (no FMA: the functions target plain "avx2", so the
// compiler has no fused instruction to contract into), then + bias and the clamp. The results
// are bit-identical to kernels/reference.
//
// Compiled for AVX2 by function attributes, run only when cpuid allows.
#include <immintrin.h>

#include <algorithm>

#include "kernels/optimized/micro_kernels.h"

#define HARNESS_AVX2 __attribute__((target("avx2")))

namespace kernels::optimized {
namespace {

struct TileArgs {
  const PackedFloatWeights* w;
  const float* a;
  int a_stride;
  int first_channel;  // multiple of 16
  float activation_min;
  float activation_max;
  float* out;
  int out_stride;
};

HARNESS_AVX2 inline void Store(float* out, __m256 value, int count) {
  if (count >= 8) {
    _mm256_storeu_ps(out, value);
  } else if (count > 0) {
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, value);
    std::copy_n(lanes, count, out);
  }
}

template <int kRows>
HARNESS_AVX2 void Tile(const TileArgs& t) {
  const int depth = t.w->k;
  const float* weights =
      t.w->data.data() + static_cast<int64_t>(t.first_channel / kChannelBlock) * depth * 16;
  __m256 acc[kRows][2];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int d = 0; d < depth; ++d) {
    const __m256 w0 = _mm256_loadu_ps(weights + static_cast<int64_t>(d) * 16);
    const __m256 w1 = _mm256_loadu_ps(weights + static_cast<int64_t>(d) * 16 + 8);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m256 a = _mm256_broadcast_ss(t.a + static_cast<int64_t>(r) * t.a_stride + d);
      acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_mul_ps(a, w0));
      acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_mul_ps(a, w1));
    }
  }
  const __m256 low = _mm256_set1_ps(t.activation_min);
  const __m256 high = _mm256_set1_ps(t.activation_max);
  for (int h = 0; h < 2; ++h) {
    const int c = t.first_channel + 8 * h;
    const __m256 bias = _mm256_loadu_ps(t.w->bias.data() + c);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      // + bias, then the clamp: max with the lower limit, then min with the upper one, as
      // gemm_float_avx512.cc.
      const __m256 value =
          _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(acc[r][h], bias), low), high);
      Store(t.out + static_cast<int64_t>(r) * t.out_stride + c, value, t.w->n - c);
    }
  }
}

template <int kRows>
HARNESS_AVX2 void TailTile(const TileArgs& t, int rows) {
  if constexpr (kRows > 0) {
    if (rows == kRows) {
      Tile<kRows>(t);
    } else {
      TailTile<kRows - 1>(t, rows);
    }
  }
}

}  // namespace

HARNESS_AVX2 void GemmFloatAvx2(const PackedFloatWeights& w, const float* a, int rows,
                                int a_stride, float activation_min, float activation_max,
                                float* out, int out_stride) {
  // 4 rows x 16 channels: 8 accumulators, 2 weight vectors and a broadcast in 16 registers.
  constexpr int kRows = 4;
  for (int c = 0; c < w.n; c += kChannelBlock) {
    TileArgs t{&w, a, a_stride, c, activation_min, activation_max, out, out_stride};
    int r = 0;
    for (; r + kRows <= rows; r += kRows) {
      t.a = a + static_cast<int64_t>(r) * a_stride;
      t.out = out + static_cast<int64_t>(r) * out_stride;
      Tile<kRows>(t);
    }
    if (r < rows) {
      t.a = a + static_cast<int64_t>(r) * a_stride;
      t.out = out + static_cast<int64_t>(r) * out_stride;
      TailTile<kRows - 1>(t, rows - r);
    }
  }
}

}  // namespace kernels::optimized
