#pragma once
// The int16x8 GEMM (int16 activations, int8 weights, TFLite's 16x8 mode) shared by the optimized
// FULLY_CONNECTED and CONV_2D: weights packed once, then per call
//   out[r][c] = clamp(requantize(sum_d w[c][d] * a[r][d] + bias[c]))
// bit-identical with the reference int16 kernels.
//
// Exactness: each product |w * x| <= 255 * 32768 < 2^23 (the weight may carry a per-tensor
// filter offset, so |w + offset| <= 255), so a pair sum (what vpmaddwd adds into one int32
// lane) stays below 2^24, and kPairsPerBlock = 64 pairs below 2^30: the int32 block sums never
// overflow. Every block is then added into int64, so the dot product is the exact integer sum,
// whatever the depth, exactly as the reference's int64 accumulator.
//
// Requantization follows the bias type, as TFLite-Micro: int64 bias (or the int64 path) uses
// the int64 MultiplyByQuantizedMultiplier; int32 bias (or none, on the int32 path) truncates the
// exact sum to int32 (wrapping, which equals the reference's int32 accumulator whenever the
// reference does not overflow) and uses the int32 MultiplyByQuantizedMultiplier.
//
// Internal to kernels/optimized.

#include <cstdint>
#include <vector>

#include "kernels/optimized/dispatch.h"

namespace kernels::optimized {

inline constexpr int kInt16PairsPerBlock = 64;
// Channels of one packed block: 16 channels x 2 depth values of int16 = one 512-bit vector
// (two 256-bit vectors for AVX2).
inline constexpr int kInt16ChannelBlock = 16;

// [n_padded / 16][k_pairs][16 channels][2 depth values] of int16 weights (w + filter_offset),
// n padded to 16 and k to an even count with zero weights.
// The per-channel constants of both requantizations in the form the vector epilogues use,
// computed once at packing and padded to n_padded (padding channels give 0, never stored).
//
// int64 path, TFLite's MultiplyByQuantizedMultiplier(int64_t x, multiplier, shift):
//   (x * reduced + 2^(total_shift - 1)) >> total_shift, arithmetic, truncated to int32,
// with reduced = the multiplier rounded to Q15 (|reduced| <= 2^15) and total_shift = 15 - shift
// (in [8, 46] for TFLite's shift range [-31, 7]). The bias is folded into the constant term:
// (x + bias) * reduced + round == x * reduced + (bias * reduced + round) modulo 2^64, and the
// shift reads only bits of that 64-bit value, so the result is the same bit for bit.
// int32 path, TFLite's MultiplyByQuantizedMultiplier(int32_t x, multiplier, shift): the wrapped
// int32 sum plus the int32 bias, shifted left by left_shift, high-multiplied, shifted right by
// right_shift.
struct Int16Requantization {
  std::vector<int64_t> reduced_multiplier;
  std::vector<int64_t> rounded_bias;  // bias * reduced + 2^(total_shift - 1), modulo 2^64
  std::vector<int64_t> total_shift;
  std::vector<int32_t> bias32;  // the int32 bias (the low 32 bits of `bias`)
  std::vector<int32_t> multiplier32;
  std::vector<int32_t> left_shift;
  std::vector<int32_t> right_shift;
};

struct PackedInt16x8Weights {
  int n = 0;
  int k = 0;
  int n_padded = 0;
  int k_pairs = 0;  // (k + 1) / 2
  std::vector<int16_t> data;
  bool int64_path = true;     // requantize with the int64 MultiplyByQuantizedMultiplier
  std::vector<int64_t> bias;  // per channel (n entries; 0 when absent), int32 bias widened
  std::vector<int32_t> multiplier;
  std::vector<int32_t> shift;
  Int16Requantization requantization;  // the same constants, vector-ready
};

// `filter` is [n, k] row-major (OHWI flattened for CONV_2D). Exactly one of `bias64` and
// `bias32` may be non-null; `int64_path` says which requantization runs (TFLite-Micro: an int64
// bias takes it, an int32 bias or none does not — for CONV_2D and FULLY_CONNECTED; DEPTHWISE has
// only the int64 one). `multiplier_count` is n (per channel) or 1.
PackedInt16x8Weights PackInt16x8Weights(const int8_t* filter, int n, int k, int32_t filter_offset,
                                        const int64_t* bias64, const int32_t* bias32,
                                        bool int64_path, const int32_t* multiplier,
                                        const int32_t* shift, int multiplier_count);

struct Int16OutputStage {
  int32_t activation_min = -32768;
  int32_t activation_max = 32767;
};

// Rows of `a` hold k int16 values (no padding needed), `a_stride` apart.
using GemmInt16Fn = void (*)(const PackedInt16x8Weights& w, const int16_t* a, int rows,
                             int64_t a_stride, const Int16OutputStage& stage, int16_t* out,
                             int64_t out_stride);
void GemmInt16Portable(const PackedInt16x8Weights& w, const int16_t* a, int rows, int64_t a_stride,
                       const Int16OutputStage& stage, int16_t* out, int64_t out_stride);
void GemmInt16Avx2(const PackedInt16x8Weights& w, const int16_t* a, int rows, int64_t a_stride,
                   const Int16OutputStage& stage, int16_t* out, int64_t out_stride);
// AVX-512 F/BW (vpmaddwd on 512-bit vectors); the kAvx512Vnni variant runs it.
void GemmInt16Avx512(const PackedInt16x8Weights& w, const int16_t* a, int rows, int64_t a_stride,
                     const Int16OutputStage& stage, int16_t* out, int64_t out_stride);

inline GemmInt16Fn Int16GemmOf(KernelVariant variant) {
  switch (variant) {
    case KernelVariant::kAvx512Vnni:
      return GemmInt16Avx512;
    case KernelVariant::kAvx2:
      return GemmInt16Avx2;
    default:
      return GemmInt16Portable;
  }
}

// The scalar output stage (the portable GEMM's): channels [first, first + count) of one row
// from their exact int64 dot products. The AVX2 and AVX-512 tiles run the same arithmetic on
// registers (requantize_int16_avx2.h, requantize_int16_avx512.h), bit for bit.
void RequantizeInt16Row(const PackedInt16x8Weights& w, int first, int count, const int64_t* sums,
                        const Int16OutputStage& stage, int16_t* out);

}  // namespace kernels::optimized
