// DEPTHWISE_CONV_2D with a depth multiplier of 1 on AVX-512: 16 channels per vector (two pixels
// per vector for 8-channel tensors). int8: each input byte is sign-extended to a 32-bit lane and
// vpdpwssd with the packed weight lanes (weight in the low int16, zero in the high one) adds
// exactly weight * input per lane; the input offset is folded into the bias for windows inside
// the image.
// float: per lane the reference's sum over the taps inside the image, in its order, as a rounded
// multiply then a rounded add (no FMA), bias added last: bit-identical to the reference (see
// gemm_float_avx512.cc).
#include <immintrin.h>

#include "kernels/optimized/depthwise_taps.h"
#include "kernels/optimized/micro_kernels.h"
#include "kernels/optimized/requantize_avx512.h"

namespace kernels::optimized {
namespace {

using depthwise::TapRange;
using depthwise::TapsOf;

// The requantization constants and bias of one block of 16 lanes, loaded once per block.
struct LaneConstants {
  __m512i bias;          // bias + input_offset * weight_sum: for windows inside the image
  __m512i border_bias;   // bias alone: for windows that reach the padding (offset added per tap)
  __m512i multiplier, left, right;
};

LaneConstants LoadConstants(const PackedDepthwiseInt8& w, int c, __mmask16 lanes,
                            __m512i input_offset) {
  LaneConstants k;
  k.border_bias = _mm512_maskz_loadu_epi32(lanes, w.bias.data() + c);
  k.bias = _mm512_add_epi32(
      k.border_bias,
      _mm512_mullo_epi32(input_offset, _mm512_maskz_loadu_epi32(lanes, w.weight_sum.data() + c)));
  k.multiplier = _mm512_maskz_loadu_epi32(lanes, w.multiplier.data() + c);
  k.left = _mm512_maskz_loadu_epi32(lanes, w.left_shift.data() + c);
  k.right = _mm512_maskz_loadu_epi32(lanes, w.right_shift.data() + c);
  return k;
}

// The 8 constants of an 8-channel tensor repeated in both halves: two pixels per vector.
LaneConstants LoadPairConstants(const PackedDepthwiseInt8& w, __m512i input_offset) {
  const auto twice = [](const int32_t* p) {
    return _mm512_broadcast_i32x8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  };
  LaneConstants k;
  k.border_bias = twice(w.bias.data());
  k.bias = _mm512_add_epi32(k.border_bias,
                            _mm512_mullo_epi32(input_offset, twice(w.weight_sum.data())));
  k.multiplier = twice(w.multiplier.data());
  k.left = twice(w.left_shift.data());
  k.right = twice(w.right_shift.data());
  return k;
}

// A weight lane holds the int16 weight in its low half and zero in its high half; an input lane
// holds the sign-extended int8 (or x + input_offset, in [-255, 255]) whose low half is the exact
// int16. vpdpwssd adds low * low + high * high = weight * input: the exact product.
inline __m512i MultiplyAdd(__m512i acc, __m512i input, __m512i weight) {
  return _mm512_dpwssd_epi32(acc, input, weight);
}

struct OutputStage {
  __m512i offset, low, high;
};

// A run of `count` horizontally adjacent output pixels of a 3x3 undilated filter whose windows
// all lie inside the image, lanes [c, c + 16): the nine weight vectors stay in registers and two
// pixels go together, so that their independent chains of vpdpwssd overlap. `input` is the
// window origin of the first pixel; the offset is folded into k.bias.
void Interior3x3(const LaneConstants& k, const int32_t* weight_lanes, int channels,
                 __mmask16 lanes, const int8_t* input, int64_t input_row, int64_t x_step,
                 int count, int8_t* out, int64_t out_step, const OutputStage& stage) {
  __m512i weight[9];
  for (int tap = 0; tap < 9; ++tap) {
    weight[tap] =
        _mm512_maskz_loadu_epi32(lanes, weight_lanes + static_cast<int64_t>(tap) * channels);
  }
  const auto tap_input = [&](const int8_t* origin, int tap) {
    const int8_t* source = origin + (tap / 3) * input_row + (tap % 3) * channels;
    return _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(lanes, source));
  };
  const auto finish = [&](__m512i acc, int8_t* destination) {
    StoreInt8(MultiplyByQuantizedMultiplier(acc, k.multiplier, k.left, k.right), stage.offset,
              stage.low, stage.high, lanes, destination);
  };
  int i = 0;
  for (; i + 2 <= count; i += 2) {
    const int8_t* first = input + i * x_step;
    const int8_t* second = first + x_step;
    __m512i acc0 = k.bias;
    __m512i acc1 = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc0 = MultiplyAdd(acc0, tap_input(first, tap), weight[tap]);
      acc1 = MultiplyAdd(acc1, tap_input(second, tap), weight[tap]);
    }
    finish(acc0, out + i * out_step);
    finish(acc1, out + (i + 1) * out_step);
  }
  if (i < count) {
    __m512i acc = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc = MultiplyAdd(acc, tap_input(input + i * x_step, tap), weight[tap]);
    }
    finish(acc, out + i * out_step);
  }
}

