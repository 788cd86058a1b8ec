#pragma once
// Fast variants of the hybrid kernels' on-the-fly input quantization (reference/hybrid.h),
// bit-identical to reference::AsymmetricQuantizeFloats for every float input, NaN and infinities
// included: the grid comes from the reference's own ChooseAsymmetricGrid, and the element loop
// reproduces std::round (half away from zero) and x86's float-to-int conversion lane by lane.

#include <cstdint>

namespace kernels::optimized {

// Instruction sets of the element loop; kScalar is the reference itself.
enum class QuantizeIsa { kScalar, kAvx2, kAvx512 };

// True when this CPU can run `isa` (kScalar always).
bool QuantizeIsaSupported(QuantizeIsa isa);
// The widest supported one, detected once.
QuantizeIsa BestQuantizeIsa();

// reference::AsymmetricQuantizeFloats computed with `isa`, which must be supported.
void AsymmetricQuantizeFloats(QuantizeIsa isa, const float* values, int size, int8_t* quantized,
                              float* scaling_factor, int32_t* offset);

// reference::QuantizeBatches with the asymmetric rows quantized by BestQuantizeIsa() (the
// symmetric mode is the reference's).
void QuantizeBatches(const float* input, int batches, int batch_size, bool asymmetric,
                     int8_t* quantized, float* scaling_factors, int32_t* offsets);

}  // namespace kernels::optimized
