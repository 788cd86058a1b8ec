// int16x8 DEPTHWISE_CONV_2D on AVX-512 (F/BW/VL + VNNI, enabled by target attributes; dispatch
// runs it only for the kAvx512Vnni variant): per output pixel, 16 channels per vector.
//
// Products: each input is zero-extended to a 32-bit lane (vpmovzxwd), so its low 16 bits are the
// int16 value and its high 16 bits zero; vpdpwssd multiplies the signed 16-bit halves pairwise
// with the weight lane (the int8 weight sign-extended at packing, whose low half is the weight)
// and adds x * w + 0 * (w's high half) = x * w, exactly, into the int32 lane. (Sign extension
// would make the high halves -1 for a negative input and weight and add a spurious 1.)
// Sums: int32 over at most kDepthwiseInt16TapsPerBlock taps (no overflow, see the header), then
// widened to int64 (exact), requantized by the vector int64 output stage of
// requantize_int16_avx512.h, bit for bit the scalar MultiplyByQuantizedMultiplier(int64_t, ...).
// Taps in the padding are skipped, as the reference does: each pixel runs over the range of
// filter rows and columns whose input lies inside the image (the whole filter for interior pixels).
#include <immintrin.h>

#include <algorithm>

#include "kernels/optimized/depthwise_conv_int16.h"
#include "kernels/optimized/depthwise_taps.h"
#include "kernels/optimized/requantize_int16_avx512.h"

// GCC 12's own AVX-512 intrinsic headers trip -Wmaybe-uninitialized at -O3 (GCC bug 105593,
// _mm512_undefined_* inside the intrinsics), not our code; files compiled with AVX-512 flags get
// -Wno-maybe-uninitialized from kernels/CMakeLists.txt, this one (target attributes) the pragma.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#define DEPTHWISE_INT16_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

namespace kernels::optimized {
namespace {

constexpr int kLanes = 16;

struct Context {
  const PackedDepthwiseInt16x8* w;
  Int16OutputStage stage;
  int in_width, in_channels, filter_width;
  int dilation_height, dilation_width, depth_multiplier;
  int64_t row_stride;  // int16 values between vertically adjacent input pixels
};

// The filter taps of one pixel whose input lies inside the image.
struct Window {
  const int16_t* image;  // the batch's input
  // Offset of tap (0, 0)'s input pixel from `image`: possibly outside the image (negative, in the
  // padding), but only taps in [begin, end) are read, and their pixels are inside.
  int64_t origin;
  int y_begin, y_end, x_begin, x_end;
};

DEPTHWISE_INT16_AVX512 inline __mmask16 FirstLanes(int count) {
  return count >= kLanes ? static_cast<__mmask16>(0xFFFF)
                         : static_cast<__mmask16>((1U << static_cast<unsigned>(count)) - 1U);
}

// The input lanes of output channels [c, c + 16) at one input pixel, zero-extended to 32 bits.
// Depth multiplier 1: input channel c + i. Otherwise output channel c + i reads input channel
// (c + i) / M: the input channels from c / M on, spread by a permutation (`spread`).
template <bool kMultiplierOne>
DEPTHWISE_INT16_AVX512 inline __m512i InputLanes(const int16_t* pixel, int c, __mmask16 load,
                                                 int depth_multiplier, __m512i spread) {
  if constexpr (kMultiplierOne) {
    return _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(load, pixel + c));
  } else {
    const __m512i first = _mm512_cvtepu16_epi32(
        _mm256_maskz_loadu_epi16(load, pixel + c / depth_multiplier));
    return _mm512_permutexvar_epi32(spread, first);
  }
}

// Adds the 16 int32 lanes of `sums` into the int64 lanes of `low` (lanes 0-7) and `high` (8-15).
DEPTHWISE_INT16_AVX512 inline void AddInt64(__m512i sums, __m512i& low, __m512i& high) {
  low = _mm512_add_epi64(low, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(sums)));
  high = _mm512_add_epi64(high, _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(sums, 1)));
}

