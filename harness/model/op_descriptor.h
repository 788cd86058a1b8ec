#pragma once
// Everything the code needs to know about one builtin op, in one value: how its options are read
// and written, how its kernel is built, the TFLite-Micro op version of a quantized instance, how
// the quantizer treats it, what TFLite-Micro allocates for it in the arena, its MACs and the
// resolver call that registers it in a TFLite-Micro build.
//
// Each op defines its descriptor next to its kernel (harness/runtime/ops/) and registers it with
// an OpRegistration object; nothing else lists ops. Every member is Required<...>, which has no
// default constructor, so a descriptor written with designated initializers that leaves one out
// does not compile.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "harness/model/schema/tflite_generated.h"

namespace harness::runtime {
class OpKernel;
}  // namespace harness::runtime

namespace harness::model {

// A property every descriptor must state: no default, so omitting it is a compile error.
template <class T>
class Required {
 public:
  template <class U>
  requires std::convertible_to<U, T>
  constexpr Required(U&& value) : value_(std::forward<U>(value)) {}  // NOLINT: implicit by design
  constexpr const T& operator*() const { return value_; }
  constexpr const T* operator->() const { return &value_; }

 private:
  T value_;
};

// ---- Options ----

using OptionsReader = OpOptions (*)(const tflite::Operator& op, const std::string& place);
// The union type and table written for `op`, or {NONE, 0} for an op TFLite gives no options.
using OptionsWriter = std::pair<tflite::BuiltinOptions, flatbuffers::Offset<void>> (*)(
    flatbuffers::FlatBufferBuilder& builder, const Op& op, const std::string& place);

// ---- Quantization ----

struct FixedParams {
  float scale;
  int64_t zero_point;
};

// The weights of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV: a symmetric int8
// filter, per channel along `per_channel_axis` (or per tensor, -1), and an optional bias quantized
// with s_input * s_weight (int32 for int8 activations, int64 for int16).
struct WeightRule {
  // The activation the filter multiplies (0; TRANSPOSE_CONV: 2, after its output-shape input).
  int32_t activation_input;
  int32_t filter_input;
  int32_t bias_input;
  // Axis of per-channel scales (the output-channel dimension of the filter).
  int32_t per_channel_axis;
  // Per channel unless asked otherwise (CONV_2D, DEPTHWISE_CONV_2D); FULLY_CONNECTED is per
  // tensor unless the quantizer is asked for per-channel weights.
  bool per_channel_by_default;
  // The op's hybrid kernel (float activations, int8 weights) exists: `dynamic` quantizes it.
  bool hybrid;
};

enum class OutputParams {
  kOwn,  // calibrated from each output's own range
  // The int kernel does not rescale: every output carries the parameters of the op's first
  // non-constant input (SharedParamsInput: input 0, SPLIT's input 1 after its axis).
  kSharesInput,
  kFixed,       // fixed by the TFLite spec (fixed_int8, fixed_int16)
  kConversion,  // QUANTIZE / DEQUANTIZE: the conversion itself
  kIndex,       // an integer result (ARG_MAX's INT32 index): not quantized, written as is
};

struct QuantRule {
  Required<std::optional<WeightRule>> weights;  // nullopt: no weights
  Required<OutputParams> output;
  Required<std::optional<FixedParams>> fixed_int8;
  Required<std::optional<FixedParams>> fixed_int16;
  // Every input must carry the output's parameters (CONCATENATION).
  Required<bool> inputs_share_output_params;
  // TFLite-Micro has an int16 kernel for the op (int16x8 mode).
  Required<bool> int16x8;
  // The op only moves or converts data (RESHAPE, PAD, MAX_POOL_2D ...): its precision does not
  // matter for accuracy, so mixed precision never keeps it in float for that reason.
  Required<bool> moves_data;
};

// ---- Arena ----

// A struct of `pointers` pointers and `ints` 4-byte fields, padded to the pointer alignment:
// how the arena estimate counts TFLite-Micro's structs for a given pointer width.
constexpr size_t StructBytes(size_t pointer_bytes, size_t pointers, size_t ints) {
  return (pointers * pointer_bytes + ints * 4 + pointer_bytes - 1) / pointer_bytes * pointer_bytes;
}

// What TFLite-Micro allocates for one op besides its tensors (tensorflow/lite/micro/): the
// builtin options struct parsed by flatbuffer_conversions, the kernel's OpData from Init, the
// persistent arrays its Prepare allocates (per-channel multipliers and shifts) and the scratch
// buffers it requests. Sizes are counted from TFLite-Micro's field lists.
struct ArenaNeeds {
  Required<size_t> builtin_data_bytes;
  Required<size_t (*)(size_t pointer_bytes)> op_data_bytes;
  // Bytes of each array Prepare allocates persistently, before alignment.
  Required<std::vector<size_t> (*)(const Graph& graph, const Op& op)> persistent_arrays;
  Required<size_t (*)(const Graph& graph, const Op& op)> scratch_bytes;
  // The output reuses the input's bytes (RESHAPE: TFLite-Micro skips the copy when both share
  // memory), so the plan gives it no buffer of its own.
  Required<bool> output_aliases_input;
};

// ---- The descriptor ----

using KernelFactory = std::unique_ptr<runtime::OpKernel> (*)(const Graph& graph, int op_index);

struct OpDescriptor {
  Required<OpType> type;       // the builtin code
  Required<const char*> name;  // the public name ("CONV_2D")
  Required<OptionsReader> read_options;
  Required<OptionsWriter> write_options;
  Required<KernelFactory> make_kernel;
  // The version TFLite's op-version rules give this instance (its types, options, scales);
  // 0 when they depend on something the IR does not hold.
  Required<int32_t (*)(const Graph& graph, const Op& op)> version;
  // Aggregates of Required members: leaving one of them, or all, out does not compile either.
  QuantRule quant;
  ArenaNeeds arena;
  // Multiply-accumulates of one inference.
  Required<int64_t (*)(const Graph& graph, const Op& op)> macs;
  // The MicroMutableOpResolver method that registers the op ("AddConv2D").
  Required<const char*> micro_resolver_call;
};

// ---- Helpers shared by descriptors ----

// The input whose parameters a kSharesInput op's outputs carry: its first non-constant input
// (kNoTensor if it has none).
inline int32_t SharedParamsInput(const Graph& graph, const Op& op) {
  for (int32_t input : op.inputs) {
    if (input != kNoTensor && !graph.tensor(input).is_constant()) return input;
  }
  return kNoTensor;
}

inline int64_t NoMacs(const Graph&, const Op&) { return 0; }
inline std::vector<size_t> NoPersistentArrays(const Graph&, const Op&) { return {}; }
inline size_t NoScratch(const Graph&, const Op&) { return 0; }
inline size_t NoOpData(size_t) { return 0; }

// The op's options table when it has the expected type, nullptr when the op has none (then
// the IR defaults apply), an error naming `place` when it holds another op's options.
const void* OptionsTable(const tflite::Operator& op, tflite::BuiltinOptions expected,
                         const std::string& place);
template <class Table>
const Table* OptionsAs(const tflite::Operator& op, tflite::BuiltinOptions expected,
                       const std::string& place) {
  return static_cast<const Table*>(OptionsTable(op, expected, place));
}

// The options `op` holds, or the IR defaults when it holds none; another op's options are a bug
// in whoever built the graph.
template <class Options>
Options OptionsOf(const Op& op, const std::string& place) {
  if (op.options.empty()) return Options{};
  if (const auto* options = op.options.get_if<Options>()) return *options;
  throw Error(place, "holds the options of another op type");
}

Padding ReadPadding(tflite::Padding padding, const std::string& place);
Activation ReadActivation(tflite::ActivationFunctionType activation, const std::string& place);
inline tflite::Padding WritePadding(Padding p) { return static_cast<tflite::Padding>(p); }
inline tflite::ActivationFunctionType WriteActivation(Activation a) {
  return static_cast<tflite::ActivationFunctionType>(a);
}

// Readers and writers of ops that TFLite gives no options, or an options table without fields.
OpOptions ReadNoOptions(const tflite::Operator& op, const std::string& place);
std::pair<tflite::BuiltinOptions, flatbuffers::Offset<void>> WriteNoOptions(
    flatbuffers::FlatBufferBuilder& builder, const Op& op, const std::string& place);
template <tflite::BuiltinOptions kTable>
OpOptions ReadEmptyOptions(const tflite::Operator& op, const std::string& place) {
  OptionsTable(op, kTable, place);  // only the table's type is checked
  return {};
}
template <tflite::BuiltinOptions kTable>
std::pair<tflite::BuiltinOptions, flatbuffers::Offset<void>> WriteEmptyOptions(
    flatbuffers::FlatBufferBuilder& builder, const Op&, const std::string&) {
  // The bytes the generated Create<Table>Options(builder) writes for a table without fields.
  return {kTable, flatbuffers::Offset<void>(builder.EndTable(builder.StartTable()))};
}

}  // namespace harness::model
