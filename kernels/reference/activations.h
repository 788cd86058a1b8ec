#pragma once
// RELU, RELU6 and HARD_SWISH, TFLite-Micro semantics, float and int8.
//   RELU int8: requantizes (input_scale / output_scale as a Q31 multiplier) and clamps below at
//     the output's quantized zero (TFLite-Micro's ReluQuantized).
//   RELU6 int8: clamps to [zero point, quantized 6] of the INPUT's quantization, without any
//     requantization (TFLite-Micro's Relu6Quantized assumes the output shares it).
//   HARD_SWISH int8: reference_ops::HardSwish with HardSwishParams, 16-bit fixed point.

#include <cstdint>
#include <optional>

namespace kernels::reference {

void ReluFloat(int64_t size, const float* input, float* output);
void Relu6Float(int64_t size, const float* input, float* output);
void HardSwishFloat(int64_t size, const float* input, float* output);

struct ReluInt8Params {
  int32_t input_offset = 0;   // input zero point
  int32_t output_offset = 0;  // output zero point
  int32_t output_multiplier = 0;
  int output_shift = 0;
  int32_t activation_min = 0;
  int32_t activation_max = 0;
};
ReluInt8Params PrepareReluInt8(float input_scale, int32_t input_zero_point, float output_scale,
                               int32_t output_zero_point);
void ReluInt8(const ReluInt8Params& params, int64_t size, const int8_t* input, int8_t* output);

struct Relu6Int8Params {
  int8_t zero = 0;  // the input zero point
  int8_t six = 0;   // 6.0 quantized with the input's scale and zero point, clamped to int8
};
Relu6Int8Params PrepareRelu6Int8(float input_scale, int32_t input_zero_point);
void Relu6Int8(const Relu6Int8Params& params, int64_t size, const int8_t* input, int8_t* output);

// TFLite's HardSwishParams: multipliers in Q15 with power-of-two exponents.
struct HardSwishInt8Params {
  int16_t input_zero_point = 0;
  int16_t output_zero_point = 0;
  int16_t reluish_multiplier_fixedpoint_int16 = 0;
  int reluish_multiplier_exponent = 0;
  int16_t output_multiplier_fixedpoint_int16 = 0;
  int output_multiplier_exponent = 0;
};
// nullopt where TFLite refuses: an output multiplier exponent above zero (output scale much
// smaller than input_scale / 128).
std::optional<HardSwishInt8Params> PrepareHardSwishInt8(float input_scale,
                                                        int32_t input_zero_point,
                                                        float output_scale,
                                                        int32_t output_zero_point);
void HardSwishInt8(const HardSwishInt8Params& params, int64_t size, const int8_t* input,
                   int8_t* output);

// TFLite's DownScaleInt32ToInt16Multiplier: a Q31 multiplier rounded to Q15 (half up),
// saturating at INT16_MAX.
int16_t DownScaleInt32ToInt16Multiplier(int32_t multiplier);

}  // namespace kernels::reference
