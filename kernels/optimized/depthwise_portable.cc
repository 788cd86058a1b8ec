// DEPTHWISE_CONV_2D in plain C++ for any depth multiplier: per output pixel, a row of
// accumulators over all output channels, taps outer and channels inner (the inner loop is
// contiguous and vectorizes), then the reference's output stage (int8, hybrid or float). Taps in
// the padding are skipped, as the reference does.
#include <algorithm>
#include <vector>

#include "kernels/fixed_point.h"
#include "kernels/optimized/micro_kernels.h"

namespace kernels::optimized {
namespace {

// Calls tap(input_pixel, tap_index) for every tap of output pixel (b, out_y, out_x) inside the
// image, in the reference's order.
template <class Tap>
void ForEachInsideTap(const reference::DepthwiseParams& p, const Shape& input_shape,
                      const Shape& filter_shape, int b, int out_y, int out_x, Tap tap) {
  const int in_y_origin = out_y * p.stride_height - p.padding_height;
  const int in_x_origin = out_x * p.stride_width - p.padding_width;
  for (int fy = 0; fy < filter_shape.dim(1); ++fy) {
    const int in_y = in_y_origin + p.dilation_height * fy;
    if (in_y < 0 || in_y >= input_shape.dim(1)) continue;
    for (int fx = 0; fx < filter_shape.dim(2); ++fx) {
      const int in_x = in_x_origin + p.dilation_width * fx;
      if (in_x < 0 || in_x >= input_shape.dim(2)) continue;
      tap(Offset(input_shape, b, in_y, in_x, 0), fy * filter_shape.dim(2) + fx);
    }
  }
}

// The int32 accumulation of the int8 and hybrid kernels (bias + sum over the taps inside the
// image of w * (x + input_offset)), one output pixel at a time; finish(acc, pixel_offset) then
// writes the pixel's channels from `acc`.
template <class Finish>
void AccumulateInt8(const reference::DepthwiseParams& params, const PackedDepthwiseInt8& w,
                    const Shape& input_shape, const int8_t* input, const Shape& filter_shape,
                    const Shape& output_shape, Finish finish) {
  const int channels = w.channels;
  const int multiplier = params.depth_multiplier;
  std::vector<int32_t> acc(static_cast<size_t>(channels));
  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      for (int x = 0; x < output_shape.dim(2); ++x) {
        std::copy(w.bias.begin(), w.bias.end(), acc.begin());
        ForEachInsideTap(params, input_shape, filter_shape, b, y, x, [&](int64_t in, int tap) {
          const int8_t* pixel = input + in;
          const int8_t* weights = w.filter.data() + static_cast<int64_t>(tap) * channels;
          for (int c = 0; c < channels; ++c) {
            acc[static_cast<size_t>(c)] += static_cast<int32_t>(weights[c]) *
                                           (static_cast<int32_t>(pixel[c / multiplier]) +
                                            params.input_offset);
          }
        });
        finish(acc.data(), Offset(output_shape, b, y, x, 0));
      }
    }
  }
}

}  // namespace

void DepthwiseInt8Portable(const reference::DepthwiseParams& params, const PackedDepthwiseInt8& w,
                           const Shape& input_shape, const int8_t* input, const Shape& filter_shape,
                           const Shape& output_shape, int8_t* output) {
  const int channels = w.channels;
  AccumulateInt8(params, w, input_shape, input, filter_shape, output_shape,
                 [&](const int32_t* acc, int64_t pixel) {
                   int8_t* out = output + pixel;
                   for (int c = 0; c < channels; ++c) {
                     const auto i = static_cast<size_t>(c);
                     int32_t value =
                         MultiplyByQuantizedMultiplier(acc[c], w.multiplier[i], w.shift[i]);
                     value = std::clamp(value + params.output_offset,
                                        params.quantized_activation_min,
                                        params.quantized_activation_max);
                     out[c] = static_cast<int8_t>(value);
                   }
                 });
}

// The reference's float output stage in its order: float(acc) * (channel_scale * batch_scale),
// + bias (-0.0f for none: x + -0.0f is x for every x), std::max with the minimum, std::min with
// the maximum.
void DepthwiseHybridPortable(const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& w, const HybridDepthwiseStage& stage,
                             const Shape& input_shape, const int8_t* input,
                             const Shape& filter_shape, const Shape& output_shape, float* output) {
  const int channels = w.channels;
  AccumulateInt8(params, w, input_shape, input, filter_shape, output_shape,
                 [&](const int32_t* acc, int64_t pixel) {
                   float* out = output + pixel;
                   for (int c = 0; c < channels; ++c) {
                     const float value = static_cast<float>(acc[c]) *
                                             (stage.channel_scale[c] * stage.batch_scale) +
                                         stage.bias[c];
                     out[c] = std::min(std::max(value, params.float_activation_min),
                                       params.float_activation_max);
                   }
                 });
}

void DepthwiseFloatPortable(const reference::DepthwiseParams& params, const float* filter,
                            const float* bias, const Shape& input_shape, const float* input,
                            const Shape& filter_shape, const Shape& output_shape, float* output) {
  const int channels = output_shape.dim(3);
  const int multiplier = params.depth_multiplier;
  std::vector<float> acc(static_cast<size_t>(channels));
  for (int b = 0; b < output_shape.dim(0); ++b) {
    for (int y = 0; y < output_shape.dim(1); ++y) {
      for (int x = 0; x < output_shape.dim(2); ++x) {
        std::fill(acc.begin(), acc.end(), 0.0f);
        ForEachInsideTap(params, input_shape, filter_shape, b, y, x, [&](int64_t in, int tap) {
          const float* pixel = input + in;
          const float* weights = filter + static_cast<int64_t>(tap) * channels;
          for (int c = 0; c < channels; ++c) {
            acc[static_cast<size_t>(c)] += pixel[c / multiplier] * weights[c];
          }
        });
        float* out = output + Offset(output_shape, b, y, x, 0);
        for (int c = 0; c < channels; ++c) {
          const float value = acc[static_cast<size_t>(c)] + (bias ? bias[c] : 0.0f);
          out[c] = std::min(std::max(value, params.float_activation_min),
                            params.float_activation_max);
        }
      }
    }
  }
}

}  // namespace kernels::optimized
