#pragma once
// RESIZE_BILINEAR's and RESIZE_NEAREST_NEIGHBOR's builtin codes and their common options (the
// two fields TFLite's ResizeBilinearOptions and ResizeNearestNeighborOptions share), for code
// that builds graphs holding them. Everything else is each op's descriptor.

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kResizeBilinear = static_cast<model::OpType>(23);
inline constexpr model::OpType kResizeNearestNeighbor = static_cast<model::OpType>(97);

struct ResizeOptions {
  bool align_corners = false;
  bool half_pixel_centers = false;
  bool operator==(const ResizeOptions&) const = default;
};

}  // namespace harness::runtime::ops
