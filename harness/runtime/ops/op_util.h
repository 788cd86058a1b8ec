#pragma once
// What every op's glue needs at prepare time: errors that name the op, tensor access with
// checks, shapes for the kernels, fused-activation ranges and TFLite's padding rule.

#include <cstdint>
#include <string>
#include <utility>

#include "harness/common/error.h"
#include "harness/model/graph.h"
#include "kernels/shape.h"

namespace harness::runtime::ops {

// "op 3 (CONV_2D)": the place of errors raised while preparing an op.
std::string OpPlace(const model::Graph& graph, int op_index);
Error OpError(const model::Graph& graph, int op_index, const std::string& message);

// A view of one op at prepare time with checked access to its tensors.
class OpContext {
 public:
  OpContext(const model::Graph& graph, int op_index);

  const model::Graph& graph() const { return graph_; }
  const model::Op& op() const { return op_; }
  int index() const { return index_; }
  size_t num_inputs() const { return op_.inputs.size(); }
  size_t num_outputs() const { return op_.outputs.size(); }

  // Tensor index of input/output i; throws if the op has fewer.
  int32_t input_index(size_t i) const;
  int32_t output_index(size_t i) const;
  // True if optional input i is present (index given and not kNoTensor).
  bool has_input(size_t i) const;
  const model::Tensor& input(size_t i) const;
  const model::Tensor& output(size_t i) const;

  // Throws unless input/output counts lie in the given ranges.
  void ExpectCounts(size_t min_inputs, size_t max_inputs, size_t outputs) const;
  // Throws unless tensor `t` has type `type`; `role` names it ("input", "filter" ...).
  void ExpectType(const model::Tensor& t, model::DataType type, const char* role) const;
  void ExpectRank(const model::Tensor& t, int rank, const char* role) const;
  // Throws unless input i holds constant data of the right byte size.
  const std::vector<uint8_t>& ConstantData(size_t i, const char* role) const;
  // Single (per-tensor) scale and zero point; throws if the tensor is not quantized, its scale
  // is not usable (see CheckedScale) or its zero point is not a value of its type.
  std::pair<float, int32_t> PerTensorQuantization(const model::Tensor& t, const char* role) const;
  // `scale`, a quantization scale of `t`, if it is a positive normal float; throws naming `t`,
  // `role` and `what` ("scale", "scale of channel 3") otherwise. Every scale becomes a
  // fixed-point multiplier or a divisor: a NaN, infinite, zero, negative or subnormal scale
  // would give a multiplier of 0, a shift beyond 32 bits or undefined behaviour, never a
  // meaningful result, and the TFLite converter never writes one.
  float CheckedScale(const model::Tensor& t, float scale, const char* role,
                     const std::string& what = "scale") const;
  // The zero point of `t`, a value of its type (the kernels add its negation to values of that
  // type in int32 arithmetic); throws naming `t` and `role` otherwise.
  int32_t CheckedZeroPoint(const model::Tensor& t, int64_t zero_point, const char* role) const;

  Error Fail(const std::string& message) const { return OpError(graph_, index_, message); }

  template <class Options>
  const Options& options() const {
    if (const auto* o = op_.options.get_if<Options>()) return *o;
    throw Fail("builtin options are missing or of the wrong kind");
  }

 private:
  const model::Graph& graph_;
  const model::Op& op_;
  int index_;
};

kernels::Shape ShapeOf(const model::Tensor& t);

// Throws unless `multiplier` (`what` names it) is finite and below 2^31 in magnitude: the kernels
// apply a requantization multiplier as a Q31 value and a left shift within 32 bits.
void ExpectRepresentableMultiplier(const OpContext& ctx, double multiplier,
                                   const std::string& what);

struct FloatActivationRange {
  float min;
  float max;
};
struct IntActivationRange {
  int32_t min;
  int32_t max;
};

// TFLite's CalculateActivationRange (float) and CalculateActivationRangeQuantized: the fused
// activation's bounds quantized with the output's scale and zero point (rounded to nearest)
// and clamped to the type's range.
FloatActivationRange FloatRange(model::Activation activation);
IntActivationRange QuantizedRange(model::Activation activation, model::DataType type,
                                  float output_scale, int32_t output_zero_point);

// TFLite's ComputePaddingHeightWidth for one dimension: the padding before the data, and the
// output size, for SAME or VALID padding.
struct PaddedDim {
  int32_t padding;  // leading padding
  int32_t offset;   // 1 if the trailing padding is one larger than the leading
  int32_t output;   // output size
};
PaddedDim ComputePadding(model::Padding padding, int32_t input, int32_t filter, int32_t stride,
                         int32_t dilation);

}  // namespace harness::runtime::ops
