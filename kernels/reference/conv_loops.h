#pragma once
// The loop nest every CONV_2D reference kernel shares (float, int8, hybrid, int16x8): for each
// output element, the dot product of the filter with the input window of its group, skipping
// taps that fall into the padding. Private to kernels/reference.

#include <cstdint>

#include "kernels/reference/conv.h"
#include "kernels/shape.h"

namespace kernels::reference::internal {

// The dimensions a convolution reads, including grouped convolution's filters per group.
struct ConvGeometry {
  int batches, input_height, input_width, input_depth;
  int filter_height, filter_width, filter_input_depth;
  int output_height, output_width, output_depth;
  int filters_per_group;

  ConvGeometry(const Shape& input_shape, const Shape& filter_shape, const Shape& output_shape)
      : batches(input_shape.dim(0)),
        input_height(input_shape.dim(1)),
        input_width(input_shape.dim(2)),
        input_depth(input_shape.dim(3)),
        filter_height(filter_shape.dim(1)),
        filter_width(filter_shape.dim(2)),
        filter_input_depth(filter_shape.dim(3)),
        output_height(output_shape.dim(1)),
        output_width(output_shape.dim(2)),
        output_depth(output_shape.dim(3)) {
    // Grouped convolution: input_depth = groups * filter_input_depth.
    const int groups = input_depth / filter_input_depth;
    filters_per_group = output_depth / groups;
  }
};

// `tap` accumulates one input-filter pair; `finish` turns the accumulator into the output value.
template <class Acc, class Tap, class Finish>
void ConvLoops(const ConvParams& params, const ConvGeometry& g, const Shape& input_shape,
               const Shape& filter_shape, const Shape& output_shape, Tap tap, Finish finish) {
  for (int batch = 0; batch < g.batches; ++batch) {
    for (int out_y = 0; out_y < g.output_height; ++out_y) {
      const int in_y_origin = out_y * params.stride_height - params.padding_height;
      for (int out_x = 0; out_x < g.output_width; ++out_x) {
        const int in_x_origin = out_x * params.stride_width - params.padding_width;
        for (int out_channel = 0; out_channel < g.output_depth; ++out_channel) {
          const int group = out_channel / g.filters_per_group;
          Acc acc{};
          for (int filter_y = 0; filter_y < g.filter_height; ++filter_y) {
            const int in_y = in_y_origin + params.dilation_height * filter_y;
            for (int filter_x = 0; filter_x < g.filter_width; ++filter_x) {
              const int in_x = in_x_origin + params.dilation_width * filter_x;
              // Zero padding: taps outside the image are skipped, not multiplied by zero
              // (which matters for the integer kernels, whose zero is input_offset).
              const bool inside =
                  in_x >= 0 && in_x < g.input_width && in_y >= 0 && in_y < g.input_height;
              if (!inside) continue;
              for (int in_channel = 0; in_channel < g.filter_input_depth; ++in_channel) {
                const int64_t input_index = Offset(input_shape, batch, in_y, in_x,
                                                   in_channel + group * g.filter_input_depth);
                const int64_t filter_index =
                    Offset(filter_shape, out_channel, filter_y, filter_x, in_channel);
                tap(acc, batch, input_index, filter_index);
              }
            }
          }
          finish(acc, batch, out_channel, Offset(output_shape, batch, out_y, out_x, out_channel));
        }
      }
    }
  }
}

}  // namespace kernels::reference::internal
