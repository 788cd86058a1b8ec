#include "kernels/reference/softmax.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/fixed_point.h"
#include "kernels/gemmlowp_fixed_point.h"

namespace kernels::reference {

namespace {
constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

struct Rows {
  int64_t outer;
  int32_t depth;
};
Rows RowsOf(const Shape& shape) {
  const int last = shape.rank() - 1;
  return {shape.FlatSizeSkipDim(last), shape.dim(last)};
}

template <class Output>
void SoftmaxQuantized(const SoftmaxInt8Params& params, const Shape& shape, const int8_t* input,
                      Output* output) {
  using FixedPointScaledDiff = gemmlowp::FixedPoint<kScaledDiffIntegerBits>;
  using FixedPointAccum = gemmlowp::FixedPoint<kAccumulationIntegerBits>;
  using FixedPoint0 = gemmlowp::FixedPoint<0>;
  constexpr int32_t kOutputMin = std::numeric_limits<Output>::min();
  constexpr int32_t kOutputMax = std::numeric_limits<Output>::max();
  constexpr int kOutputBits = 8 * static_cast<int>(sizeof(Output));

  // exp(beta * scale * diff) in Q0 for a difference diff <= 0 that is not below diff_min.
  auto exp_of_diff = [&](int32_t diff) {
    const int32_t rescaled =
        MultiplyByQuantizedMultiplier(diff, params.input_multiplier, params.input_left_shift);
    return gemmlowp::ExpOnNegativeValues(FixedPointScaledDiff::FromRaw(rescaled));
  };

  const Rows rows = RowsOf(shape);
  if (rows.depth <= 0) return;
  for (int64_t row = 0; row < rows.outer; ++row) {
    const int8_t* in = input + row * rows.depth;
    Output* out = output + row * rows.depth;
    const int32_t max_in_row = *std::max_element(in, in + rows.depth);

    FixedPointAccum sum_of_exps = FixedPointAccum::Zero();
    for (int32_t c = 0; c < rows.depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff >= params.diff_min) {
        sum_of_exps = sum_of_exps + gemmlowp::Rescale<kAccumulationIntegerBits>(exp_of_diff(diff));
      }
    }

    int num_bits_over_unit = 0;
    const FixedPoint0 shifted_scale = FixedPoint0::FromRaw(
        gemmlowp::GetReciprocal(sum_of_exps.raw(), kAccumulationIntegerBits, &num_bits_over_unit));

    for (int32_t c = 0; c < rows.depth; ++c) {
      const int32_t diff = in[c] - max_in_row;
      if (diff < params.diff_min) {
        out[c] = static_cast<Output>(kOutputMin);
        continue;
      }
      // exp / sum in Q0, then down to the output's bits; shifted by the type's minimum because
      // the output zero point is fixed at it.
      const int32_t unsaturated = RoundingDivideByPOT(
          (shifted_scale * exp_of_diff(diff)).raw(), num_bits_over_unit + 31 - kOutputBits);
      const int32_t shifted = unsaturated + kOutputMin;
      out[c] = static_cast<Output>(std::clamp(shifted, kOutputMin, kOutputMax));
    }
  }
}
}  // namespace

void SoftmaxFloat(float beta, const Shape& shape, const float* input, float* output) {
  const Rows rows = RowsOf(shape);
  for (int64_t row = 0; row < rows.outer; ++row) {
    const float* in = input + row * rows.depth;
    float* out = output + row * rows.depth;
    float max = std::numeric_limits<float>::lowest();
    for (int32_t c = 0; c < rows.depth; ++c) max = std::max(max, in[c]);
    // Summed in float in index order, as TFLite does.
    float sum = 0.0f;
    for (int32_t c = 0; c < rows.depth; ++c) {
      out[c] = std::exp((in[c] - max) * beta);
      sum += out[c];
    }
    for (int32_t c = 0; c < rows.depth; ++c) out[c] = out[c] / sum;
  }
}

std::optional<SoftmaxInt8Params> PrepareSoftmaxInt8(double beta, double input_scale) {
  // PreprocessSoftmaxScaling: the real multiplier is capped just below 2^31.
  const double max_real_multiplier = static_cast<double>((int64_t{1} << 31) - 1);
  const double real_multiplier = std::min(
      beta * input_scale * static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
      max_real_multiplier);
  // QuantizeMultiplierGreaterThanOne requires a multiplier above one and a left shift.
  if (!(real_multiplier > 1.0)) return std::nullopt;
  const QuantizedMultiplier quantized = QuantizeMultiplier(real_multiplier);
  if (quantized.shift < 0) return std::nullopt;
  SoftmaxInt8Params params;
  params.input_multiplier = quantized.multiplier;
  params.input_left_shift = quantized.shift;
  // TFLite stores -1.0 * radius into an int: the radius is already an integer.
  params.diff_min =
      -gemmlowp::CalculateInputRadius(kScaledDiffIntegerBits, params.input_left_shift);
  return params;
}

void SoftmaxInt8(const SoftmaxInt8Params& params, const Shape& shape, const int8_t* input,
                 int8_t* output) {
  SoftmaxQuantized(params, shape, input, output);
}

void SoftmaxInt8ToInt16(const SoftmaxInt8Params& params, const Shape& shape, const int8_t* input,
                        int16_t* output) {
  SoftmaxQuantized(params, shape, input, output);
}

}  // namespace kernels::reference
