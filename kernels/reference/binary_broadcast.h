#pragma once
// Broadcasting for binary elementwise kernels (ADD, MUL), in the style of TFLite's NdArrayDesc:
// both input shapes are right-aligned into six dimensions, a dimension of extent 1 gets stride 0
// so the same element is read along it, and the output is walked in row-major order.

#include <array>
#include <cstdint>

#include "kernels/shape.h"

namespace kernels::reference {

struct BroadcastDesc {
  static constexpr int kRank = Shape::kMaxRank;
  std::array<int32_t, kRank> output_dims{};  // the broadcast output shape, left-padded with 1
  std::array<int64_t, kRank> strides1{};     // element strides of input 1 (0 where broadcast)
  std::array<int64_t, kRank> strides2{};
};

// True if the two shapes broadcast against each other (numpy rules: right-aligned, each pair
// of extents equal or one of them 1); `broadcast` receives the output shape.
bool BroadcastShapes(const Shape& shape1, const Shape& shape2, Shape* broadcast);

// Requires BroadcastShapes(shape1, shape2) to hold.
BroadcastDesc MakeBroadcastDesc(const Shape& shape1, const Shape& shape2);

// out[i] = op(in1[...], in2[...]) for every output element in row-major order. When both shapes
// are equal the strides are plain row-major strides and this is a flat elementwise loop.
// The inputs may differ in type (PRELU: int16 values, int8 alpha).
template <class In1, class In2, class Out, class Op>
void BroadcastBinary(const BroadcastDesc& desc, const In1* input1, const In2* input2, Out* output,
                     Op op) {
  const auto& d = desc.output_dims;
  const auto& s1 = desc.strides1;
  const auto& s2 = desc.strides2;
  int64_t out = 0;
  for (int32_t i0 = 0; i0 < d[0]; ++i0)
    for (int32_t i1 = 0; i1 < d[1]; ++i1)
      for (int32_t i2 = 0; i2 < d[2]; ++i2)
        for (int32_t i3 = 0; i3 < d[3]; ++i3)
          for (int32_t i4 = 0; i4 < d[4]; ++i4) {
            const int64_t base1 = i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] + i4 * s1[4];
            const int64_t base2 = i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] + i4 * s2[4];
            for (int32_t i5 = 0; i5 < d[5]; ++i5) {
              output[out++] = op(input1[base1 + i5 * s1[5]], input2[base2 + i5 * s2[5]]);
            }
          }
}

}  // namespace kernels::reference
