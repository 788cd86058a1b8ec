#pragma once
// MAXIMUM and MINIMUM, TFLite semantics (tensorflow/lite/kernels/internal/reference/
// maximum_minimum.h) with numpy broadcasting: raw values are compared, so quantized inputs and
// output must share their parameters (the quantizer gives them the same). The comparisons are
// TFLite-Micro's: a > b ? a : b and a < b ? a : b (a NaN first operand yields the second).

#include "kernels/reference/binary_broadcast.h"
#include "kernels/shape.h"

namespace kernels::reference {

template <class T>
void Maximum(const Shape& shape1, const T* input1, const Shape& shape2, const T* input2,
             T* output) {
  BroadcastBinary(MakeBroadcastDesc(shape1, shape2), input1, input2, output,
                  [](T a, T b) { return a > b ? a : b; });
}

template <class T>
void Minimum(const Shape& shape1, const T* input1, const Shape& shape2, const T* input2,
             T* output) {
  BroadcastBinary(MakeBroadcastDesc(shape1, shape2), input1, input2, output,
                  [](T a, T b) { return a < b ? a : b; });
}

}  // namespace kernels::reference
