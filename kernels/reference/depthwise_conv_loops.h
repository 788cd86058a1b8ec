#pragma once
// The loop nest every DEPTHWISE_CONV_2D reference kernel shares (float, int8, hybrid, int16x8).
// Private to kernels/reference.

#include <cstdint>

#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::reference::internal {

// Taps in the padding are skipped. `tap` accumulates one input-filter pair; `finish` turns the
// accumulator into the output value.
template <class Acc, class Tap, class Finish>
void DepthwiseLoops(const DepthwiseParams& params, const Shape& input_shape,
                    const Shape& filter_shape, const Shape& output_shape, Tap tap, Finish finish) {
  const int batches = input_shape.dim(0);
  const int input_height = input_shape.dim(1);
  const int input_width = input_shape.dim(2);
  const int input_depth = input_shape.dim(3);
  const int filter_height = filter_shape.dim(1);
  const int filter_width = filter_shape.dim(2);
  const int output_height = output_shape.dim(1);
  const int output_width = output_shape.dim(2);
  for (int batch = 0; batch < batches; ++batch) {
    for (int out_y = 0; out_y < output_height; ++out_y) {
      const int in_y_origin = out_y * params.stride_height - params.padding_height;
      for (int out_x = 0; out_x < output_width; ++out_x) {
        const int in_x_origin = out_x * params.stride_width - params.padding_width;
        for (int in_channel = 0; in_channel < input_depth; ++in_channel) {
          for (int m = 0; m < params.depth_multiplier; ++m) {
            const int out_channel = in_channel * params.depth_multiplier + m;
            Acc acc{};
            for (int filter_y = 0; filter_y < filter_height; ++filter_y) {
              const int in_y = in_y_origin + params.dilation_height * filter_y;
              for (int filter_x = 0; filter_x < filter_width; ++filter_x) {
                const int in_x = in_x_origin + params.dilation_width * filter_x;
                const bool inside =
                    in_x >= 0 && in_x < input_width && in_y >= 0 && in_y < input_height;
                if (!inside) continue;
                tap(acc, batch, Offset(input_shape, batch, in_y, in_x, in_channel),
                    Offset(filter_shape, 0, filter_y, filter_x, out_channel));
              }
            }
            finish(acc, batch, out_channel, Offset(output_shape, batch, out_y, out_x, out_channel));
          }
        }
      }
    }
  }
}

}  // namespace kernels::reference::internal
