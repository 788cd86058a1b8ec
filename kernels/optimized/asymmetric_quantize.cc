#include "kernels/optimized/asymmetric_quantize.h"

#include <algorithm>

#include "kernels/optimized/asymmetric_quantize_isa.h"
#include "kernels/optimized/cpu_features.h"
#include "kernels/reference/hybrid.h"

namespace kernels::optimized {

bool QuantizeIsaSupported(QuantizeIsa isa) {
#if defined(__x86_64__)
  const CpuFeatures& cpu = DetectedCpuFeatures();
  switch (isa) {
    case QuantizeIsa::kScalar:
      return true;
    case QuantizeIsa::kAvx2:
      return cpu.avx2;
    case QuantizeIsa::kAvx512:
      return cpu.avx512f;
  }
  return false;
#else
  return isa == QuantizeIsa::kScalar;
#endif
}

QuantizeIsa BestQuantizeIsa() {
  static const QuantizeIsa best = QuantizeIsaSupported(QuantizeIsa::kAvx512) ? QuantizeIsa::kAvx512
                                  : QuantizeIsaSupported(QuantizeIsa::kAvx2) ? QuantizeIsa::kAvx2
                                                                             : QuantizeIsa::kScalar;
  return best;
}

void AsymmetricQuantizeFloats(QuantizeIsa isa, const float* values, int size, int8_t* quantized,
                              float* scaling_factor, int32_t* offset) {
#if defined(__x86_64__)
  if (isa == QuantizeIsa::kAvx2 || isa == QuantizeIsa::kAvx512) {
    namespace vector = asymmetric_quantize;
    const int64_t count = std::max(size, 0);
    vector::Extremes extremes = isa == QuantizeIsa::kAvx512 ? vector::ExtremesAvx512(values, count)
                                                            : vector::ExtremesAvx2(values, count);
    if (extremes.found_nan) {
      // Where a NaN sits decides what std::minmax_element reports: ask it, as the reference does.
      const auto [min_it, max_it] = std::minmax_element(values, values + count);
      extremes = vector::Extremes{*min_it, *max_it, true};
    }
    const reference::AsymmetricGrid grid =
        reference::ChooseAsymmetricGrid(extremes.min, extremes.max);
    *scaling_factor = grid.scaling_factor;
    *offset = grid.offset;
    if (grid.all_zero) {
      std::fill(quantized, quantized + count, int8_t{0});
      return;
    }
    const float inverse = 1.0f / grid.scaling_factor;
    const auto offset_as_float = static_cast<float>(grid.offset);
    if (isa == QuantizeIsa::kAvx512) {
      vector::QuantizeAvx512(values, count, inverse, offset_as_float, quantized);
    } else {
      vector::QuantizeAvx2(values, count, inverse, offset_as_float, quantized);
    }
    return;
  }
#endif
  (void)isa;
  reference::AsymmetricQuantizeFloats(values, size, quantized, scaling_factor, offset);
}

void QuantizeBatches(const float* input, int batches, int batch_size, bool asymmetric,
                     int8_t* quantized, float* scaling_factors, int32_t* offsets) {
  if (!asymmetric) {
    reference::QuantizeBatches(input, batches, batch_size, /*asymmetric=*/false, quantized,
                               scaling_factors, offsets);
    return;
  }
  const QuantizeIsa isa = BestQuantizeIsa();
  for (int b = 0; b < batches; ++b) {
    const int64_t start = static_cast<int64_t>(b) * batch_size;
    AsymmetricQuantizeFloats(isa, input + start, batch_size, quantized + start, &scaling_factors[b],
                             &offsets[b]);
  }
}

}  // namespace kernels::optimized
