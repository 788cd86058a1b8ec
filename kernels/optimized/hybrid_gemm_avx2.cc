// Hybrid GEMM micro-kernel for AVX2 (CPUs without AVX-512): a tile of up to 4 rows x 8 channels
// in int32 accumulators over the packed weights, then the reference's float epilogue.
//
// As GemmInt8Avx2 (and for the same reason: vpmaddubsw's saturating int16 sum is not exact),
// activations (q + 128, zero-extended) and weights (sign-extended) are widened to int16 and
// vpmaddwd adds two exact products into an int32 lane; per channel, one lane sums depth values
// 0-1 and the next 2-3 of each group of 4, added together at the end.
//
// Compiled for AVX2 by function attributes, run only when cpuid allows. The epilogue is the
// reference's scalar arithmetic lane by lane (see hybrid_gemm_avx512vnni.cc).
#include <immintrin.h>

#include <cstring>

#include "kernels/optimized/hybrid_fully_connected.h"
#include "kernels/optimized/packed_weights.h"

#define HARNESS_AVX2 __attribute__((target("avx2")))

namespace kernels::optimized {
namespace {

constexpr int kHalfBlock = 8;  // channels per tile: one 256-bit vector of int32 lanes

struct TileArgs {
  const PackedHybridWeights* w;
  HybridRows a;
  int first_channel;  // multiple of 8
  float activation_min;
  float activation_max;
  float* out;
  int out_stride;
};

template <int kRows>
HARNESS_AVX2 void Tile(const TileArgs& t) {
  const int depth_groups = t.w->k_padded / 4;
  const int block = t.first_channel / kChannelBlock;
  const int half = (t.first_channel % kChannelBlock) / kHalfBlock;
  // 16 channels x 4 depth values take 64 bytes; this tile's 8 channels are the 32 of its half.
  const int8_t* weights =
      t.w->data.data() + static_cast<int64_t>(block) * depth_groups * 64 + half * 32;
  // acc[r][0]: channels 0-3, acc[r][1]: channels 4-7, two lanes per channel.
  __m256i acc[kRows][2];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (int g = 0; g < depth_groups; ++g) {
    const int8_t* group = weights + static_cast<int64_t>(g) * 64;
    const __m256i w0 = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group)));
    const __m256i w1 =
        _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(group + 16)));
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
      int32_t four;
      std::memcpy(&four, t.a.data + static_cast<int64_t>(r) * t.a.stride + g * 4, sizeof four);
      const __m256i a = _mm256_cvtepu8_epi16(_mm_set1_epi32(four));
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(a, w0));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(a, w1));
    }
  }
  const int c = t.first_channel;
  const __m256i row_sum =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t.w->row_sum.data() + c));
  const __m256 bias = _mm256_loadu_ps(t.w->bias.data() + c);
  const __m256 channel_scale = _mm256_loadu_ps(t.w->channel_scale.data() + c);
  const __m256 low = _mm256_set1_ps(t.activation_min);
  const __m256 high = _mm256_set1_ps(t.activation_max);
  const int count = t.w->n - c;
  // Lanes below `count` have their sign bit set: the mask vmaskmovps stores by.
  const __m256i lanes =
      _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    // hadd per 128-bit half gives channels [0 1 4 5 | 2 3 6 7]; the permute restores the order.
    const __m256i pairs = _mm256_hadd_epi32(acc[r][0], acc[r][1]);
    const __m256i sums = _mm256_permute4x64_epi64(pairs, 0xD8);
    // sum w * (q + 128) - row_sum * (128 + offset): the reference's dot (wrapping int32).
    const __m256i shift = _mm256_set1_epi32(128 + t.a.offset[r]);
    const __m256i dot = _mm256_sub_epi32(sums, _mm256_mullo_epi32(row_sum, shift));
    const __m256 scale = _mm256_mul_ps(_mm256_set1_ps(t.a.scale[r]), channel_scale);
    const __m256 value = _mm256_add_ps(bias, _mm256_mul_ps(_mm256_cvtepi32_ps(dot), scale));
    const __m256 clamped = _mm256_min_ps(high, _mm256_max_ps(low, value));
    _mm256_maskstore_ps(t.out + static_cast<int64_t>(r) * t.out_stride + c, lanes, clamped);
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

HARNESS_AVX2 void HybridGemmAvx2(const PackedHybridWeights& w, const HybridRows& a, int rows,
                                 float activation_min, float activation_max, float* out,
                                 int out_stride) {
  // 4 rows x 8 channels: 8 accumulators, 2 weight vectors and the activations fit in the 16
  // vector registers.
  constexpr int kRows = 4;
  for (int c = 0; c < w.n; c += kHalfBlock) {
    TileArgs t{&w, a, c, activation_min, activation_max, out, out_stride};
    int r = 0;
    for (; r + kRows <= rows; r += kRows) {
      t.a.data = a.data + static_cast<int64_t>(r) * a.stride;
      t.a.scale = a.scale + r;
      t.a.offset = a.offset + r;
      t.out = out + static_cast<int64_t>(r) * out_stride;
      Tile<kRows>(t);
    }
    if (r < rows) {
      t.a.data = a.data + static_cast<int64_t>(r) * a.stride;
      t.a.scale = a.scale + r;
      t.a.offset = a.offset + r;
      t.out = out + static_cast<int64_t>(r) * out_stride;
      TailTile<kRows - 1>(t, rows - r);
    }
  }
}

}  // namespace kernels::optimized
