#include "harness/runtime/ops/op_util.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

namespace harness::runtime::ops {

std::string OpPlace(const model::Graph& graph, int op_index) {
  const auto& op = graph.ops.at(static_cast<size_t>(op_index));
  return "op " + std::to_string(op_index) + " (" + model::ToString(op.type) + ")";
}

Error OpError(const model::Graph& graph, int op_index, const std::string& message) {
  return Error(OpPlace(graph, op_index), message);
}

OpContext::OpContext(const model::Graph& graph, int op_index)
    : graph_(graph), op_(graph.ops.at(static_cast<size_t>(op_index))), index_(op_index) {}

int32_t OpContext::input_index(size_t i) const {
  if (i >= op_.inputs.size()) throw Fail("missing input " + std::to_string(i));
  return op_.inputs[i];
}

int32_t OpContext::output_index(size_t i) const {
  if (i >= op_.outputs.size()) throw Fail("missing output " + std::to_string(i));
  return op_.outputs[i];
}

bool OpContext::has_input(size_t i) const {
  return i < op_.inputs.size() && op_.inputs[i] != model::kNoTensor;
}

const model::Tensor& OpContext::input(size_t i) const {
  const int32_t index = input_index(i);
  if (index == model::kNoTensor) throw Fail("input " + std::to_string(i) + " is omitted");
  return graph_.tensor(index);
}

const model::Tensor& OpContext::output(size_t i) const { return graph_.tensor(output_index(i)); }

void OpContext::ExpectCounts(size_t min_inputs, size_t max_inputs, size_t outputs) const {
  if (op_.inputs.size() < min_inputs || op_.inputs.size() > max_inputs) {
    throw Fail("expected " + std::to_string(min_inputs) +
               (max_inputs != min_inputs ? " to " + std::to_string(max_inputs) : "") +
               " inputs, found " + std::to_string(op_.inputs.size()));
  }
  if (op_.outputs.size() != outputs) {
    throw Fail("expected " + std::to_string(outputs) + " outputs, found " +
               std::to_string(op_.outputs.size()));
  }
}

void OpContext::ExpectType(const model::Tensor& t, model::DataType type, const char* role) const {
  if (t.type != type) {
    throw Fail(std::string(role) + " tensor '" + t.name + "' has type " + model::ToString(t.type) +
               ", expected " + model::ToString(type));
  }
}

void OpContext::ExpectRank(const model::Tensor& t, int rank, const char* role) const {
  if (static_cast<int>(t.shape.size()) != rank) {
    throw Fail(std::string(role) + " tensor '" + t.name + "' has shape " +
               model::ShapeToString(t.shape) + ", expected rank " + std::to_string(rank));
  }
}

const std::vector<uint8_t>& OpContext::ConstantData(size_t i, const char* role) const {
  const model::Tensor& t = input(i);
  const auto& bytes = graph_.data(input_index(i));
  const auto expected = static_cast<size_t>(model::ElementCount(t.shape)) * model::ElementSize(t.type);
  if (!t.is_constant() || bytes.size() != expected) {
    throw Fail(std::string(role) + " tensor '" + t.name + "' must be constant with " +
               std::to_string(expected) + " bytes of data, found " + std::to_string(bytes.size()));
  }
  return bytes;
}

std::pair<float, int32_t> OpContext::PerTensorQuantization(const model::Tensor& t,
                                                           const char* role) const {
  if (t.quantization.scales.empty() || t.quantization.zero_points.empty()) {
    throw Fail(std::string(role) + " tensor '" + t.name + "' has no quantization parameters");
  }
  return {CheckedScale(t, t.quantization.scales[0], role),
          CheckedZeroPoint(t, t.quantization.zero_points[0], role)};
}

float OpContext::CheckedScale(const model::Tensor& t, float scale, const char* role,
                              const std::string& what) const {
  if (std::isnormal(scale) && scale > 0.0f) return scale;
  std::ostringstream value;
  value << std::setprecision(9) << scale;
  throw Fail(std::string(role) + " tensor '" + t.name + "' has " + what + " " + value.str() +
             "; a quantization scale must be a positive, finite, normal float");
}

int32_t OpContext::CheckedZeroPoint(const model::Tensor& t, int64_t zero_point,
                                    const char* role) const {
  int64_t min = std::numeric_limits<int32_t>::min();
  int64_t max = std::numeric_limits<int32_t>::max();
  switch (t.type) {
    case model::DataType::kInt8:
      min = std::numeric_limits<int8_t>::min();
      max = std::numeric_limits<int8_t>::max();
      break;
    case model::DataType::kUInt8:
      min = 0;
      max = std::numeric_limits<uint8_t>::max();
      break;
    case model::DataType::kInt16:
      min = std::numeric_limits<int16_t>::min();
      max = std::numeric_limits<int16_t>::max();
      break;
    default:
      break;
  }
  if (zero_point < min || zero_point > max) {
    throw Fail(std::string(role) + " tensor '" + t.name + "' has zero point " +
               std::to_string(zero_point) + ", outside the " + model::ToString(t.type) +
               " range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return static_cast<int32_t>(zero_point);
}

void ExpectRepresentableMultiplier(const OpContext& ctx, double multiplier,
                                   const std::string& what) {
  constexpr double kLimit = 2147483648.0;  // 2^31
  if (std::isfinite(multiplier) && std::abs(multiplier) < kLimit) return;
  std::ostringstream value;
  value << std::setprecision(9) << multiplier;
  throw ctx.Fail(what + " is " + value.str() +
                 "; a requantization multiplier must be finite and below 2^31");
}

kernels::Shape ShapeOf(const model::Tensor& t) {
  return kernels::Shape(std::span<const int32_t>(t.shape.data(), t.shape.size()));
}

FloatActivationRange FloatRange(model::Activation activation) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (activation) {
    case model::Activation::kRelu: return {0.0f, kInf};
    case model::Activation::kRelu6: return {0.0f, 6.0f};
    case model::Activation::kReluN1To1: return {-1.0f, 1.0f};
    default: return {-kInf, kInf};
  }
}

IntActivationRange QuantizedRange(model::Activation activation, model::DataType type,
                                  float output_scale, int32_t output_zero_point) {
  int32_t qmin = 0, qmax = 0;
  switch (type) {
    case model::DataType::kInt8: qmin = -128; qmax = 127; break;
    case model::DataType::kUInt8: qmin = 0; qmax = 255; break;
    case model::DataType::kInt16: qmin = -32768; qmax = 32767; break;
    default: qmin = std::numeric_limits<int32_t>::min(); qmax = std::numeric_limits<int32_t>::max();
  }
  // TFLite rounds x / scale with TfLiteRound (std::round, half away from zero) in float. The
  // quotient is clamped to the type's range first: with a tiny scale it would overflow int32
  // (TFLite's cast is undefined there; any bound beyond the type clamps to the type anyway).
  auto quantize = [&](float x) {
    const double q =
        static_cast<double>(output_zero_point) + static_cast<double>(std::round(x / output_scale));
    return static_cast<int32_t>(
        std::clamp(q, static_cast<double>(qmin), static_cast<double>(qmax)));
  };
  switch (activation) {
    case model::Activation::kRelu:
      return {std::max(qmin, quantize(0.0f)), qmax};
    case model::Activation::kRelu6:
      return {std::max(qmin, quantize(0.0f)), std::min(qmax, quantize(6.0f))};
    case model::Activation::kReluN1To1:
      return {std::max(qmin, quantize(-1.0f)), std::min(qmax, quantize(1.0f))};
    default:
      return {qmin, qmax};
  }
}

PaddedDim ComputePadding(model::Padding padding, int32_t input, int32_t filter, int32_t stride,
                         int32_t dilation) {
  // In 64 bits: a stored stride or dilation near INT32_MAX overflows the 32-bit arithmetic
  // TFLite uses. Callers have checked that every argument is at least 1.
  const int64_t effective_filter = (int64_t{filter} - 1) * dilation + 1;
  const int64_t output = padding == model::Padding::kSame
                             ? (int64_t{input} + stride - 1) / stride
                             : (int64_t{input} + stride - effective_filter) / stride;
  const int64_t total = std::max<int64_t>(0, (output - 1) * stride + effective_filter - input);
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (effective_filter > kMax || total > kMax) {
    throw Error("", "a filter of " + std::to_string(filter) + " with dilation " +
                        std::to_string(dilation) + " and stride " + std::to_string(stride) +
                        " over an input of " + std::to_string(input) +
                        " needs more padding than 32-bit indices can address");
  }
  PaddedDim result{};
  result.output = static_cast<int32_t>(output);
  result.padding = static_cast<int32_t>(total / 2);
  result.offset = static_cast<int32_t>(total % 2);
  return result;
}

}  // namespace harness::runtime::ops
