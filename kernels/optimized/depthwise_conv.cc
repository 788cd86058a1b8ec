#include "kernels/optimized/depthwise_conv.h"

#include "kernels/optimized/micro_kernels.h"

namespace kernels::optimized {

void DepthwiseConvPerChannel(KernelVariant variant, const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& weights, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape,
                             const Shape& output_shape, int8_t* output) {
  if (variant == KernelVariant::kAvx512Vnni && params.depth_multiplier == 1) {
    DepthwiseInt8Avx512Vnni(params, weights, input_shape, input, filter_shape, output_shape,
                            output);
  } else if (variant == KernelVariant::kAvx2 && params.depth_multiplier == 1 &&
             weights.channels % 8 == 0) {
    DepthwiseInt8Avx2(params, weights, input_shape, input, filter_shape, output_shape, output);
  } else {
    DepthwiseInt8Portable(params, weights, input_shape, input, filter_shape, output_shape,
                          output);
  }
}

void DepthwiseConv(KernelVariant variant, const reference::DepthwiseParams& params,
                   const Shape& input_shape, const float* input, const Shape& filter_shape,
                   const float* filter, const float* bias, const Shape& output_shape,
                   float* output) {
  if (variant == KernelVariant::kAvx512Vnni && params.depth_multiplier == 1) {
    DepthwiseFloatAvx512(params, filter, bias, input_shape, input, filter_shape, output_shape,
                         output);
  } else if (variant == KernelVariant::kAvx2 && params.depth_multiplier == 1 &&
             output_shape.dim(3) % 8 == 0) {
    DepthwiseFloatAvx2(params, filter, bias, input_shape, input, filter_shape, output_shape,
                       output);
  } else {
    DepthwiseFloatPortable(params, filter, bias, input_shape, input, filter_shape, output_shape,
                           output);
  }
}

}  // namespace kernels::optimized
