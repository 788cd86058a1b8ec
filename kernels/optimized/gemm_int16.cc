// int16x8 weight packing, the shared output stage and the portable GEMM (plain C++ over the
// packed layout, which the compiler vectorizes: 16 channel lanes per depth pair).
#include "kernels/optimized/gemm_int16.h"

#include <algorithm>

#include "kernels/fixed_point.h"

namespace kernels::optimized {

namespace {

// See Int16Requantization in gemm_int16.h. The reduced multiplier and the total shift repeat
// kernels::MultiplyByQuantizedMultiplier(int64_t, ...) step by step.
Int16Requantization VectorRequantization(const PackedInt16x8Weights& w) {
  Int16Requantization q;
  const auto padded = static_cast<size_t>(w.n_padded);
  q.reduced_multiplier.assign(padded, 0);
  q.rounded_bias.assign(padded, 0);
  q.total_shift.assign(padded, 1);
  q.bias32.assign(padded, 0);
  q.multiplier32.assign(padded, 0);
  q.left_shift.assign(padded, 0);
  q.right_shift.assign(padded, 0);
  for (size_t c = 0; c < static_cast<size_t>(w.n); ++c) {
    const int32_t multiplier = w.multiplier[c];
    const int shift = w.shift[c];
    const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
    const int total_shift = 15 - shift;
    // TFLite's int64 path allows shift in [-31, 7] (total_shift in [8, 46]); a larger shift,
    // which the int32 path allows (and which then leaves these constants unread), would make the
    // rounding term a shift by a negative count: left at the padding's values.
    if (total_shift >= 1 && total_shift <= 63) {
      q.reduced_multiplier[c] = reduced;
      q.total_shift[c] = total_shift;
      // Unsigned: the sum is taken modulo 2^64, as the kernels' 64-bit lanes take it.
      q.rounded_bias[c] = static_cast<int64_t>(
          static_cast<uint64_t>(w.bias[c]) * static_cast<uint64_t>(static_cast<int64_t>(reduced)) +
          (uint64_t{1} << (total_shift - 1)));
    }
    q.bias32[c] = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(w.bias[c])));
    q.multiplier32[c] = multiplier;
    q.left_shift[c] = shift > 0 ? shift : 0;
    q.right_shift[c] = shift > 0 ? 0 : -shift;
  }
  return q;
}

}  // namespace

PackedInt16x8Weights PackInt16x8Weights(const int8_t* filter, int n, int k, int32_t filter_offset,
                                        const int64_t* bias64, const int32_t* bias32,
                                        bool int64_path, const int32_t* multiplier,
                                        const int32_t* shift, int multiplier_count) {
  PackedInt16x8Weights w;
  w.n = n;
  w.k = k;
  w.n_padded = (n + kInt16ChannelBlock - 1) / kInt16ChannelBlock * kInt16ChannelBlock;
  w.k_pairs = (k + 1) / 2;
  w.int64_path = int64_path;
  w.data.assign(static_cast<size_t>(w.n_padded) * static_cast<size_t>(w.k_pairs) * 2, 0);
  for (int c = 0; c < n; ++c) {
    const int block = c / kInt16ChannelBlock;
    const int lane = c % kInt16ChannelBlock;
    for (int d = 0; d < k; ++d) {
      const int64_t index =
          ((static_cast<int64_t>(block) * w.k_pairs + d / 2) * kInt16ChannelBlock + lane) * 2 +
          d % 2;
      // |w + filter_offset| <= 255: fits int16 (and the bound in gemm_int16.h).
      w.data[static_cast<size_t>(index)] = static_cast<int16_t>(
          static_cast<int32_t>(filter[static_cast<int64_t>(c) * k + d]) + filter_offset);
    }
  }
  w.bias.assign(static_cast<size_t>(n), 0);
  w.multiplier.resize(static_cast<size_t>(n));
  w.shift.resize(static_cast<size_t>(n));
  for (int c = 0; c < n; ++c) {
    const auto i = static_cast<size_t>(c);
    if (bias64) w.bias[i] = bias64[c];
    if (bias32) w.bias[i] = bias32[c];
    const auto m = static_cast<size_t>(multiplier_count == 1 ? 0 : c);
    w.multiplier[i] = multiplier[m];
    w.shift[i] = shift[m];
  }
  w.requantization = VectorRequantization(w);
  return w;
}

void RequantizeInt16Row(const PackedInt16x8Weights& w, int first, int count, const int64_t* sums,
                        const Int16OutputStage& stage, int16_t* out) {
  for (int i = 0; i < count; ++i) {
    const auto c = static_cast<size_t>(first + i);
    int32_t scaled;
    if (w.int64_path) {
      scaled = MultiplyByQuantizedMultiplier(sums[i] + w.bias[c], w.multiplier[c], w.shift[c]);
    } else {
      // The reference's int32 accumulator: the exact sum wrapped to 32 bits (unsigned arithmetic
      // so that the wrap is defined), plus the int32 bias.
      const auto wrapped =
          static_cast<int32_t>(static_cast<uint32_t>(sums[i]) + static_cast<uint32_t>(w.bias[c]));
      scaled = MultiplyByQuantizedMultiplier(wrapped, w.multiplier[c], w.shift[c]);
    }
    out[first + i] =
        static_cast<int16_t>(std::clamp(scaled, stage.activation_min, stage.activation_max));
  }
}

void GemmInt16Portable(const PackedInt16x8Weights& w, const int16_t* a, int rows, int64_t a_stride,
                       const Int16OutputStage& stage, int16_t* out, int64_t out_stride) {
  constexpr int kLanes = kInt16ChannelBlock;
  const int full_pairs = w.k / 2;
  for (int r = 0; r < rows; ++r) {
    const int16_t* row = a + r * a_stride;
    for (int c0 = 0; c0 < w.n; c0 += kLanes) {
      const int16_t* weights = w.data.data() + static_cast<int64_t>(c0) * w.k_pairs * 2;
      int64_t sums[kLanes] = {};
      for (int p0 = 0; p0 < w.k_pairs; p0 += kInt16PairsPerBlock) {
        const int p_end = std::min(p0 + kInt16PairsPerBlock, w.k_pairs);
        // At most 64 pairs of products below 2^24 each: the int32 block sum cannot overflow.
        int32_t block[kLanes] = {};
        for (int p = p0; p < p_end; ++p) {
          const int32_t x0 = row[2 * p];
          // An odd depth: the last pair's second weight is a zero pad; do not read past the row.
          const int32_t x1 = p < full_pairs ? row[2 * p + 1] : 0;
          const int16_t* wp = weights + static_cast<int64_t>(p) * kLanes * 2;
          for (int l = 0; l < kLanes; ++l) {
            block[l] += wp[2 * l] * x0 + wp[2 * l + 1] * x1;
          }
        }
        for (int l = 0; l < kLanes; ++l) sums[l] += block[l];
      }
      RequantizeInt16Row(w, c0, std::min(kLanes, w.n - c0), sums, stage, out + r * out_stride);
    }
  }
}

}  // namespace kernels::optimized
