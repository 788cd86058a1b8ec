#pragma once
// Geometry, shapes and params of one benchmarked layer, shared by the kernel benchmarks of every
// type. The int8 offsets are arbitrary nonzero values (so the int8 kernels take their general
// path); the float, hybrid and int16x8 kernels do not read them.

#include <cstdint>

#include "kernels/bench/bench_util.h"
#include "kernels/bench/layer_shapes.h"
#include "kernels/reference/conv.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::bench {

struct ConvSetup {
  Geometry h, w;
  reference::ConvParams params;
  Shape input_shape, filter_shape, output_shape;
  int64_t macs;

  explicit ConvSetup(const ConvLayer& l)
      : h(PaddedGeometry(l.same_padding, l.input_height, l.filter_height, l.stride)),
        w(PaddedGeometry(l.same_padding, l.input_width, l.filter_width, l.stride)),
        input_shape{1, l.input_height, l.input_width, l.input_channels},
        filter_shape{l.output_channels, l.filter_height, l.filter_width, l.input_channels},
        output_shape{1, h.output, w.output, l.output_channels},
        macs(int64_t{h.output} * w.output * l.output_channels * l.filter_height * l.filter_width *
             l.input_channels) {
    params.stride_height = params.stride_width = l.stride;
    params.padding_height = h.padding;
    params.padding_width = w.padding;
    params.input_offset = 5;
    params.output_offset = -3;
  }
};

struct DepthwiseSetup {
  Geometry h, w;
  reference::DepthwiseParams params;
  Shape input_shape, filter_shape, output_shape;
  int64_t macs;

  explicit DepthwiseSetup(const DepthwiseLayer& l)
      : h(PaddedGeometry(l.same_padding, l.input_height, l.filter_height, l.stride)),
        w(PaddedGeometry(l.same_padding, l.input_width, l.filter_width, l.stride)),
        input_shape{1, l.input_height, l.input_width, l.channels},
        filter_shape{1, l.filter_height, l.filter_width, l.channels},
        output_shape{1, h.output, w.output, l.channels},
        macs(int64_t{h.output} * w.output * l.channels * l.filter_height * l.filter_width) {
    params.stride_height = params.stride_width = l.stride;
    params.padding_height = h.padding;
    params.padding_width = w.padding;
    params.input_offset = 5;
    params.output_offset = -3;
  }
};

}  // namespace kernels::bench
