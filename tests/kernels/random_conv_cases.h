#pragma once
// The random parts of the convolution sweeps (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED; int8
// and int16x8): window geometry, activation ranges and int8 operands. Each helper draws from
// `uniform(lo, hi)` (inclusive) in a fixed order, so a sweep's seed still names its cases.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace kernels::testing {

// Strides 1..3, dilations 1..2 and paddings 0..2, drawn in that order (height before width).
template <class Params, class Uniform>
void RandomizeWindow(Params& p, Uniform& uniform) {
  p.stride_height = uniform(1, 3);
  p.stride_width = uniform(1, 3);
  p.dilation_height = uniform(1, 2);
  p.dilation_width = uniform(1, 2);
  p.padding_height = uniform(0, 2);
  p.padding_width = uniform(0, 2);
}

// One case in four narrows the int16 activation range to [-20000..0, 0..20000], so the clamp
// is exercised as well as saturation.
template <class Params, class Uniform>
void MaybeNarrowInt16Activation(Params& p, Uniform& uniform) {
  if (uniform(0, 3) == 0) {
    p.quantized_activation_min = uniform(-20000, 0);
    p.quantized_activation_max = uniform(0, 20000);
  }
}

// Output extent along one axis of a `filter`-tap window with explicit padding (TFLite's formula).
inline int ConvOutputExtent(int input, int filter, int dilation, int stride, int padding) {
  return (input + 2 * padding - (filter - 1) * dilation - 1) / stride + 1;
}

// Fills sized int8 operands: inputs over the whole int8 range, symmetric weights (-127..127),
// and per output channel a bias in +-5000, a Q31 multiplier in [0.5, 1) and a shift in
// [min_shift, 1].
template <class Uniform>
void FillRandomInt8Operands(Uniform& uniform, int min_shift, std::vector<int8_t>& input,
                            std::vector<int8_t>& filter, std::vector<int32_t>& bias,
                            std::vector<int32_t>& multipliers, std::vector<int32_t>& shifts) {
  for (auto& v : input) v = static_cast<int8_t>(uniform(-128, 127));
  for (auto& v : filter) v = static_cast<int8_t>(uniform(-127, 127));
  for (size_t o = 0; o < bias.size(); ++o) {
    bias[o] = uniform(-5000, 5000);
    multipliers[o] = uniform(1 << 30, INT32_MAX);
    shifts[o] = uniform(min_shift, 1);
  }
}

// Per-channel real scales m * 2^-e, m uniform in [0.5, 1) and e in [min_exponent,
// max_exponent]: the range of requantization scales of int16x8 layers.
template <class Rng, class Uniform>
std::vector<double> RandomChannelScales(Rng& rng, Uniform& uniform, int channels,
                                        int min_exponent, int max_exponent) {
  std::vector<double> scales;
  for (int c = 0; c < channels; ++c) {
    scales.push_back(std::ldexp(std::uniform_real_distribution<double>(0.5, 1.0)(rng),
                                -uniform(min_exponent, max_exponent)));
  }
  return scales;
}

}  // namespace kernels::testing
