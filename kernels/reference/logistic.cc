#include "kernels/reference/logistic.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/fixed_point.h"
#include "kernels/gemmlowp_fixed_point.h"

namespace kernels::reference {

namespace {
constexpr int kInputIntegerBits = 4;
constexpr int32_t kMinInt8 = std::numeric_limits<int8_t>::min();
constexpr int32_t kMaxInt8 = std::numeric_limits<int8_t>::max();
}  // namespace

Int8ToF4Params PrepareInt8ToF4(float input_scale, int32_t input_zero_point) {
  Int8ToF4Params params;
  params.input_zero_point = input_zero_point;
  const double real_multiplier =
      static_cast<double>(input_scale) * static_cast<double>(1 << (31 - kInputIntegerBits));
  const double mantissa = std::frexp(real_multiplier, &params.input_left_shift);
  // std::round is TfLiteRound. A mantissa rounding up to 2^31 would overflow TFLite's int32
  // cast; it saturates here, as the float-to-int conversion of the MCUs it targets does.
  const double rounded = std::round(mantissa * static_cast<double>(int64_t{1} << 31));
  params.input_multiplier = rounded >= static_cast<double>(int64_t{1} << 31)
                                ? std::numeric_limits<int32_t>::max()
                                : static_cast<int32_t>(rounded);
  params.input_range_radius =
      gemmlowp::CalculateInputRadius(kInputIntegerBits, params.input_left_shift, 31);
  return params;
}

void LogisticFloat(int64_t size, const float* input, float* output) {
  // Beyond these cutoffs 1 / (1 + exp(-x)) is 1 in float, or exp(x) is as accurate.
  constexpr float kCutoffUpper = 16.619047164916992188f;
  constexpr float kCutoffLower = -9.0f;
  for (int64_t i = 0; i < size; ++i) {
    const float x = input[i];
    if (x > kCutoffUpper) {
      output[i] = 1.0f;
    } else if (x < kCutoffLower) {
      output[i] = std::exp(x);
    } else {
      output[i] = 1.0f / (1.0f + std::exp(-x));
    }
  }
}

void LogisticInt8(const Int8ToF4Params& params, int64_t size, const int8_t* input,
                  int8_t* output) {
  constexpr int kOutputIntegerBits = 8;  // Q0 in [0, 1] to units of 1/256
  constexpr int32_t kOutputZeroPoint = -128;
  for (int64_t i = 0; i < size; ++i) {
    const int32_t x = static_cast<int32_t>(input[i]) - params.input_zero_point;
    if (x <= -params.input_range_radius) {
      output[i] = static_cast<int8_t>(kMinInt8);
    } else if (x >= params.input_range_radius) {
      output[i] = static_cast<int8_t>(kMaxInt8);
    } else {
      const int32_t input_in_q4 =
          MultiplyByQuantizedMultiplier(x, params.input_multiplier, params.input_left_shift);
      const int32_t output_in_q0 =
          gemmlowp::Logistic(gemmlowp::FixedPoint<kInputIntegerBits>::FromRaw(input_in_q4)).raw();
      const int32_t output_in_q23 = RoundingDivideByPOT(output_in_q0, 31 - kOutputIntegerBits);
      output[i] = static_cast<int8_t>(
          std::clamp(output_in_q23 + kOutputZeroPoint, kMinInt8, kMaxInt8));
    }
  }
}

}  // namespace kernels::reference
