// DEPTHWISE_CONV_2D with a depth multiplier of 1 and a multiple of 8 channels on AVX2 (int8 and
// hybrid, then float at the end of the file). int8 and hybrid share one accumulation:
// 8 channels per vector. Each input byte is sign-extended to a 32-bit lane, and vpmaddwd with
// the packed weight lanes (weight in the low int16, zero in the high one) gives exactly
// weight * input per lane: low * low + high * 0. Windows inside the image sum w * x with the
// input offset folded into the bias (PackedDepthwiseInt8::weight_sum); windows reaching the
// padding add the offset per tap over the taps inside (x + offset is in [-255, 255], an exact
// int16), skipping the outside ones as the reference does. Integer sums: any order gives the
// reference's wrapping int32 result. Only the output stage differs (a template parameter): int8
// requantizes, hybrid scales to float (HybridDepthwiseStage).
//
// Compiled for AVX2 by function attributes, run only when cpuid allows.
#include <immintrin.h>

#include "kernels/optimized/depthwise_taps.h"
#include "kernels/optimized/micro_kernels.h"
#include "kernels/optimized/requantize_avx2.h"

#define HARNESS_AVX2 __attribute__((target("avx2")))

namespace kernels::optimized {
namespace {

using depthwise::TapRange;
using depthwise::TapsOf;

constexpr int kLanes = 8;

HARNESS_AVX2 inline __m256i Load8(const int32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

HARNESS_AVX2 inline __m256i LoadInput(const int8_t* p) {
  return _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}

// int8 output stage: TFLite's per-channel requantization, + output offset, clamp, narrow.
struct Int8Store {
  using Output = int8_t;
  struct Lanes {
    __m256i multiplier, left, right;
  };
  const PackedDepthwiseInt8& w;
  __m256i offset, low, high;

  HARNESS_AVX2 Lanes Load(int c) const {
    return {Load8(w.multiplier.data() + c), Load8(w.left_shift.data() + c),
            Load8(w.right_shift.data() + c)};
  }
  HARNESS_AVX2 void Store(const Lanes& k, __m256i acc, int8_t* out) const {
    avx2::StoreInt8(avx2::MultiplyByQuantizedMultiplier(acc, k.multiplier, k.left, k.right),
                    offset, low, high, kLanes, out);
  }
};

// Hybrid output stage, the reference's expression in its order, each operation rounded once
// (plain "avx2" target and -ffp-contract=off: no FMA): float(acc) (vcvtdq2ps rounds to nearest
// even, as the scalar conversion), times (channel_scale * batch_scale), plus the bias, then
// std::max(value, min) and std::min(value, max).
struct FloatStore {
  using Output = float;
  struct Lanes {
    __m256 scale, bias;
  };
  const HybridDepthwiseStage& stage;
  __m256 batch_scale, low, high;

  // The two scales multiplied first, as the reference (and TFLite) does.
  HARNESS_AVX2 Lanes Load(int c) const {
    return {_mm256_mul_ps(_mm256_loadu_ps(stage.channel_scale + c), batch_scale),
            _mm256_loadu_ps(stage.bias + c)};
  }
  HARNESS_AVX2 void Store(const Lanes& k, __m256i acc, float* out) const {
    const __m256 value = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(acc), k.scale), k.bias);
    // vmaxps / vminps return their second operand when the first is not greater (less), NaN or
    // equal zeros included: with the value second they are exactly std::max(value, min) and
    // std::min(value, max).
    _mm256_storeu_ps(out, _mm256_min_ps(high, _mm256_max_ps(low, value)));
  }
};

template <class Store>
struct LaneConstants {
  __m256i bias;         // bias + input_offset * weight_sum: windows inside the image
  __m256i border_bias;  // bias alone: windows reaching the padding
  typename Store::Lanes out;
};

template <class Store>
HARNESS_AVX2 LaneConstants<Store> LoadConstants(const PackedDepthwiseInt8& w, const Store& store,
                                                int c, __m256i input_offset) {
  LaneConstants<Store> k;
  k.border_bias = Load8(w.bias.data() + c);
  k.bias = _mm256_add_epi32(k.border_bias,
                            _mm256_mullo_epi32(input_offset, Load8(w.weight_sum.data() + c)));
  k.out = store.Load(c);
  return k;
}

// A run of `count` adjacent output pixels of a 3x3 undilated filter, windows inside the image:
// the nine weight vectors stay in registers, two pixels go together so that their chains of
// dependent adds overlap. `input` is the first pixel's window origin at channel c.
template <class Store>
HARNESS_AVX2 void Interior3x3(const LaneConstants<Store>& k, const int32_t* weight_lanes,
                              int channels, const int8_t* input, int64_t input_row,
                              int64_t x_step, int count, typename Store::Output* out,
                              int64_t out_step, const Store& store) {
  __m256i weight[9];
  for (int tap = 0; tap < 9; ++tap) weight[tap] = Load8(weight_lanes + tap * channels);
  const auto tap_input = [&](const int8_t* origin, int tap) HARNESS_AVX2 {
    return LoadInput(origin + (tap / 3) * input_row + (tap % 3) * channels);
  };
  int i = 0;
  for (; i + 2 <= count; i += 2) {
    const int8_t* first = input + i * x_step;
    const int8_t* second = first + x_step;
    __m256i acc0 = k.bias;
    __m256i acc1 = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(tap_input(first, tap), weight[tap]));
      acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(tap_input(second, tap), weight[tap]));
    }
    store.Store(k.out, acc0, out + i * out_step);
    store.Store(k.out, acc1, out + (i + 1) * out_step);
  }
  if (i < count) {
    __m256i acc = k.bias;
    for (int tap = 0; tap < 9; ++tap) {
      acc = _mm256_add_epi32(acc, _mm256_madd_epi16(tap_input(input + i * x_step, tap), weight[tap]));
    }
    store.Store(k.out, acc, out + i * out_step);
  }
}

