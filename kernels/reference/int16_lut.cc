#include "kernels/reference/int16_lut.h"

#include <algorithm>
#include <cmath>

namespace kernels::reference {

Int16Lut GenerateInt16Lut(float (*function)(float), float input_min, float input_max,
                          float output_min, float output_max) {
  // Every expression stays in float and in TFLite's order: the table must match bit for bit,
  // and a double intermediate would round some entries differently.
  const float step = (input_max - input_min) / static_cast<float>(kInt16LutSegments);
  const float half_step = step / 2;
  const float output_scaling_inv = 65536.0f / (output_max - output_min);
  static constexpr float kTableMin = -32768.0f;
  static constexpr float kTableMax = 32767.0f;
  auto saturate = [](float v) {
    return static_cast<int16_t>(std::min(std::max(v, kTableMin), kTableMax));
  };

  Int16Lut lut{};
  for (int i = 0; i < kInt16LutSegments; ++i) {
    const float left = input_min + static_cast<float>(i) * step;
    const float value = function(left);
    const float value_midpoint = function(left + half_step);
    const float value_next = function(input_min + static_cast<float>(i + 1) * step);

    const float sample = std::round(value * output_scaling_inv);
    const float midpoint_interpolated = std::round((value_next * output_scaling_inv + sample) / 2);
    const float midpoint = std::round(value_midpoint * output_scaling_inv);
    const float bias = std::round((midpoint_interpolated - midpoint) / 2);
    lut[static_cast<size_t>(i)] = saturate(sample - bias);
  }
  lut[kInt16LutSegments] = saturate(std::round(function(input_max) * output_scaling_inv));
  return lut;
}

int16_t LookupInt16Lut(int16_t value, const Int16Lut& lut) {
  // value >> 7 is an arithmetic shift (floor), so the index runs 0 .. 511.
  const auto index = static_cast<size_t>(256 + (value >> 7));
  const int32_t offset = value & 0x7f;
  const int32_t base = lut[index];
  const auto slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int32_t delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

}  // namespace kernels::reference
