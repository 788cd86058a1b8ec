#pragma once
// Lint rule accumulator-range: the accumulator of every output channel of an integer CONV_2D,
// DEPTHWISE_CONV_2D or FULLY_CONNECTED stays inside what TFLite-Micro's kernel for its types
// allows (accumulator_limits.h) for every possible input.
//
// The worst case of channel c is bias[c] + sum over the channel's filter taps w of
// max(w * lo, w * hi) (and min for the low end), where [lo, hi] is the input's integer range
// minus its zero point: [-128 - zp, 127 - zp] for int8, [-32768, 32767] for int16. Every tap
// can see any input value, so the bound is reached by some input; padding only adds zeros.

#include <cstddef>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/lint.h"

namespace harness::quant {

// The findings for op `op_index` of `graph` (none when the op is not an integer CONV_2D,
// DEPTHWISE_CONV_2D or FULLY_CONNECTED with constant weights, or when its tensors are too
// malformed to bound, which other rules and the loader report).
std::vector<LintFinding> CheckAccumulatorRange(const model::Graph& graph, size_t op_index);

}  // namespace harness::quant
