#include "harness/quant/lint.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "harness/model/op_registry.h"
#include "harness/quant/accumulator_check.h"
#include "harness/quant/op_version.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::Graph;
using model::Op;
using model::OpType;
using model::Tensor;

// Scales that the spec fixes or requires equal are compared relatively: an exact power of two
// (1/256) is stored exactly, and equal parameters are copies, so 1e-6 only forgives a writer
// that recomputed a value in double.
constexpr double kSameScaleTolerance = 1e-6;
// s_input * s_weight rounded to float32 once (or twice, if computed as float * float then
// stored) is within 2 ulp = 2.4e-7 relative of the exact product; a wrong bias scale is off by
// far more.
constexpr double kBiasScaleTolerance = 1e-5;

bool CloseRelative(double a, double b, double tolerance) {
  return std::fabs(a - b) <= tolerance * std::max(std::fabs(a), std::fabs(b));
}

std::string Format(double value) {
  std::ostringstream s;
  s.precision(9);
  s << value;
  return s.str();
}

bool IsQuantizedActivationType(DataType type) {
  return type == DataType::kInt8 || type == DataType::kInt16;
}

// The op's quantization rule (its descriptor); an op without one cannot be in a loaded graph.
const model::QuantRule& RuleOf(OpType type) { return model::GetOp(type).quant; }

// The weights of a weighted op (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED), else nullptr.
const model::WeightRule* WeightsOf(OpType type) {
  const auto& weights = *RuleOf(type).weights;
  return weights ? &*weights : nullptr;
}

class Linter {
 public:
  Linter(const Graph& graph, const LintTarget& target) : graph_(graph), target_(target) {}

