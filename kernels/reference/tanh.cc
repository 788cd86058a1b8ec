#include "kernels/reference/tanh.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/fixed_point.h"
#include "kernels/gemmlowp_fixed_point.h"

namespace kernels::reference {

void TanhFloat(int64_t size, const float* input, float* output) {
  for (int64_t i = 0; i < size; ++i) output[i] = std::tanh(input[i]);
}

void TanhInt8(const Int8ToF4Params& params, int64_t size, const int8_t* input, int8_t* output) {
  constexpr int kInputIntegerBits = 4;
  constexpr int kOutputFractionalBits = 7;  // Q0 in [-1, 1] to units of 1/128
  constexpr int32_t kMinInt8 = std::numeric_limits<int8_t>::min();
  constexpr int32_t kMaxInt8 = std::numeric_limits<int8_t>::max();
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
          gemmlowp::Tanh(gemmlowp::FixedPoint<kInputIntegerBits>::FromRaw(input_in_q4)).raw();
      const int32_t output_in_q24 = RoundingDivideByPOT(output_in_q0, 31 - kOutputFractionalBits);
      output[i] = static_cast<int8_t>(std::clamp(output_in_q24, kMinInt8, kMaxInt8));
    }
  }
}

}  // namespace kernels::reference