// The same for an 8-channel tensor, two pixels per vector (their 8 lanes each; `k` holds the
// constants twice) and two vectors per step. Handles the even part of `count`; returns it.
int Interior3x3Pairs(const LaneConstants& k, const int32_t* weight_lanes, const int8_t* input,
                     int64_t input_row, int64_t x_step, int count, int8_t* out,
                     const OutputStage& stage) {
  constexpr int kChannels = 8;
  __m512i weight[9];
  for (int tap = 0; tap < 9; ++tap) {
    weight[tap] = _mm512_broadcast_i32x8(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(weight_lanes + tap * kChannels)));
  }
  const auto pair_input = [&](const int8_t* origin, int tap) {
    const int8_t* source = origin + (tap / 3) * input_row + (tap % 3) * kChannels;
    const __m128i both =
        _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(source)),
                           _mm_loadl_epi64(reinterpret_cast<const __m128i*>(source + x_step)));
    return _mm512_cvtepi8_epi32(both);
  };
  const auto finish = [&](__m512i acc, int8_t* destination) {
    StoreInt8(MultiplyByQuantizedMultiplier(acc, k.multiplier, k.left, k.right), stage.offset,
              stage.low, stage.high, static_cast<__mmask16>(0xFFFF), destination);
  };
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    const int8_t* first = input + i * x_step;
    const int8_t* third = first + 2 * x_step;
    __m512i acc0 = k.bias;
    __m512i acc1 = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc0 = MultiplyAdd(acc0, pair_input(first, tap), weight[tap]);
      acc1 = MultiplyAdd(acc1, pair_input(third, tap), weight[tap]);
    }
    finish(acc0, out + i * kChannels);
    finish(acc1, out + (i + 2) * kChannels);
  }
  for (; i + 2 <= count; i += 2) {
    __m512i acc = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc = MultiplyAdd(acc, pair_input(input + i * x_step, tap), weight[tap]);
    }
    finish(acc, out + i * kChannels);
  }
  return i;
}

}  // namespace

