#pragma once
// Cross-layer equalization (CLE; Nagel et al. 2019, "Data-Free Quantization Through Weight
// Equalization and Bias Correction", section 4.1) of a float graph before quantization.
//
// Two consecutive layers y = W2 f(W1 x + b1) + b2 whose activation f is positively homogeneous
// (f(x / s) = f(x) / s for s > 0) compute the same function when output channel c of layer 1
// (its weights and bias) is divided by s_c and input channel c of layer 2 multiplied by s_c.
// With s_c = sqrt(r1_c / r2_c), where r1_c = max |W1| over output channel c and
// r2_c = max |W2| over input channel c, both ranges become sqrt(r1_c * r2_c): channels with a
// small weight range no longer lose their precision to the per-tensor scale of the widest one
// (per-tensor FULLY_CONNECTED weights, per-tensor activations), and per-channel weights of the
// second layer see balanced input channels.
//
// Pairs handled (layer 1 -> layer 2), weights in TFLite layouts:
//   DEPTHWISE_CONV_2D (1HW(C*M)) -> CONV_2D (OHWI)       the depthwise-separable block
//   CONV_2D -> DEPTHWISE_CONV_2D (any depth multiplier: input channel c feeds outputs c*M+m)
//   CONV_2D -> CONV_2D
//   FULLY_CONNECTED ([out, in]) -> FULLY_CONNECTED
// when layer 1's output tensor feeds only layer 2 (one consumer, as its data input), is not a
// graph output, both weights (and layer 1's bias) are float32 constants used by no other op,
// and layer 1's fused activation is NONE or RELU.
//
// ReLU6 is not positively homogeneous: min(x / s, 6) != min(x, 6) / s, so equalizing across it
// would move the clip. The paper replaces ReLU6 by ReLU before equalizing (its MobileNetV2
// ablation), which changes the float model. We do not: the harness measures every quantized
// model against the float model as the user gave it, and TFLite's fused ReLU6 is one clip per
// tensor, so a per-channel clip at 6 / s_c cannot be written back. ReLU6 pairs are reported as
// skipped. (ReLU_N1_TO_1 and TANH likewise.)
//
// Chains (dw -> pw -> dw -> pw ...) share layers between pairs, so equalizing one pair disturbs
// its neighbours; as the paper does, sweeps over all pairs in graph order repeat until no scale
// moves by more than a relative 1e-6 (or a fixed sweep limit is reached). Arithmetic runs in
// double on copies of the weights, and each weight is rounded to float32 once at the end, so the
// function changes only by that one rounding. The result is deterministic. The sweeps themselves
// live in cross_layer_equalization_sweeps.h.

#include <string>
#include <vector>

#include "harness/model/graph.h"

namespace harness::quant {

struct EqualizedPair {
  int first_op = -1;   // layer 1
  int second_op = -1;  // layer 2
  std::string tensor;  // the tensor between them
  size_t channels = 0;
};

struct SkippedPair {
  int first_op = -1;
  int second_op = -1;
  std::string tensor;
  std::string reason;  // "fused RELU6 is not positively homogeneous", ...
};

struct EqualizationReport {
  std::vector<EqualizedPair> equalized;
  std::vector<SkippedPair> skipped;
  int sweeps = 0;          // sweeps over all equalized pairs
  bool converged = false;  // false if the sweep limit stopped the iteration
};

// Returns `float_graph` (as PrepareFloatGraph returns it: hybrid weights dequantized; quantized
// weights make their pairs skipped) with every eligible pair equalized. Ops, tensors and their
// order are unchanged; only constant weight and bias data differ. Fills `report` when given.
model::Graph EqualizeCrossLayer(const model::Graph& float_graph,
                                EqualizationReport* report = nullptr);

}  // namespace harness::quant
