#pragma once
// Small facts that several ops' descriptors share: the types TFLite's op-version rules look at,
// and the quantization rules common to many ops.

#include <cstdint>
#include <optional>

#include "harness/model/op_descriptor.h"

namespace harness::runtime::ops {

// The type of input i (FLOAT32 when omitted) and of output 0, as TFLite's op signature sees them.
inline model::DataType InputType(const model::Graph& graph, const model::Op& op, size_t i) {
  if (i >= op.inputs.size() || op.inputs[i] == model::kNoTensor) return model::DataType::kFloat32;
  return graph.tensor(op.inputs[i]).type;
}
inline model::DataType OutputType(const model::Graph& graph, const model::Op& op) {
  return op.outputs.empty() ? model::DataType::kFloat32 : graph.tensor(op.outputs[0]).type;
}

// The versions of the simple ops: 3 for int16, 2 for int8, else 1.
inline int32_t VersionByActivationType(const model::Graph& graph, const model::Op& op) {
  const model::DataType input = InputType(graph, op, 0);
  if (input == model::DataType::kInt16) return 3;
  if (input == model::DataType::kInt8) return 2;
  return 1;
}

inline int32_t VersionOne(const model::Graph&, const model::Op&) { return 1; }

inline int64_t OutputElements(const model::Graph& graph, const model::Op& op) {
  return op.outputs.empty() || op.outputs[0] < 0
             ? 0
             : model::ElementCount(graph.tensor(op.outputs[0]).shape);
}

// An op without weights whose output is calibrated on its own.
inline model::QuantRule OwnOutputRule(bool int16x8) {
  return {.weights = std::nullopt,
          .output = model::OutputParams::kOwn,
          .fixed_int8 = std::nullopt,
          .fixed_int16 = std::nullopt,
          .inputs_share_output_params = false,
          .int16x8 = int16x8,
          .moves_data = false};
}

// An op whose int kernels do not rescale: its output carries its input's parameters.
inline model::QuantRule SharedOutputRule(bool moves_data) {
  return {.weights = std::nullopt,
          .output = model::OutputParams::kSharesInput,
          .fixed_int8 = std::nullopt,
          .fixed_int16 = std::nullopt,
          .inputs_share_output_params = false,
          .int16x8 = true,
          .moves_data = moves_data};
}

// An op TFLite-Micro allocates nothing for besides its tensors.
inline model::ArenaNeeds NoArenaNeeds() {
  return {.builtin_data_bytes = 0,
          .op_data_bytes = &model::NoOpData,
          .persistent_arrays = &model::NoPersistentArrays,
          .scratch_bytes = &model::NoScratch,
          .output_aliases_input = false};
}

// The types TFLite's version rules of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED look at.
struct WeightedOpTypes {
  model::DataType input, filter, output;
  bool per_channel;  // TFLite's op signature calls a filter per-channel when it has > 1 scale

  bool int8() const {
    return input == model::DataType::kInt8 && filter == model::DataType::kInt8 &&
           output == model::DataType::kInt8;
  }
  bool hybrid() const {
    return input == model::DataType::kFloat32 && filter == model::DataType::kInt8 &&
           output == model::DataType::kFloat32;
  }
};

inline WeightedOpTypes WeightedTypesOf(const model::Graph& graph, const model::Op& op) {
  const bool per_channel = op.inputs.size() > 1 && op.inputs[1] != model::kNoTensor &&
                           graph.tensor(op.inputs[1]).quantization.scales.size() > 1;
  return {InputType(graph, op, 0), InputType(graph, op, 1), OutputType(graph, op), per_channel};
}

// Filter input 1 (symmetric int8, per channel along `per_channel_axis`), bias input 2; all three
// have int16x8 and hybrid kernels.
inline model::QuantRule WeightedOpRule(int32_t per_channel_axis, bool per_channel_by_default) {
  return {.weights = model::WeightRule{.activation_input = 0,
                                       .filter_input = 1,
                                       .bias_input = 2,
                                       .per_channel_axis = per_channel_axis,
                                       .per_channel_by_default = per_channel_by_default,
                                       .hybrid = true},
          .output = model::OutputParams::kOwn,
          .fixed_int8 = std::nullopt,
          .fixed_int16 = std::nullopt,
          .inputs_share_output_params = false,
          .int16x8 = true,
          .moves_data = false};
}

// Output channels of a conv op: the last dimension of its output.
inline size_t OutputChannels(const model::Graph& graph, const model::Op& op) {
  if (op.outputs.empty()) return 0;
  const auto& shape = graph.tensor(op.outputs[0]).shape;
  return shape.empty() ? 0 : static_cast<size_t>(shape.back());
}

// CONV_2D and DEPTHWISE_CONV_2D: their TfLite*Params, an OpData of TfLitePaddingValues (6 ints),
// multiplier, shift, three zero points, activation range, scratch index and two per-channel
// pointers, and Prepare's two int32 arrays of one entry per output channel
// (per_channel_output_multiplier, per_channel_output_shift).
inline model::ArenaNeeds WeightedOpArena() {
  return {.builtin_data_bytes = 28,  // padding, strides, (multiplier,) activation, dilations
          .op_data_bytes = [](size_t p) { return model::StructBytes(p, 2, 6 + 2 + 3 + 2 + 1); },
          .persistent_arrays =
              [](const model::Graph& graph, const model::Op& op) {
                const size_t bytes = 4 * OutputChannels(graph, op);
                return std::vector<size_t>{bytes, bytes};
              },
          .scratch_bytes = &model::NoScratch,
          .output_aliases_input = false};
}

}  // namespace harness::runtime::ops
