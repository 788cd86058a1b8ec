#pragma once
// LOGISTIC and TANH int16 -> int16, TFLite-Micro's reference_integer_ops::Logistic / Tanh for
// the 16x8 quantization mode. Both read one 256-entry table of sigmoid(i / 24) in unsigned Q0.16
// (tanh(x) = 2 * sigmoid(2x) - 1, and both functions are odd around their centre, so the table
// covers |x| only) and interpolate linearly between entries. Input and output zero points are 0;
// the output scale is 2^-15.
//
// The input is first brought to units of 1 / (3 * 4096) (so +-2^17 spans +-10.7):
//   y = (x * input_multiplier + round) >> input_right_shift.
// TFLite-Micro's Prepare chooses the multiplier and shift (see PrepareSigmoidLikeInt16).

#include <cstdint>

namespace kernels::reference {

// TFLite's sigmoid_table_uint16: sigmoid(i / 24) in Q0.16 for i = 0 .. 255 (the values are
// TFLite's own, within about one unit of the exact function; the last one is 65535).
extern const uint16_t kSigmoidTableUint16[256];

// TFLite's field names: `input_left_shift` is used as a right shift by the kernels.
struct SigmoidLikeInt16Params {
  int32_t input_multiplier = 0;  // 0: the power-of-two case, multiplier 3 << input_left_shift
  int input_left_shift = 0;
};

enum class SigmoidLikeFunction { kLogistic, kTanh };

// TFLite-Micro's LOGISTIC / TANH Prepare for int16: when the input scale is (within 1e-3 in
// log2) 2^-12, or for TANH also 2^-11, the power-of-two path is taken (multiplier 0); otherwise
// multiplier = input_scale * 4096 * 3, doubled (shift + 1) while it is at most 32767 / 2 and the
// shift at most 30, then truncated to an integer.
SigmoidLikeInt16Params PrepareSigmoidLikeInt16(SigmoidLikeFunction function, float input_scale);

// Output in units of 2^-15: 0 .. 32767 for LOGISTIC (a very negative input gives 1, not 0, as in
// TFLite-Micro), -32768 .. 32767 for TANH.
void LogisticInt16(const SigmoidLikeInt16Params& params, int64_t size, const int16_t* input,
                   int16_t* output);
void TanhInt16(const SigmoidLikeInt16Params& params, int64_t size, const int16_t* input,
               int16_t* output);

// TFLite's CheckedLog2: true if x is a power of two to within 1e-3 in log2 (computed in float
// as std::log(x) / std::log(2)), with the rounded exponent in *log2_result.
bool CheckedLog2(float x, int* log2_result);

}  // namespace kernels::reference
