#pragma once
// FULLY_CONNECTED with TFLite's reference semantics: weights [output_depth, accum_depth], the
// input read as [batches, accum_depth] where batches is the output's size without its last
// dimension, optional bias, fused activation clamp.

#include <cstdint>
#include <limits>

#include "kernels/reference/hybrid.h"
#include "kernels/shape.h"

namespace kernels::reference {

struct FullyConnectedParams {
  // Integer kernels: input_offset = -input zero point, filter_offset = -filter zero point,
  // output_offset = output zero point.
  int32_t input_offset = 0;
  int32_t filter_offset = 0;
  int32_t output_offset = 0;
  // Per-tensor requantization (the per-channel kernel takes arrays instead).
  int32_t output_multiplier = 0;
  int32_t output_shift = 0;
  int32_t quantized_activation_min = std::numeric_limits<int8_t>::min();
  int32_t quantized_activation_max = std::numeric_limits<int8_t>::max();
  float float_activation_min = -std::numeric_limits<float>::infinity();
  float float_activation_max = std::numeric_limits<float>::infinity();
  // Hybrid kernel: quantize each batch of the input asymmetrically (a zero point per batch)
  // instead of symmetrically.
  bool asymmetric_quantize_inputs = false;
};

// float32. `bias` may be null.
void FullyConnected(const FullyConnectedParams& params, const Shape& input_shape,
                    const float* input, const Shape& filter_shape, const float* filter,
                    const float* bias, const Shape& output_shape, float* output);

// int8 per tensor, as TFLite-Micro's reference_integer_ops::FullyConnected:
// acc = bias[c] + sum (filter + filter_offset) * (input + input_offset) in int32, one
// multiplier and shift for all channels, + output_offset, clamp.
void FullyConnected(const FullyConnectedParams& params, const Shape& input_shape,
                    const int8_t* input, const Shape& filter_shape, const int8_t* filter,
                    const int32_t* bias, const Shape& output_shape, int8_t* output);

// int8 per output channel, as reference_integer_ops::FullyConnectedPerChannel: as above with
// output_multiplier[c] / output_shift[c] (params.output_multiplier/shift are unused).
void FullyConnectedPerChannel(const FullyConnectedParams& params, const int32_t* output_multiplier,
                              const int32_t* output_shift, const Shape& input_shape,
                              const int8_t* input, const Shape& filter_shape, const int8_t* filter,
                              const int32_t* bias, const Shape& output_shape, int8_t* output);

// Hybrid, as TFLite's fully_connected.cc EvalHybridDense: each batch of the input quantized
// (symmetric, or asymmetric with its row-sum correction), output = bias + dot * scale where
// scale = input_scale * filter_scale (per tensor: folded into the batch's scale first;
// per channel: batch scale * channel scale), then the activation clamp. `scratch` holds
// HybridScratchBytes(batches, accum_depth) bytes.
void HybridFullyConnected(const FullyConnectedParams& params, const FilterScales& filter_scales,
                          const Shape& input_shape, const float* input, const Shape& filter_shape,
                          const int8_t* filter, const float* bias, const Shape& output_shape,
                          float* output, const HybridScratch& scratch);

}  // namespace kernels::reference
