// int8 GEMM micro-kernel for AVX2 (CPUs without AVX-512): a tile of up to 4 rows x 8 channels in
// int32 accumulators, over the same packed weights as the VNNI kernel.
//
// Why not vpmaddubsw: it adds two u8 x s8 products into a saturating int16, and 255 * -128 * 2
// does not fit, so results would differ from the reference's int32 sums. Instead both operands are
// widened to int16 (activations 0..255 zero-extended, weights sign-extended) and vpmaddwd adds
// two exact products into an int32 lane: per channel, one lane sums depth values 0-1 and the next
// 2-3 of each group of 4; the two are added at the end (wrapping int32, as the reference).
//
// Compiled for AVX2 by function attributes (no file-wide flags), and run only when cpuid allows.
#include <immintrin.h>

#include <cstring>

#include "kernels/optimized/micro_kernels.h"
#include "kernels/optimized/requantize_avx2.h"

#define HARNESS_AVX2 __attribute__((target("avx2")))

namespace kernels::optimized {
namespace {

constexpr int kHalfBlock = 8;  // channels per tile: one 256-bit vector of int32 lanes

struct TileArgs {
  const PackedInt8Weights* w;
  const uint8_t* a;
  int a_stride;
  int first_channel;  // multiple of 8
  const Int8OutputStage* stage;
  int8_t* out;
  int out_stride;
};

template <int kRows>
HARNESS_AVX2 void Tile(const TileArgs& t) {
  const int depth_groups = t.w->k_padded / 4;
  const int block = t.first_channel / kChannelBlock;
  const int half = (t.first_channel % kChannelBlock) / kHalfBlock;
  // In the packed layout 16 channels x 4 depth values take 64 bytes; this tile's 8 channels are
  // the 32 bytes of its half.
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
      std::memcpy(&four, t.a + static_cast<int64_t>(r) * t.a_stride + g * 4, sizeof four);
      // The 4 activation bytes as 4 int16, repeated for the 4 channels of a vector.
      const __m256i a = _mm256_cvtepu8_epi16(_mm_set1_epi32(four));
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(a, w0));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(a, w1));
    }
  }
  const int c = t.first_channel;
  const __m256i bias = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t.w->bias.data() + c));
  const __m256i multiplier =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t.w->multiplier.data() + c));
  const __m256i left =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t.w->left_shift.data() + c));
  const __m256i right =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t.w->right_shift.data() + c));
  const __m256i offset = _mm256_set1_epi32(t.stage->output_offset);
  const __m256i low = _mm256_set1_epi32(t.stage->activation_min);
  const __m256i high = _mm256_set1_epi32(t.stage->activation_max);
  const int count = t.w->n - c;
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
    // hadd per 128-bit half gives channels [0 1 4 5 | 2 3 6 7]; the permute restores the order.
    const __m256i pairs = _mm256_hadd_epi32(acc[r][0], acc[r][1]);
    const __m256i sums = _mm256_permute4x64_epi64(pairs, 0xD8);
    const __m256i value = avx2::MultiplyByQuantizedMultiplier(_mm256_add_epi32(sums, bias),
                                                              multiplier, left, right);
    avx2::StoreInt8(value, offset, low, high, count,
                    t.out + static_cast<int64_t>(r) * t.out_stride + c);
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

HARNESS_AVX2 void GemmInt8Avx2(const PackedInt8Weights& w, const uint8_t* a, int rows,
                               int a_stride, const Int8OutputStage& stage, int8_t* out,
                               int out_stride) {
  // 4 rows x 8 channels: 8 accumulators, 2 weight vectors and the activations fit in the 16
  // vector registers.
  constexpr int kRows = 4;
  for (int c = 0; c < w.n; c += kHalfBlock) {
    TileArgs t{&w, a, a_stride, c, &stage, out, out_stride};
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
