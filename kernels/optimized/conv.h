#pragma once
// Optimized CONV_2D (groups = 1): the filter packed once into a GEMM right-hand side
// (PackInt8Weights / PackFloatWeights over the OHWI filter seen as [O, H*W*I]), then per call
// an im2col of a chunk of output pixels into the scratch buffer and one GEMM per chunk. Results:
// int8 identical to reference::ConvPerChannel; float within FMA rounding of reference::Conv.

#include <cstddef>
#include <cstdint>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/packed_weights.h"
#include "kernels/reference/conv.h"
#include "kernels/shape.h"

namespace kernels::optimized {

// Scratch bytes one call needs (the caller gives each thread its own buffer).
size_t ConvInt8ScratchBytes(const Shape& filter_shape);
size_t ConvFloatScratchBytes(const Shape& filter_shape);

// `variant` is kPortable, kAvx2 or kAvx512Vnni (CPU support checked by the caller via
// dispatch.h). The filter must have input depth equal to the input's.
void ConvPerChannel(KernelVariant variant, const reference::ConvParams& params,
                    const PackedInt8Weights& weights, const Shape& input_shape,
                    const int8_t* input, const Shape& filter_shape, const Shape& output_shape,
                    int8_t* output, std::byte* scratch);

void Conv(KernelVariant variant, const reference::ConvParams& params,
          const PackedFloatWeights& weights, const Shape& input_shape, const float* input,
          const Shape& filter_shape, const Shape& output_shape, float* output, std::byte* scratch);

}  // namespace kernels::optimized
