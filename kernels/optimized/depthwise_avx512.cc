// DEPTHWISE_CONV_2D with a depth multiplier of 1 on AVX-512: 16 channels per vector (two pixels
// per vector for 8-channel tensors). int8 and hybrid share one accumulation: each input byte is
// sign-extended to a 32-bit lane and vpdpwssd with the packed weight lanes (weight in the low
// int16, zero in the high one) adds exactly weight * input per lane; the input offset is folded
// into the bias for windows inside the image. Only the output stage differs (a template
// parameter): int8 requantizes, hybrid scales to float (HybridDepthwiseStage).
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

// The 8 int32 (or float) values at `p` repeated in both halves: two pixels of an 8-channel
// tensor per vector.
inline __m512i Twice(const int32_t* p) {
  return _mm512_broadcast_i32x8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}
inline __m512 Twice(const float* p) { return _mm512_broadcast_f32x8(_mm256_loadu_ps(p)); }

// int8 output stage: TFLite's per-channel requantization, + output offset, clamp, narrow.
struct Int8Store {
  using Output = int8_t;
  struct Lanes {
    __m512i multiplier, left, right;
  };
  const PackedDepthwiseInt8& w;
  __m512i offset, low, high;

  Lanes Load(int c, __mmask16 lanes) const {
    return {_mm512_maskz_loadu_epi32(lanes, w.multiplier.data() + c),
            _mm512_maskz_loadu_epi32(lanes, w.left_shift.data() + c),
            _mm512_maskz_loadu_epi32(lanes, w.right_shift.data() + c)};
  }
  Lanes LoadTwice() const {
    return {Twice(w.multiplier.data()), Twice(w.left_shift.data()), Twice(w.right_shift.data())};
  }
  void Store(const Lanes& k, __m512i acc, __mmask16 lanes, int8_t* out) const {
    StoreInt8(MultiplyByQuantizedMultiplier(acc, k.multiplier, k.left, k.right), offset, low,
              high, lanes, out);
  }
};

// Hybrid output stage, the reference's expression in its order, each operation rounded once
// (this file is compiled with -ffp-contract=off: no FMA): float(acc) (vcvtdq2ps rounds to
// nearest even, as the scalar conversion), times (channel_scale * batch_scale), plus the bias,
// then std::max(value, min) and std::min(value, max).
struct FloatStore {
  using Output = float;
  struct Lanes {
    __m512 scale, bias;
  };
  const HybridDepthwiseStage& stage;
  __m512 batch_scale, low, high;

  // The two scales multiplied first, as the reference (and TFLite) does.
  Lanes Load(int c, __mmask16 lanes) const {
    return {_mm512_mul_ps(_mm512_maskz_loadu_ps(lanes, stage.channel_scale + c), batch_scale),
            _mm512_maskz_loadu_ps(lanes, stage.bias + c)};
  }
  Lanes LoadTwice() const {
    return {_mm512_mul_ps(Twice(stage.channel_scale), batch_scale), Twice(stage.bias)};
  }
  void Store(const Lanes& k, __m512i acc, __mmask16 lanes, float* out) const {
    const __m512 value = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(acc), k.scale), k.bias);
    // vmaxps / vminps return their second operand when the first is not greater (less), NaN or
    // equal zeros included: with the value second they are exactly std::max(value, min) and
    // std::min(value, max), which keep `value` in those cases.
    _mm512_mask_storeu_ps(out, lanes, _mm512_min_ps(high, _mm512_max_ps(low, value)));
  }
};

// The accumulator starts and output-stage constants of one block of 16 lanes, loaded once per
// block.
template <class Store>
struct LaneConstants {
  __m512i bias;         // bias + input_offset * weight_sum: for windows inside the image
  __m512i border_bias;  // bias alone: for windows that reach the padding (offset added per tap)
  typename Store::Lanes out;
};