  LintReport Run() {
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      const Op& op = graph_.ops[i];
      op_index_ = static_cast<int32_t>(i);
      CheckActivations(op);
      if (const model::WeightRule* weights = WeightsOf(op.type)) CheckWeightedOp(op, *weights);
      CheckFixedOutput(op);
      CheckEqualParams(op);
      CheckVersion(op);
      for (LintFinding& finding : CheckAccumulatorRange(graph_, i)) {
        report_.findings.push_back(std::move(finding));
      }
      if (target_.checks_target()) CheckTarget(op);
    }
    return std::move(report_);
  }

 private:
  void Add(const std::string& rule, LintSeverity severity, int32_t tensor_index,
           const std::string& message) {
    LintFinding finding;
    finding.rule = rule;
    finding.severity = severity;
    finding.op_index = op_index_;
    if (tensor_index >= 0) finding.tensor = graph_.tensor(tensor_index).name;
    finding.message = message;
    report_.findings.push_back(std::move(finding));
  }

  // Activations: every non-constant int8/int16 tensor an op reads or writes, once.
  void CheckActivations(const Op& op) {
    std::vector<int32_t> touched = op.inputs;
    touched.insert(touched.end(), op.outputs.begin(), op.outputs.end());
    for (int32_t index : touched) {
      if (index == model::kNoTensor || !checked_activations_.insert(index).second) continue;
      const Tensor& tensor = graph_.tensor(index);
      if (tensor.is_constant() || !IsQuantizedActivationType(tensor.type)) continue;
      const auto& q = tensor.quantization;
      if (q.scales.size() != 1 || q.zero_points.size() != 1) {
        Add("activation-zero-point", LintSeverity::kError, index,
            std::string(model::ToString(tensor.type)) +
                " activation needs exactly one scale and zero point, has " +
                std::to_string(q.scales.size()));
        continue;
      }
      const int64_t zero_point = q.zero_points[0];
      if (tensor.type == DataType::kInt8 && (zero_point < -128 || zero_point > 127)) {
        Add("activation-zero-point", LintSeverity::kError, index,
            "int8 activation zero point " + std::to_string(zero_point) +
                " is outside [-128, 127]");
      }
      if (tensor.type == DataType::kInt16 && zero_point != 0) {
        Add("activation-zero-point", LintSeverity::kError, index,
            "int16 activation zero point " + std::to_string(zero_point) +
                " must be 0 (symmetric)");
      }
      if (!(q.scales[0] > 0.0f) || !std::isfinite(q.scales[0])) {
        Add("activation-zero-point", LintSeverity::kError, index,
            "scale " + Format(q.scales[0]) + " is not a positive finite number");
      }
    }
  }

  void CheckWeightedOp(const Op& op, const model::WeightRule& rule) {
    const auto filter = static_cast<size_t>(rule.filter_input);
    const auto bias = static_cast<size_t>(rule.bias_input);
    if (op.inputs.size() <= filter || op.inputs[filter] == model::kNoTensor) return;
    const int32_t weight_index = op.inputs[filter];
    const Tensor& weight = graph_.tensor(weight_index);
    if (weight.type != DataType::kInt8) return;
    CheckWeight(op, weight_index, rule.per_channel_axis);
    const auto activation = static_cast<size_t>(rule.activation_input);
    if (op.inputs.size() <= activation || op.inputs[activation] == model::kNoTensor) return;
    const Tensor& input = graph_.tensor(op.inputs[activation]);
    if (!IsQuantizedActivationType(input.type)) return;  // hybrid: the bias stays float
    if (op.inputs.size() > bias && op.inputs[bias] != model::kNoTensor) {
      CheckBias(op.inputs[bias], input, weight);
    }
  }

  // channel_axis: the filter's output-channel dimension, where per-axis scales must lie.
  void CheckWeight(const Op& op, int32_t index, int32_t channel_axis) {
    const Tensor& weight = graph_.tensor(index);
    const auto& q = weight.quantization;
    if (q.empty()) {
      Add("weight-zero-point", LintSeverity::kError, index, "int8 weight has no scale");
      return;
    }
    for (size_t c = 0; c < q.zero_points.size(); ++c) {
      if (q.zero_points[c] != 0) {
        Add("weight-zero-point", LintSeverity::kError, index,
            "int8 weights are symmetric: zero point " + std::to_string(q.zero_points[c]) +
                (q.per_axis() ? " on channel " + std::to_string(c) : std::string()) +
                ", expected 0");
        break;
      }
    }
    if (weight.is_constant()) {
      size_t minus_128 = 0;
      for (uint8_t byte : graph_.data(index)) minus_128 += static_cast<int8_t>(byte) == -128;
      if (minus_128 > 0) {
        Add("weight-range", LintSeverity::kError, index,
            std::to_string(minus_128) +
                " weight value(s) of -128; int8 weights lie in [-127, 127]");
      }
    }
    if (q.per_axis()) {
      const int32_t expected = channel_axis;
      if (q.quantized_dimension != expected) {
        Add("per-axis", LintSeverity::kError, index,
            "quantized_dimension " + std::to_string(q.quantized_dimension) + ", expected " +
                std::to_string(expected) + " (the output channels of " +
                model::ToString(op.type) + ")");
      } else if (static_cast<size_t>(expected) >= weight.shape.size() ||
                 q.scales.size() != static_cast<size_t>(weight.shape[static_cast<size_t>(
                                        expected)])) {
        Add("per-axis", LintSeverity::kError, index,
            std::to_string(q.scales.size()) + " scales for shape " +
                model::ShapeToString(weight.shape) + ": one per output channel expected");
      }
      if (q.zero_points.size() != q.scales.size()) {
        Add("per-axis", LintSeverity::kError, index,
            std::to_string(q.scales.size()) + " scales but " +
                std::to_string(q.zero_points.size()) + " zero points");
      }
    }
  }

  void CheckBias(int32_t bias_index, const Tensor& input, const Tensor& weight) {
    const Tensor& bias = graph_.tensor(bias_index);
    const bool int16_activations = input.type == DataType::kInt16;
    const bool type_ok = bias.type == DataType::kInt32 ||
                         (int16_activations && bias.type == DataType::kInt64);
    if (!type_ok) {
      Add("bias-type", LintSeverity::kError, bias_index,
          std::string("bias is ") + model::ToString(bias.type) + ", expected INT32" +
              (int16_activations ? " or INT64" : ""));
      return;
    }
    const auto& q = bias.quantization;
    for (int64_t zero_point : q.zero_points) {
      if (zero_point != 0) {
        Add("bias-zero-point", LintSeverity::kError, bias_index,
            "bias zero point " + std::to_string(zero_point) + ", expected 0");
        break;
      }
    }
    const auto& wq = weight.quantization;
    if (q.empty() || input.quantization.empty() || wq.empty()) {
      Add("bias-scale", LintSeverity::kError, bias_index,
          "bias, input or weight has no scale to check s_bias = s_input * s_weight");
      return;
    }
    if (q.scales.size() != wq.scales.size()) {
      Add("bias-scale", LintSeverity::kError, bias_index,
          std::to_string(q.scales.size()) + " bias scales for " +
              std::to_string(wq.scales.size()) + " weight scales");
      return;
    }
    const double input_scale = input.quantization.scales[0];
    for (size_t c = 0; c < q.scales.size(); ++c) {
      const double expected = input_scale * static_cast<double>(wq.scales[c]);
      if (!CloseRelative(q.scales[c], expected, kBiasScaleTolerance)) {
        Add("bias-scale", LintSeverity::kError, bias_index,
            "bias scale " + Format(q.scales[c]) +
                (q.per_axis() ? " on channel " + std::to_string(c) : std::string()) +
                " differs from s_input * s_weight = " + Format(expected) + " (off by " +
                Format(100.0 * (static_cast<double>(q.scales[c]) - expected) / expected) + " %)");
        return;
      }
    }
  }

  void CheckFixedOutput(const Op& op) {
    const model::QuantRule& rule = RuleOf(op.type);
    if (*rule.output != model::OutputParams::kFixed) return;
    const int32_t index = op.outputs.at(0);
    const Tensor& output = graph_.tensor(index);
    std::optional<model::FixedParams> fixed;
    if (output.type == DataType::kInt8) fixed = *rule.fixed_int8;
    if (output.type == DataType::kInt16) fixed = *rule.fixed_int16;
    if (!fixed) return;
    const double scale = fixed->scale;
    const int64_t zero_point = fixed->zero_point;
    const auto& q = output.quantization;
    if (q.scales.size() != 1 || q.zero_points.size() != 1) return;  // activation rule reports
    if (!CloseRelative(q.scales[0], scale, kSameScaleTolerance) || q.zero_points[0] != zero_point) {
      Add("fixed-output", LintSeverity::kError, index,
          std::string(model::ToString(op.type)) + " " + model::ToString(output.type) +
              " output must be scale " + Format(scale) + " zero point " +
              std::to_string(zero_point) + ", has scale " + Format(q.scales[0]) +
              " zero point " + std::to_string(q.zero_points[0]));
    }
  }

  void CheckEqualParams(const Op& op) {
    const model::QuantRule& rule = RuleOf(op.type);
    std::vector<int32_t> inputs;
    if (*rule.inputs_share_output_params) {
      inputs = op.inputs;
    } else if (*rule.output == model::OutputParams::kSharesInput) {
      const int32_t shared = model::SharedParamsInput(graph_, op);
      if (shared == model::kNoTensor) return;
      inputs = {shared};
    } else {
      return;
    }
    for (int32_t output_index : op.outputs) CheckEqualParams(op, inputs, output_index);
  }

  void CheckEqualParams(const Op& op, const std::vector<int32_t>& inputs, int32_t output_index) {
    const auto& out = graph_.tensor(output_index).quantization;
    if (!IsQuantizedActivationType(graph_.tensor(output_index).type) || out.scales.size() != 1 ||
        out.zero_points.size() != 1) {
      return;
    }
    for (int32_t index : inputs) {
      const auto& in = graph_.tensor(index).quantization;
      if (in.scales.size() != 1 || in.zero_points.size() != 1) continue;
      if (!CloseRelative(in.scales[0], out.scales[0], kSameScaleTolerance) ||
          in.zero_points[0] != out.zero_points[0]) {
        Add("equal-params", LintSeverity::kError, index,
            std::string(model::ToString(op.type)) +
                " keeps quantization: input scale " + Format(in.scales[0]) + " zero point " +
                std::to_string(in.zero_points[0]) + " differs from output '" +
                graph_.tensor(output_index).name + "' scale " + Format(out.scales[0]) +
                " zero point " + std::to_string(out.zero_points[0]));
      }
    }
  }

  void CheckVersion(const Op& op) {
    const int32_t expected = ExpectedOpVersion(graph_, op);
    if (expected == 0 || op.version == expected) return;
    const bool too_low = op.version < expected;
    Add("op-version", too_low ? LintSeverity::kError : LintSeverity::kWarning, op.outputs.at(0),
        std::string(model::ToString(op.type)) + " version " + std::to_string(op.version) +
            ", TFLite assigns version " + std::to_string(expected) + " for these types" +
            (too_low ? " (a runtime would pick a kernel that does not handle them)" : ""));
  }

  void CheckTarget(const Op& op) {
    if (target_.ops.count(op.type) == 0) {
      Add("target-op", LintSeverity::kError, -1,
          std::string(model::ToString(op.type)) + " is not registered on " + target_.name);
    }
    std::vector<int32_t> touched = op.inputs;
    touched.insert(touched.end(), op.outputs.begin(), op.outputs.end());
    for (int32_t index : touched) {
      if (index == model::kNoTensor || !checked_types_.insert(index).second) continue;
      const DataType type = graph_.tensor(index).type;
      if (target_.types.count(type) == 0) {
        Add("target-type", LintSeverity::kError, index,
            std::string(model::ToString(type)) + " tensors are not supported on " +
                target_.name);
      }
    }
    const bool float_output = graph_.tensor(op.outputs.at(0)).type == DataType::kFloat32;
    if (!float_output || *RuleOf(op.type).output == model::OutputParams::kConversion) return;
    const model::WeightRule* weights = WeightsOf(op.type);
    const int32_t filter =
        weights != nullptr && op.inputs.size() > static_cast<size_t>(weights->filter_input)
            ? op.inputs[static_cast<size_t>(weights->filter_input)]
            : model::kNoTensor;
    const bool hybrid = filter != model::kNoTensor && graph_.tensor(filter).type == DataType::kInt8;
    if (hybrid && !target_.runs_hybrid_ops) {
      Add("hybrid-op", LintSeverity::kError, filter,
          std::string(model::ToString(op.type)) + " mixes float activations with int8 weights; " +
              target_.name + " has no hybrid kernels");
    } else if (target_.float_ops_are_slow) {
      Add("float-op", LintSeverity::kWarning, op.outputs.at(0),
          std::string(model::ToString(op.type)) + " computes in float32 on " + target_.name);
    }
  }

  const Graph& graph_;
  const LintTarget& target_;
  LintReport report_;
  int32_t op_index_ = -1;
  std::set<int32_t> checked_activations_;
  std::set<int32_t> checked_types_;
};

}  // namespace

const char* ToString(LintSeverity severity) {
  return severity == LintSeverity::kError ? "error" : "warning";
}

size_t LintReport::errors() const {
  size_t count = 0;
  for (const LintFinding& finding : findings) count += finding.severity == LintSeverity::kError;
  return count;
}

size_t LintReport::warnings() const { return findings.size() - errors(); }

LintReport Lint(const model::Graph& graph, const LintTarget& target) {
  return Linter(graph, target).Run();
}

void PrintLintReport(const model::Graph& graph, const LintReport& report, std::ostream& out) {
  for (const LintFinding& finding : report.findings) {
    if (finding.op_index >= 0) {
      out << "op " << finding.op_index << " "
          << model::ToString(graph.ops.at(static_cast<size_t>(finding.op_index)).type);
    }
    if (!finding.tensor.empty()) out << ", tensor '" << finding.tensor << "'";
    out << ": " << finding.rule << ": " << ToString(finding.severity) << ": " << finding.message
        << "\n";
  }
}

}  // namespace harness::quant
