#pragma once
// Optimized FULLY_CONNECTED in TFLite's 16x8 mode: the weights packed once with their bias and
// requantization (PackInt16x8Weights over [units, depth], filter_offset folded into the
// weights), then one int16 GEMM over the batches. Bit-identical with
// reference::FullyConnected / FullyConnectedPerChannel for int16 input, with an int64 or an
// int32 bias (see gemm_int16.h).

#include <cstdint>

#include "kernels/optimized/dispatch.h"
#include "kernels/optimized/gemm_int16.h"
#include "kernels/reference/fully_connected.h"

namespace kernels::optimized {

// `variant` is kPortable, kAvx2 or kAvx512Vnni (CPU support checked by the caller). Only the
// activation range of `params` is read: the rest lives in `weights`.
void FullyConnectedInt16x8(KernelVariant variant, const reference::FullyConnectedParams& params,
                           const PackedInt16x8Weights& weights, int batches, const int16_t* input,
                           int16_t* output);

}  // namespace kernels::optimized
