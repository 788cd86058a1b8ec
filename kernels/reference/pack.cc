#include "kernels/reference/pack.h"

#include <cstring>

namespace kernels::reference {

void Pack(const PackGeometry& g, std::span<const std::byte* const> inputs, std::byte* output) {
  const auto count = static_cast<int64_t>(inputs.size());
  const auto slice = static_cast<size_t>(g.copy_size) * g.element_size;
  for (int64_t i = 0; i < count; ++i) {
    for (int64_t k = 0; k < g.outer_size; ++k) {
      std::memcpy(output + static_cast<size_t>(k * count + i) * slice,
                  inputs[static_cast<size_t>(i)] + static_cast<size_t>(k) * slice, slice);
    }
  }
}

void Unpack(const PackGeometry& g, const std::byte* input, std::span<std::byte* const> outputs) {
  const auto count = static_cast<int64_t>(outputs.size());
  const auto slice = static_cast<size_t>(g.copy_size) * g.element_size;
  for (int64_t i = 0; i < count; ++i) {
    for (int64_t k = 0; k < g.outer_size; ++k) {
      std::memcpy(outputs[static_cast<size_t>(i)] + static_cast<size_t>(k) * slice,
                  input + static_cast<size_t>(k * count + i) * slice, slice);
    }
  }
}

}  // namespace kernels::reference
