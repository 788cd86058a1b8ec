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
#include "kernels/optimized/depthwise_int16_layout.h"
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

using depthwise_int16::Context;
using depthwise_int16::Window;

constexpr int kLanes = 16;



DEPTHWISE_INT16_AVX512 inline __mmask16 FirstLanes(int count) {
  return count >= kLanes ? static_cast<__mmask16>(0xFFFF)
                         : static_cast<__mmask16>((1U << static_cast<unsigned>(count)) - 1U);
}

// The input and weight lanes of output channels [c, c + 16) of one pixel, inputs zero-extended
// to 32 bits. Depth multiplier 1: input channel c + i. Otherwise output channel c + i reads input
// channel (c + i) / M: the input channels from c / M on, spread by a permutation.
template <bool kMultiplierOne>
struct ChannelLanes {
  int c;
  int first_input;  // c / M
  __mmask16 load;   // the input channels to load from first_input (not past the tensor's end)
  __m512i spread;   // lane i: (c + i) / M - c / M

  DEPTHWISE_INT16_AVX512 __m512i Input(const int16_t* pixel) const {
    const __m512i x = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(load, pixel + first_input));
    if constexpr (kMultiplierOne) {
      return x;
    } else {
      return _mm512_permutexvar_epi32(spread, x);
    }
  }
  // `tap` points to the tap's [padded_channels] weights.
  DEPTHWISE_INT16_AVX512 __m512i Weight(const int32_t* tap) const {
    return _mm512_loadu_si512(tap + c);
  }
};

// Two horizontally adjacent output pixels of an 8-channel tensor (depth multiplier 1) in one
// vector: lanes 0-7 the first pixel's channels, lanes 8-15 the second's, `second` int16 values
// further in the input; the weights of the 8 channels twice.
struct PixelPairLanes {
  int64_t second;

  DEPTHWISE_INT16_AVX512 __m512i Input(const int16_t* pixel) const {
    const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pixel));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pixel + second));
    return _mm512_cvtepu16_epi32(_mm256_inserti128_si256(_mm256_castsi128_si256(first), next, 1));
  }
  DEPTHWISE_INT16_AVX512 __m512i Weight(const int32_t* tap) const {
    return _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(tap)));
  }
};

// Adds the 16 int32 lanes of `sums` into the int64 lanes of `low` (lanes 0-7) and `high` (8-15).
DEPTHWISE_INT16_AVX512 inline void AddInt64(__m512i sums, __m512i& low, __m512i& high) {
  low = _mm512_add_epi64(low, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(sums)));
  high = _mm512_add_epi64(high, _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(sums, 1)));
}

// Adds the taps of the window into `low` / `high` (int64), through int32 sums of at most
// kDepthwiseInt16TapsPerBlock taps (counted only when `kLongWindows`: shorter filters never
// reach it).
template <bool kLongWindows, class Lanes>
DEPTHWISE_INT16_AVX512 inline void SumTaps(const Context& k, const Window& win, const Lanes& lanes,
                                           __m512i& low, __m512i& high) {
  const int32_t* weights = k.w->filter.data();
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
      row_acc = _mm512_dpwssd_epi32(row_acc, lanes.Input(pixel),
                                    lanes.Weight(row_weights + fx * tap_stride));
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
  const int m = k.depth_multiplier;
  for (int c = 0; c < channels; c += kLanes) {
    const int count = std::min(kLanes, channels - c);
    ChannelLanes<kMultiplierOne> lanes{c, c, FirstLanes(count), _mm512_setzero_si512()};
    if constexpr (!kMultiplierOne) {
      lanes.first_input = c / m;
      lanes.load = FirstLanes(std::min(kLanes, k.in_channels - c / m));
      alignas(64) int32_t index[kLanes];
      for (int i = 0; i < kLanes; ++i) index[i] = (c + i) / m - c / m;
      lanes.spread = _mm512_load_si512(index);
    }
    __m512i low = _mm512_setzero_si512();
    __m512i high = _mm512_setzero_si512();
    SumTaps<kLongWindows>(k, win, lanes, low, high);
    int16_avx512::StoreInt16(
        int16_avx512::Scale(/*int64_path=*/true, low, high, k.w->requantization, c), k.stage, count,
        out + c);
  }
}

// Output pixels x and x + 1 of an 8-channel tensor (depth multiplier 1) whose windows cover the
// same taps: `win` is pixel x's, the outputs are stored together (16 adjacent int16 values).
template <bool kLongWindows>
DEPTHWISE_INT16_AVX512 void PixelPair(const Context& k, const Window& win, int64_t second,
                                      int16_t* out) {
  __m512i low = _mm512_setzero_si512();
  __m512i high = _mm512_setzero_si512();
  SumTaps<kLongWindows>(k, win, PixelPairLanes{second}, low, high);
  int16_avx512::StoreInt16(
      int16_avx512::Scale(/*int64_path=*/true, low, high, k.w->pair_requantization, 0), k.stage,
      kLanes, out);
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
  // 8 channels fill half a vector: two pixels go together where their windows cover the same taps.
  const bool pairs = k.w->channels == kLanes / 2;
  const int64_t pair_step = static_cast<int64_t>(p.stride_width) * k.in_channels;
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
        if constexpr (kMultiplierOne) {
          if (pairs && out_x + 1 < out_width) {
            const int next_x = in_x + p.stride_width;
            if (depthwise::FirstInside(next_x, p.dilation_width) == win.x_begin &&
                depthwise::EndInside(next_x, p.dilation_width, k.in_width, k.filter_width) ==
                    win.x_end) {
              PixelPair<kLongWindows>(k, win, pair_step, out_row + out_x * out_pixel);
              ++out_x;
              continue;
            }
          }
        }
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
  const depthwise_int16::Context k =
      depthwise_int16::MakeContext(params, weights, input_shape, filter_shape);
  depthwise_int16::ForLayerCase(params, weights, [&]<bool kMultiplierOne, bool kLongWindows>() {
    Run<kMultiplierOne, kLongWindows>(params, k, input_shape, input, filter_shape, output_shape,
                                      output);
  });
}

}  // namespace kernels::optimized
