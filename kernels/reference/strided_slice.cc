#include "kernels/reference/strided_slice.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace kernels::reference {
namespace {

bool Bit(int32_t mask, int axis) { return (mask & (1 << axis)) != 0; }

// TFLite's StridedSliceStartForAxis (the eval loop's start).
int32_t EvalStart(const StridedSliceSpec& s, int axis, int32_t size, int32_t begin,
                  int32_t stride) {
  int32_t start = begin;
  if (start < 0) start += size;
  start = stride > 0 ? std::clamp(start, 0, size) : std::clamp(start, -1, size - 1);
  if (Bit(s.begin_mask, axis)) start = stride > 0 ? 0 : size - 1;
  return start;
}

// TFLite's StridedSliceEndForAxis with offset false (the eval loop's stop).
int32_t EvalStop(const StridedSliceSpec& s, int axis, int32_t size, int32_t end, int32_t stride,
                 int32_t start) {
  if (Bit(s.shrink_axis_mask, axis)) return start >= size ? start : start + 1;
  int32_t stop = end;
  if (stop < 0) stop += size;
  stop = stride > 0 ? std::clamp(stop, 0, size) : std::clamp(stop, -1, size - 1);
  if (Bit(s.end_mask, axis)) stop = stride > 0 ? size : -1;
  return stop;
}

// TFLite's StartForAxis / StopForAxis (the prepare-time shape check). They differ from the eval
// loop's only for empty axes and for shrunk axes whose begin lies past the end; the op glue
// refuses the latter.
int32_t ShapeStart(const StridedSliceSpec& s, int axis, int32_t size) {
  if (size == 0) return 0;
  const int32_t stride = s.strides[static_cast<size_t>(axis)];
  int64_t start = s.begin[static_cast<size_t>(axis)];
  if (Bit(s.begin_mask, axis)) {
    start =
        stride > 0 ? std::numeric_limits<int32_t>::lowest() : std::numeric_limits<int32_t>::max();
  }
  // In int32 TFLite's lowest() + size stays negative and clamps to 0; int64 gives the same.
  if (start < 0) start += size;
  start =
      stride > 0 ? std::clamp<int64_t>(start, 0, size) : std::clamp<int64_t>(start, -1, size - 1);
  return static_cast<int32_t>(start);
}

int32_t ShapeStop(const StridedSliceSpec& s, int axis, int32_t size, int32_t start) {
  if (size == 0) return 0;
  if (Bit(s.shrink_axis_mask, axis)) return start + 1;
  const int32_t stride = s.strides[static_cast<size_t>(axis)];
  int64_t stop = s.end[static_cast<size_t>(axis)];
  if (Bit(s.end_mask, axis)) {
    stop =
        stride > 0 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::lowest();
  }
  if (stop < 0) stop += size;
  stop = stride > 0 ? std::clamp<int64_t>(stop, 0, size) : std::clamp<int64_t>(stop, -1, size - 1);
  return static_cast<int32_t>(stop);
}

bool Continues(int32_t index, int32_t stop, int32_t stride) {
  return stride < 0 ? index > stop : index < stop;
}

}  // namespace

StridedSliceParams ResolveStridedSlice(const StridedSliceSpec& spec, const Shape& input_shape) {
  StridedSliceParams p;
  const int rank = input_shape.rank();
  const int pad = StridedSliceParams::kRank - rank;
  for (int d = 0; d < pad; ++d) {
    const auto k = static_cast<size_t>(d);
    p.input_dims[k] = 1;
    p.start[k] = 0;
    p.stop[k] = 1;
    p.stride[k] = 1;
  }
  for (int axis = 0; axis < rank; ++axis) {
    const auto a = static_cast<size_t>(axis);
    const auto k = static_cast<size_t>(axis + pad);
    const int32_t size = input_shape.dim(axis);
    const int32_t stride = spec.strides[a];
    p.input_dims[k] = size;
    p.stride[k] = stride;
    p.start[k] = EvalStart(spec, axis, size, spec.begin[a], stride);
    p.stop[k] = EvalStop(spec, axis, size, spec.end[a], stride, p.start[k]);
  }
  return p;
}

std::vector<int32_t> StridedSliceOutputDims(const StridedSliceSpec& spec,
                                            const Shape& input_shape) {
  std::vector<int32_t> dims;
  for (int axis = 0; axis < input_shape.rank(); ++axis) {
    const int32_t size = input_shape.dim(axis);
    const int32_t begin = ShapeStart(spec, axis, size);
    int32_t end = ShapeStop(spec, axis, size, begin);
    const bool shrink = Bit(spec.shrink_axis_mask, axis);
    if (shrink) end = begin + 1;
    // In float, as TFLite-Micro's CheckOutputSize.
    auto dim = static_cast<int32_t>(
        std::ceil(static_cast<float>(end - begin) /
                  static_cast<float>(spec.strides[static_cast<size_t>(axis)])));
    dim = std::max(dim, 0);
    if (!shrink) dims.push_back(dim);
  }
  return dims;
}

void StridedSlice(const StridedSliceParams& p, const void* input, size_t element_size,
                  void* output) {
  const auto* in = static_cast<const std::byte*>(input);
  auto* out = static_cast<std::byte*>(output);
  const auto& d = p.input_dims;
  const int64_t s3 = d[4], s2 = int64_t{d[3]} * s3, s1 = int64_t{d[2]} * s2,
                s0 = int64_t{d[1]} * s1;
  for (int32_t i0 = p.start[0]; Continues(i0, p.stop[0], p.stride[0]); i0 += p.stride[0])
    for (int32_t i1 = p.start[1]; Continues(i1, p.stop[1], p.stride[1]); i1 += p.stride[1])
      for (int32_t i2 = p.start[2]; Continues(i2, p.stop[2], p.stride[2]); i2 += p.stride[2])
        for (int32_t i3 = p.start[3]; Continues(i3, p.stop[3], p.stride[3]); i3 += p.stride[3]) {
          const int64_t base = i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3;
          if (p.stride[4] == 1) {
            const int64_t len = p.stop[4] - p.start[4];
            if (len <= 0) continue;
            const auto bytes = static_cast<size_t>(len) * element_size;
            std::memcpy(out, in + static_cast<size_t>(base + p.start[4]) * element_size, bytes);
            out += bytes;
            continue;
          }
          for (int32_t i4 = p.start[4]; Continues(i4, p.stop[4], p.stride[4]); i4 += p.stride[4]) {
            std::memcpy(out, in + static_cast<size_t>(base + i4) * element_size, element_size);
            out += element_size;
          }
        }
}

}  // namespace kernels::reference