void DepthwiseInt8Avx512Vnni(const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& w, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape,
                             const Shape& output_shape, int8_t* output) {
  const int channels = w.channels;
  const int filter_height = filter_shape.dim(1);
  const int filter_width = filter_shape.dim(2);
  const __m512i input_offset = _mm512_set1_epi32(params.input_offset);
  const __m512i output_offset = _mm512_set1_epi32(params.output_offset);
  const __m512i low = _mm512_set1_epi32(params.quantized_activation_min);
  const __m512i high = _mm512_set1_epi32(params.quantized_activation_max);
  const int64_t x_step = static_cast<int64_t>(params.stride_width) * channels;

  // One output pixel, lanes [c, c + 16). A window inside the image sums w * x with the input
  // offset folded into the bias; a window reaching the padding adds the offset per tap over the
  // taps inside, exactly as the reference skips the outside ones.
  const auto pixel = [&](const LaneConstants& k, const TapRange& taps, int b, int c,
                         __mmask16 lanes, int8_t* out) {
    const bool inside = taps.y_end - taps.y_begin == filter_height &&
                        taps.x_end - taps.x_begin == filter_width;
    // One accumulator per filter row, added at the row's end: the rows' chains of dependent
    // vpdpwssd overlap (their latency, not their count, bounds a pixel); integer sums do not
    // depend on the order.
    __m512i acc = inside ? k.bias : k.border_bias;
    const __m512i offset = inside ? _mm512_setzero_si512() : input_offset;
    for (int fy = taps.y_begin; fy < taps.y_end; ++fy) {
      const int in_y = taps.in_y_origin + params.dilation_height * fy;
      __m512i row = _mm512_setzero_si512();
      for (int fx = taps.x_begin; fx < taps.x_end; ++fx) {
        const int in_x = taps.in_x_origin + params.dilation_width * fx;
        const int8_t* source = input + Offset(input_shape, b, in_y, in_x, c);
        const __m512i value = _mm512_add_epi32(
            _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(lanes, source)), offset);
        const int tap = fy * filter_width + fx;
        const __m512i weight = _mm512_maskz_loadu_epi32(
            lanes, w.weight_lanes.data() + static_cast<int64_t>(tap) * channels + c);
        row = MultiplyAdd(row, value, weight);
      }
      acc = _mm512_add_epi32(acc, row);
    }
    StoreInt8(MultiplyByQuantizedMultiplier(acc, k.multiplier,
                                            k.left, k.right),
              output_offset, low, high, lanes, out);
  };

  // Two horizontally adjacent pixels of an 8-channel tensor, both windows inside the image.
  const auto pixel_pair = [&](const LaneConstants& k, const TapRange& taps, int b, int8_t* out) {
    __m512i acc = k.bias;
    for (int fy = 0; fy < filter_height; ++fy) {
      const int in_y = taps.in_y_origin + params.dilation_height * fy;
      __m512i row = _mm512_setzero_si512();
      for (int fx = 0; fx < filter_width; ++fx) {
        const int in_x = taps.in_x_origin + params.dilation_width * fx;
        const int8_t* source = input + Offset(input_shape, b, in_y, in_x, 0);
        const __m128i both = _mm_unpacklo_epi64(
            _mm_loadl_epi64(reinterpret_cast<const __m128i*>(source)),
            _mm_loadl_epi64(reinterpret_cast<const __m128i*>(source + x_step)));
        const int tap = fy * filter_width + fx;
        const __m512i weight = _mm512_broadcast_i32x8(_mm256_loadu_si256(
            reinterpret_cast<const __m256i*>(w.weight_lanes.data() + tap * 8)));
        row = MultiplyAdd(row, _mm512_cvtepi8_epi32(both), weight);
      }
      acc = _mm512_add_epi32(acc, row);
    }
    StoreInt8(MultiplyByQuantizedMultiplier(acc, k.multiplier,
                                            k.left, k.right),
              output_offset, low, high, static_cast<__mmask16>(0xFFFF), out);
  };

  const int out_width = output_shape.dim(2);
  const auto window_inside = [&](const TapRange& taps) {
    return taps.y_end - taps.y_begin == filter_height && taps.x_end - taps.x_begin == filter_width;
  };
  const depthwise::ColumnRange interior =
      depthwise::InteriorColumns(params, input_shape, filter_shape, out_width);
  const int interior_begin = interior.begin;
  const int interior_end = interior.end;
  const bool is_3x3 = filter_height == 3 && filter_width == 3 && params.dilation_height == 1 &&
                      params.dilation_width == 1;
  const OutputStage output_stage{output_offset, low, high};
  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      if (channels == 8) {
        const LaneConstants pair_constants = LoadPairConstants(w, input_offset);
        const LaneConstants single = LoadConstants(w, 0, FirstLanes(8), input_offset);
        const TapRange row_taps = TapsOf(params, input_shape, filter_shape, y, 0);
        const bool fast = is_3x3 && row_taps.y_end - row_taps.y_begin == filter_height;
        for (int x = 0; x < out_width;) {
          if (fast && x >= interior_begin && x + 1 < interior_end) {
            const int done = Interior3x3Pairs(
                pair_constants, w.weight_lanes.data(),
                input + Offset(input_shape, b, row_taps.in_y_origin,
                               x * params.stride_width - params.padding_width, 0),
                static_cast<int64_t>(input_shape.dim(2)) * channels, x_step, interior_end - x,
                output + Offset(output_shape, b, y, x, 0), output_stage);
            x += done;
            continue;
          }
          const TapRange taps = TapsOf(params, input_shape, filter_shape, y, x);
          int8_t* out = output + Offset(output_shape, b, y, x, 0);
          if (x + 1 < out_width && window_inside(taps) &&
              window_inside(TapsOf(params, input_shape, filter_shape, y, x + 1))) {
            pixel_pair(pair_constants, taps, b, out);
            x += 2;
          } else {
            pixel(single, taps, b, 0, FirstLanes(8), out);
            x += 1;
          }
        }
        continue;
      }
      const TapRange row_taps = TapsOf(params, input_shape, filter_shape, y, 0);
      const bool row_inside = row_taps.y_end - row_taps.y_begin == filter_height;
      for (int c = 0; c < channels; c += kChannelBlock) {
        const __mmask16 lanes = FirstLanes(channels - c);
        const LaneConstants k = LoadConstants(w, c, lanes, input_offset);
        const bool fast = is_3x3 && row_inside;
        for (int x = 0; x < out_width; ++x) {
          if (fast && x >= interior_begin && x < interior_end) {
            const int run = interior_end - x;
            const TapRange taps = TapsOf(params, input_shape, filter_shape, y, x);
            Interior3x3(k, w.weight_lanes.data() + c, channels, lanes,
                        input + Offset(input_shape, b, taps.in_y_origin, taps.in_x_origin, c),
                        static_cast<int64_t>(input_shape.dim(2)) * channels, x_step, run,
                        output + Offset(output_shape, b, y, x, c), channels, output_stage);
            x += run - 1;
            continue;
          }
          pixel(k, TapsOf(params, input_shape, filter_shape, y, x), b, c, lanes,
                output + Offset(output_shape, b, y, x, c));
        }
      }
    }
  }
}

