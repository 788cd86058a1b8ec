#include "kernels/reference/hybrid.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kernels::reference {
namespace {

constexpr size_t kPartAlignment = 16;

size_t AlignUp(size_t bytes) {
  return (bytes + kPartAlignment - 1) / kPartAlignment * kPartAlignment;
}

}  // namespace

void SymmetricQuantizeFloats(const float* values, int size, int8_t* quantized,
                             float* scaling_factor) {
  constexpr int32_t kScale = 127;
  const auto [min_it, max_it] = std::minmax_element(values, values + size);
  const float range = size > 0 ? std::max(std::abs(*min_it), std::abs(*max_it)) : 0.0f;
  if (range == 0.0f || !std::isfinite(range)) {
    std::memset(quantized, 0, static_cast<size_t>(size));
    *scaling_factor = 1.0f;
    return;
  }
  *scaling_factor = range / kScale;
  // TFLite multiplies by the float inverse (not a division) and rounds half away from zero.
  const float inverse = kScale / range;
  for (int i = 0; i < size; ++i) {
    const auto q = static_cast<int32_t>(std::round(values[i] * inverse));
    quantized[i] = static_cast<int8_t>(std::clamp(q, -kScale, kScale));
  }
}

void AsymmetricQuantizeFloats(const float* values, int size, int8_t* quantized,
                              float* scaling_factor, int32_t* offset) {
  const auto [min_it, max_it] = std::minmax_element(values, values + size);
  const AsymmetricGrid grid =
      size > 0 ? ChooseAsymmetricGrid(*min_it, *max_it) : ChooseAsymmetricGrid(0.0f, 0.0f);
  *scaling_factor = grid.scaling_factor;
  *offset = grid.offset;
  if (grid.all_zero) {
    std::fill(quantized, quantized + std::max(size, 0), int8_t{0});
    return;
  }
  const float inverse = 1.0f / grid.scaling_factor;
  const auto offset_as_float = static_cast<float>(grid.offset);
  for (int i = 0; i < size; ++i) {
    quantized[i] = AsymmetricQuantizeValue(values[i], inverse, offset_as_float);
  }
}

AsymmetricGrid ChooseAsymmetricGrid(float min_value, float max_value) {
  constexpr int32_t kMin = -128;
  constexpr int32_t kMax = 127;
  constexpr double kMinDouble = kMin;
  constexpr double kMaxDouble = kMax;
  // The range always contains zero so that zero is exactly representable. std::min and std::max
  // keep their first argument when the comparison is false: a NaN bound becomes 0.
  const auto rmin = static_cast<double>(std::min(0.0f, min_value));
  const auto rmax = static_cast<double>(std::max(0.0f, max_value));
  // A non-finite range has no meaningful grid; TFLite's arithmetic would then turn a NaN zero
  // point into an integer (undefined behaviour). Treated like an empty range instead.
  if (rmin == rmax || !std::isfinite(rmin) || !std::isfinite(rmax)) return AsymmetricGrid{};
  // The scale and zero point are derived in double, then the scale is stored as float: the
  // same steps as TFLite, whose zero point picks the end of the range with the smaller error.
  const double scale = (rmax - rmin) / (kMaxDouble - kMinDouble);
  const double zero_point_from_min = kMinDouble - rmin / scale;
  const double zero_point_from_max = kMaxDouble - rmax / scale;
  const double zero_point_from_min_error = std::abs(kMinDouble) + std::abs(rmin / scale);
  const double zero_point_from_max_error = std::abs(kMaxDouble) + std::abs(rmax / scale);
  const double zero_point = zero_point_from_min_error < zero_point_from_max_error
                                ? zero_point_from_min
                                : zero_point_from_max;
  int32_t nudged_zero_point = 0;
  if (zero_point <= kMinDouble) {
    nudged_zero_point = kMin;
  } else if (zero_point >= kMaxDouble) {
    nudged_zero_point = kMax;
  } else {
    nudged_zero_point = static_cast<int32_t>(std::round(zero_point));
  }
  return AsymmetricGrid{static_cast<float>(scale), nudged_zero_point, false};
}

void QuantizeBatches(const float* input, int batches, int batch_size, bool asymmetric,
                     int8_t* quantized, float* scaling_factors, int32_t* offsets) {
  for (int b = 0; b < batches; ++b) {
    const int64_t start = static_cast<int64_t>(b) * batch_size;
    if (asymmetric) {
      AsymmetricQuantizeFloats(input + start, batch_size, quantized + start, &scaling_factors[b],
                               &offsets[b]);
    } else {
      SymmetricQuantizeFloats(input + start, batch_size, quantized + start, &scaling_factors[b]);
      offsets[b] = 0;
    }
  }
}

size_t HybridScratchBytes(int batches, int batch_size) {
  const auto n = static_cast<size_t>(batches);
  return AlignUp(n * static_cast<size_t>(batch_size)) + AlignUp(n * sizeof(float)) +
         AlignUp(n * sizeof(int32_t));
}

HybridScratch HybridScratchAt(std::byte* memory, int batches, int batch_size) {
  const auto n = static_cast<size_t>(batches);
  HybridScratch scratch;
  scratch.quantized_input = reinterpret_cast<int8_t*>(memory);
  memory += AlignUp(n * static_cast<size_t>(batch_size));
  scratch.scaling_factors = reinterpret_cast<float*>(memory);
  memory += AlignUp(n * sizeof(float));
  scratch.input_offsets = reinterpret_cast<int32_t*>(memory);
  return scratch;
}

}  // namespace kernels::reference
