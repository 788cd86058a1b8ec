#include "harness/quant/accumulator_check.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

#include "harness/model/op_registry.h"
#include "harness/quant/accumulator_limits.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;
using model::Tensor;

// The extremes of one channel's accumulator: bias + the sums of the products that can be most
// negative and most positive.
struct ChannelBound {
  int64_t bias = 0;
  int64_t most_negative = 0;  // <= 0
  int64_t most_positive = 0;  // >= 0
  size_t taps = 0;
};

// The output channel of filter element `index` and the channel count, from the op's weight rule:
// channels run along `per_channel_axis` (0 for CONV_2D [O, H, W, I] and FULLY_CONNECTED [O, I],
// 3 for DEPTHWISE_CONV_2D [1, H, W, O]), each step of it `inner` elements apart.
struct FilterLayout {
  size_t channels = 0;
  size_t inner = 0;  // elements after the channel axis

  size_t ChannelOf(size_t index) const { return index / inner % channels; }
};

// False when the shape lacks the channel axis or does not describe exactly `data_size` elements
// (checked step by step, so that a hostile shape cannot wrap the product around).
bool LayoutOf(int32_t channel_axis, const std::vector<int32_t>& shape, size_t data_size,
              FilterLayout& layout) {
  if (channel_axis < 0 || static_cast<size_t>(channel_axis) >= shape.size()) return false;
  size_t elements = 1;
  for (int32_t dim : shape) {
    if (dim <= 0 || static_cast<size_t>(dim) > data_size / elements) return false;
    elements *= static_cast<size_t>(dim);
  }
  if (elements != data_size) return false;
  layout.channels = static_cast<size_t>(shape[static_cast<size_t>(channel_axis)]);
  layout.inner = 1;
  for (size_t d = static_cast<size_t>(channel_axis) + 1; d < shape.size(); ++d) {
    layout.inner *= static_cast<size_t>(shape[d]);
  }
  return true;
}

std::string Power(int64_t value) {
  if (value == kInt64Accumulator.max) return "2^47 - 1";
  if (value == kInt64Accumulator.min) return "-2^47";
  return std::to_string(value);
}

std::string Scientific(double value) {
  std::ostringstream s;
  s.precision(3);
  s << value;
  return s.str();
}

}  // namespace

