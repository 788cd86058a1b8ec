// int16x8 GEMM micro-kernel for AVX-512 F/BW: a tile of up to 4 rows x 2x16 channels or 3 rows
// x 4x16. vpmaddwd
// multiplies the int16 activations (a pair of depth values broadcast to every int32 lane) by
// the packed int16 weights (two depth values per channel) and adds each pair exactly into an
// int32 lane; blocks of kInt16PairsPerBlock pairs are then widened into int64 lanes (see
// gemm_int16.h for why neither can overflow), so the sums equal the reference's int64 ones.
//
// Compiled for AVX-512 F/BW by function attributes (no file-wide flags; kernels/CMakeLists.txt is
// not touched), and run only when cpuid allows.
// GCC 12's own AVX-512 intrinsic headers trip -Wmaybe-uninitialized at -O3 (GCC bug 105593,
// _mm512_undefined_* inside the intrinsics), not this code; the files listed in
// kernels/CMakeLists.txt get -Wno-maybe-uninitialized, this one (target attributes) the pragma.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/optimized/gemm_int16.h"
#include "kernels/optimized/requantize_int16_avx512.h"
#include "kernels/optimized/tile_walk.h"

#define HARNESS_TARGET __attribute__((target("avx512f,avx512bw")))

namespace kernels::optimized {
namespace {

using Vec = __m512i;
// int32 lanes per vector; a 16-channel block takes kVecsPerBlock vectors.
constexpr int kLanes = 16;
constexpr int kVecsPerBlock = kInt16ChannelBlock / kLanes;

struct TileArgs {
  const PackedInt16x8Weights* w;
  const int16_t* a;
  int64_t a_stride;
  int first_channel;  // multiple of 16
  const Int16OutputStage* stage;
  int16_t* out;
  int64_t out_stride;
};

HARNESS_TARGET inline Vec Load(const int16_t* source) { return _mm512_loadu_si512(source); }
HARNESS_TARGET inline __m256i Low(Vec value) { return _mm512_castsi512_si256(value); }
HARNESS_TARGET inline __m256i High(Vec value) { return _mm512_extracti64x4_epi64(value, 1); }

HARNESS_TARGET inline Vec BroadcastPair(const int16_t* source) {
  int32_t pair;
  std::memcpy(&pair, source, sizeof pair);
  return _mm512_set1_epi32(pair);
}

// acc += madd(x, w), both instructions as inline assembly. GCC 12, given the intrinsics, adds
// into the product's register and copies the sum back into the accumulator's: one vmovdqa64
// per accumulator per step of the hot loop (with only the add in assembly, the copies remain in
// some tiles). "+v" makes the accumulator the add's destination; the weights may stay a memory
// operand. The accumulator goes through a local: an array element as the operand would keep
// the whole array on the stack (loads and stores in the hot loop).
HARNESS_TARGET inline void MultiplyAccumulate(Vec& acc, Vec x, Vec w) {
  Vec sum = acc;
  Vec product;
  asm("vpmaddwd %[w], %[x], %[product]\n\t"
      "vpaddd %[product], %[sum], %[sum]"
      : [sum] "+v"(sum), [product] "=&v"(product)
      : [x] "v"(x), [w] "vm"(w));
  acc = sum;
}

// Every loop over the constexpr tile dimensions (8 at most) carries `#pragma GCC unroll 8`: fully
// unrolled whatever GCC's heuristics say, the arrays of vectors are split into registers.
template <int kRows, int kBlocks>
HARNESS_TARGET void Tile(const TileArgs& t) {
  constexpr int kVecs = kBlocks * kVecsPerBlock;
  const PackedInt16x8Weights& w = *t.w;
  const int64_t block_stride = static_cast<int64_t>(w.k_pairs) * kInt16ChannelBlock * 2;
  const int16_t* weights = w.data.data() + (t.first_channel / kInt16ChannelBlock) * block_stride;
  const int full_pairs = w.k / 2;
  // int64 sums, two vectors per int32 vector (low and high halves of the lanes).
  Vec sum64[kRows][2 * kVecs];
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r)
#pragma GCC unroll 8
    for (int v = 0; v < 2 * kVecs; ++v) sum64[r][v] = _mm512_setzero_si512();
  for (int p0 = 0; p0 < w.k_pairs; p0 += kInt16PairsPerBlock) {
    const int block_end = std::min(p0 + kInt16PairsPerBlock, w.k_pairs);
    const int pairs_end = std::min(block_end, full_pairs);
    Vec acc[kRows][kVecs];
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r)
#pragma GCC unroll 8
      for (int v = 0; v < kVecs; ++v) acc[r][v] = _mm512_setzero_si512();
    for (int p = p0; p < pairs_end; ++p) {
      Vec wv[kVecs];
#pragma GCC unroll 8
      for (int b = 0; b < kBlocks; ++b)
#pragma GCC unroll 8
        for (int h = 0; h < kVecsPerBlock; ++h)
          wv[b * kVecsPerBlock + h] =
              Load(weights + b * block_stride + p * kInt16ChannelBlock * 2 + h * kLanes * 2);
#pragma GCC unroll 8
      for (int r = 0; r < kRows; ++r) {
        const Vec x = BroadcastPair(t.a + r * t.a_stride + 2 * p);
#pragma GCC unroll 8
        for (int v = 0; v < kVecs; ++v) MultiplyAccumulate(acc[r][v], x, wv[v]);
      }
    }
    if (pairs_end < block_end) {
      // An odd depth: the last value alone (its partner weight is a zero pad), without reading
      // past the row.
      const int p = pairs_end;
      Vec wv[kVecs];
#pragma GCC unroll 8
      for (int b = 0; b < kBlocks; ++b)
#pragma GCC unroll 8
        for (int h = 0; h < kVecsPerBlock; ++h)
          wv[b * kVecsPerBlock + h] =
              Load(weights + b * block_stride + p * kInt16ChannelBlock * 2 + h * kLanes * 2);
#pragma GCC unroll 8
      for (int r = 0; r < kRows; ++r) {
        const Vec x = _mm512_set1_epi32(
            static_cast<int32_t>(static_cast<uint16_t>(t.a[r * t.a_stride + 2 * p])));
#pragma GCC unroll 8
        for (int v = 0; v < kVecs; ++v) MultiplyAccumulate(acc[r][v], x, wv[v]);
      }
    }
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) {
#pragma GCC unroll 8
      for (int v = 0; v < kVecs; ++v) {
        sum64[r][2 * v] = _mm512_add_epi64(sum64[r][2 * v], _mm512_cvtepi32_epi64(Low(acc[r][v])));
        sum64[r][2 * v + 1] =
            _mm512_add_epi64(sum64[r][2 * v + 1], _mm512_cvtepi32_epi64(High(acc[r][v])));
      }
    }
  }
  // The output stage on registers, 16 channels at a time.
  const int count = std::min(kBlocks * kInt16ChannelBlock, w.n - t.first_channel);
