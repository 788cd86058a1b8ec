// Hybrid GEMM micro-kernel for AVX-512 VNNI: a tile of up to 8 rows x 64 channels in int32
// accumulators, vpdpbusd on 4 depth values at a time (q + 128 as unsigned bytes x signed
// weights), then the reference's float epilogue on the vector registers.
//
// Compiled for AVX-512 by function attributes (no file-wide flags), run only when cpuid allows.
// Lane by lane the epilogue is the reference's scalar arithmetic: cvtdq2ps rounds as
// static_cast<float> (round to nearest), one mul and one add (no FMA: -ffp-contract=off), and
// max(lo, x) / min(hi, x) return x on a NaN x and on equal operands, as std::max(x, lo) /
// std::min(x, hi) do.
#include <immintrin.h>

// GCC 12's own AVX-512 intrinsic headers trip -W(maybe-)uninitialized at -O3 (GCC bug 105593,
// _mm512_undefined_* inside the intrinsics), not this code; the CMake flags of the other AVX-512
// files say the same for them.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <cstring>

#include "kernels/optimized/dot_accumulate_avx512.h"
#include "kernels/optimized/hybrid_fully_connected.h"
#include "kernels/optimized/packed_weights.h"
#include "kernels/optimized/tile_walk.h"

#define HARNESS_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))

namespace kernels::optimized {
namespace {

struct TileArgs {
  const PackedHybridWeights* w;
  HybridRows a;
  int first_channel;  // multiple of 16
  float activation_min;
  float activation_max;
  float* out;
  int out_stride;
};

template <int kRows, int kBlocks>
HARNESS_AVX512VNNI void Tile(const TileArgs& t) {
  const int depth_groups = t.w->k_padded / 4;
  const int8_t* weights = t.w->data.data() +
                          static_cast<int64_t>(t.first_channel / kChannelBlock) * depth_groups * 64;
  const int64_t block_stride = static_cast<int64_t>(depth_groups) * 64;
  __m512i acc[kRows][kBlocks];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r)
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b) acc[r][b] = _mm512_setzero_si512();
  for (int g = 0; g < depth_groups; ++g) {
    __m512i w[kBlocks];
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b) w[b] = _mm512_loadu_si512(weights + b * block_stride + g * 64);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      int32_t four;
      std::memcpy(&four, t.a.data + static_cast<int64_t>(r) * t.a.stride + g * 4, sizeof four);
      const __m512i a = _mm512_set1_epi32(four);
#pragma GCC unroll 8
      for (int b = 0; b < kBlocks; ++b) DotAccumulate(acc[r][b], a, w[b]);
    }
  }
  const __m512 low = _mm512_set1_ps(t.activation_min);
  const __m512 high = _mm512_set1_ps(t.activation_max);
#pragma GCC unroll 8
  for (int b = 0; b < kBlocks; ++b) {
    const int c = t.first_channel + b * kChannelBlock;
    const __m512i row_sum = _mm512_loadu_si512(t.w->row_sum.data() + c);
    const __m512 bias = _mm512_loadu_ps(t.w->bias.data() + c);
    const __m512 channel_scale = _mm512_loadu_ps(t.w->channel_scale.data() + c);
    const int count = t.w->n - c;
    const __mmask16 lanes =
        count >= kChannelBlock ? __mmask16{0xFFFF} : static_cast<__mmask16>((1U << count) - 1U);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      // sum w * (q + 128) - row_sum * (128 + offset): the reference's dot (wrapping int32).
      const __m512i shift = _mm512_set1_epi32(128 + t.a.offset[r]);
      const __m512i dot = _mm512_sub_epi32(acc[r][b], _mm512_mullo_epi32(row_sum, shift));
      const __m512 scale = _mm512_mul_ps(_mm512_set1_ps(t.a.scale[r]), channel_scale);
      const __m512 value = _mm512_add_ps(bias, _mm512_mul_ps(_mm512_cvtepi32_ps(dot), scale));
      const __m512 clamped = _mm512_min_ps(high, _mm512_max_ps(low, value));
      _mm512_mask_storeu_ps(t.out + static_cast<int64_t>(r) * t.out_stride + c, lanes, clamped);
    }
  }
}

struct HybridTiles {
  const PackedHybridWeights& w;
  const HybridRows& a;
  float activation_min;
  float activation_max;
  float* out;
  int out_stride;

  static constexpr int RowsPerTile(int blocks) { return tile_walk::RowsOfInt32Tiles(blocks); }

  template <int kRows, int kBlocks>
  void Run(int first_row, int first_channel) const {
    const HybridRows rows{a.data + static_cast<int64_t>(first_row) * a.stride, a.stride,
                          a.scale + first_row, a.offset + first_row};
    Tile<kRows, kBlocks>(TileArgs{&w, rows, first_channel, activation_min, activation_max,
                                  out + static_cast<int64_t>(first_row) * out_stride, out_stride});
  }
};

}  // namespace

void HybridGemmAvx512Vnni(const PackedHybridWeights& w, const HybridRows& a, int rows,
                          float activation_min, float activation_max, float* out,
                          int out_stride) {
  tile_walk::ForEachTile(HybridTiles{w, a, activation_min, activation_max, out, out_stride}, rows,
                         w.n_padded);
}

}  // namespace kernels::optimized
