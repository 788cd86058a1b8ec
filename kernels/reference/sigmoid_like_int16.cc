#include "kernels/reference/sigmoid_like_int16.h"

#include <cmath>
#include <cstdlib>

namespace kernels::reference {

const uint16_t kSigmoidTableUint16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794,
    41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443,
    48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374,
    54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544,
    58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279,
    61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990,
    63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030,
    64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019,
    65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476,
    65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516,
    65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
    65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532,
    65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
};

namespace {

// The power-of-two path stores multiplier 0; the kernels then multiply by 3 << shift and do not
// shift right at all. Returns the effective multiplier and right shift.
SigmoidLikeInt16Params Effective(const SigmoidLikeInt16Params& params) {
  if (params.input_multiplier != 0) return params;
  return {3 << params.input_left_shift, 0};
}

// x * multiplier, rounded half up, shifted right: the input in units of 1 / (3 * 4096).
int32_t RescaleInput(int16_t x, const SigmoidLikeInt16Params& p) {
  const int32_t round = p.input_left_shift > 0 ? 1 << (p.input_left_shift - 1) : 0;
  return (x * p.input_multiplier + round) >> p.input_left_shift;
}

}  // namespace

bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float x_log2_rounded = std::round(x_log2);
  *log2_result = static_cast<int>(x_log2_rounded);
  return std::abs(x_log2 - x_log2_rounded) < 1e-3f;
}

SigmoidLikeInt16Params PrepareSigmoidLikeInt16(SigmoidLikeFunction function, float input_scale) {
  constexpr int kInputIntegerBits = 3;
  SigmoidLikeInt16Params params;
  int input_scale_log2 = 0;
  bool power_of_two = CheckedLog2(input_scale, &input_scale_log2);
  params.input_left_shift = (15 - kInputIntegerBits) + input_scale_log2;
  // TANH accepts 2^-11 too (shift 1: the multiplier 3 << 1 doubles the input); LOGISTIC only
  // 2^-12.
  power_of_two &= params.input_left_shift == 0 ||
                  (function == SigmoidLikeFunction::kTanh && params.input_left_shift == 1);
  if (power_of_two) {
    params.input_multiplier = 0;
    return params;
  }
  // Bring the scale to 1 / (3 * 4096) with as many fractional bits as fit in 15.
  double multiplier = static_cast<double>(input_scale) * 4096.0 * 3.0;
  params.input_left_shift = 0;
  while (multiplier <= 32767.0 / 2.0 && params.input_left_shift <= 30) {
    ++params.input_left_shift;
    multiplier *= 2.0;
  }
  params.input_multiplier = static_cast<int32_t>(multiplier);  // truncation, as TFLite-Micro
  return params;
}

void LogisticInt16(const SigmoidLikeInt16Params& params, int64_t size, const int16_t* input,
                   int16_t* output) {
  const SigmoidLikeInt16Params p = Effective(params);
  for (int64_t i = 0; i < size; ++i) {
    const int32_t x = RescaleInput(input[i], p);
    // Table step 1/24 = 512 input units (x / 2^7 for the units, / 4 for the 3/4 in the scale).
    const auto magnitude = static_cast<uint32_t>(std::abs(x));
    const uint32_t index = magnitude >> 9;
    uint32_t result = 0;  // sigmoid(|x|) in Q0.25
    if (index >= 255) {
      result = 0x7FFFu << 10;
    } else {
      const uint32_t a = kSigmoidTableUint16[index];
      const uint32_t b = kSigmoidTableUint16[index + 1];
      result = (a << 9) + (magnitude & 0x1FFu) * (b - a);
    }
    // sigmoid(-x) = 1 - sigmoid(x); then Q0.25 to Q0.15 with TFLite's rounding constants.
    result = x >= 0 ? result + (1u << 9) : (1u << 25) - result + (1u << 9) - 1;
    output[i] = static_cast<int16_t>(result >> 10);
  }
}

void TanhInt16(const SigmoidLikeInt16Params& params, int64_t size, const int16_t* input,
               int16_t* output) {
  const SigmoidLikeInt16Params p = Effective(params);
  for (int64_t i = 0; i < size; ++i) {
    const int32_t x = RescaleInput(input[i], p);
    // Half the logistic's step: the table is read at 2x.
    const auto magnitude = static_cast<uint32_t>(std::abs(x));
    const uint32_t index = magnitude >> 8;
    int32_t result = 0;  // sigmoid(2|x|) in Q0.24
    if (index >= 255) {
      result = 0xFFFF << 8;
    } else {
      const uint32_t a = kSigmoidTableUint16[index];
      const uint32_t b = kSigmoidTableUint16[index + 1];
      result = static_cast<int32_t>((a << 8) + (magnitude & 0xFFu) * (b - a));
    }
    // tanh = 2 * sigmoid(2x) - 1, odd; Q0.24 to Q0.15 (an arithmetic shift, floor).
    result = x >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
    output[i] = static_cast<int16_t>(result >> 8);
  }
}

}  // namespace kernels::reference
