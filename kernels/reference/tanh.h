#pragma once
// TANH, TFLite semantics. Float: std::tanh. Int8: TFLite-Micro's integer algorithm
// (reference_integer_ops::Tanh): the input rescaled into F4 fixed point exactly as for the
// logistic, gemmlowp's tanh, and the Q0 result in the spec's fixed output quantization (scale
// 1/128, zero point 0).

#include <cstdint>

#include "kernels/reference/logistic.h"  // Int8ToF4Params, PrepareInt8ToF4

namespace kernels::reference {

void TanhFloat(int64_t size, const float* input, float* output);
void TanhInt8(const Int8ToF4Params& params, int64_t size, const int8_t* input, int8_t* output);

}  // namespace kernels::reference
