// float32 GEMM micro-kernel for AVX-512: a tile of up to 8 rows (output pixels) x 64 channels.
// Each lane owns one output channel of one row and does exactly what the reference's scalar loop
// does for it: total = 0, then total = total + a[d] * w[d] for d in order (a rounded multiply,
// then a rounded add; never a fused multiply-add, whose single rounding would change the last
// bits), then total + bias, then the clamp. The results are therefore bit-identical to
// kernels/reference; kernels/CMakeLists.txt compiles this file with -ffp-contract=off so that the
// compiler cannot fuse the multiply and add either.
#include <immintrin.h>

#include "kernels/optimized/micro_kernels.h"
#include "kernels/optimized/requantize_avx512.h"
#include "kernels/optimized/tile_walk.h"

namespace kernels::optimized {
namespace {

struct TileArgs {
  const PackedFloatWeights* w;
  const float* a;
  int a_stride;
  int first_channel;
  float activation_min;
  float activation_max;
  float* out;
  int out_stride;
};

template <int kRows, int kBlocks>
void Tile(const TileArgs& t) {
  const int depth = t.w->k;
  const float* weights =
      t.w->data.data() + static_cast<int64_t>(t.first_channel / kChannelBlock) * depth * 16;
  const int64_t block_stride = static_cast<int64_t>(depth) * 16;
  __m512 acc[kRows][kBlocks];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r)
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b) acc[r][b] = _mm512_setzero_ps();
  for (int d = 0; d < depth; ++d) {
    __m512 w[kBlocks];
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b) w[b] = _mm512_loadu_ps(weights + b * block_stride + d * 16);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m512 a = _mm512_set1_ps(t.a[static_cast<int64_t>(r) * t.a_stride + d]);
#pragma GCC unroll 8
      for (int b = 0; b < kBlocks; ++b) {
        acc[r][b] = _mm512_add_ps(acc[r][b], _mm512_mul_ps(a, w[b]));
      }
    }
  }
  const __m512 low = _mm512_set1_ps(t.activation_min);
  const __m512 high = _mm512_set1_ps(t.activation_max);
#pragma GCC unroll 8
  for (int b = 0; b < kBlocks; ++b) {
    const int c = t.first_channel + b * kChannelBlock;
    const __m512 bias = _mm512_loadu_ps(t.w->bias.data() + c);
    const __mmask16 lanes = FirstLanes(t.w->n - c);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m512 value =
          _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc[r][b], bias), low), high);
      _mm512_mask_storeu_ps(t.out + static_cast<int64_t>(r) * t.out_stride + c, lanes, value);
    }
  }
}

struct FloatTiles {
  const PackedFloatWeights& w;
  const float* a;
  int a_stride;
  float activation_min;
  float activation_max;
  float* out;
  int out_stride;

  static constexpr int RowsPerTile(int blocks) { return tile_walk::RowsOfInt32Tiles(blocks); }

  template <int kRows, int kBlocks>
  void Run(int first_row, int first_channel) const {
    Tile<kRows, kBlocks>(TileArgs{&w, a + static_cast<int64_t>(first_row) * a_stride, a_stride,
                                  first_channel, activation_min, activation_max,
                                  out + static_cast<int64_t>(first_row) * out_stride, out_stride});
  }
};

}  // namespace

void GemmFloatAvx512(const PackedFloatWeights& w, const float* a, int rows, int a_stride,
                     float activation_min, float activation_max, float* out, int out_stride) {
  tile_walk::ForEachTile(
      FloatTiles{w, a, a_stride, activation_min, activation_max, out, out_stride}, rows,
      w.n_padded);
}

}  // namespace kernels::optimized
