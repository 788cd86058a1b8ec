#pragma once
// SUB's builtin code and options (TFLite's SubOptions), for code that builds graphs holding it.
// Everything else about the op is its descriptor in sub.cc.

#include "harness/model/graph.h"

namespace harness::runtime::ops {

inline constexpr model::OpType kSub = static_cast<model::OpType>(41);

struct SubOptions {
  model::Activation activation = model::Activation::kNone;
  // The schema's default. TFLite (not TFLite-Micro) takes a power-of-two int16 path when set;
  // harness, as TFLite-Micro, always rescales in general.
  bool pot_scale_int16 = true;
  bool operator==(const SubOptions&) const = default;
};

}  // namespace harness::runtime::ops