// The whole tensor with the output stage `store`; params.input_offset is added to every input.
template <class Store>
HARNESS_AVX2 void DepthwiseAvx2(const reference::DepthwiseParams& params,
                                const PackedDepthwiseInt8& w, const Store& store,
                                const Shape& input_shape, const int8_t* input,
                                const Shape& filter_shape, const Shape& output_shape,
                                typename Store::Output* output) {
  using Output = typename Store::Output;
  const int channels = w.channels;
  const int filter_width = filter_shape.dim(2);
  const int out_width = output_shape.dim(2);
  const __m256i input_offset = _mm256_set1_epi32(params.input_offset);
  const int64_t x_step = static_cast<int64_t>(params.stride_width) * channels;
  const int64_t input_row = static_cast<int64_t>(input_shape.dim(2)) * channels;
  const depthwise::ColumnRange interior =
      depthwise::InteriorColumns(params, input_shape, filter_shape, out_width);
  const bool is_3x3 = filter_shape.dim(1) == 3 && filter_width == 3 &&
                      params.dilation_height == 1 && params.dilation_width == 1;

  // The pixel loop walks the input and the weights by pointer: minimal scalar work per tap.
  const int32_t* weight_lanes = w.weight_lanes.data();
  const int64_t input_batch = input_row * input_shape.dim(1);
  const int64_t tap_down = input_row * params.dilation_height;
  const int64_t tap_right = static_cast<int64_t>(params.dilation_width) * channels;
  const int64_t weight_row = static_cast<int64_t>(filter_width) * channels;

  const auto pixel = [&](const LaneConstants<Store>& k, const TapRange& taps, int b, int c,
                         Output* out) HARNESS_AVX2 {
    const bool inside = depthwise::WholeWindow(taps, filter_shape);
    __m256i acc = inside ? k.bias : k.border_bias;
    const __m256i offset = inside ? _mm256_setzero_si256() : input_offset;
    if (taps.y_begin < taps.y_end && taps.x_begin < taps.x_end) {
      const int in_y = taps.in_y_origin + params.dilation_height * taps.y_begin;
      const int in_x = taps.in_x_origin + params.dilation_width * taps.x_begin;
      const int8_t* source_row =
          input + b * input_batch + in_y * input_row + static_cast<int64_t>(in_x) * channels + c;
      const int32_t* weight_row_start =
          weight_lanes + (static_cast<int64_t>(taps.y_begin) * filter_width + taps.x_begin) *
                             channels + c;
      for (int fy = taps.y_begin; fy < taps.y_end; ++fy) {
        const int8_t* source = source_row;
        const int32_t* weight = weight_row_start;
        for (int fx = taps.x_begin; fx < taps.x_end; ++fx) {
          const __m256i value = _mm256_add_epi32(LoadInput(source), offset);
          acc = _mm256_add_epi32(acc, _mm256_madd_epi16(value, Load8(weight)));
          source += tap_right;
          weight += channels;
        }
        source_row += tap_down;
        weight_row_start += weight_row;
      }
    }
    store.Store(k.out, acc, out);
  };

  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      const TapRange row_taps = TapsOf(params, input_shape, filter_shape, y, 0);
      const bool fast = is_3x3 && row_taps.y_end - row_taps.y_begin == 3;
      for (int c = 0; c < channels; c += kLanes) {
        const LaneConstants<Store> k = LoadConstants(w, store, c, input_offset);
        for (int x = 0; x < out_width; ++x) {
          if (fast && x >= interior.begin && x < interior.end) {
            const int run = interior.end - x;
            Interior3x3(k, w.weight_lanes.data() + c, channels,
                        input + Offset(input_shape, b, row_taps.in_y_origin,
                                       x * params.stride_width - params.padding_width, c),
                        input_row, x_step, run, output + Offset(output_shape, b, y, x, c),
                        channels, store);
            x += run - 1;
            continue;
          }
          pixel(k, TapsOf(params, input_shape, filter_shape, y, x), b, c,
                output + Offset(output_shape, b, y, x, c));
        }
      }
    }
  }
}

}  // namespace

