#include "harness/quant/quantization_params.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "harness/common/error.h"

namespace harness::quant {

AffineParams AsymmetricParams(float min, float max, int32_t qmin, int32_t qmax) {
  if (!std::isfinite(min) || !std::isfinite(max) || min > max) {
    throw Error("quantization",
                "invalid range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  const double lo = std::min(min, 0.0f);
  double hi = std::max(max, 0.0f);
  if (lo == hi) hi = 1.0;  // an all-zero tensor; see the header
  const double q_lo = qmin;
  const double q_hi = qmax;
  const double scale = (hi - lo) / (q_hi - q_lo);
  // TFLite's nudging: of the two ways to place the zero point, take the one whose terms are
  // smaller (less cancellation).
  const double from_min = q_lo - lo / scale;
  const double from_max = q_hi - hi / scale;
  const double from_min_error = std::abs(q_lo) + std::abs(lo / scale);
  const double from_max_error = std::abs(q_hi) + std::abs(hi / scale);
  const double zero_point = from_min_error < from_max_error ? from_min : from_max;
  AffineParams params;
  params.scale = static_cast<float>(scale);
  if (zero_point <= q_lo) {
    params.zero_point = qmin;
  } else if (zero_point >= q_hi) {
    params.zero_point = qmax;
  } else {
    params.zero_point = static_cast<int32_t>(std::round(zero_point));  // half away from zero
  }
  return params;
}

int8_t QuantizeToInt8(float value, const AffineParams& params) {
  const double q = std::round(static_cast<double>(value) / static_cast<double>(params.scale)) +
                   params.zero_point;
  return static_cast<int8_t>(std::clamp(q, -128.0, 127.0));
}

SymmetricWeights QuantizeSymmetric(std::span<const float> weights, std::span<const int32_t> shape,
                                   int channel_dim, std::span<const float> min_scales) {
  size_t channels = 1;
  size_t inner = weights.size();  // elements after channel_dim
  if (channel_dim >= 0) {
    if (static_cast<size_t>(channel_dim) >= shape.size()) {
      throw Error("quantization", "channel dimension out of range");
    }
    channels = static_cast<size_t>(shape[static_cast<size_t>(channel_dim)]);
    inner = 1;
    for (size_t d = static_cast<size_t>(channel_dim) + 1; d < shape.size(); ++d) {
      inner *= static_cast<size_t>(shape[d]);
    }
  }
  auto channel_of = [&](size_t i) { return channel_dim < 0 ? 0 : (i / inner) % channels; };
  std::vector<float> max_abs(channels, 0.0f);
  for (size_t i = 0; i < weights.size(); ++i) {
    max_abs[channel_of(i)] = std::max(max_abs[channel_of(i)], std::abs(weights[i]));
  }
  if (!min_scales.empty() && min_scales.size() != channels) {
    throw Error("quantization", std::to_string(min_scales.size()) + " minimum scales for " +
                                    std::to_string(channels) + " channels");
  }
  SymmetricWeights result;
  result.scales.resize(channels);
  std::vector<float> inverse(channels);
  for (size_t c = 0; c < channels; ++c) {
    result.scales[c] = std::max(max_abs[c], kSmallestWeightHalfRange) / 127.0f;
    if (!min_scales.empty()) result.scales[c] = std::max(result.scales[c], min_scales[c]);
    inverse[c] = 1.0f / result.scales[c];
  }
  result.values.resize(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) {
    // Multiply by the float inverse, round half away from zero, clamp to the symmetric range.
    const float q = std::round(weights[i] * inverse[channel_of(i)]);
    result.values[i] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
  }
  return result;
}

std::vector<float> WeightScalesForBias(std::span<const float> bias, float input_scale,
                                       double bias_limit, bool per_tensor) {
  std::vector<float> scales(bias.size());
  for (size_t c = 0; c < bias.size(); ++c) {
    // The limit is a budget (half the accumulator's range), so the float rounding of this
    // scale and of the bias scale s_input * scale does not matter.
    scales[c] = static_cast<float>(std::fabs(static_cast<double>(bias[c])) /
                                   (static_cast<double>(input_scale) * bias_limit));
  }
  if (per_tensor) {
    const float largest = scales.empty() ? 0.0f : *std::max_element(scales.begin(), scales.end());
    return {largest};
  }
  return scales;
}

std::vector<float> BiasScales(float input_scale, std::span<const float> weight_scales,
                              size_t channels) {
  std::vector<float> scales(channels);
  for (size_t c = 0; c < channels; ++c) {
    scales[c] = input_scale * weight_scales[weight_scales.size() == 1 ? 0 : c];
  }
  return scales;
}

std::vector<int32_t> QuantizeBias(std::span<const float> bias, float input_scale,
                                  std::span<const float> weight_scales) {
  if (weight_scales.size() != 1 && weight_scales.size() != bias.size()) {
    throw Error("quantization", "bias has " + std::to_string(bias.size()) + " values but " +
                                    std::to_string(weight_scales.size()) + " weight scales");
  }
  const std::vector<float> scales = BiasScales(input_scale, weight_scales, bias.size());
  std::vector<int32_t> result(bias.size());
  constexpr double kLimit = std::numeric_limits<int32_t>::max();
  for (size_t c = 0; c < bias.size(); ++c) {
    const double q = std::round(static_cast<double>(bias[c]) / static_cast<double>(scales[c]));
    result[c] = static_cast<int32_t>(std::clamp(q, -kLimit, kLimit));
  }
  return result;
}

std::vector<int64_t> QuantizeBiasInt64(std::span<const float> bias, float input_scale,
                                       std::span<const float> weight_scales) {
  if (weight_scales.size() != 1 && weight_scales.size() != bias.size()) {
    throw Error("quantization", "bias has " + std::to_string(bias.size()) + " values but " +
                                    std::to_string(weight_scales.size()) + " weight scales");
  }
  const std::vector<float> scales = BiasScales(input_scale, weight_scales, bias.size());
  std::vector<int64_t> result(bias.size());
  // 2^62: far beyond any real bias, and exactly representable as a double.
  constexpr double kLimit = 4611686018427387904.0;
  for (size_t c = 0; c < bias.size(); ++c) {
    const double q = std::round(static_cast<double>(bias[c]) / static_cast<double>(scales[c]));
    result[c] = static_cast<int64_t>(std::clamp(q, -kLimit, kLimit));
  }
  return result;
}

AffineParams SymmetricInt16Params(float min, float max) {
  float bound = std::max(std::fabs(min), std::fabs(max));
  if (!(bound > 0.0f) || !std::isfinite(bound)) bound = 1.0f;
  return AffineParams{bound / 32767.0f, 0};
}

int16_t QuantizeToInt16(float value, const AffineParams& params) {
  // std::round rounds half away from zero, as TFLite's QUANTIZE.
  const float q = std::round(value / params.scale) + static_cast<float>(params.zero_point);
  return static_cast<int16_t>(std::clamp(q, -32768.0f, 32767.0f));
}

}  // namespace harness::quant
