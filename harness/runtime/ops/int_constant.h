#pragma once
// The values of a constant integer operand (TRANSPOSE's perm, RESIZE_*'s size, EXPAND_DIMS's
// axis ...), read once when the op is prepared; TFLite-Micro refuses such operands when they
// are not constant, and so does this.

#include <cstdint>
#include <vector>

#include "harness/runtime/ops/op_util.h"

namespace harness::runtime::ops {

// Input `i` as int64 values: a constant INT32 tensor, or INT64 too when `int64_allowed`. The
// error names the op, the tensor and `role`.
std::vector<int64_t> ReadIntConstant(const OpContext& ctx, size_t i, const char* role,
                                     bool int64_allowed);

}  // namespace harness::runtime::ops
