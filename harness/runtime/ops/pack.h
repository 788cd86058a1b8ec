#pragma once
// PACK's and UNPACK's builtin codes and options (TFLite's PackOptions, UnpackOptions), for code
// that builds graphs holding them. Everything else is their descriptors in pack.cc, unpack.cc.

#include <cstdint>

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kPack = static_cast<model::OpType>(83);
inline constexpr model::OpType kUnpack = static_cast<model::OpType>(88);

struct PackOptions {
  int32_t values_count = 0;
  int32_t axis = 0;  // of the output; negative counts from the end
  bool operator==(const PackOptions&) const = default;
};

struct UnpackOptions {
  int32_t num = 0;
  int32_t axis = 0;  // of the input; negative counts from the end
  bool operator==(const UnpackOptions&) const = default;
};

}  // namespace harness::runtime::ops
