#include "kernels/reference/binary_broadcast.h"

#include <cassert>

namespace kernels::reference {
namespace {

// The shape right-aligned into kRank dimensions, leading dimensions 1.
std::array<int32_t, BroadcastDesc::kRank> Extend(const Shape& shape) {
  std::array<int32_t, BroadcastDesc::kRank> dims{};
  dims.fill(1);
  const int lead = BroadcastDesc::kRank - shape.rank();
  for (int i = 0; i < shape.rank(); ++i) dims[static_cast<size_t>(lead + i)] = shape.dim(i);
  return dims;
}

// Row-major element strides of `dims`, with 0 on every dimension of extent 1: reading along a
// broadcast dimension then stays on the same element.
std::array<int64_t, BroadcastDesc::kRank> BroadcastStrides(
    const std::array<int32_t, BroadcastDesc::kRank>& dims) {
  std::array<int64_t, BroadcastDesc::kRank> strides{};
  int64_t stride = 1;
  for (int i = BroadcastDesc::kRank - 1; i >= 0; --i) {
    const auto k = static_cast<size_t>(i);
    strides[k] = dims[k] == 1 ? 0 : stride;
    stride *= dims[k];
  }
  return strides;
}

}  // namespace

bool BroadcastShapes(const Shape& shape1, const Shape& shape2, Shape* broadcast) {
  const int rank = shape1.rank() > shape2.rank() ? shape1.rank() : shape2.rank();
  std::array<int32_t, Shape::kMaxRank> dims{};
  for (int i = 0; i < rank; ++i) {
    // Walk from the innermost dimension; a missing leading dimension counts as 1.
    const int i1 = shape1.rank() - 1 - i;
    const int i2 = shape2.rank() - 1 - i;
    const int32_t d1 = i1 >= 0 ? shape1.dim(i1) : 1;
    const int32_t d2 = i2 >= 0 ? shape2.dim(i2) : 1;
    if (d1 != d2 && d1 != 1 && d2 != 1) return false;
    dims[static_cast<size_t>(rank - 1 - i)] = d1 == 1 ? d2 : d1;
  }
  if (broadcast != nullptr) {
    *broadcast = Shape(std::span<const int32_t>(dims.data(), static_cast<size_t>(rank)));
  }
  return true;
}

BroadcastDesc MakeBroadcastDesc(const Shape& shape1, const Shape& shape2) {
  assert(BroadcastShapes(shape1, shape2, nullptr));
  BroadcastDesc desc;
  const auto dims1 = Extend(shape1);
  const auto dims2 = Extend(shape2);
  for (size_t i = 0; i < dims1.size(); ++i) {
    desc.output_dims[i] = dims1[i] == 1 ? dims2[i] : dims1[i];
  }
  desc.strides1 = BroadcastStrides(dims1);
  desc.strides2 = BroadcastStrides(dims2);
  return desc;
}

}  // namespace kernels::reference
