#include "kernels/optimized/fully_connected.h"

#include <algorithm>

#include "kernels/optimized/micro_kernels.h"

namespace kernels::optimized {
namespace {

constexpr int kChunkRows = 96;

}  // namespace

size_t FullyConnectedInt8ScratchBytes(int accum_depth) {
  return static_cast<size_t>(kChunkRows) * static_cast<size_t>((accum_depth + 3) / 4 * 4);
}

void FullyConnectedInt8(KernelVariant variant, const reference::FullyConnectedParams& params,
                        const PackedInt8Weights& weights, int batches, const int8_t* input,
                        int8_t* output, std::byte* scratch) {
  const GemmInt8Fn gemm = Int8GemmOf(variant);
  const Int8OutputStage stage{params.output_offset, params.quantized_activation_min,
                              params.quantized_activation_max};
  auto* rows_buffer = reinterpret_cast<uint8_t*>(scratch);
  const int depth = weights.k;
  for (int first = 0; first < batches; first += kChunkRows) {
    const int rows = std::min(kChunkRows, batches - first);
    // x + 128 as an unsigned byte (see PackedInt8Weights); the depth padding meets zero weights.
    for (int r = 0; r < rows; ++r) {
      const int8_t* source = input + static_cast<int64_t>(first + r) * depth;
      uint8_t* row = rows_buffer + static_cast<int64_t>(r) * weights.k_padded;
      for (int d = 0; d < depth; ++d) row[d] = static_cast<uint8_t>(source[d]) ^ 0x80U;
      std::fill(row + depth, row + weights.k_padded, uint8_t{0});
    }
    gemm(weights, rows_buffer, rows, weights.k_padded, stage,
         output + static_cast<int64_t>(first) * weights.n, weights.n);
  }
}

void FullyConnectedFloat(KernelVariant variant, const reference::FullyConnectedParams& params,
                         const PackedFloatWeights& weights, int batches, const float* input,
                         float* output) {
  const GemmFloatFn gemm = FloatGemmOf(variant);
  gemm(weights, input, batches, weights.k, params.float_activation_min,
       params.float_activation_max, output, weights.n);
}

}  // namespace kernels::optimized
