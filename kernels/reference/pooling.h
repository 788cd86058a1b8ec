#pragma once
// AVERAGE_POOL_2D and MAX_POOL_2D over NHWC tensors with TFLite-Micro reference semantics.
// Windows are clipped to the input: padding never contributes, and the average divides by the
// number of in-bounds elements. Integer pooling keeps the input's quantization (the caller
// checks that input and output share scale and zero point).

#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

struct PoolParams {
  int32_t stride_height = 1;
  int32_t stride_width = 1;
  int32_t filter_height = 1;
  int32_t filter_width = 1;
  int32_t padding_height = 0;  // leading padding (TFLite's ComputePadding)
  int32_t padding_width = 0;
  float float_activation_min = 0.0f;
  float float_activation_max = 0.0f;
  int32_t quantized_activation_min = 0;
  int32_t quantized_activation_max = 0;
};

// Rank-4 NHWC shapes; the output's height and width come from the padding rule.
void AveragePool(const PoolParams& params, const Shape& input_shape, const float* input,
                 const Shape& output_shape, float* output);
void AveragePool(const PoolParams& params, const Shape& input_shape, const int8_t* input,
                 const Shape& output_shape, int8_t* output);
void AveragePool(const PoolParams& params, const Shape& input_shape, const int16_t* input,
                 const Shape& output_shape, int16_t* output);

void MaxPool(const PoolParams& params, const Shape& input_shape, const float* input,
             const Shape& output_shape, float* output);
void MaxPool(const PoolParams& params, const Shape& input_shape, const int8_t* input,
             const Shape& output_shape, int8_t* output);
void MaxPool(const PoolParams& params, const Shape& input_shape, const int16_t* input,
             const Shape& output_shape, int16_t* output);

// TFLite's integer average: the sum divided by the count, rounded half away from zero
// ((sum +- count / 2) / count with truncating division), e.g. 5 / 2 -> 3 and -5 / 2 -> -3.
int32_t RoundedAverage(int32_t sum, int32_t count);

}  // namespace kernels::reference
