#pragma once
// What the AVX2 and AVX-512 int16x8 depthwise kernels share besides their instructions: the
// layer constants a pixel loop reads, the window of one output pixel, and the choice of the
// compiled case (depth multiplier 1 or not, windows longer than one int32 block of taps or not).

#include <cstdint>

#include "kernels/optimized/depthwise_conv_int16.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::optimized::depthwise_int16 {

struct Context {
  const PackedDepthwiseInt16x8* w;
  Int16OutputStage stage;
  int in_width, in_channels, filter_width;
  int dilation_height, dilation_width, depth_multiplier;
  int64_t row_stride;  // int16 values between vertically adjacent input pixels
};

inline Context MakeContext(const reference::DepthwiseParams& params,
                           const PackedDepthwiseInt16x8& weights, const Shape& input_shape,
                           const Shape& filter_shape) {
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
  return k;
}

// The filter taps of one pixel whose input lies inside the image.
struct Window {
  const int16_t* image;  // the batch's input
  // Offset of tap (0, 0)'s input pixel from `image`: possibly outside the image (negative, in the
  // padding), but only taps in [begin, end) are read, and their pixels are inside.
  int64_t origin;
  int y_begin, y_end, x_begin, x_end;
};

// Calls run.template operator()<kMultiplierOne, kLongWindows>() for the layer's case.
template <class Run>
void ForLayerCase(const reference::DepthwiseParams& params, const PackedDepthwiseInt16x8& weights,
                  const Run& run) {
  const bool long_windows = weights.taps > kDepthwiseInt16TapsPerBlock;
  if (params.depth_multiplier == 1) {
    if (long_windows) {
      run.template operator()<true, true>();
    } else {
      run.template operator()<true, false>();
    }
  } else if (long_windows) {
    run.template operator()<false, true>();
  } else {
    run.template operator()<false, false>();
  }
}

}  // namespace kernels::optimized::depthwise_int16
