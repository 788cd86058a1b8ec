// float32 GEMM in plain C++ over the packed weights, summing the depth in the reference's order
// with separate multiply and add, bias last: bit-identical to the reference, since
// kernels/CMakeLists.txt forbids the compiler to contract the multiply and add into an FMA.
#include <algorithm>

#include "kernels/optimized/micro_kernels.h"

namespace kernels::optimized {

void GemmFloatPortable(const PackedFloatWeights& w, const float* a, int rows, int a_stride,
                       float activation_min, float activation_max, float* out, int out_stride) {
  for (int r = 0; r < rows; ++r) {
    const float* row = a + static_cast<int64_t>(r) * a_stride;
    for (int c = 0; c < w.n; ++c) {
      const float* weights =
          w.data.data() + static_cast<int64_t>(c / kChannelBlock) * w.k * 16 + c % kChannelBlock;
      float acc = 0.0f;
      for (int d = 0; d < w.k; ++d) acc += row[d] * weights[d * 16];
      out[static_cast<int64_t>(r) * out_stride + c] = std::min(
          std::max(acc + w.bias[static_cast<size_t>(c)], activation_min), activation_max);
    }
  }
}

}  // namespace kernels::optimized
