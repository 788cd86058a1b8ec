// DEPTHWISE_CONV_2D with a depth multiplier of 1 on AVX-512: 16 channels per vector. int8: each
// input byte is sign-extended to a 32-bit lane and offset by the input zero point (a value in
// [-255, 255], so its low 16 bits are the exact int16), and vpmaddwd with the packed weight
// lanes (weight in the low int16, zero in the high one) adds exactly weight * input per lane.
// float: per lane the reference's sum over the taps inside the image, in its order, as a rounded
// multiply then a rounded add (no FMA), bias added last: bit-identical to the reference (see
// gemm_float_avx512.cc).
#include <immintrin.h>

#include "kernels/optimized/micro_kernels.h"
#include "kernels/optimized/requantize_avx512.h"

namespace kernels::optimized {
namespace {

struct TapRange {
  int y_begin, y_end, x_begin, x_end;  // filter taps whose input lies inside the image
  int in_y_origin, in_x_origin;
};

int FirstInside(int origin, int dilation) {
  // Smallest f >= 0 with origin + dilation * f >= 0.
  return origin >= 0 ? 0 : (-origin + dilation - 1) / dilation;
}

int EndInside(int origin, int dilation, int size, int taps) {
  // One past the largest f < taps with origin + dilation * f < size.
  if (origin >= size) return 0;
  const int end = (size - 1 - origin) / dilation + 1;
  return end < taps ? end : taps;
}

TapRange TapsOf(const reference::DepthwiseParams& p, const Shape& input_shape,
                const Shape& filter_shape, int out_y, int out_x) {
  TapRange r{};
  r.in_y_origin = out_y * p.stride_height - p.padding_height;
  r.in_x_origin = out_x * p.stride_width - p.padding_width;
  r.y_begin = FirstInside(r.in_y_origin, p.dilation_height);
  r.y_end = EndInside(r.in_y_origin, p.dilation_height, input_shape.dim(1), filter_shape.dim(1));
  r.x_begin = FirstInside(r.in_x_origin, p.dilation_width);
  r.x_end = EndInside(r.in_x_origin, p.dilation_width, input_shape.dim(2), filter_shape.dim(2));
  return r;
}

}  // namespace

void DepthwiseInt8Avx512Vnni(const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& w, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape,
                             const Shape& output_shape, int8_t* output) {
  const int channels = w.channels;
  const int filter_width = filter_shape.dim(2);
  const __m512i input_offset = _mm512_set1_epi32(params.input_offset);
  const __m512i output_offset = _mm512_set1_epi32(params.output_offset);
  const __m512i low = _mm512_set1_epi32(params.quantized_activation_min);
  const __m512i high = _mm512_set1_epi32(params.quantized_activation_max);
  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      for (int x = 0; x < output_shape.dim(2); ++x) {
        const TapRange taps = TapsOf(params, input_shape, filter_shape, y, x);
        int8_t* out = output + Offset(output_shape, b, y, x, 0);
        for (int c = 0; c < channels; c += kChannelBlock) {
          const __mmask16 lanes = FirstLanes(channels - c);
          __m512i acc = _mm512_maskz_loadu_epi32(lanes, w.bias.data() + c);
          for (int fy = taps.y_begin; fy < taps.y_end; ++fy) {
            const int in_y = taps.in_y_origin + params.dilation_height * fy;
            for (int fx = taps.x_begin; fx < taps.x_end; ++fx) {
              const int in_x = taps.in_x_origin + params.dilation_width * fx;
              const int8_t* pixel = input + Offset(input_shape, b, in_y, in_x, c);
              const __m512i value = _mm512_add_epi32(
                  _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(lanes, pixel)), input_offset);
              const int tap = fy * filter_width + fx;
              const __m512i weight = _mm512_maskz_loadu_epi32(
                  lanes, w.weight_lanes.data() + static_cast<int64_t>(tap) * channels + c);
              acc = _mm512_add_epi32(acc, _mm512_madd_epi16(value, weight));
            }
          }
          const __m512i multiplier = _mm512_maskz_loadu_epi32(lanes, w.multiplier.data() + c);
          const __m512i left = _mm512_maskz_loadu_epi32(lanes, w.left_shift.data() + c);
          const __m512i right = _mm512_maskz_loadu_epi32(lanes, w.right_shift.data() + c);
          StoreInt8(MultiplyByQuantizedMultiplier(acc, multiplier, left, right), output_offset,
                    low, high, lanes, out + c);
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
