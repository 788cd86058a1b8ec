#pragma once
// The `int8` method: rewrites a float graph into a full-integer TFLite model per the TFLite
// quantization spec.
//
// - Activations: int8, asymmetric, per tensor; the range of each from the calibrator applied to
//   its calibration statistics, scale and zero point as quantization_params.h derives them.
// - Fixed output parameters where the spec fixes them: SOFTMAX and LOGISTIC (1/256, -128),
//   TANH (1/128, 0).
// - Shared parameters where the kernels do not rescale: RESHAPE, MAX_POOL_2D, AVERAGE_POOL_2D
//   and PAD outputs take their input's parameters; CONCATENATION's inputs and output all take
//   the parameters of the union of their calibrated ranges, and an input that cannot (its
//   parameters are fixed or shared with its own producer's input) is requantized to them by an
//   inserted int8 -> int8 QUANTIZE. MEAN, ADD, MUL, RELU, RELU6, HARD_SWISH rescale and get
//   their own.
// - Weights: int8 symmetric; CONV_2D per channel on dimension 0, DEPTHWISE_CONV_2D per channel
//   on dimension 3, FULLY_CONNECTED per tensor (per channel on dimension 0 as an option). Other
//   float constants (an ADD or MUL operand) become int8 asymmetric per tensor over their own
//   [min, max]. Bias: int32 with scale s_input * s_weight[c], zero point 0. A weight scale is
//   raised where the bias would otherwise exceed half its accumulator's range
//   (accumulator_limits.h), and never falls below the converter's floor (quantization_params.h).
// - Graph inputs and outputs are int8 (their parameters are the tensors'); with `float_io` they
//   stay float32 and a QUANTIZE after the input and a DEQUANTIZE before the output are added
//   (the inner int8 tensors are named "<name>_int8").
// - Tensor names are kept; op versions are the ones TFLite's op_version.cc assigns for the
//   types (CONV_2D 3, DEPTHWISE_CONV_2D 3, FULLY_CONNECTED 4 or 5 with keep_num_dims, pooling,
//   SOFTMAX, ADD, MUL, CONCATENATION, PAD, MEAN, LOGISTIC, TANH, RELU, RELU6 2, RESHAPE 1,
//   HARD_SWISH 1, QUANTIZE 1, DEQUANTIZE 2).
// - bias_correction: the quantized weights W_q shift each output channel's mean by
//   sum_k (W_q - W)[c, k] * E[x_k]; with the calibration's per-channel input means
//   (CalibrationOptions::collect_channel_means) that shift is subtracted from the float bias
//   before it is quantized (Nagel et al. 2019, "empirical" bias correction in its simplest,
//   input-mean form). Ops without a bias, and FULLY_CONNECTED ops whose input's last dimension
//   is not the weight's depth, are left as they are.
// - int16_activations (TFLite's 16x8 mode): every activation int16 symmetric, zero point 0,
//   scale max(|min|, |max|) / 32767 of the calibrated range; SOFTMAX, LOGISTIC, TANH output
//   1/32768, 0; shared parameters as above; weights as in int8 mode; CONV_2D, DEPTHWISE_CONV_2D
//   and FULLY_CONNECTED bias int64 (scale s_input * s_weight[c]); other constants int16
//   symmetric; graph I/O int16 ("<name>_int16" inside with float_io); versions from op_version.h.
// - op_precision kFloat: the op stays float32 with its float weights and bias; conversions at
//   the edges as precision_boundaries.h describes (DEQUANTIZE "<name>_dequantized" before it,
//   QUANTIZE "<name>_quantized" with the int8 parameters the tensor would have had after it,
//   none between consecutive float ops; a graph output a float op writes stays float32). A float
//   op's version is TFLite's for float types.
// - op_precision kInt16x8 (in an int8 model): the op computes in 16x8 as in int16_activations
//   mode: its output int16 symmetric over its calibrated range (or its fixed / shared int16
//   parameters), int8 weights, int64 bias at s_input16 * s_weight, float operands int16
//   symmetric. Each int8 input it reads is converted by an int8 -> int16 QUANTIZE
//   ("<name>_int16", the parameters 16x8 mode gives that tensor); int8 readers of its output read
//   an int16 -> int8 QUANTIZE ("<name>_int8", the parameters int8 mode gives the tensor, which an
//   int8 RESHAPE or pool after it shares); consecutive int16 ops exchange int16 directly. The
//   graph inputs stay int8; a graph output an int16 op writes stays int16. A float constant that
//   an int8 and an int16 op share is duplicated for the int16 op ("<name>_int16").

#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/calibration.h"
#include "harness/quant/calibrators.h"

namespace harness::quant {

// The precision one op of the float graph gets in a (mixed) integer model.
enum class LayerPrecision {
  kDefault,  // the model's activation width (int8, or int16 with int16_activations)
  kFloat,    // kept float32: DEQUANTIZE before its activation inputs, QUANTIZE after its output
  kInt16x8,  // int16 activations, int8 weights, with int8 <-> int16 QUANTIZE around it
};

struct Int8Options {
  bool float_io = false;
  bool per_channel_fully_connected = false;
  bool bias_correction = false;
  // TFLite's 16x8 mode: int16 symmetric activations (zero point 0), int8 weights, int64 bias
  // for CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED.
  bool int16_activations = false;
  // One entry per op of the float graph (same order); empty: every op kDefault.
  std::vector<LayerPrecision> op_precision = {};
};

// `float_graph` must be a float model (no int8 weights: dequantize a hybrid model first) and
// `calibration` its calibration result. Throws harness::Error naming the op or tensor that
// cannot be quantized.
model::Graph QuantizeInt8(const model::Graph& float_graph, const CalibrationResult& calibration,
                          const Calibrator& calibrator, const Int8Options& options = {});

}  // namespace harness::quant
