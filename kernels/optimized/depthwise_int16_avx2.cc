// int16x8 DEPTHWISE_CONV_2D on AVX2 (enabled by target attributes; dispatch runs it only for the
// kAvx2 variant): per output pixel, 8 channels per vector. The same arithmetic as
// depthwise_int16_avx512.cc (see there for why each step is exact), with vpmaddwd + vpaddd for
// vpdpwssd: the input zero-extended to 32-bit lanes (high half 0), the weight sign-extended, so
// vpmaddwd's pair sum is x * w + 0 exactly. The int64 output stage is requantize_int16_avx2.h's.
// AVX2 has no 16-bit masked load: a partial vector of channels (only at a tensor's last
// channels, never in models whose channel counts are multiples of 8) is copied through the stack.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/optimized/depthwise_conv_int16.h"
#include "kernels/optimized/depthwise_int16_layout.h"
#include "kernels/optimized/depthwise_taps.h"
#include "kernels/optimized/requantize_int16_avx2.h"

#define DEPTHWISE_INT16_AVX2 __attribute__((target("avx2")))

namespace kernels::optimized {
namespace {

using depthwise_int16::Context;
using depthwise_int16::Window;

constexpr int kLanes = 8;



// `count` (1..8) int16 values zero-extended to 32-bit lanes; the lanes past `count` are zero.
DEPTHWISE_INT16_AVX2 inline __m256i LoadZeroExtended(const int16_t* source, int count) {
  if (count >= kLanes) {
    return _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(source)));
  }
  alignas(16) int16_t lanes[kLanes] = {};
  std::memcpy(lanes, source, static_cast<size_t>(count) * sizeof(int16_t));
  return _mm256_cvtepu16_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(lanes)));
}

// The input lanes of output channels [c, c + 8) at one input pixel, zero-extended to 32 bits.
// Depth multiplier 1: input channel c + i. Otherwise output channel c + i reads input channel
// (c + i) / M: the input channels from c / M on, spread by a permutation (`spread`).
template <bool kMultiplierOne>
DEPTHWISE_INT16_AVX2 inline __m256i InputLanes(const int16_t* pixel, int c, int load_count,
                                               int depth_multiplier, __m256i spread) {
  if constexpr (kMultiplierOne) {
    return LoadZeroExtended(pixel + c, load_count);
  } else {
    return _mm256_permutevar8x32_epi32(LoadZeroExtended(pixel + c / depth_multiplier, load_count),
                                       spread);
  }
}

// Adds the 8 int32 lanes of `sums` into the int64 lanes of `low` (lanes 0-3) and `high` (4-7).
DEPTHWISE_INT16_AVX2 inline void AddInt64(__m256i sums, __m256i& low, __m256i& high) {
  low = _mm256_add_epi64(low, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(sums)));
  high = _mm256_add_epi64(high, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(sums, 1)));
}

// Adds the taps of the window into `low` / `high` (int64), through int32 sums of at most
// kDepthwiseInt16TapsPerBlock taps (counted only when `kLongWindows`: shorter filters never
// reach it).
template <bool kMultiplierOne, bool kLongWindows>
DEPTHWISE_INT16_AVX2 inline void SumTaps(const Context& k, const Window& win, int c, int load_count,
                                         __m256i spread, __m256i& low, __m256i& high) {
  const int32_t* weights = k.w->filter.data() + c;
  const int64_t tap_stride = k.w->padded_channels;
  __m256i acc = _mm256_setzero_si256();
  int pending = 0;
  for (int fy = win.y_begin; fy < win.y_end; ++fy) {
    const int64_t row = win.origin + static_cast<int64_t>(fy) * k.dilation_height * k.row_stride;
    const int32_t* row_weights = weights + static_cast<int64_t>(fy) * k.filter_width * tap_stride;
    // One accumulator per filter row, added at its end: the rows' dependency chains overlap.
    __m256i row_acc = _mm256_setzero_si256();
    for (int fx = win.x_begin; fx < win.x_end; ++fx) {
      const int16_t* pixel =
          win.image + row + static_cast<int64_t>(fx) * k.dilation_width * k.in_channels;
      const __m256i x =
          InputLanes<kMultiplierOne>(pixel, c, load_count, k.depth_multiplier, spread);
      const __m256i weight =
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row_weights + fx * tap_stride));
      row_acc = _mm256_add_epi32(row_acc, _mm256_madd_epi16(x, weight));
      if constexpr (kLongWindows) {
        // `acc` and `row_acc` together hold the taps since the last flush.
        if (++pending == kDepthwiseInt16TapsPerBlock) {
          AddInt64(_mm256_add_epi32(acc, row_acc), low, high);
          acc = _mm256_setzero_si256();
          row_acc = _mm256_setzero_si256();
          pending = 0;
        }
      }
    }
    acc = _mm256_add_epi32(acc, row_acc);
  }
  AddInt64(acc, low, high);
}

