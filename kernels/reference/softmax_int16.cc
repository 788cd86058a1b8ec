#include "kernels/reference/softmax_int16.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "kernels/fixed_point.h"

namespace kernels::reference {

namespace {

// The table functions, in float as TFLite-Micro's lambdas.
float Exp(float x) { return std::exp(x); }
float OneOverOnePlusX(float x) { return 1.0f / (1.0f + x); }

int16_t SaturateToInt16(int32_t x) {
  return static_cast<int16_t>(std::clamp<int32_t>(x, std::numeric_limits<int16_t>::min(),
                                                  std::numeric_limits<int16_t>::max()));
}

}  // namespace

SoftmaxInt16Params PrepareSoftmaxInt16(float beta, float input_scale) {
  SoftmaxInt16Params params;
  const double rescale =
      static_cast<double>(input_scale) * static_cast<double>(beta) / (10.0 / 65535.0);
  const QuantizedMultiplier m = QuantizeMultiplier(rescale);
  params.input_multiplier = m.multiplier;
  params.input_shift = m.shift;
  params.exp_lut = GenerateInt16Lut(Exp, -10.0f, 0.0f, -1.0f, 1.0f);
  params.one_over_one_plus_x_lut = GenerateInt16Lut(OneOverOnePlusX, 0.0f, 1.0f, -1.0f, 1.0f);
  return params;
}

void SoftmaxInt16(const SoftmaxInt16Params& params, const Shape& shape, const int16_t* input,
                  int16_t* output) {
  const int last = shape.rank() - 1;
  const int64_t depth = shape.dim(last);
  const int64_t rows = shape.FlatSizeSkipDim(last);
  if (depth == 0) return;
  for (int64_t row = 0; row < rows; ++row) {
    const int16_t* in = input + row * depth;
    int16_t* out = output + row * depth;
    const int32_t max_in_row = *std::max_element(in, in + depth);

    // The exps go to the output first (TFLite-Micro caches them there too); the result is the
    // same as recomputing them.
    int32_t sum_of_exps = 0;  // Q16.15
    for (int64_t c = 0; c < depth; ++c) {
      const int32_t scaled_diff = MultiplyByQuantizedMultiplier(
          static_cast<int32_t>(in[c]) - max_in_row, params.input_multiplier, params.input_shift);
      out[c] = LookupInt16Lut(SaturateToInt16(scaled_diff + 32767), params.exp_lut);
      sum_of_exps += out[c];
    }

    // Normalize the sum to Q1.14 in [1, 2) with round half up, then x = sum - 1 re-centred
    // from [0, 65535] to the table's [-32768, 32767]. The row maximum contributes exp(0), so
    // the sum is at least 32767 and the shifts below are in range.
    const int headroom_plus_one = std::countl_zero(static_cast<uint32_t>(sum_of_exps));
    const auto shifted_sum = static_cast<int32_t>(
        ((static_cast<int64_t>(sum_of_exps) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    const int32_t centred_sum = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t reciprocal_q015 =
        LookupInt16Lut(SaturateToInt16(centred_sum), params.one_over_one_plus_x_lut);

    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int64_t c = 0; c < depth; ++c) {
      const auto result = static_cast<int32_t>(
          (static_cast<int64_t>(out[c]) * reciprocal_q015 + round) >> right_shift);
      out[c] = static_cast<int16_t>(std::clamp<int32_t>(result, 0, 32767));
    }
  }
}

}  // namespace kernels::reference