template <class Store>
LaneConstants<Store> LoadConstants(const PackedDepthwiseInt8& w, const Store& store, int c,
                                   __mmask16 lanes, __m512i input_offset) {
  LaneConstants<Store> k;
  k.border_bias = _mm512_maskz_loadu_epi32(lanes, w.bias.data() + c);
  k.bias = _mm512_add_epi32(
      k.border_bias,
      _mm512_mullo_epi32(input_offset, _mm512_maskz_loadu_epi32(lanes, w.weight_sum.data() + c)));
  k.out = store.Load(c, lanes);
  return k;
}

// The constants of an 8-channel tensor repeated in both halves: two pixels per vector.
template <class Store>
LaneConstants<Store> LoadPairConstants(const PackedDepthwiseInt8& w, const Store& store,
                                       __m512i input_offset) {
  LaneConstants<Store> k;
  k.border_bias = Twice(w.bias.data());
  k.bias = _mm512_add_epi32(k.border_bias,
                            _mm512_mullo_epi32(input_offset, Twice(w.weight_sum.data())));
  k.out = store.LoadTwice();
  return k;
}

// A weight lane holds the int16 weight in its low half and zero in its high half; an input lane
// holds the sign-extended int8 (or x + input_offset, in [-255, 255]) whose low half is the exact
// int16. vpdpwssd adds low * low + high * high = weight * input: the exact product.
inline __m512i MultiplyAdd(__m512i acc, __m512i input, __m512i weight) {
  return _mm512_dpwssd_epi32(acc, input, weight);
}

// A run of `count` horizontally adjacent output pixels of a 3x3 undilated filter whose windows
// all lie inside the image, lanes [c, c + 16): the nine weight vectors stay in registers and two
// pixels go together, so that their independent chains of vpdpwssd overlap. `input` is the
// window origin of the first pixel; the offset is folded into k.bias.
template <class Store>
void Interior3x3(const LaneConstants<Store>& k, const int32_t* weight_lanes, int channels,
                 __mmask16 lanes, const int8_t* input, int64_t input_row, int64_t x_step,
                 int count, typename Store::Output* out, int64_t out_step, const Store& store) {
  __m512i weight[9];
  for (int tap = 0; tap < 9; ++tap) {
    weight[tap] =
        _mm512_maskz_loadu_epi32(lanes, weight_lanes + static_cast<int64_t>(tap) * channels);
  }
  const auto tap_input = [&](const int8_t* origin, int tap) {
    const int8_t* source = origin + (tap / 3) * input_row + (tap % 3) * channels;
    return _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(lanes, source));
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
    store.Store(k.out, acc0, lanes, out + i * out_step);
    store.Store(k.out, acc1, lanes, out + (i + 1) * out_step);
  }
  if (i < count) {
    __m512i acc = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc = MultiplyAdd(acc, tap_input(input + i * x_step, tap), weight[tap]);
    }
    store.Store(k.out, acc, lanes, out + i * out_step);
  }
}

// The same for an 8-channel tensor, two pixels per vector (their 8 lanes each; `k` holds the
// constants twice) and two vectors per step. Handles the even part of `count`; returns it.
template <class Store>
int Interior3x3Pairs(const LaneConstants<Store>& k, const int32_t* weight_lanes,
                     const int8_t* input, int64_t input_row, int64_t x_step, int count,
                     typename Store::Output* out, const Store& store) {
  constexpr int kChannels = 8;
  constexpr auto kAll = static_cast<__mmask16>(0xFFFF);
  __m512i weight[9];
  for (int tap = 0; tap < 9; ++tap) weight[tap] = Twice(weight_lanes + tap * kChannels);
  const auto pair_input = [&](const int8_t* origin, int tap) {
    const int8_t* source = origin + (tap / 3) * input_row + (tap % 3) * kChannels;
    const __m128i both =
        _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(source)),
                           _mm_loadl_epi64(reinterpret_cast<const __m128i*>(source + x_step)));
    return _mm512_cvtepi8_epi32(both);
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
    store.Store(k.out, acc0, kAll, out + i * kChannels);
    store.Store(k.out, acc1, kAll, out + (i + 2) * kChannels);
  }
  for (; i + 2 <= count; i += 2) {
    __m512i acc = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc = MultiplyAdd(acc, pair_input(input + i * x_step, tap), weight[tap]);
    }
    store.Store(k.out, acc, kAll, out + i * kChannels);
  }
  return i;
}

