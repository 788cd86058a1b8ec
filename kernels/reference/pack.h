#pragma once
// PACK and UNPACK with TFLite-Micro reference semantics (micro/kernels/pack.cc, unpack.cc): the
// packed tensor, split around the axis into outer_size blocks of values_count slices of
// copy_size elements, holds slice i of every block from tensor i. Both copy whole elements, so
// one byte-level implementation serves every type.

#include <cstddef>
#include <cstdint>
#include <span>

namespace kernels::reference {

// outer_size: product of the packed dimensions before the axis; copy_size: after it.
struct PackGeometry {
  int64_t outer_size = 1;
  int64_t copy_size = 1;
  size_t element_size = 1;
};

// output[k][i][j] = inputs[i][k][j].
void Pack(const PackGeometry& g, std::span<const std::byte* const> inputs, std::byte* output);

// outputs[i][k][j] = input[k][i][j].
void Unpack(const PackGeometry& g, const std::byte* input, std::span<std::byte* const> outputs);

}  // namespace kernels::reference
