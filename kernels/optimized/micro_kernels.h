#pragma once
// The inner loops of each variant, over already packed weights. Internal to kernels/optimized:
// the drivers (conv.h, depthwise_conv.h, fully_connected.h) call them; the *_avx512vnni
// definitions live in files compiled with AVX-512 flags and run only when cpuid allows.

#include <cstdint>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/packed_weights.h"
#include "kernels/reference/depthwise_conv.h"
#include "kernels/shape.h"

namespace kernels::optimized {

struct Int8OutputStage {
  int32_t output_offset = 0;
  int32_t activation_min = -128;
  int32_t activation_max = 127;
};

// out[r][c] = requantize(bias[c] + sum_d w[c][d] * a[r][d]) for r < rows, c < w.n, where the
// rows of `a` are unsigned bytes (x + 128, see PackedInt8Weights) k_padded long.
using GemmInt8Fn = void (*)(const PackedInt8Weights& w, const uint8_t* a, int rows, int a_stride,
                            const Int8OutputStage& stage, int8_t* out, int out_stride);
void GemmInt8Portable(const PackedInt8Weights& w, const uint8_t* a, int rows, int a_stride,
                      const Int8OutputStage& stage, int8_t* out, int out_stride);
void GemmInt8Avx512Vnni(const PackedInt8Weights& w, const uint8_t* a, int rows, int a_stride,
                        const Int8OutputStage& stage, int8_t* out, int out_stride);
void GemmInt8Avx2(const PackedInt8Weights& w, const uint8_t* a, int rows, int a_stride,
                  const Int8OutputStage& stage, int8_t* out, int out_stride);

// out[r][c] = clamp(sum_d a[r][d] * w[c][d] + bias[c]) with the depth summed in order.
using GemmFloatFn = void (*)(const PackedFloatWeights& w, const float* a, int rows, int a_stride,
                             float activation_min, float activation_max, float* out,
                             int out_stride);
void GemmFloatPortable(const PackedFloatWeights& w, const float* a, int rows, int a_stride,
                       float activation_min, float activation_max, float* out, int out_stride);
void GemmFloatAvx512(const PackedFloatWeights& w, const float* a, int rows, int a_stride,
                     float activation_min, float activation_max, float* out, int out_stride);
void GemmFloatAvx2(const PackedFloatWeights& w, const float* a, int rows, int a_stride,
                   float activation_min, float activation_max, float* out, int out_stride);

// The GEMM each optimized variant runs.
inline GemmInt8Fn Int8GemmOf(KernelVariant variant) {
  switch (variant) {
    case KernelVariant::kAvx512Vnni:
      return GemmInt8Avx512Vnni;
    case KernelVariant::kAvx2:
      return GemmInt8Avx2;
    default:
      return GemmInt8Portable;
  }
}
inline GemmFloatFn FloatGemmOf(KernelVariant variant) {
  switch (variant) {
    case KernelVariant::kAvx512Vnni:
      return GemmFloatAvx512;
    case KernelVariant::kAvx2:
      return GemmFloatAvx2;
    default:
      return GemmFloatPortable;
  }
}

// Depthwise convolution of a whole tensor (any depth multiplier for the portable code; the
// AVX-512 code handles a multiplier of 1 and is only called for it).
void DepthwiseInt8Portable(const reference::DepthwiseParams& params, const PackedDepthwiseInt8& w,
                           const Shape& input_shape, const int8_t* input, const Shape& filter_shape,
                           const Shape& output_shape, int8_t* output);
void DepthwiseInt8Avx512Vnni(const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& w, const Shape& input_shape,
                             const int8_t* input, const Shape& filter_shape,
                             const Shape& output_shape, int8_t* output);
// AVX2: a depth multiplier of 1 and a multiple of 8 channels only.
void DepthwiseInt8Avx2(const reference::DepthwiseParams& params, const PackedDepthwiseInt8& w,
                       const Shape& input_shape, const int8_t* input, const Shape& filter_shape,
                       const Shape& output_shape, int8_t* output);
// Hybrid depthwise (float activations, int8 weights) of inputs already quantized to int8 with one
// zero point for the whole tensor: the int8 kernels' accumulation with params.input_offset = -zero
// point (the batch's), then, in the reference's order, float(acc) * (channel_scale[c] *
// batch_scale) + bias[c], clamped to params.float_activation_min/max. `w` has no int32 bias.
struct HybridDepthwiseStage {
  const float* channel_scale = nullptr;  // per channel
  const float* bias = nullptr;           // per channel; -0.0f when the model has none
  float batch_scale = 1.0f;
};
void DepthwiseHybridPortable(const reference::DepthwiseParams& params,
                             const PackedDepthwiseInt8& w, const HybridDepthwiseStage& stage,
                             const Shape& input_shape, const int8_t* input,
                             const Shape& filter_shape, const Shape& output_shape, float* output);
void DepthwiseHybridAvx512Vnni(const reference::DepthwiseParams& params,
                               const PackedDepthwiseInt8& w, const HybridDepthwiseStage& stage,
                               const Shape& input_shape, const int8_t* input,
                               const Shape& filter_shape, const Shape& output_shape,
                               float* output);
// AVX2: a depth multiplier of 1 and a multiple of 8 channels only.
void DepthwiseHybridAvx2(const reference::DepthwiseParams& params, const PackedDepthwiseInt8& w,
                         const HybridDepthwiseStage& stage, const Shape& input_shape,
                         const int8_t* input, const Shape& filter_shape,
                         const Shape& output_shape, float* output);
void DepthwiseFloatAvx2(const reference::DepthwiseParams& params, const float* filter,
                        const float* bias, const Shape& input_shape, const float* input,
                        const Shape& filter_shape, const Shape& output_shape, float* output);
void DepthwiseFloatPortable(const reference::DepthwiseParams& params, const float* filter,
                            const float* bias, const Shape& input_shape, const float* input,
                            const Shape& filter_shape, const Shape& output_shape, float* output);
void DepthwiseFloatAvx512(const reference::DepthwiseParams& params, const float* filter,
                          const float* bias, const Shape& input_shape, const float* input,
                          const Shape& filter_shape, const Shape& output_shape, float* output);

}  // namespace kernels::optimized
