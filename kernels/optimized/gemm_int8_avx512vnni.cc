// int8 GEMM micro-kernel for AVX-512 VNNI: a tile of up to 8 rows x 64 channels held in int32
// accumulators, vpdpbusd on 4 depth values at a time (unsigned activations x signed weights),
// then TFLite's per-channel requantization on the vector registers.
#include <immintrin.h>

#include <cstring>

#include "kernels/optimized/dot_accumulate_avx512.h"
#include "kernels/optimized/micro_kernels.h"
#include "kernels/optimized/requantize_avx512.h"
#include "kernels/optimized/tile_walk.h"

namespace kernels::optimized {
namespace {

struct TileArgs {
  const PackedInt8Weights* w;
  const uint8_t* a;
  int a_stride;
  int first_channel;  // multiple of 16
  const Int8OutputStage* stage;
  int8_t* out;
  int out_stride;
};

template <int kRows, int kBlocks>
void Tile(const TileArgs& t) {
  const int depth_groups = t.w->k_padded / 4;
  const int8_t* weights =
      t.w->data.data() + static_cast<int64_t>(t.first_channel / kChannelBlock) * depth_groups * 64;
  const int64_t block_stride = static_cast<int64_t>(depth_groups) * 64;
  // The accumulators start from the bias: the same wrapping int32 sum as adding it at the end,
  // one vector operation per output vector less in the output stage.
  __m512i bias[kBlocks];
#pragma GCC unroll 8
  for (int b = 0; b < kBlocks; ++b) {
    bias[b] = _mm512_loadu_si512(t.w->bias.data() + t.first_channel + b * kChannelBlock);
  }
  __m512i acc[kRows][kBlocks];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r)
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b) acc[r][b] = bias[b];
  for (int g = 0; g < depth_groups; ++g) {
    __m512i w[kBlocks];
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b)
      w[b] = _mm512_loadu_si512(weights + b * block_stride + g * 64);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      int32_t four;
      std::memcpy(&four, t.a + static_cast<int64_t>(r) * t.a_stride + g * 4, sizeof four);
      const __m512i a = _mm512_set1_epi32(four);
#pragma GCC unroll 8
      for (int b = 0; b < kBlocks; ++b) DotAccumulate(acc[r][b], a, w[b]);
    }
  }
  const __m512i offset = _mm512_set1_epi32(t.stage->output_offset);
  const __m512i low = _mm512_set1_epi32(t.stage->activation_min);
  const __m512i high = _mm512_set1_epi32(t.stage->activation_max);
#pragma GCC unroll 8
  for (int b = 0; b < kBlocks; ++b) {
    const int c = t.first_channel + b * kChannelBlock;
    const __m512i multiplier = _mm512_loadu_si512(t.w->multiplier.data() + c);
    const __m512i left = _mm512_loadu_si512(t.w->left_shift.data() + c);
    const __m512i right = _mm512_loadu_si512(t.w->right_shift.data() + c);
    const __mmask16 lanes = FirstLanes(t.w->n - c);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      const __m512i value = MultiplyByQuantizedMultiplier(acc[r][b], multiplier, left, right);
      StoreInt8(value, offset, low, high, lanes,
                t.out + static_cast<int64_t>(r) * t.out_stride + c);
    }
  }
}

struct Int8Tiles {
  const PackedInt8Weights& w;
  const uint8_t* a;
  int a_stride;
  const Int8OutputStage& stage;
  int8_t* out;
  int out_stride;

  static constexpr int RowsPerTile(int blocks) { return tile_walk::RowsOfInt32Tiles(blocks); }

  template <int kRows, int kBlocks>
  void Run(int first_row, int first_channel) const {
    Tile<kRows, kBlocks>(TileArgs{&w, a + static_cast<int64_t>(first_row) * a_stride, a_stride,
                                  first_channel, &stage,
                                  out + static_cast<int64_t>(first_row) * out_stride, out_stride});
  }
};

}  // namespace

void GemmInt8Avx512Vnni(const PackedInt8Weights& w, const uint8_t* a, int rows, int a_stride,
                        const Int8OutputStage& stage, int8_t* out, int out_stride) {
  tile_walk::ForEachTile(Int8Tiles{w, a, a_stride, stage, out, out_stride}, rows, w.n_padded);
}

}  // namespace kernels::optimized