// Adds the taps of the window into `low` / `high` (int64), through int32 sums of at most
// kDepthwiseInt16TapsPerBlock taps (counted only when `kLongWindows`: shorter filters never
// reach it).
template <bool kMultiplierOne, bool kLongWindows>
DEPTHWISE_INT16_AVX512 inline void SumTaps(const Context& k, const Window& win, int c,
                                           __mmask16 load, __m512i spread, __m512i& low,
                                           __m512i& high) {
  const int32_t* weights = k.w->filter.data() + c;
  const int64_t tap_stride = k.w->padded_channels;
  __m512i acc = _mm512_setzero_si512();
  int pending = 0;
  for (int fy = win.y_begin; fy < win.y_end; ++fy) {
    const int64_t row = win.origin + static_cast<int64_t>(fy) * k.dilation_height * k.row_stride;
    const int32_t* row_weights = weights + static_cast<int64_t>(fy) * k.filter_width * tap_stride;
    // One accumulator per filter row, added at its end: the rows' chains of dependent vpdpwssd
    // overlap. Integer sums do not depend on the order.
    __m512i row_acc = _mm512_setzero_si512();
    for (int fx = win.x_begin; fx < win.x_end; ++fx) {
      const int16_t* pixel =
          win.image + row + static_cast<int64_t>(fx) * k.dilation_width * k.in_channels;
      const __m512i x =
          InputLanes<kMultiplierOne>(pixel, c, load, k.depth_multiplier, spread);
      const __m512i weight = _mm512_loadu_si512(row_weights + fx * tap_stride);
      row_acc = _mm512_dpwssd_epi32(row_acc, x, weight);
      if constexpr (kLongWindows) {
        // `acc` and `row_acc` together hold the taps since the last flush.
        if (++pending == kDepthwiseInt16TapsPerBlock) {
          AddInt64(_mm512_add_epi32(acc, row_acc), low, high);
          acc = _mm512_setzero_si512();
          row_acc = _mm512_setzero_si512();
          pending = 0;
        }
      }
    }
    acc = _mm512_add_epi32(acc, row_acc);
  }
  AddInt64(acc, low, high);
}

template <bool kMultiplierOne, bool kLongWindows>
DEPTHWISE_INT16_AVX512 void Pixel(const Context& k, const Window& win, int16_t* out) {
  const int channels = k.w->channels;
  const int in_channels = k.in_channels;
  const int m = k.depth_multiplier;
  for (int c = 0; c < channels; c += kLanes) {
    const int count = std::min(kLanes, channels - c);
    __mmask16 load = FirstLanes(count);
    __m512i spread = _mm512_setzero_si512();
    if constexpr (!kMultiplierOne) {
      // Lane i reads input channel (c + i) / M, the (c + i) / M - c / M-th from c / M; the
      // loaded input channels stop at the tensor's end.
      load = FirstLanes(std::min(kLanes, in_channels - c / m));
      alignas(64) int32_t index[kLanes];
      for (int i = 0; i < kLanes; ++i) index[i] = (c + i) / m - c / m;
      spread = _mm512_load_si512(index);
    }
    __m512i low = _mm512_setzero_si512();
    __m512i high = _mm512_setzero_si512();
    SumTaps<kMultiplierOne, kLongWindows>(k, win, c, load, spread, low, high);
    int16_avx512::StoreInt16(
        int16_avx512::Scale(/*int64_path=*/true, low, high, k.w->requantization, c), k.stage,
        count, out + c);
  }
}

template <bool kMultiplierOne, bool kLongWindows>
DEPTHWISE_INT16_AVX512 void Run(const reference::DepthwiseParams& p, const Context& k,
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
        win.origin = static_cast<int64_t>(in_y) * k.row_stride +
                     static_cast<int64_t>(in_x) * k.in_channels;
        Pixel<kMultiplierOne, kLongWindows>(k, win, out_row + out_x * out_pixel);
      }
    }
  }
}

}  // namespace

DEPTHWISE_INT16_AVX512 void DepthwiseInt16x8Avx512Vnni(const reference::DepthwiseParams& params,
                                                       const PackedDepthwiseInt16x8& weights,
                                                       const Shape& input_shape,
                                                       const int16_t* input,
                                                       const Shape& filter_shape,
                                                       const Shape& output_shape, int16_t* output) {
  Context k{};
  k.w = &weights;
  k.stage.activation_min = params.quantized_activation_min;
  k.stage.activation_max = params.quantized_activation_max;
  k.in_width = input_shape.dim(2);
  k.in_channels = input_shape.dim(3);
  k.filter_width = filter_shape.dim(2);
  k.dilation_height = params.dilation_height;
  k.dilation_width = params.dilation_width;
  k.depth_multiplier = params.depth_multiplier;
  k.row_stride = static_cast<int64_t>(k.in_width) * k.in_channels;
  const bool long_windows = weights.taps > kDepthwiseInt16TapsPerBlock;
  if (params.depth_multiplier == 1) {
    if (long_windows) {
      Run<true, true>(params, k, input_shape, input, filter_shape, output_shape, output);
    } else {
      Run<true, false>(params, k, input_shape, input, filter_shape, output_shape, output);
    }
  } else if (long_windows) {
    Run<false, true>(params, k, input_shape, input, filter_shape, output_shape, output);
  } else {
    Run<false, false>(params, k, input_shape, input, filter_shape, output_shape, output);
  }
}

}  // namespace kernels::optimized