// The whole tensor with the output stage `store`; params.input_offset is added to every input.
template <class Store>
void DepthwiseAvx512(const reference::DepthwiseParams& params, const PackedDepthwiseInt8& w,
                     const Store& store, const Shape& input_shape, const int8_t* input,
                     const Shape& filter_shape, const Shape& output_shape,
                     typename Store::Output* output) {
  using Output = typename Store::Output;
  const int channels = w.channels;
  const int filter_height = filter_shape.dim(1);
  const int filter_width = filter_shape.dim(2);
  const __m512i input_offset = _mm512_set1_epi32(params.input_offset);
  const int64_t x_step = static_cast<int64_t>(params.stride_width) * channels;

  // Pointer steps, hoisted: the loops below walk the input and the weights by pointer, which
  // keeps the per-tap scalar work (and the register pressure around it) minimal.
  const int32_t* weight_lanes = w.weight_lanes.data();
  const int64_t input_row = static_cast<int64_t>(input_shape.dim(2)) * channels;
  const int64_t input_batch = input_row * input_shape.dim(1);
  const int64_t tap_down = input_row * params.dilation_height;
  const int64_t tap_right = static_cast<int64_t>(params.dilation_width) * channels;
  const int64_t weight_row = static_cast<int64_t>(filter_width) * channels;
  // Offsets of the first tap inside the image of a window: in the input (batch b, channel c)
  // and in the weights. Only for windows with at least one tap inside.
  const auto first_input = [&](const TapRange& taps, int b, int c) {
    const int in_y = taps.in_y_origin + params.dilation_height * taps.y_begin;
    const int in_x = taps.in_x_origin + params.dilation_width * taps.x_begin;
    return b * input_batch + in_y * input_row + static_cast<int64_t>(in_x) * channels + c;
  };
  const auto first_weight = [&](const TapRange& taps, int c) {
    return (static_cast<int64_t>(taps.y_begin) * filter_width + taps.x_begin) * channels + c;
  };

  // One output pixel, lanes [c, c + 16). A window inside the image sums w * x with the input
  // offset folded into the bias; a window reaching the padding adds the offset per tap over the
  // taps inside, exactly as the reference skips the outside ones.
  const auto pixel = [&](const LaneConstants<Store>& k, const TapRange& taps, int b, int c,
                         __mmask16 lanes, Output* out) {
    const bool inside = taps.y_end - taps.y_begin == filter_height &&
                        taps.x_end - taps.x_begin == filter_width;
    // One accumulator per filter row, added at the row's end: the rows' chains of dependent
    // vpdpwssd overlap (their latency, not their count, bounds a pixel); integer sums do not
    // depend on the order.
    __m512i acc = inside ? k.bias : k.border_bias;
    const __m512i offset = inside ? _mm512_setzero_si512() : input_offset;
    if (taps.y_begin < taps.y_end && taps.x_begin < taps.x_end) {
      const int8_t* source_row = input + first_input(taps, b, c);
      const int32_t* weight_row_start = weight_lanes + first_weight(taps, c);
      for (int fy = taps.y_begin; fy < taps.y_end; ++fy) {
        __m512i row = _mm512_setzero_si512();
        const int8_t* source = source_row;
        const int32_t* weight = weight_row_start;
        for (int fx = taps.x_begin; fx < taps.x_end; ++fx) {
          const __m512i value = _mm512_add_epi32(
              _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(lanes, source)), offset);
          row = MultiplyAdd(row, value, _mm512_maskz_loadu_epi32(lanes, weight));
          source += tap_right;
          weight += channels;
        }
        acc = _mm512_add_epi32(acc, row);
        source_row += tap_down;
        weight_row_start += weight_row;
      }
    }
    store.Store(k.out, acc, lanes, out);
  };

  // Two horizontally adjacent pixels of an 8-channel tensor, both windows inside the image.
  const auto pixel_pair = [&](const LaneConstants<Store>& k, const TapRange& taps, int b,
                              Output* out) {
    __m512i acc = k.bias;
    const int8_t* source_row = input + first_input(taps, b, 0);
    const int32_t* weight = weight_lanes;
    for (int fy = 0; fy < filter_height; ++fy) {
      __m512i row = _mm512_setzero_si512();
      const int8_t* source = source_row;
      for (int fx = 0; fx < filter_width; ++fx) {
        const __m128i both = _mm_unpacklo_epi64(
            _mm_loadl_epi64(reinterpret_cast<const __m128i*>(source)),
            _mm_loadl_epi64(reinterpret_cast<const __m128i*>(source + x_step)));
        row = MultiplyAdd(row, _mm512_cvtepi8_epi32(both), Twice(weight));
        source += tap_right;
        weight += 8;
      }
      acc = _mm512_add_epi32(acc, row);
      source_row += tap_down;
    }
    store.Store(k.out, acc, static_cast<__mmask16>(0xFFFF), out);
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
  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      if (channels == 8) {
        const LaneConstants<Store> pair_constants = LoadPairConstants(w, store, input_offset);
        const LaneConstants<Store> single = LoadConstants(w, store, 0, FirstLanes(8), input_offset);
        const TapRange row_taps = TapsOf(params, input_shape, filter_shape, y, 0);
        const bool fast = is_3x3 && row_taps.y_end - row_taps.y_begin == filter_height;
        for (int x = 0; x < out_width;) {
          if (fast && x >= interior_begin && x + 1 < interior_end) {
            const int done = Interior3x3Pairs(
                pair_constants, w.weight_lanes.data(),
                input + Offset(input_shape, b, row_taps.in_y_origin,
                               x * params.stride_width - params.padding_width, 0),
                input_row, x_step, interior_end - x,
                output + Offset(output_shape, b, y, x, 0), store);
            x += done;
            continue;
          }
          const TapRange taps = TapsOf(params, input_shape, filter_shape, y, x);
          Output* out = output + Offset(output_shape, b, y, x, 0);
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
        const LaneConstants<Store> k = LoadConstants(w, store, c, lanes, input_offset);
        const bool fast = is_3x3 && row_inside;
        for (int x = 0; x < out_width; ++x) {
          if (fast && x >= interior_begin && x < interior_end) {
            const int run = interior_end - x;
            const TapRange taps = TapsOf(params, input_shape, filter_shape, y, x);
            Interior3x3(k, w.weight_lanes.data() + c, channels, lanes,
                        input + Offset(input_shape, b, taps.in_y_origin, taps.in_x_origin, c),
                        input_row, x_step, run,
                        output + Offset(output_shape, b, y, x, c), channels, store);
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

}  // namespace

void DepthwiseInt8Avx512Vnni(const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& w, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape,
                             const Shape& output_shape, int8_t* output) {
  const Int8Store store{w, _mm512_set1_epi32(params.output_offset),
                        _mm512_set1_epi32(params.quantized_activation_min),
                        _mm512_set1_epi32(params.quantized_activation_max)};
  DepthwiseAvx512(params, w, store, input_shape, input, filter_shape, output_shape, output);
}

void DepthwiseHybridAvx512Vnni(const reference::DepthwiseParams& params,
                               const PackedDepthwiseInt8& w, const HybridDepthwiseStage& stage,
                               const Shape& input_shape, const int8_t* input,
                               const Shape& filter_shape, const Shape& output_shape,
                               float* output) {
  const FloatStore store{stage, _mm512_set1_ps(stage.batch_scale),
                         _mm512_set1_ps(params.float_activation_min),
                         _mm512_set1_ps(params.float_activation_max)};
  DepthwiseAvx512(params, w, store, input_shape, input, filter_shape, output_shape, output);
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
