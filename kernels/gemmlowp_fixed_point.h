#pragma once
// gemmlowp's fixed-point number type and the transcendental functions TFLite's integer softmax,
// logistic and tanh are built from (exp on negative values, 1/(1+x), (1-x)/(1+x), logistic,
// tanh), plus TFLite's GetReciprocal and CalculateInputRadius. Every step rounds exactly as
// gemmlowp's scalar code does: products go through SaturatingRoundingDoublingHighMul (ties
// toward +infinity), power-of-two divisions through RoundingDivideByPOT (ties away from zero),
// and additions wrap like plain int32 additions (they never overflow on the paths these
// functions take; wrapping through unsigned arithmetic only keeps the code free of undefined
// behaviour). Bit-exactness with TFLite-Micro depends on keeping every operation in this order.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/fixed_point.h"

namespace kernels::gemmlowp {

inline constexpr int32_t kRawMax = std::numeric_limits<int32_t>::max();
inline constexpr int32_t kRawMin = std::numeric_limits<int32_t>::min();

inline constexpr int32_t WrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
inline constexpr int32_t WrappingSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// A real number raw * 2^-(31 - kIntegerBits) in an int32: kIntegerBits bits left of the binary
// point, the rest fractional ("F4" is FixedPoint<4>).
template <int kIntegerBits>
class FixedPoint {
 public:
  static_assert(kIntegerBits >= 0 && kIntegerBits <= 31);
  static constexpr int kFractionalBits = 31 - kIntegerBits;

  static constexpr FixedPoint FromRaw(int32_t raw) {
    FixedPoint x;
    x.raw_ = raw;
    return x;
  }
  static constexpr FixedPoint Zero() { return FromRaw(0); }
  // 1.0 is not representable with no integer bits; gemmlowp uses the largest raw value there.
  static constexpr FixedPoint One() {
    return FromRaw(kIntegerBits == 0 ? kRawMax : int32_t{1} << kFractionalBits);
  }
  // 2^kExponent, exactly representable.
  template <int kExponent>
  static constexpr FixedPoint ConstantPOT() {
    static_assert(kFractionalBits + kExponent >= 0 && kFractionalBits + kExponent < 31);
    return FromRaw(int32_t{1} << (kFractionalBits + kExponent));
  }

  constexpr int32_t raw() const { return raw_; }

