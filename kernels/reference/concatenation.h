#pragma once
// CONCATENATION along any axis, TFLite reference semantics: for every index of the dimensions
// before the axis, each input's contiguous slab is copied in input order. The copy is exact, so
// one byte-level implementation serves every type (integer inputs must share the output's
// quantization, which the caller checks).

#include <cstddef>
#include <cstdint>
#include <span>

#include "kernels/shape.h"

namespace kernels::reference {

// `axis` is non-negative (the caller normalizes negative axes); every input has the output's
// rank and dimensions except along `axis`, whose extents sum to the output's.
void Concatenation(int axis, std::span<const Shape> input_shapes,
                   std::span<const void* const> inputs, size_t element_size,
                   const Shape& output_shape, void* output);

}  // namespace kernels::reference
