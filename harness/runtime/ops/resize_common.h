#pragma once
// The checks both resize ops make when prepared, as TFLite-Micro's Prepare makes them: a rank-4
// NHWC input, a constant INT32 size tensor of two entries (height, width), an output of the
// input's type and of shape [batches, height, width, depth].

#include "harness/runtime/ops/op_util.h"
#include "harness/runtime/ops/resize.h"
#include "kernels/shape.h"

namespace harness::runtime::ops {

struct ResizeTensors {
  kernels::Shape input_shape, output_shape;
  model::DataType type = model::DataType::kFloat32;
};

ResizeTensors PrepareResize(const OpContext& ctx);

}  // namespace harness::runtime::ops
