#pragma once
// Optimized DEPTHWISE_CONV_2D: vectorised over channels. The AVX-512 code handles a depth
// multiplier of 1 (every MLPerf Tiny model), the AVX2 code a multiplier of 1 with a multiple of 8
// channels; other cases run the portable code. Results are bit-identical to
// reference::DepthwiseConvPerChannel (int8) and reference::DepthwiseConv (float).

#include <cstdint>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/packed_weights.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::optimized {

void DepthwiseConvPerChannel(KernelVariant variant, const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& weights, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape,
                             const Shape& output_shape, int8_t* output);

// `bias` may be null.
void DepthwiseConv(KernelVariant variant, const reference::DepthwiseParams& params,
                   const Shape& input_shape, const float* input, const Shape& filter_shape,
                   const float* filter, const float* bias, const Shape& output_shape,
                   float* output);

}  // namespace kernels::optimized
