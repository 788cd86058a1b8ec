#pragma once
// MEAN over a set of axes with TFLite-Micro reference semantics (reduce_common.cc and
// reference/reduce.h). Elements are summed in the input's row-major order, then:
// - float: the sum divided by the count, in float;
// - integer (int8, int16): (sum - count * input_zero_point) requantized with a multiplier for
//   input_scale / output_scale into which 1 / count has been folded, plus the output zero point,
//   clamped to the type. TFLite-Micro's EvalIntegerMean does this whatever the parameters; an
//   older TFLite-Micro truncated sum / count when input and output shared their parameters, which
//   its own golden outputs (mobilenet_v2_quantized_1x3x224x224) no longer show.
// The output layout does not depend on keep_dims (the kept dimensions have extent 1).

#include <array>
#include <cstdint>

#include "kernels/fixed_point.h"
#include "kernels/shape.h"

namespace kernels::reference {

// reduced[d] is true if dimension d of the input is averaged over.
using ReducedAxes = std::array<bool, Shape::kMaxRank>;

struct MeanQuantizedParams {
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  int64_t count = 1;  // input elements per output element
  // input_scale / output_scale / count, as TFLite-Micro derives it (see MakeMeanQuantizedParams).
  QuantizedMultiplier multiplier;
};

MeanQuantizedParams MakeMeanQuantizedParams(float input_scale, int32_t input_zero_point,
                                            float output_scale, int32_t output_zero_point,
                                            int64_t count);

// Number of input elements averaged into one output element, and number of outputs.
int64_t ReducedCount(const Shape& input_shape, const ReducedAxes& reduced);
int64_t MeanOutputCount(const Shape& input_shape, const ReducedAxes& reduced);

void Mean(const Shape& input_shape, const float* input, const ReducedAxes& reduced,
          float* output);
// `sums` is scratch for MeanOutputCount() int32 values.
void Mean(const MeanQuantizedParams& params, const Shape& input_shape, const int8_t* input,
          const ReducedAxes& reduced, int32_t* sums, int8_t* output);
void Mean(const MeanQuantizedParams& params, const Shape& input_shape, const int16_t* input,
          const ReducedAxes& reduced, int32_t* sums, int16_t* output);

}  // namespace kernels::reference