void DepthwiseFloatAvx512(const reference::DepthwiseParams& params, const float* filter,
                          const float* bias, const Shape& input_shape, const float* input,
                          const Shape& filter_shape, const Shape& output_shape, float* output) {
  const int channels = output_shape.dim(3);
  const int filter_width = filter_shape.dim(2);
  const __m512 low = _mm512_set1_ps(params.float_activation_min);
  const __m512 high = _mm512_set1_ps(params.float_activation_max);
  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      for (int x = 0; x < output_shape.dim(2); ++x) {
        const TapRange taps = TapsOf(params, input_shape, filter_shape, y, x);
        float* out = output + Offset(output_shape, b, y, x, 0);
        for (int c = 0; c < channels; c += kChannelBlock) {
          const __mmask16 lanes = FirstLanes(channels - c);
          __m512 acc = _mm512_setzero_ps();
          for (int fy = taps.y_begin; fy < taps.y_end; ++fy) {
            const int in_y = taps.in_y_origin + params.dilation_height * fy;
            for (int fx = taps.x_begin; fx < taps.x_end; ++fx) {
              const int in_x = taps.in_x_origin + params.dilation_width * fx;
              const __m512 value =
                  _mm512_maskz_loadu_ps(lanes, input + Offset(input_shape, b, in_y, in_x, c));
              const int tap = fy * filter_width + fx;
              const __m512 weight =
                  _mm512_maskz_loadu_ps(lanes, filter + static_cast<int64_t>(tap) * channels + c);
              acc = _mm512_add_ps(acc, _mm512_mul_ps(value, weight));
            }
          }
          const __m512 bias_value =
              bias ? _mm512_maskz_loadu_ps(lanes, bias + c) : _mm512_setzero_ps();
          const __m512 value = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(acc, bias_value), low), high);
          _mm512_mask_storeu_ps(out + c, lanes, value);
        }
      }
    }
  }
}

}  // namespace kernels::optimized
