#pragma once
// Optimized CONV_2D in TFLite's 16x8 mode (groups = 1): the OHWI filter packed once as an
// [O, H*W*I] int16 GEMM right-hand side with bias and per-channel requantization
// (PackInt16x8Weights), then per call an im2col of a chunk of output pixels into the scratch
// buffer and one GEMM per chunk; a 1x1 convolution with unit stride and no padding runs the
// GEMM on the input directly. Bit-identical with reference::ConvPerChannel for int16 input.

#include <cstddef>
#include <cstdint>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/gemm_int16.h"
#include "kernels/reference/conv.h"
#include "kernels/shape.h"

namespace kernels::optimized {

// Scratch bytes one call needs.
size_t ConvInt16x8ScratchBytes(const Shape& filter_shape);

// `variant` is kPortable, kAvx2 or kAvx512Vnni (CPU support checked by the caller). The filter's
// input depth must equal the input's (no grouped convolution).
void ConvPerChannelInt16x8(KernelVariant variant, const reference::ConvParams& params,
                           const PackedInt16x8Weights& weights, const Shape& input_shape,
                           const int16_t* input, const Shape& filter_shape,
                           const Shape& output_shape, int16_t* output, std::byte* scratch);

}  // namespace kernels::optimized
