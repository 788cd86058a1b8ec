#include "kernels/reference/activations.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/fixed_point.h"

namespace kernels::reference {

namespace {

constexpr int32_t kMinInt8 = std::numeric_limits<int8_t>::min();
constexpr int32_t kMaxInt8 = std::numeric_limits<int8_t>::max();
constexpr int32_t kMinInt16 = std::numeric_limits<int16_t>::min();
constexpr int32_t kMaxInt16 = std::numeric_limits<int16_t>::max();

// The 16-bit gemmlowp primitives HardSwish uses.
int16_t SaturatingRoundingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == kMinInt16) return static_cast<int16_t>(kMaxInt16);
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));  // truncating division, as gemmlowp
}

// Like the above but truncating toward zero instead of rounding (ARM's SQDMULH); TFLite uses it
// for the last product so that it cancels the bias of the earlier rounding multiplies.
int16_t SaturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == kMinInt16) return static_cast<int16_t>(kMaxInt16);
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  return static_cast<int16_t>(ab / (1 << 15));
}

int16_t SaturatingLeftShift16(int16_t value, int amount) {
  const int64_t shifted = static_cast<int64_t>(value) * (int64_t{1} << amount);
  return static_cast<int16_t>(std::clamp<int64_t>(shifted, kMinInt16, kMaxInt16));
}

int16_t RoundingDivideByPOT16(int16_t value, int exponent) {
  return static_cast<int16_t>(RoundingDivideByPOT(value, exponent));
}

}  // namespace

void ReluFloat(int64_t size, const float* input, float* output) {
  // "x < 0 ? 0 : x" as TFLite-Micro writes it: -0 and NaN pass through unchanged.
  for (int64_t i = 0; i < size; ++i) output[i] = input[i] < 0.0f ? 0.0f : input[i];
}

void Relu6Float(int64_t size, const float* input, float* output) {
  for (int64_t i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x > 6.0f ? 6.0f : (x < 0.0f ? 0.0f : x);
  }
}

void HardSwishFloat(int64_t size, const float* input, float* output) {
  for (int64_t i = 0; i < size; ++i) {
    const float x = input[i];
    output[i] = x * std::min(6.0f, std::max(0.0f, x + 3.0f)) / 6.0f;
  }
}

ReluInt8Params PrepareReluInt8(float input_scale, int32_t input_zero_point, float output_scale,
                               int32_t output_zero_point) {
  ReluInt8Params params;
  const QuantizedMultiplier m =
      QuantizeMultiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale));
  params.output_multiplier = m.multiplier;
  params.output_shift = m.shift;
  params.input_offset = input_zero_point;
  params.output_offset = output_zero_point;
  // The activation's lower bound 0.0 quantizes to the output zero point (roundf(0 / s) = 0);
  // there is no upper bound but the type's.
  params.activation_min = std::max(kMinInt8, output_zero_point);
  params.activation_max = kMaxInt8;
  return params;
}

void ReluInt8(const ReluInt8Params& params, int64_t size, const int8_t* input, int8_t* output) {
  for (int64_t i = 0; i < size; ++i) {
    int32_t y = params.output_offset +
                MultiplyByQuantizedMultiplier(static_cast<int32_t>(input[i]) - params.input_offset,
                                              params.output_multiplier, params.output_shift);
    y = std::max(params.activation_min, y);
    y = std::min(params.activation_max, y);
    output[i] = static_cast<int8_t>(y);
  }
}

Relu6Int8Params PrepareRelu6Int8(float input_scale, int32_t input_zero_point) {
  // FloatToQuantizedType: round(6 / scale) half away from zero, plus the zero point, clamped.
  const float steps = std::round(6.0f / input_scale);
  const int32_t six = static_cast<int32_t>(std::clamp(steps, -512.0f, 512.0f)) + input_zero_point;
  Relu6Int8Params params;
  params.zero = static_cast<int8_t>(std::clamp(input_zero_point, kMinInt8, kMaxInt8));
  params.six = static_cast<int8_t>(std::clamp(six, kMinInt8, kMaxInt8));
  return params;
}