template <bool kMultiplierOne, bool kLongWindows>
DEPTHWISE_INT16_AVX2 void Pixel(const Context& k, const Window& win, int16_t* out) {
  const int channels = k.w->channels;
  const int m = k.depth_multiplier;
  for (int c = 0; c < channels; c += kLanes) {
    const int count = std::min(kLanes, channels - c);
    int load_count = count;
    __m256i spread = _mm256_setzero_si256();
    if constexpr (!kMultiplierOne) {
      // Lane i reads input channel (c + i) / M, the (c + i) / M - c / M-th from c / M; the
      // loaded input channels stop at the tensor's end.
      load_count = std::min(kLanes, k.in_channels - c / m);
      alignas(32) int32_t index[kLanes];
      for (int i = 0; i < kLanes; ++i) index[i] = (c + i) / m - c / m;
      spread = _mm256_load_si256(reinterpret_cast<const __m256i*>(index));
    }
    __m256i low = _mm256_setzero_si256();
    __m256i high = _mm256_setzero_si256();
    SumTaps<kMultiplierOne, kLongWindows>(k, win, c, load_count, spread, low, high);
    int16_avx2::StoreInt16(
        int16_avx2::Scale(/*int64_path=*/true, low, high, k.w->requantization, c), k.stage, count,
        out + c);
  }
}

template <bool kMultiplierOne, bool kLongWindows>
DEPTHWISE_INT16_AVX2 void Run(const reference::DepthwiseParams& p, const Context& k,
                              const Shape& input_shape, const int16_t* input,
                              const Shape& filter_shape, const Shape& output_shape,
                              int16_t* output) {
  const int in_height = input_shape.dim(1);
  const int filter_height = filter_shape.dim(1);
  const int out_height = output_shape.dim(1);
  const int out_width = output_shape.dim(2);
  const int64_t out_pixel = output_shape.dim(3);
  for (int b = 0; b < input_shape.dim(0); ++b) {
    Window win{};
    win.image = input + static_cast<int64_t>(b) * in_height * k.row_stride;
    for (int out_y = 0; out_y < out_height; ++out_y) {
      const int in_y = out_y * p.stride_height - p.padding_height;
      win.y_begin = depthwise::FirstInside(in_y, p.dilation_height);
      win.y_end = depthwise::EndInside(in_y, p.dilation_height, in_height, filter_height);
      int16_t* out_row =
          output + (static_cast<int64_t>(b) * out_height + out_y) * out_width * out_pixel;
      for (int out_x = 0; out_x < out_width; ++out_x) {
        const int in_x = out_x * p.stride_width - p.padding_width;
        win.x_begin = depthwise::FirstInside(in_x, p.dilation_width);
        win.x_end = depthwise::EndInside(in_x, p.dilation_width, k.in_width, k.filter_width);
        win.origin =
            static_cast<int64_t>(in_y) * k.row_stride + static_cast<int64_t>(in_x) * k.in_channels;
        Pixel<kMultiplierOne, kLongWindows>(k, win, out_row + out_x * out_pixel);
      }
    }
  }
}

}  // namespace

DEPTHWISE_INT16_AVX2 void DepthwiseInt16x8Avx2(const reference::DepthwiseParams& params,
                                               const PackedDepthwiseInt16x8& weights,
                                               const Shape& input_shape, const int16_t* input,
                                               const Shape& filter_shape, const Shape& output_shape,
                                               int16_t* output) {
  const depthwise_int16::Context k =
      depthwise_int16::MakeContext(params, weights, input_shape, filter_shape);
  depthwise_int16::ForLayerCase(params, weights, [&]<bool kMultiplierOne, bool kLongWindows>() {
    Run<kMultiplierOne, kLongWindows>(params, k, input_shape, input, filter_shape, output_shape,
                                      output);
  });
}

}  // namespace kernels::optimized