 private:
  int32_t raw_ = 0;
};

template <int B>
constexpr FixedPoint<B> operator+(FixedPoint<B> a, FixedPoint<B> b) {
  return FixedPoint<B>::FromRaw(WrappingAdd(a.raw(), b.raw()));
}
template <int B>
constexpr FixedPoint<B> operator-(FixedPoint<B> a, FixedPoint<B> b) {
  return FixedPoint<B>::FromRaw(WrappingSub(a.raw(), b.raw()));
}
template <int B>
constexpr FixedPoint<B> operator-(FixedPoint<B> a) {
  return FixedPoint<B>::FromRaw(WrappingSub(0, a.raw()));
}
template <int B>
constexpr FixedPoint<B> operator&(FixedPoint<B> a, FixedPoint<B> b) {
  return FixedPoint<B>::FromRaw(a.raw() & b.raw());
}
// The product of Fa and Fb is F(a+b): the doubling high multiply keeps the top 32 bits.
template <int A, int B>
inline FixedPoint<A + B> operator*(FixedPoint<A> a, FixedPoint<B> b) {
  return FixedPoint<A + B>::FromRaw(SaturatingRoundingDoublingHighMul(a.raw(), b.raw()));
}

// x * 2^kExponent: a left shift that saturates (gemmlowp's thresholds: |x| above
// 2^(31 - kExponent) - 1 saturates), or a rounding right shift (ties away from zero).
template <int kExponent>
inline int32_t SaturatingRoundingMultiplyByPOT(int32_t x) {
  if constexpr (kExponent == 0) {
    return x;
  } else if constexpr (kExponent > 0) {
    static_assert(kExponent < 31);
    constexpr int32_t threshold = (int32_t{1} << (31 - kExponent)) - 1;
    if (x > threshold) return kRawMax;
    if (x < -threshold) return kRawMin;
    return static_cast<int32_t>(static_cast<uint32_t>(x) << kExponent);
  } else {
    return RoundingDivideByPOT(x, -kExponent);
  }
}

// The same value with another number of integer bits (gemmlowp's Rescale).
template <int kDst, int kSrc>
inline FixedPoint<kDst> Rescale(FixedPoint<kSrc> x) {
  return FixedPoint<kDst>::FromRaw(SaturatingRoundingMultiplyByPOT<kSrc - kDst>(x.raw()));
}

// x * 2^kExponent by relabelling the binary point; the raw value is unchanged.
template <int kExponent, int B>
constexpr FixedPoint<B + kExponent> ExactMulByPot(FixedPoint<B> x) {
  return FixedPoint<B + kExponent>::FromRaw(x.raw());
}

// (a + b) / 2 rounded to nearest, ties away from zero, computed without overflow.
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + static_cast<int64_t>(b);
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

// exp(a) for a in [-1/4, 0): a fourth-order Taylor expansion around -1/8.
inline FixedPoint<0> ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(FixedPoint<0> a) {
  using F = FixedPoint<0>;
  const F constant_term = F::FromRaw(1895147668);      // exp(-1/8)
  const F constant_1_over_3 = F::FromRaw(715827883);   // 1/3
  const F x = a + F::ConstantPOT<-3>();
  const F x2 = x * x;
  const F x3 = x2 * x;
  const F x4 = x2 * x2;
  const F x4_over_4 = F::FromRaw(SaturatingRoundingMultiplyByPOT<-2>(x4.raw()));
  const F x4_over_24_plus_x3_over_6_plus_x2_over_2 = F::FromRaw(
      SaturatingRoundingMultiplyByPOT<-1>((((x4_over_4 + x3) * constant_1_over_3) + x2).raw()));
  return constant_term + constant_term * (x + x4_over_24_plus_x3_over_6_plus_x2_over_2);
}

// exp(a) for a <= 0 (gemmlowp's exp_on_negative_values): the fractional part modulo 1/4 goes
// through the polynomial, then each set bit of the remaining multiple of 1/4 multiplies in a
// constant exp(-2^k). exp(0) is exactly One(); inputs below -32 give 0.
template <int kIntegerBits>
FixedPoint<0> ExpOnNegativeValues(FixedPoint<kIntegerBits> a) {
  using InputF = FixedPoint<kIntegerBits>;
  using ResultF = FixedPoint<0>;
  constexpr int kFractionalBits = InputF::kFractionalBits;
  const InputF one_quarter = InputF::template ConstantPOT<-2>();
  const InputF mask = one_quarter - InputF::FromRaw(1);
  const InputF a_mod_quarter_minus_one_quarter = (a & mask) - one_quarter;
  ResultF result =
      ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(Rescale<0>(a_mod_quarter_minus_one_quarter));
  const int32_t remainder = (a_mod_quarter_minus_one_quarter - a).raw();

  // Q0 values of exp(-2^exponent) for exponent -2 .. 4, as gemmlowp tabulates them.
  constexpr int32_t kMultipliers[] = {1672461947, 1302514674, 790015084, 290630308,
                                      39332535,   720401,     242};
  for (int exponent = -2; exponent <= 4; ++exponent) {
    if (kIntegerBits <= exponent) break;
    const int shift = kFractionalBits + exponent;
    if ((remainder & (int32_t{1} << shift)) != 0) {
      result = result * ResultF::FromRaw(kMultipliers[exponent + 2]);
    }
  }
  if constexpr (kIntegerBits > 5) {
    // Below -32 the result underflows; gemmlowp returns exactly zero there.
    const InputF clamp = InputF::FromRaw(-(int32_t{1} << (36 - kIntegerBits)));
    if (a.raw() < clamp.raw()) result = ResultF::Zero();
  }
  if (a.raw() == 0) result = ResultF::One();
  return result;
}

// Newton-Raphson reciprocal shared by 1/(1+x) and (1-x)/(1+x): returns 1/(1+a) in F2, starting
// from the 48/17 - 32/17 * d estimate and doing three iterations, as gemmlowp does.
inline FixedPoint<2> ReciprocalOfHalfDenominatorF2(FixedPoint<0> half_denominator) {
  using F2 = FixedPoint<2>;
  const F2 constant_48_over_17 = F2::FromRaw(1515870810);
  const F2 constant_neg_32_over_17 = F2::FromRaw(-1010580540);
  F2 x = constant_48_over_17 + half_denominator * constant_neg_32_over_17;
  for (int i = 0; i < 3; ++i) {
    const F2 half_denominator_times_x = half_denominator * x;
    const F2 one_minus_half_denominator_times_x = F2::One() - half_denominator_times_x;
    x = x + Rescale<2>(x * one_minus_half_denominator_times_x);
  }
  return x;
}

// 1 / (1 + a) for a in [0, 1) (gemmlowp's one_over_one_plus_x_for_x_in_0_1).
inline FixedPoint<0> OneOverOnePlusXForXIn01(FixedPoint<0> a) {
  using F0 = FixedPoint<0>;
  const F0 half_denominator = F0::FromRaw(RoundingHalfSum(a.raw(), F0::One().raw()));
  const FixedPoint<2> x = ReciprocalOfHalfDenominatorF2(half_denominator);
  return Rescale<0>(ExactMulByPot<-1>(x));
}

// (1 - a) / (1 + a) for a in [0, 1) (gemmlowp's one_minus_x_over_one_plus_x_for_x_in_0_1).
inline FixedPoint<0> OneMinusXOverOnePlusXForXIn01(FixedPoint<0> a) {
  using F0 = FixedPoint<0>;
  const F0 half_denominator = F0::FromRaw(RoundingHalfSum(a.raw(), F0::One().raw()));
  const FixedPoint<2> x = ReciprocalOfHalfDenominatorF2(half_denominator);
  return Rescale<0>(x - FixedPoint<2>::One());
}

// 1 / (1 + exp(-a)) for any a (gemmlowp's logistic): computed on |a| and mirrored as
// One() - result for negative inputs; exactly 1/2 at 0.
template <int kIntegerBits>
FixedPoint<0> Logistic(FixedPoint<kIntegerBits> a) {
  using ResultF = FixedPoint<0>;
  if (a.raw() == 0) return ResultF::FromRaw(int32_t{1} << 30);
  const bool positive = a.raw() > 0;
  const FixedPoint<kIntegerBits> abs_input = positive ? a : -a;
  const ResultF result_if_positive = OneOverOnePlusXForXIn01(ExpOnNegativeValues(-abs_input));
  return positive ? result_if_positive : ResultF::One() - result_if_positive;
}

// tanh(a) for any a (gemmlowp's tanh): (1 - exp(-2|a|)) / (1 + exp(-2|a|)) with a's sign;
// exactly 0 at 0.
template <int kIntegerBits>
FixedPoint<0> Tanh(FixedPoint<kIntegerBits> a) {
  using ResultF = FixedPoint<0>;
  if (a.raw() == 0) return ResultF::Zero();
  const bool negative = a.raw() < 0;
  const FixedPoint<kIntegerBits> n = negative ? a : -a;  // -|a|
  const ResultF t = OneMinusXOverOnePlusXForXIn01(ExpOnNegativeValues(ExactMulByPot<1>(n)));
  return negative ? -t : t;
}

// Number of leading zero bits of x (32 for 0).
inline int CountLeadingZeros(uint32_t x) {
  int count = 0;
  for (uint32_t bit = uint32_t{1} << 31; bit != 0 && (x & bit) == 0; bit >>= 1) ++count;
  return count;
}

// TFLite's GetReciprocal: 1 / x for a positive x with x_integer_digits integer bits, as a Q0
// mantissa in (1/2, 1] and a power of two: 1/x = mantissa / 2^num_bits_over_unit, so the caller
// multiplies by the mantissa and then divides by 2^num_bits_over_unit.
inline int32_t GetReciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  // x normalized into [1, 2) then minus one, in Q0 (wraps exactly as TFLite's uint32 code).
  const auto shifted_sum_minus_one = static_cast<int32_t>(
      (static_cast<uint32_t>(x) << headroom_plus_one) - (uint32_t{1} << 31));
  return OneOverOnePlusXForXIn01(FixedPoint<0>::FromRaw(shifted_sum_minus_one)).raw();
}

// TFLite's CalculateInputRadius: the largest input (after subtracting the zero point) whose
// rescaled value still fits in input_integer_bits integer bits; floor, computed in double.
// A radius beyond int32 (a tiny input scale, so a negative shift) saturates instead of being
// undefined: every input of the kernels' 8- and 16-bit types lies inside it either way.
inline int32_t CalculateInputRadius(int input_integer_bits, int input_left_shift,
                                    int total_signed_bits = 31) {
  const double max_input_rescaled =
      1.0 * static_cast<double>((1 << input_integer_bits) - 1) *
      static_cast<double>(int64_t{1} << (total_signed_bits - input_integer_bits)) /
      std::ldexp(1.0, input_left_shift);
  return static_cast<int32_t>(std::min(std::floor(max_input_rescaled),
                                       static_cast<double>(std::numeric_limits<int32_t>::max())));
}

}  // namespace kernels::gemmlowp