#pragma GCC unroll 8
  for (int r = 0; r < kRows; ++r) {
#pragma GCC unroll 8
    for (int v = 0; v < kVecs; ++v) {
      const int lanes = count - v * kLanes;
      if (lanes <= 0) break;
      const Vec scaled = int16_avx512::Scale(w.int64_path, sum64[r][2 * v], sum64[r][2 * v + 1],
                                             w.requantization, t.first_channel + v * kLanes);
      int16_avx512::StoreInt16(scaled, *t.stage, lanes,
                               t.out + r * t.out_stride + t.first_channel + v * kLanes);
    }
  }
}

struct Int16Tiles {
  const PackedInt16x8Weights& w;
  const int16_t* a;
  int64_t a_stride;
  const Int16OutputStage& stage;
  int16_t* out;
  int64_t out_stride;

  // Fewer rows than the 32-bit kernels: each block's int32 sums are flushed into two vectors of
  // int64 sums, which stay live too.
  static constexpr int RowsPerTile(int blocks) { return blocks <= 2 ? 4 : 3; }

  template <int kRows, int kBlocks>
  void Run(int first_row, int first_channel) const {
    Tile<kRows, kBlocks>(TileArgs{&w, a + first_row * a_stride, a_stride, first_channel, &stage,
                                  out + first_row * out_stride, out_stride});
  }
};

}  // namespace

void GemmInt16Avx512(const PackedInt16x8Weights& w, const int16_t* a, int rows, int64_t a_stride,
                     const Int16OutputStage& stage, int16_t* out, int64_t out_stride) {
  static_assert(kInt16ChannelBlock == kChannelBlock, "the tile walk steps 16 channels per block");
  tile_walk::ForEachTile(Int16Tiles{w, a, a_stride, stage, out, out_stride}, rows, w.n_padded);
}

}  // namespace kernels::optimized
