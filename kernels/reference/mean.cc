#include "kernels/reference/mean.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace kernels::reference {
namespace {

// Visits the input in row-major order and calls accumulate(output_offset, input_offset), where
// output_offset indexes the input's dimensions with the reduced ones dropped.
template <class Accumulate>
void ForEachReduced(const Shape& input_shape, const ReducedAxes& reduced, Accumulate accumulate) {
  const int rank = input_shape.rank();
  const int64_t count = input_shape.FlatSize();
  if (count == 0) return;
  std::array<int32_t, Shape::kMaxRank> index{};
  for (int64_t input_offset = 0; input_offset < count; ++input_offset) {
    int64_t output_offset = 0;
    for (int d = 0; d < rank; ++d) {
      const auto k = static_cast<size_t>(d);
      if (!reduced[k]) output_offset = output_offset * input_shape.dim(d) + index[k];
    }
    accumulate(output_offset, input_offset);
    for (int d = rank - 1; d >= 0; --d) {
      const auto k = static_cast<size_t>(d);
      if (++index[k] < input_shape.dim(d)) break;
      index[k] = 0;
    }
  }
}

template <class T>
void MeanInteger(const MeanQuantizedParams& p, const Shape& input_shape, const T* input,
                 const ReducedAxes& reduced, int32_t* sums, T* output) {
  const int64_t outputs = MeanOutputCount(input_shape, reduced);
  std::fill(sums, sums + outputs, 0);
  ForEachReduced(input_shape, reduced, [&](int64_t out, int64_t in) {
    // TFLite adds with expected (wrapping) overflow; unsigned arithmetic keeps the wrap defined.
    sums[out] = static_cast<int32_t>(static_cast<uint32_t>(sums[out]) +
                                     static_cast<uint32_t>(static_cast<int32_t>(input[in])));
  });
  if (p.count == 0) {
    std::fill(output, output + outputs, T());
    return;
  }
  constexpr int32_t kMin = std::numeric_limits<T>::min();
  constexpr int32_t kMax = std::numeric_limits<T>::max();
  for (int64_t i = 0; i < outputs; ++i) {
    const auto shifted_sum = static_cast<int32_t>(sums[i] - p.input_zero_point * p.count);
    const int32_t value =
        MultiplyByQuantizedMultiplier(shifted_sum, p.multiplier) + p.output_zero_point;
    output[i] = static_cast<T>(std::clamp(value, kMin, kMax));
  }
}

}  // namespace

MeanQuantizedParams MakeMeanQuantizedParams(float input_scale, int32_t input_zero_point,
                                            float output_scale, int32_t output_zero_point,
                                            int64_t count) {
  MeanQuantizedParams p;
  p.input_zero_point = input_zero_point;
  p.output_zero_point = output_zero_point;
  p.count = count;
  p.multiplier =
      QuantizeMultiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale));
  if (count <= 0) return p;
  // Fold 1 / count into the multiplier as TFLite-Micro's QuantizedMeanOrSum does: scale the
  // mantissa up by 2^shift (shift = floor(log2(count)), so the quotient stays below 2^31), divide
  // by the count with truncation, and compensate in the exponent. The shift is capped at 32 to
  // keep the int64 product exact and at 31 + exponent to keep the final right shift <= 31.
  int shift = 63 - std::countl_zero(static_cast<uint64_t>(count));
  shift = std::min(shift, 32);
  shift = std::min(shift, 31 + p.multiplier.shift);
  p.multiplier.multiplier =
      static_cast<int32_t>((static_cast<int64_t>(p.multiplier.multiplier) << shift) / count);
  p.multiplier.shift -= shift;
  return p;
}

int64_t ReducedCount(const Shape& input_shape, const ReducedAxes& reduced) {
  int64_t count = 1;
  for (int d = 0; d < input_shape.rank(); ++d)
    if (reduced[static_cast<size_t>(d)]) count *= input_shape.dim(d);
  return count;
}

int64_t MeanOutputCount(const Shape& input_shape, const ReducedAxes& reduced) {
  int64_t count = 1;
  for (int d = 0; d < input_shape.rank(); ++d)
    if (!reduced[static_cast<size_t>(d)]) count *= input_shape.dim(d);
  return count;
}

void Mean(const Shape& input_shape, const float* input, const ReducedAxes& reduced,
          float* output) {
  const int64_t outputs = MeanOutputCount(input_shape, reduced);
  std::fill(output, output + outputs, 0.0f);
  ForEachReduced(input_shape, reduced,
                 [&](int64_t out, int64_t in) { output[out] += input[in]; });
  const int64_t count = ReducedCount(input_shape, reduced);
  if (count == 0) return;
  for (int64_t i = 0; i < outputs; ++i) output[i] /= static_cast<float>(count);
}

void Mean(const MeanQuantizedParams& params, const Shape& input_shape, const int8_t* input,
          const ReducedAxes& reduced, int32_t* sums, int8_t* output) {
  MeanInteger(params, input_shape, input, reduced, sums, output);
}

void Mean(const MeanQuantizedParams& params, const Shape& input_shape, const int16_t* input,
          const ReducedAxes& reduced, int32_t* sums, int16_t* output) {
  MeanInteger(params, input_shape, input, reduced, sums, output);
}

}  // namespace kernels::reference
