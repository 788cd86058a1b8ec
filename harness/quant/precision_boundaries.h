#pragma once
// The edges between ops of different precision in a mixed integer model (int8_quantizer.h,
// LayerPrecision): where a quantized tensor feeds an op kept in float32 a DEQUANTIZE is inserted,
// where a float32 tensor feeds a quantized op a QUANTIZE, and where an int8 tensor feeds an int16
// op (or the reverse) a requantizing QUANTIZE.
//
// Choices:
// - One conversion per tensor and target type, shared by all the consumers that need it,
//   placed right after the tensor's producer (graph inputs: at the start).
// - The original tensor keeps its name and its producer's type; the converted copy is named
//   "<name>_dequantized" (float32), "<name>_quantized" (int8 from float32) or "<name>_int8" /
//   "<name>_int16" (requantized).
// - Consecutive float ops exchange float32 directly: no QUANTIZE / DEQUANTIZE pair between them.
// - A graph output written by a float op stays float32 (with or without float_io).
// - Graph inputs listed in `float_graph_inputs` (float_io) stay float32 for float consumers:
//   those read them without a DEQUANTIZE.
// - Ops that keep their input's parameters (RESHAPE, pooling, PAD) follow their own precision
//   like any op: a quantized RESHAPE after a float op reads the QUANTIZE of the float op's
//   output, whose parameters are the calibrated ones, and shares them as in int8 mode.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "harness/model/graph.h"
#include "harness/quant/quantization_params.h"

namespace harness::quant {

// What an activation tensor holds in the integer model.
struct ActivationEncoding {
  model::DataType type = model::DataType::kFloat32;  // kFloat32, kInt8 or kInt16
  AffineParams params;                                // unused for kFloat32
};

// The parameters of a converted copy of `tensor` of type `type` (kInt8 or kInt16).
using ConvertedParams = std::function<AffineParams(int32_t tensor, model::DataType type)>;

// `op_types[i]`: the activation type op i computes in (kFloat32 for a float op); `tensors[t]`:
// the encoding of every activation as its producer writes it (nullopt for constants). Adds the
// conversion ops and tensors (extending `op_types` with each conversion's output type and
// `tensors` with the copies) and points each consumer at the copy of its own type.
void InsertPrecisionBoundaries(model::Graph& graph, std::vector<model::DataType>& op_types,
                               std::vector<std::optional<ActivationEncoding>>& tensors,
                               const ConvertedParams& converted_params,
                               const std::set<int32_t>& float_graph_inputs);

}  // namespace harness::quant