void Relu6Int8(const Relu6Int8Params& params, int64_t size, const int8_t* input, int8_t* output) {
  for (int64_t i = 0; i < size; ++i) {
    const int8_t x = input[i];
    output[i] = x > params.six ? params.six : (x < params.zero ? params.zero : x);
  }
}

int16_t DownScaleInt32ToInt16Multiplier(int32_t multiplier) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (multiplier >= std::numeric_limits<int32_t>::max() - kRoundingOffset) {
    return static_cast<int16_t>(kMaxInt16);
  }
  return static_cast<int16_t>((multiplier + kRoundingOffset) >> 16);
}

std::optional<HardSwishInt8Params> PrepareHardSwishInt8(float input_scale,
                                                        int32_t input_zero_point,
                                                        float output_scale,
                                                        int32_t output_zero_point) {
  HardSwishInt8Params params;
  params.input_zero_point = static_cast<int16_t>(input_zero_point);
  params.output_zero_point = static_cast<int16_t>(output_zero_point);
  // The scales are combined in float, as TFLite does, and only then widened to double.
  const float hires_input_scale = (1.0f / 128.0f) * input_scale;
  const float reluish_scale = 3.0f / 32768.0f;

  const QuantizedMultiplier output_multiplier =
      QuantizeMultiplier(static_cast<double>(hires_input_scale / output_scale));
  params.output_multiplier_fixedpoint_int16 =
      DownScaleInt32ToInt16Multiplier(output_multiplier.multiplier);
  params.output_multiplier_exponent = output_multiplier.shift;
  if (params.output_multiplier_exponent > 0) return std::nullopt;

  const QuantizedMultiplier reluish_multiplier =
      QuantizeMultiplier(static_cast<double>(hires_input_scale / reluish_scale));
  params.reluish_multiplier_fixedpoint_int16 =
      DownScaleInt32ToInt16Multiplier(reluish_multiplier.multiplier);
  params.reluish_multiplier_exponent = reluish_multiplier.shift;
  return params;
}

void HardSwishInt8(const HardSwishInt8Params& params, int64_t size, const int8_t* input,
                   int8_t* output) {
  for (int64_t i = 0; i < size; ++i) {
    const auto input_value = static_cast<int16_t>(input[i] - params.input_zero_point);
    // Input scaled up by 2^7 so the 16-bit products keep their significant bits.
    const auto input_value_on_hires_input_scale = static_cast<int16_t>(input_value * (1 << 7));
    // x on the output scale, before the output shift: the result for x >= 3.
    const int16_t input_value_on_preshift_output_scale = SaturatingRoundingDoublingHighMul16(
        input_value_on_hires_input_scale, params.output_multiplier_fixedpoint_int16);
    // The "relu-ish" factor (x + 3) / 6 mapped onto [-1, 1] in Q15: all but one bit of the left
    // shift first, so that saturation there cannot affect the result, then the multiplier, then
    // the last bit (where any saturation is meant to happen), or a right shift.
    int16_t reluish_value = input_value_on_hires_input_scale;
    if (params.reluish_multiplier_exponent > 0) {
      reluish_value = SaturatingLeftShift16(reluish_value, params.reluish_multiplier_exponent - 1);
    }
    reluish_value =
        SaturatingRoundingDoublingHighMul16(reluish_value, params.reluish_multiplier_fixedpoint_int16);
    if (params.reluish_multiplier_exponent > 0) {
      reluish_value = SaturatingLeftShift16(reluish_value, 1);
    }
    if (params.reluish_multiplier_exponent < 0) {
      reluish_value = RoundingDivideByPOT16(reluish_value, -params.reluish_multiplier_exponent);
    }
    // [-1, 1] to [0, 1].
    reluish_value = static_cast<int16_t>((reluish_value + (1 << 15)) >> 1);
    const int16_t preshift_output_value =
        SaturatingDoublingHighMul16(reluish_value, input_value_on_preshift_output_scale);
    int16_t output_value =
        RoundingDivideByPOT16(preshift_output_value, -params.output_multiplier_exponent);
    output_value = static_cast<int16_t>(output_value + params.output_zero_point);
    output[i] = static_cast<int8_t>(std::clamp<int32_t>(output_value, kMinInt8, kMaxInt8));
  }
}

}  // namespace kernels::reference