std::vector<LintFinding> CheckAccumulatorRange(const model::Graph& graph, size_t op_index) {
  const model::Op& op = graph.ops.at(op_index);
  // Ops with weights say where their filter and bias are and which axis holds the channels.
  const model::OpDescriptor* descriptor = model::FindOp(op.type);
  if (descriptor == nullptr || !descriptor->quant.weights->has_value()) return {};
  const model::WeightRule& rule = **descriptor->quant.weights;
  const auto input_at = [&op](int32_t slot) {
    return slot >= 0 && static_cast<size_t>(slot) < op.inputs.size()
               ? op.inputs[static_cast<size_t>(slot)]
               : model::kNoTensor;
  };
  const int32_t filter_tensor = input_at(rule.filter_input);
  const int32_t bias_tensor = input_at(rule.bias_input);
  const int32_t input_tensor = input_at(rule.activation_input);
  if (input_tensor == model::kNoTensor || filter_tensor == model::kNoTensor) return {};
  const Tensor& input = graph.tensor(input_tensor);
  const Tensor& filter = graph.tensor(filter_tensor);
  if ((input.type != DataType::kInt8 && input.type != DataType::kInt16) ||
      filter.type != DataType::kInt8 || !filter.is_constant() ||
      input.quantization.zero_points.size() != 1) {
    return {};
  }
  const std::vector<uint8_t>& weights = graph.data(filter_tensor);
  FilterLayout layout;
  if (!LayoutOf(rule.per_channel_axis, filter.shape, weights.size(), layout)) return {};

  // The bias, if any, sets the accumulator's type (as TFLite-Micro's kernels choose it).
  const Tensor* bias = bias_tensor != model::kNoTensor ? &graph.tensor(bias_tensor) : nullptr;
  std::vector<ChannelBound> bounds(layout.channels);
  bool int64_accumulator = false;
  if (bias != nullptr) {
    if (!bias->is_constant()) return {};
    const std::vector<uint8_t>& bytes = graph.data(bias_tensor);
    if (bias->type == DataType::kInt64 && input.type == DataType::kInt16 &&
        bytes.size() == layout.channels * sizeof(int64_t)) {
      int64_accumulator = true;
      for (size_t c = 0; c < layout.channels; ++c) {
        std::memcpy(&bounds[c].bias, bytes.data() + c * sizeof(int64_t), sizeof(int64_t));
      }
    } else if (bias->type == DataType::kInt32 &&
               bytes.size() == layout.channels * sizeof(int32_t)) {
      for (size_t c = 0; c < layout.channels; ++c) {
        int32_t value = 0;
        std::memcpy(&value, bytes.data() + c * sizeof(int32_t), sizeof(int32_t));
        bounds[c].bias = value;
      }
    } else {
      return {};  // bias-type reports it
    }
  }
  const AccumulatorRange range = int64_accumulator ? kInt64Accumulator : kInt32Accumulator;

  const int64_t zero_point = input.quantization.zero_points[0];
  // A zero point outside the type's range is activation-zero-point's finding; bounding with it
  // could overflow.
  if (zero_point < -32768 || zero_point > 32767) return {};
  const bool int16 = input.type == DataType::kInt16;
  const int64_t lo = (int16 ? -32768 : -128) - zero_point;
  const int64_t hi = (int16 ? 32767 : 127) - zero_point;
  for (size_t i = 0; i < weights.size(); ++i) {
    const int64_t w = static_cast<int8_t>(weights[i]);
    ChannelBound& bound = bounds[layout.ChannelOf(i)];
    bound.most_negative += std::min(w * lo, w * hi);
    bound.most_positive += std::max(w * lo, w * hi);
    ++bound.taps;
  }

  // Compared without overflow: bias + products > max  <=>  bias > max - products.
  std::vector<size_t> failing;
  size_t worst = 0;
  double worst_excess = -1.0;
  double worst_reach = 0.0;  // the accumulator value the worst channel can reach
  for (size_t c = 0; c < layout.channels; ++c) {
    const ChannelBound& b = bounds[c];
    const bool above = b.bias > range.max - b.most_positive;
    const bool below = b.bias < range.min - b.most_negative;
    if (!above && !below) continue;
    failing.push_back(c);
    const double reach = static_cast<double>(b.bias) +
                         static_cast<double>(above ? b.most_positive : b.most_negative);
    const double excess =
        above ? reach - static_cast<double>(range.max) : static_cast<double>(range.min) - reach;
    if (excess > worst_excess) {
      worst_excess = excess;
      worst_reach = reach;
      worst = c;
    }
  }
  if (failing.empty()) return {};

  const ChannelBound& b = bounds[worst];
  std::string message =
      std::to_string(failing.size()) + " of " + std::to_string(layout.channels) +
      " output channels can leave the " + (int64_accumulator ? "int64" : "int32") +
      " accumulator's range [" + Power(range.min) + ", " + Power(range.max) + "]" +
      (int64_accumulator ? " that TFLite-Micro's MultiplyByQuantizedMultiplier asserts"
                         : ", where TFLite-Micro's kernel overflows") +
      "; worst channel " + std::to_string(worst) + ": bias " + std::to_string(b.bias) +
      " plus products in [" + std::to_string(b.most_negative) + ", " +
      std::to_string(b.most_positive) + "] over " + std::to_string(b.taps) + " taps of " +
      model::ToString(input.type) + " input reaches " + Scientific(worst_reach);
  if (failing.size() > 1) {
    message += "; channels";
    const size_t listed = std::min<size_t>(failing.size(), 8);
    for (size_t k = 0; k < listed; ++k) message += (k ? ", " : " ") + std::to_string(failing[k]);
    if (failing.size() > listed) message += ", ...";
  }
  LintFinding finding;
  finding.rule = "accumulator-range";
  finding.severity = LintSeverity::kError;
  finding.op_index = static_cast<int32_t>(op_index);
  finding.tensor = bias != nullptr ? bias->name : filter.name;
  finding.message = std::move(message);
  return {std::move(finding)};
}

}  // namespace harness::quant
