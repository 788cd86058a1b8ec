#include "kernels/optimized/fully_connected_int16.h"

namespace kernels::optimized {

void FullyConnectedInt16x8(KernelVariant variant, const reference::FullyConnectedParams& params,
                           const PackedInt16x8Weights& weights, int batches, const int16_t* input,
                           int16_t* output) {
  const Int16OutputStage stage{params.quantized_activation_min, params.quantized_activation_max};
  Int16GemmOf(variant)(weights, input, batches, weights.k, stage, output, weights.n);
}

}  // namespace kernels::optimized
