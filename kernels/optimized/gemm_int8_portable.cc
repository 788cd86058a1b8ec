// int8 GEMM in plain C++ over the same packed weights as the vector kernels: the fallback for
// CPUs without AVX-512 VNNI, and a second reading of the packed layout that the tests check.
#include <algorithm>

#include "kernels/fixed_point.h"
#include "kernels/optimized/micro_kernels.h"

namespace kernels::optimized {

void GemmInt8Portable(const PackedInt8Weights& w, const uint8_t* a, int rows, int a_stride,
                      const Int8OutputStage& stage, int8_t* out, int out_stride) {
  const int depth_groups = w.k_padded / 4;
  for (int r = 0; r < rows; ++r) {
    const uint8_t* row = a + static_cast<int64_t>(r) * a_stride;
    for (int c = 0; c < w.n; ++c) {
      const int8_t* weights = w.data.data() +
                              (static_cast<int64_t>(c / kChannelBlock) * depth_groups * 64) +
                              (c % kChannelBlock) * 4;
      // Wrapping int32 sum, as vpdpbusd.
      uint32_t acc = static_cast<uint32_t>(w.bias[static_cast<size_t>(c)]);
      for (int g = 0; g < depth_groups; ++g) {
        for (int j = 0; j < 4; ++j) {
          acc += static_cast<uint32_t>(static_cast<int32_t>(row[g * 4 + j]) *
                                       static_cast<int32_t>(weights[g * 64 + j]));
        }
      }
      int32_t value = MultiplyByQuantizedMultiplier(
          static_cast<int32_t>(acc), w.multiplier[static_cast<size_t>(c)],
          w.shift[static_cast<size_t>(c)]);
      value = std::clamp(value + stage.output_offset, stage.activation_min, stage.activation_max);
      out[static_cast<int64_t>(r) * out_stride + c] = static_cast<int8_t>(value);
    }
  }
}

}  // namespace kernels::optimized
