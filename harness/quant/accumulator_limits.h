#pragma once
// What TFLite-Micro's integer CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels assume of
// their accumulator, bias + sum of filter * (input - input zero point):
// - an int32 bias (int8 activations, or 16x8 with an int32 bias) means an int32 accumulator,
//   whose overflow is undefined behaviour in C++ and wraps on the device;
// - an int64 bias (16x8) means an int64 accumulator requantized by
//   MultiplyByQuantizedMultiplier(int64_t, ...), which asserts -2^47 <= acc < 2^47.
// The quantizer keeps every bias within half of its accumulator's range, leaving the other half
// to the sum of products, as TFLite's AdjustWeightsForBiasScale does for int32; lint checks the
// whole worst case (accumulator_check.h).

#include <cstdint>
#include <limits>

namespace harness::quant {

struct AccumulatorRange {
  int64_t min;  // lowest value allowed
  int64_t max;  // highest value allowed
};

inline constexpr AccumulatorRange kInt32Accumulator = {std::numeric_limits<int32_t>::min(),
                                                       std::numeric_limits<int32_t>::max()};
inline constexpr AccumulatorRange kInt64Accumulator = {-(int64_t{1} << 47), (int64_t{1} << 47) - 1};

// The largest |quantized bias| the quantizer writes for each bias type.
inline constexpr double kInt32BiasBudget = kInt32Accumulator.max / 2.0;
inline constexpr double kInt64BiasBudget = kInt64Accumulator.max / 2.0;

}  // namespace harness::quant
