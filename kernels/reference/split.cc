#include "kernels/reference/split.h"

#include <cstring>

namespace kernels::reference {

void Split(const SplitGeometry& g, std::span<const int32_t> extents, const std::byte* input,
           std::span<std::byte* const> outputs) {
  for (int64_t k = 0; k < g.outer_size; ++k) {
    for (size_t i = 0; i < outputs.size(); ++i) {
      const auto bytes = static_cast<size_t>(extents[i] * g.inner_size) * g.element_size;
      std::memcpy(outputs[i] + static_cast<size_t>(k) * bytes, input, bytes);
      input += bytes;
    }
  }
}

}  // namespace kernels::reference
