#pragma once
// The `dynamic` method: TFLite's dynamic range quantization, as the converter's weight
// quantizer does it with its current ("updated hybrid") scheme:
//   - the constant float32 filter of CONV_2D and DEPTHWISE_CONV_2D becomes int8, symmetric,
//     per channel on the output-channel dimension (conv 0, depthwise 3);
//   - the constant float32 weights of FULLY_CONNECTED become int8, symmetric, per tensor, and
//     the op's asymmetric_quantize_inputs is set (its hybrid kernel then quantizes each input
//     row with its own zero point);
//   - weights with fewer than kDynamicRangeMinWeightElements elements stay float32, as the
//     converter skips them (they save little and cost accuracy); biases and activations stay
//     float32;
//   - every rewritten op gets the version TFLite assigns to its hybrid form (op_version.h):
//     CONV_2D 5, DEPTHWISE_CONV_2D 6, FULLY_CONNECTED 9.
// The runtime runs all three hybrid kernels (quantizing activations on the fly as TFLite does).
// TFLite-Micro has no hybrid kernels: such a model is for TFLite, not for the MCU.

#include <cstdint>

#include "harness/model/graph.h"

namespace harness::quant {

// TFLite's kWeightsMinNumElementsDefault.
inline constexpr int64_t kDynamicRangeMinWeightElements = 1024;

// A weight tensor shared with an op that is not of the same type (at the same input) is left in
// float32, so every reader keeps the form it can run. A hybrid input graph (int8 weights with
// float activations, like kws_ref_model_float32) is dequantized first, so its weights are
// quantized afresh with this method's rules.
model::Graph QuantizeDynamicRange(const model::Graph& float_graph,
                                  int64_t min_weight_elements = kDynamicRangeMinWeightElements);

// Symmetric int8 quantization of `count` floats with one scale: scale = max|w| / 127 (1 for an
// all-zero slice, as TFLite), q = round(w / scale) half away from zero, clamped to [-127, 127].
// Returns the scale. Exposed for tests.
float QuantizeSymmetricInt8(const float* values, size_t count, size_t stride, int8_t* out);

}  // namespace harness::quant
