#pragma once
// Shared pieces of TFLite's hybrid kernels (int8 weights, float activations): the float input is
// quantized to int8 on the fly, one scale (and, in the asymmetric mode, one zero point) per
// batch, the dot products run in int32, and the result is scaled back to float.

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace kernels::reference {

// TFLite's SymmetricQuantizeFloats: scale = max|x| / 127, q = round(x / scale) clamped to
// [-127, 127]. An all-zero input gets scale 1 and zeros.
void SymmetricQuantizeFloats(const float* values, int size, int8_t* quantized,
                             float* scaling_factor);

// TFLite's AsymmetricQuantizeFloats: the range [min(x, 0), max(x, 0)] maps onto [-128, 127]
// with a nudged zero point; `offset` receives that zero point.
void AsymmetricQuantizeFloats(const float* values, int size, int8_t* quantized,
                              float* scaling_factor, int32_t* offset);

// The two halves of AsymmetricQuantizeFloats, shared with its optimized variants so that they
// agree by construction on everything but the element loop.
//
// The grid for values whose smallest and largest elements are `min_value` and `max_value` as
// std::minmax_element reports them (0 and 0 for no values). A range that is empty or not finite
// has no grid: every value quantizes to 0 with scale 1 and offset 0 (`all_zero`).
struct AsymmetricGrid {
  float scaling_factor = 1.0f;
  int32_t offset = 0;
  bool all_zero = true;
};
AsymmetricGrid ChooseAsymmetricGrid(float min_value, float max_value);

// One value on a grid, with inverse = 1 / scaling_factor and offset_as_float = float(offset):
// round(offset_as_float + value * inverse) in float32 arithmetic (TFLite's order of operations),
// half away from zero, clamped to [-128, 127]. A sum that is NaN or outside int32 gives -128: the
// "integer indefinite" that x86's float-to-int conversion returns, hence what TFLite's
// static_cast gives there (only reachable with NaN inputs or a scale that underflowed to 0).
inline int8_t AsymmetricQuantizeValue(float value, float inverse, float offset_as_float) {
  constexpr float kTwoToThe31 = 2147483648.0f;
  const float rounded = std::round(offset_as_float + value * inverse);
  if (!(rounded >= -kTwoToThe31 && rounded < kTwoToThe31)) return -128;
  const auto q = static_cast<int32_t>(rounded);
  return static_cast<int8_t>(q < -128 ? -128 : (q > 127 ? 127 : q));
}

// Quantizes `batches` consecutive rows of `batch_size` values each, as TFLite's
// BatchQuantizeFloats; offsets are 0 in the symmetric mode.
void QuantizeBatches(const float* input, int batches, int batch_size, bool asymmetric,
                     int8_t* quantized, float* scaling_factors, int32_t* offsets);

// Scales of the int8 weights: one per output channel, or one for the whole tensor.
struct FilterScales {
  const float* scales = nullptr;
  bool per_channel = false;
  float at(int channel) const { return per_channel ? scales[channel] : scales[0]; }
};

// Per-execution memory of a hybrid kernel: the quantized input and per-batch parameters.
struct HybridScratch {
  int8_t* quantized_input = nullptr;  // batches * batch_size
  float* scaling_factors = nullptr;   // batches
  int32_t* input_offsets = nullptr;   // batches
};

// Bytes needed by HybridScratchAt for the given input (each part aligned to 16 bytes).
size_t HybridScratchBytes(int batches, int batch_size);
// Lays the scratch parts out in `memory`, which must be 16-byte aligned and hold
// HybridScratchBytes(batches, batch_size) bytes.
HybridScratch HybridScratchAt(std::byte* memory, int batches, int batch_size);

}  // namespace kernels::reference
