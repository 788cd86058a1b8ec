#pragma once
// Optimized QUANTIZE float32 -> int8 / uint8 / int16: reference::AffineQuantize (the quotient
// value / scale in float, rounded half away from zero, NaN to the zero point, clamped) on 16
// values at a time with AVX-512F, bit-identical for every float input. Other variants run the
// reference loop.

#include <cstdint>

#include "kernels/optimized/dispatch.h"

namespace kernels::optimized {

void AffineQuantize(KernelVariant variant, float scale, int32_t zero_point, int64_t size,
                    const float* input, int8_t* output);
void AffineQuantize(KernelVariant variant, float scale, int32_t zero_point, int64_t size,
                    const float* input, uint8_t* output);
void AffineQuantize(KernelVariant variant, float scale, int32_t zero_point, int64_t size,
                    const float* input, int16_t* output);

}  // namespace kernels::optimized
