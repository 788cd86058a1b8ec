#include "kernels/float16.h"

#include <bit>
#include <cmath>

namespace kernels {

namespace {
constexpr uint32_t kFloatExponentMask = 0x7F800000u;
constexpr uint32_t kFloatMantissaMask = 0x007FFFFFu;
constexpr uint16_t kHalfInfinity = 0x7C00u;
constexpr uint16_t kHalfQuietBit = 0x0200u;

// value / 2^shift rounded to nearest, ties to even.
uint32_t ShiftRightRoundingToEven(uint32_t value, int shift) {
  if (shift == 0) return value;
  if (shift > 31) return 0;  // value < 2^24 here, far below half of 2^shift
  const uint32_t quotient = value >> shift;
  const uint32_t remainder = value & ((uint32_t{1} << shift) - 1);
  const uint32_t half = uint32_t{1} << (shift - 1);
  const bool round_up = remainder > half || (remainder == half && (quotient & 1u) != 0);
  return quotient + (round_up ? 1u : 0u);
}
}  // namespace

float HalfToFloat(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1Fu;
  const uint32_t mantissa = half & 0x3FFu;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24, exact in float.
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign != 0 ? -magnitude : magnitude;
  }
  if (exponent == 0x1F) return std::bit_cast<float>(sign | kFloatExponentMask | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

uint16_t FloatToHalf(float value) {
  const auto bits = std::bit_cast<uint32_t>(value);
  const auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude > kFloatExponentMask) {  // NaN: keep the top payload bits, force quiet
    return static_cast<uint16_t>(sign | kHalfInfinity | kHalfQuietBit |
                                 ((magnitude & kFloatMantissaMask) >> 13));
  }
  if (magnitude == kFloatExponentMask) return static_cast<uint16_t>(sign | kHalfInfinity);

  const int exponent = static_cast<int>(magnitude >> 23) - 127;
  const uint32_t mantissa = magnitude & kFloatMantissaMask;
  if (exponent > 15) return static_cast<uint16_t>(sign | kHalfInfinity);
  if (exponent >= -14) {
    // Normal half: keep 10 of the 23 mantissa bits. A carry out of the mantissa correctly
    // bumps the exponent (up to infinity for 65520 and above).
    const uint32_t unrounded = (static_cast<uint32_t>(exponent + 15) << 23) | mantissa;
    return static_cast<uint16_t>(sign | ShiftRightRoundingToEven(unrounded, 13));
  }
  // Subnormal half (or zero): the value in units of 2^-24, the smallest subnormal. A float
  // subnormal (exponent -127) lands far below and rounds to zero.
  const uint32_t significand = mantissa | (exponent > -127 ? 0x800000u : 0u);
  const int shift = -exponent - 1;  // significand * 2^(exponent - 23) / 2^-24
  return static_cast<uint16_t>(sign | ShiftRightRoundingToEven(significand, shift));
}

}  // namespace kernels
