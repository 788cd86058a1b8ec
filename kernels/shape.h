#pragma once
// A tensor shape of rank at most six, held by value (no allocation on the hot path), with the
// NHWC offset helpers the reference kernels use.

#include <array>
#include <cassert>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace kernels {

class Shape {
 public:
  static constexpr int kMaxRank = 6;

  Shape() = default;
  Shape(std::initializer_list<int32_t> dims) : Shape(std::span<const int32_t>(dims.begin(), dims.size())) {}
  explicit Shape(std::span<const int32_t> dims) : rank_(static_cast<int>(dims.size())) {
    assert(rank_ <= kMaxRank);
    for (int i = 0; i < rank_; ++i) dims_[static_cast<size_t>(i)] = dims[static_cast<size_t>(i)];
  }

  int rank() const { return rank_; }
  int32_t dim(int i) const { return dims_[static_cast<size_t>(i)]; }
  std::span<const int32_t> dims() const { return {dims_.data(), static_cast<size_t>(rank_)}; }

  int64_t FlatSize() const {
    int64_t size = 1;
    for (int i = 0; i < rank_; ++i) size *= dims_[static_cast<size_t>(i)];
    return size;
  }

  // Product of all dimensions but `skip`.
  int64_t FlatSizeSkipDim(int skip) const {
    int64_t size = 1;
    for (int i = 0; i < rank_; ++i)
      if (i != skip) size *= dims_[static_cast<size_t>(i)];
    return size;
  }

  friend bool operator==(const Shape& a, const Shape& b) {
    if (a.rank_ != b.rank_) return false;
    for (int i = 0; i < a.rank_; ++i)
      if (a.dims_[static_cast<size_t>(i)] != b.dims_[static_cast<size_t>(i)]) return false;
    return true;
  }

 private:
  int rank_ = 0;
  std::array<int32_t, kMaxRank> dims_{};
};

// Offset of element (b, y, x, c) in a rank-4 NHWC tensor.
inline int64_t Offset(const Shape& s, int b, int y, int x, int c) {
  return ((static_cast<int64_t>(b) * s.dim(1) + y) * s.dim(2) + x) * s.dim(3) + c;
}

}  // namespace kernels
