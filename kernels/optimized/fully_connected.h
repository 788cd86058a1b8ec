#pragma once
// Optimized FULLY_CONNECTED: the weights packed once (PackInt8Weights / PackFloatWeights over
// [units, depth]), then one GEMM over the batches. int8 covers symmetric weights (filter_offset
// 0; per tensor: pack with one multiplier, per channel: one per unit) and is identical to the
// reference; float is within FMA rounding of it.

#include <cstddef>
#include <cstdint>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/packed_weights.h"
#include "kernels/reference/fully_connected.h"

namespace kernels::optimized {

// Scratch bytes of one int8 call (the unsigned copy of a chunk of input rows).
size_t FullyConnectedInt8ScratchBytes(int accum_depth);

void FullyConnectedInt8(KernelVariant variant, const reference::FullyConnectedParams& params,
                        const PackedInt8Weights& weights, int batches, const int8_t* input,
                        int8_t* output, std::byte* scratch);

void FullyConnectedFloat(KernelVariant variant, const reference::FullyConnectedParams& params,
                         const PackedFloatWeights& weights, int batches, const float* input,
                         float* output);

}  // namespace kernels::optimized