HARNESS_AVX2 void DepthwiseInt8Avx2(const reference::DepthwiseParams& params,
                                    const PackedDepthwiseInt8& w, const Shape& input_shape,
                                    const int8_t* input, const Shape& filter_shape,
                                    const Shape& output_shape, int8_t* output) {
  const Int8Store store{w, _mm256_set1_epi32(params.output_offset),
                        _mm256_set1_epi32(params.quantized_activation_min),
                        _mm256_set1_epi32(params.quantized_activation_max)};
  DepthwiseAvx2(params, w, store, input_shape, input, filter_shape, output_shape, output);
}

HARNESS_AVX2 void DepthwiseHybridAvx2(const reference::DepthwiseParams& params,
                                      const PackedDepthwiseInt8& w,
                                      const HybridDepthwiseStage& stage, const Shape& input_shape,
                                      const int8_t* input, const Shape& filter_shape,
                                      const Shape& output_shape, float* output) {
  const FloatStore store{stage, _mm256_set1_ps(stage.batch_scale),
                         _mm256_set1_ps(params.float_activation_min),
                         _mm256_set1_ps(params.float_activation_max)};
  DepthwiseAvx2(params, w, store, input_shape, input, filter_shape, output_shape, output);
}

// float, a multiple of 8 channels: per lane the reference's sum over the taps inside the image,
// in its order, a rounded multiply then a rounded add (no FMA: the target is plain "avx2"), bias
// added last, then the clamp: bit-identical to the reference, as DepthwiseFloatAvx512.
HARNESS_AVX2 void DepthwiseFloatAvx2(const reference::DepthwiseParams& params, const float* filter,
                                     const float* bias, const Shape& input_shape,
                                     const float* input, const Shape& filter_shape,
                                     const Shape& output_shape, float* output) {
  const int channels = output_shape.dim(3);
  const int filter_width = filter_shape.dim(2);
  const __m256 low = _mm256_set1_ps(params.float_activation_min);
  const __m256 high = _mm256_set1_ps(params.float_activation_max);
  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      for (int x = 0; x < output_shape.dim(2); ++x) {
        const TapRange taps = TapsOf(params, input_shape, filter_shape, y, x);
        float* out = output + Offset(output_shape, b, y, x, 0);
        for (int c = 0; c < channels; c += kLanes) {
          __m256 acc = _mm256_setzero_ps();
          for (int fy = taps.y_begin; fy < taps.y_end; ++fy) {
            const int in_y = taps.in_y_origin + params.dilation_height * fy;
            for (int fx = taps.x_begin; fx < taps.x_end; ++fx) {
              const int in_x = taps.in_x_origin + params.dilation_width * fx;
              const __m256 value = _mm256_loadu_ps(input + Offset(input_shape, b, in_y, in_x, c));
              const int tap = fy * filter_width + fx;
              const __m256 weight =
                  _mm256_loadu_ps(filter + static_cast<int64_t>(tap) * channels + c);
              acc = _mm256_add_ps(acc, _mm256_mul_ps(value, weight));
            }
          }
          const __m256 bias_value = bias ? _mm256_loadu_ps(bias + c) : _mm256_setzero_ps();
          _mm256_storeu_ps(out + c, _mm256_min_ps(
                                        _mm256_max_ps(_mm256_add_ps(acc, bias_value), low), high));
        }
      }
    }
  }
}

}  // namespace kernels::optimized
