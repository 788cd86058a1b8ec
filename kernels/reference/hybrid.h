#pragma once
// Shared pieces of TFLite's hybrid kernels (int8 weights, float activations): the float input is
// quantized to int8 on the fly, one scale (and, in the asymmetric mode, one zero point) per
// batch, the dot products run in int32, and the result is scaled back to float.

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
