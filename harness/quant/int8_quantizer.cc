#include "harness/quant/int8_quantizer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "harness/common/error.h"
#include "harness/model/op_registry.h"
#include "harness/quant/accumulator_limits.h"
#include "harness/quant/op_version.h"
#include "harness/quant/precision_boundaries.h"
#include "harness/quant/quantization_params.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;

std::string OpName(const model::Graph& graph, size_t op_index) {
  return "op " + std::to_string(op_index) + " (" + model::ToString(graph.ops[op_index].type) + ")";
}

std::vector<float> FloatData(const model::Graph& graph, int32_t tensor) {
  const std::vector<uint8_t>& bytes = graph.data(tensor);
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

template <class T>
std::vector<uint8_t> Bytes(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

model::Quantization PerTensor(const AffineParams& p) {
  model::Quantization q;
  q.scales = {p.scale};
  q.zero_points = {p.zero_point};
  return q;
}

bool SameParams(const AffineParams& a, const AffineParams& b) {
  return a.scale == b.scale && a.zero_point == b.zero_point;
}

const model::QuantRule& RuleOf(OpType type) { return model::GetOp(type).quant; }

// The parameters the TFLite spec fixes for the op's output in `activation_type`, if any.
std::optional<AffineParams> FixedOutputParams(OpType type, DataType activation_type) {
  const model::QuantRule& rule = RuleOf(type);
  if (*rule.output != model::OutputParams::kFixed) return std::nullopt;
  const std::optional<model::FixedParams>& fixed =
      activation_type == DataType::kInt16 ? *rule.fixed_int16 : *rule.fixed_int8;
  if (!fixed) return std::nullopt;
  return AffineParams{fixed->scale, static_cast<int32_t>(fixed->zero_point)};
}

class Int8Rewriter {
 public:
  Int8Rewriter(const model::Graph& float_graph, const CalibrationResult& calibration,
               const Calibrator& calibrator, const Int8Options& options)
      : graph_(float_graph),
        calibration_(calibration),
        calibrator_(calibrator),
        options_(options),
        params_(float_graph.tensors.size()),
        constant_done_(float_graph.tensors.size(), false),
        default_type_(options.int16_activations ? DataType::kInt16 : DataType::kInt8) {}

  model::Graph Run() {
    CheckFloatModel();
    AssignOpTypes();
    CalibrateRanges();
    AssignActivationParams();
    GiveEachTypeItsOwnConstants();
    QuantizeConstants();
    InsertBoundaries();
    RetypeActivations();
    if (options_.float_io) AddFloatEdges();
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      model::Op& op = graph_.ops[i];
      // TFLite's version for the op's types and scales (its descriptor), at least 1.
      op.version = std::max(1, ExpectedOpVersion(graph_, op));
    }
    return std::move(graph_);
  }

 private:
  void CheckFloatModel() const {
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      const model::Op& op = graph_.ops[i];
      if (*RuleOf(op.type).output == model::OutputParams::kConversion) {
        throw Error(OpName(graph_, i), "the float model already holds a quantization op");
      }
      if (*RuleOf(op.type).output == model::OutputParams::kIndex) continue;  // INT32 already
      for (int32_t output : op.outputs) {
        if (graph_.tensor(output).type != DataType::kFloat32) {
          throw Error(OpName(graph_, i), "output tensor '" + graph_.tensor(output).name +
                                             "' is not float32; int8 quantization needs a float "
                                             "model");
        }
      }
    }
  }

  void AssignOpTypes() {
    const std::vector<LayerPrecision>& precision = options_.op_precision;
    if (!precision.empty() && precision.size() != graph_.ops.size()) {
      throw Error("int8 quantizer", "op_precision has " + std::to_string(precision.size()) +
                                        " entries for a graph of " +
                                        std::to_string(graph_.ops.size()) + " ops");
    }
    op_types_.assign(graph_.ops.size(), default_type_);
    for (size_t i = 0; i < precision.size(); ++i) {
      if (precision[i] == LayerPrecision::kFloat) op_types_[i] = DataType::kFloat32;
      if (precision[i] == LayerPrecision::kInt16x8) op_types_[i] = DataType::kInt16;
    }
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      if (op_types_[i] == DataType::kInt16 && !*RuleOf(graph_.ops[i].type).int16x8) {
        throw Error(OpName(graph_, i), "has no int16x8 kernel; keep it in int8 or float");
      }
    }
  }

  bool IsFloatOp(size_t op_index) const { return op_types_[op_index] == DataType::kFloat32; }

  // Calibrated float range of every activation tensor; CONCATENATION's tensors all take the
  // union of theirs, so that they can share one set of parameters.
  void CalibrateRanges() {
    ranges_.resize(graph_.tensors.size());
    for (size_t i = 0; i < graph_.tensors.size(); ++i) {
      if (i < calibration_.statistics.size() && calibration_.statistics[i] &&
          !calibration_.statistics[i]->empty()) {
        ranges_[i] = calibrator_.Calibrate(*calibration_.statistics[i]);
      }
    }
    for (const model::Op& op : graph_.ops) {
      if (!*RuleOf(op.type).inputs_share_output_params) continue;
      CalibrationRange merged = RangeOf(op.outputs[0]);
      for (int32_t input : op.inputs) {
        const model::Tensor& t = graph_.tensor(input);
        if (t.is_constant()) {
          // A float constant (MAXIMUM's bound, say) is quantized with the shared parameters
          // below, so their range must hold its values too.
          if (t.type != DataType::kFloat32) continue;
          for (float v : FloatData(graph_, input)) {
            merged.min = std::min(merged.min, v);
            merged.max = std::max(merged.max, v);
          }
          continue;
        }
        merged.min = std::min(merged.min, RangeOf(input).min);
        merged.max = std::max(merged.max, RangeOf(input).max);
      }
      ranges_[static_cast<size_t>(op.outputs[0])] = merged;
      for (int32_t input : op.inputs) {
        if (!graph_.tensor(input).is_constant()) ranges_[static_cast<size_t>(input)] = merged;
      }
    }
  }

  CalibrationRange RangeOf(int32_t tensor) const {
    const auto& range = ranges_[static_cast<size_t>(tensor)];
    if (!range) {
      throw Error("tensor '" + graph_.tensor(tensor).name + "'", "has no calibration statistics");
    }
    return *range;
  }

  AffineParams ParamsFromRange(int32_t tensor, DataType type) const {
    const CalibrationRange range = RangeOf(tensor);
    if (type == DataType::kInt16) return SymmetricInt16Params(range.min, range.max);
    return AsymmetricParams(range.min, range.max);
  }

  // The parameters every activation would have if every op computed in `type` (the int8 or the
  // 16x8 rules): calibrated, fixed, or shared with the op's input.
  std::vector<std::optional<AffineParams>> ParamsIfAllOpsIn(DataType type) const {
    std::vector<std::optional<AffineParams>> p(graph_.tensors.size());
    for (int32_t input : graph_.inputs) p[static_cast<size_t>(input)] = ParamsFromRange(input, type);
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      const model::Op& op = graph_.ops[i];
      const int32_t output = op.outputs.at(0);
      if (*RuleOf(op.type).output == model::OutputParams::kIndex) {
        continue;  // an index, not an activation: no parameters
      }
      if (const auto fixed = FixedOutputParams(op.type, type)) {
        p[static_cast<size_t>(output)] = *fixed;
      } else if (*RuleOf(op.type).output == model::OutputParams::kSharesInput) {
        const int32_t input = model::SharedParamsInput(graph_, op);
        if (input == model::kNoTensor || !p[static_cast<size_t>(input)]) {
          throw Error(OpName(graph_, i), "has no activation input whose parameters to share");
        }
        for (int32_t out : op.outputs) p[static_cast<size_t>(out)] = p[static_cast<size_t>(input)];
      } else {
        for (int32_t out : op.outputs) p[static_cast<size_t>(out)] = ParamsFromRange(out, type);
      }
    }
    return p;
  }

  // The quantized type in which a tensor is written: its producer's type; a graph input and the
  // output of a float op take the model's type (the one their quantized readers convert from).
  DataType HeldType(std::ptrdiff_t producer) const {
    if (producer < 0 || IsFloatOp(static_cast<size_t>(producer))) return default_type_;
    return op_types_[static_cast<size_t>(producer)];
  }

  std::vector<std::optional<AffineParams>>& ParamsIn(DataType type) {
    return type == DataType::kInt16 ? params_int16_ : params_int8_;
  }
  const std::vector<std::optional<AffineParams>>& ParamsIn(DataType type) const {
    return type == DataType::kInt16 ? params_int16_ : params_int8_;
  }

  // Appends the parameters of a new tensor that is written and read in `type` only.
  void AppendParams(const std::optional<AffineParams>& p, DataType type) {
    params_.push_back(p);
    params_int8_.push_back(type == DataType::kInt8 ? p : std::nullopt);
    params_int16_.push_back(type == DataType::kInt16 ? p : std::nullopt);
    constant_done_.push_back(false);
  }

  // Each activation's parameters in int8 and in int16 (the rules of each mode), and those of
  // the type its producer writes it in (params_). A tensor converted between int8 and int16 at a
  // precision boundary gets, in the other type, the parameters that type's mode gives it.
  void AssignActivationParams() {
    params_int8_ = ParamsIfAllOpsIn(DataType::kInt8);
    params_int16_ = ParamsIfAllOpsIn(DataType::kInt16);
    std::vector<std::ptrdiff_t> producer(graph_.tensors.size(), -1);
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      for (int32_t output : graph_.ops[i].outputs) {
        producer[static_cast<size_t>(output)] = static_cast<std::ptrdiff_t>(i);
      }
    }
    for (size_t t = 0; t < graph_.tensors.size(); ++t) {
      params_[t] = ParamsIn(HeldType(producer[t]))[t];
    }
    // CONCATENATION inputs must carry the output's parameters: requantize those that do not.
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      if (!*RuleOf(graph_.ops[i].type).inputs_share_output_params || IsFloatOp(i)) continue;
      const DataType type = op_types_[i];
      const AffineParams out = *params_[static_cast<size_t>(graph_.ops[i].outputs[0])];
      for (size_t k = 0; k < graph_.ops[i].inputs.size(); ++k) {
        const int32_t input = graph_.ops[i].inputs[k];
        if (graph_.tensor(input).is_constant()) continue;
        // As the concatenation reads it (converted to its type first where needed).
        if (SameParams(InputParams(input, i), out)) continue;
        const int32_t requantized = AddTensorLike(input, "_requantized");
        AppendParams(out, type);
        model::Op quantize;
        quantize.type = OpType::kQuantize;
        quantize.inputs = {input};
        quantize.outputs = {requantized};
        graph_.ops[i].inputs[k] = requantized;
        graph_.ops.insert(graph_.ops.begin() + static_cast<std::ptrdiff_t>(i), std::move(quantize));
        op_types_.insert(op_types_.begin() + static_cast<std::ptrdiff_t>(i), type);
        ++i;  // the concatenation moved one place on
      }
    }
  }

  // The parameters of activation `tensor` as quantized op `op_index` reads it: in the op's type.
  AffineParams InputParams(int32_t tensor, size_t op_index) const {
    const auto& p = ParamsIn(op_types_[op_index])[static_cast<size_t>(tensor)];
    if (!p) {
      throw Error(OpName(graph_, op_index),
                  "input tensor '" + graph_.tensor(tensor).name + "' is not an activation");
    }
    return *p;
  }

  int32_t AddTensorLike(int32_t tensor, const std::string& suffix) {
    model::Tensor copy = graph_.tensor(tensor);
    copy.name += suffix;
    copy.buffer = -1;
    copy.quantization = {};
    graph_.tensors.push_back(std::move(copy));
    return static_cast<int32_t>(graph_.tensors.size() - 1);
  }

  // A constant that a float op shares with a quantized op, or a float constant that an int8
  // op shares with an int16 op, is duplicated (same buffer) so that each reader gets the values
  // its type needs (float, int8, int16): the copy is named "<name>_float" or "<name>_int16" /
  // "<name>_int8". The original stays with the model's type if that reads it, else with its
  // first reader's type. (Integer constants, such as RESHAPE's shape, are the same for int8 and
  // int16 readers and stay shared.)
  void GiveEachTypeItsOwnConstants() {
    const size_t tensor_count = graph_.tensors.size();
    std::vector<std::optional<DataType>> owner(tensor_count);
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      for (int32_t input : graph_.ops[i].inputs) {
        if (input == model::kNoTensor || !graph_.tensor(input).is_constant()) continue;
        std::optional<DataType>& o = owner[static_cast<size_t>(input)];
        if (!o || op_types_[i] == default_type_) o = op_types_[i];
      }
    }
    std::map<std::pair<int32_t, DataType>, int32_t> copies;
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      const DataType type = op_types_[i];
      for (int32_t& input : graph_.ops[i].inputs) {
        if (input == model::kNoTensor || static_cast<size_t>(input) >= tensor_count ||
            !owner[static_cast<size_t>(input)] || *owner[static_cast<size_t>(input)] == type) {
          continue;
        }
        const bool both_quantized = type != DataType::kFloat32 &&
                                    *owner[static_cast<size_t>(input)] != DataType::kFloat32;
        if (both_quantized && graph_.tensor(input).type != DataType::kFloat32) continue;
        auto copy = copies.find({input, type});
        if (copy == copies.end()) {
          model::Tensor duplicate = graph_.tensor(input);
          duplicate.name += TypeSuffix(type);
          graph_.tensors.push_back(std::move(duplicate));
          AppendParams(std::nullopt, type);
          copy = copies.emplace(std::make_pair(input, type),
                                static_cast<int32_t>(graph_.tensors.size() - 1))
                     .first;
        }
        input = copy->second;
      }
    }
  }

  static std::string TypeSuffix(DataType type) {
    if (type == DataType::kFloat32) return "_float";
    return type == DataType::kInt16 ? "_int16" : "_int8";
  }

  void QuantizeConstants() {
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      if (IsFloatOp(i)) continue;  // keeps float weights and bias
      const model::Op op = graph_.ops[i];  // a copy: tensors are edited below
      if (const auto& weights = *RuleOf(op.type).weights) {
        const bool per_channel =
            weights->per_channel_by_default || options_.per_channel_fully_connected;
        QuantizeFilterAndBias(i, *weights, per_channel ? weights->per_channel_axis : -1);
        continue;
      }
      const bool shares_output = *RuleOf(op.type).inputs_share_output_params;
      for (int32_t input : op.inputs) {
        if (input == model::kNoTensor) continue;
        const model::Tensor& t = graph_.tensor(input);
        if (!t.is_constant() || t.type != DataType::kFloat32) continue;
        if (shares_output) {
          // The kernel compares or copies raw values: the constant takes the output's parameters.
          QuantizeWith(input, op_types_[i], *params_[static_cast<size_t>(op.outputs.at(0))]);
        } else {
          QuantizeOperand(input, i);
        }
      }
    }
  }

  void QuantizeWith(int32_t tensor, DataType type, const AffineParams& p) {
    if (constant_done_[static_cast<size_t>(tensor)]) return;
    const std::vector<float> values = FloatData(graph_, tensor);
    if (type == DataType::kInt16) {
      std::vector<int16_t> q(values.size());
      for (size_t k = 0; k < values.size(); ++k) q[k] = QuantizeToInt16(values[k], p);
      Replace(tensor, DataType::kInt16, Bytes(q), PerTensor(p));
      return;
    }
    std::vector<int8_t> q(values.size());
    for (size_t k = 0; k < values.size(); ++k) q[k] = QuantizeToInt8(values[k], p);
    Replace(tensor, DataType::kInt8, Bytes(q), PerTensor(p));
  }

  void QuantizeOperand(int32_t tensor, size_t op_index) {
    if (constant_done_[static_cast<size_t>(tensor)]) return;
    const std::vector<float> values = FloatData(graph_, tensor);
    float lo = 0.0f, hi = 0.0f;
    for (float v : values) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (op_types_[op_index] == DataType::kInt16) {  // an int16 op's operand: int16 symmetric
      const AffineParams p = SymmetricInt16Params(lo, hi);
      std::vector<int16_t> q(values.size());
      for (size_t k = 0; k < values.size(); ++k) q[k] = QuantizeToInt16(values[k], p);
      Replace(tensor, DataType::kInt16, Bytes(q), PerTensor(p));
      return;
    }
    const AffineParams p = AsymmetricParams(lo, hi);
    std::vector<int8_t> q(values.size());
    for (size_t k = 0; k < values.size(); ++k) q[k] = QuantizeToInt8(values[k], p);
    Replace(tensor, DataType::kInt8, Bytes(q), PerTensor(p));
  }

  void Replace(int32_t tensor, DataType type, std::vector<uint8_t> bytes,
               model::Quantization quantization) {
    const int32_t buffer = graph_.AddBuffer(std::move(bytes));
    model::Tensor& t = graph_.tensor(tensor);
    t.type = type;
    t.buffer = buffer;
    t.quantization = std::move(quantization);
    constant_done_[static_cast<size_t>(tensor)] = true;
  }

  // channel_dim < 0: per-tensor weights.
  void QuantizeFilterAndBias(size_t op_index, const model::WeightRule& rule, int channel_dim) {
    const model::Op& op = graph_.ops[op_index];
    const int32_t filter = op.inputs.at(static_cast<size_t>(rule.filter_input));
    const model::Tensor& filter_tensor = graph_.tensor(filter);
    if (!filter_tensor.is_constant() || filter_tensor.type != DataType::kFloat32) {
      throw Error(OpName(graph_, op_index),
                  "filter tensor '" + filter_tensor.name + "' is not a float32 constant");
    }
    if (constant_done_[static_cast<size_t>(filter)]) {
      throw Error(OpName(graph_, op_index),
                  "filter tensor '" + filter_tensor.name + "' is shared with another op");
    }
    const std::vector<float> weights = FloatData(graph_, filter);
    const int32_t input = op.inputs.at(static_cast<size_t>(rule.activation_input));
    const float input_scale = InputParams(input, op_index).scale;
    const bool int16 = op_types_[op_index] == DataType::kInt16;
    const SymmetricWeights q = QuantizeSymmetric(
        weights, filter_tensor.shape, channel_dim,
        BiasFittingScales(op, rule, input_scale, int16 ? kInt64BiasBudget : kInt32BiasBudget,
                          channel_dim < 0));
    const std::vector<int32_t> shape = filter_tensor.shape;

    model::Quantization wq;
    wq.scales = q.scales;
    wq.zero_points.assign(q.scales.size(), 0);
    wq.quantized_dimension = channel_dim < 0 ? 0 : channel_dim;
    Replace(filter, DataType::kInt8, Bytes(q.values), std::move(wq));

    const auto bias_input = static_cast<size_t>(rule.bias_input);
    if (op.inputs.size() <= bias_input || op.inputs[bias_input] == model::kNoTensor) return;
    const int32_t bias = op.inputs[bias_input];
    const model::Tensor& bias_tensor = graph_.tensor(bias);
    if (!bias_tensor.is_constant() || bias_tensor.type != DataType::kFloat32 ||
        constant_done_[static_cast<size_t>(bias)]) {
      throw Error(OpName(graph_, op_index),
                  "bias tensor '" + bias_tensor.name + "' is not a float32 constant of its own");
    }
    std::vector<float> bias_values = FloatData(graph_, bias);
    if (options_.bias_correction) {
      CorrectBias(rule.per_channel_axis, weights, q, shape, input, bias_values);
    }
    model::Quantization bq;
    bq.scales = BiasScales(input_scale, q.scales, q.scales.size());
    bq.zero_points.assign(q.scales.size(), 0);
    bq.quantized_dimension = 0;
    if (int16) {
      // 16x8: int64 bias, as TFLite's converter writes by default; the kernels accumulate in
      // int64, where an int32 bias at scale s_in * s_w could overflow.
      Replace(bias, DataType::kInt64, Bytes(QuantizeBiasInt64(bias_values, input_scale, q.scales)),
              std::move(bq));
      return;
    }
    const std::vector<int32_t> bias_q = QuantizeBias(bias_values, input_scale, q.scales);
    Replace(bias, DataType::kInt32, Bytes(bias_q), std::move(bq));
  }

  // The weight scales below which the op's float bias would not fit `budget` (none without a
  // float bias; a bias of another kind is refused by QuantizeFilterAndBias).
  std::vector<float> BiasFittingScales(const model::Op& op, const model::WeightRule& rule,
                                       float input_scale, double budget, bool per_tensor) const {
    const auto slot = static_cast<size_t>(rule.bias_input);
    if (op.inputs.size() <= slot || op.inputs[slot] == model::kNoTensor) return {};
    const int32_t bias_index = op.inputs[slot];
    const model::Tensor& bias = graph_.tensor(bias_index);
    if (!bias.is_constant() || bias.type != DataType::kFloat32) return {};
    return WeightScalesForBias(FloatData(graph_, bias_index), input_scale, budget, per_tensor);
  }

  // bias[c] -= sum_k (W_q - W)[c, k] * E[x_k]; see the header.
  // channel_axis 3: a depthwise filter (1HWC), whose output channel is its last dimension;
  // otherwise the output channel is the first (OHWI, or units x depth).
  void CorrectBias(int32_t channel_axis, const std::vector<float>& weights,
                   const SymmetricWeights& q, const std::vector<int32_t>& shape, int32_t input,
                   std::vector<float>& bias) const {
    if (static_cast<size_t>(input) >= calibration_.channel_means.size() ||
        calibration_.channel_means[static_cast<size_t>(input)].empty()) {
      throw Error("bias correction", "the calibration has no channel means for tensor '" +
                                         graph_.tensor(input).name + "'");
    }
    const std::vector<double>& mean = calibration_.channel_means[static_cast<size_t>(input)];
    const size_t depth = static_cast<size_t>(shape.back());
    const size_t channels = bias.size();
    std::vector<double> shift(channels, 0.0);
    for (size_t k = 0; k < weights.size(); ++k) {
      const size_t last = k % depth;
      size_t channel = 0, input_channel = 0;
      size_t scale_index = 0;
      const bool channel_last = channel_axis == 3;
      if (channel_last) {
        channel = last;
        input_channel = last / (channels / mean.size());  // depth multiplier
        scale_index = channel;
      } else {
        channel = k / (weights.size() / channels);
        input_channel = last;
        scale_index = q.scales.size() == 1 ? 0 : channel;
      }
      if (!channel_last && mean.size() != depth) return;  // a flattened input
      const double dequantized =
          static_cast<double>(q.values[k]) * static_cast<double>(q.scales[scale_index]);
      shift[channel] += (dequantized - static_cast<double>(weights[k])) * mean[input_channel];
    }
    for (size_t c = 0; c < channels; ++c)
      bias[c] = static_cast<float>(static_cast<double>(bias[c]) - shift[c]);
  }

  // The encoding each producer writes (graph inputs: int8), then the conversions between ops
  // of different precision (precision_boundaries.h).
  void InsertBoundaries() {
    std::vector<std::ptrdiff_t> producer(graph_.tensors.size(), -1);
    for (size_t i = 0; i < graph_.ops.size(); ++i) {
      for (int32_t output : graph_.ops[i].outputs) {
        producer[static_cast<size_t>(output)] = static_cast<std::ptrdiff_t>(i);
      }
    }
    encodings_.assign(graph_.tensors.size(), std::nullopt);
    for (size_t t = 0; t < graph_.tensors.size(); ++t) {
      if (!params_[t]) continue;
      ActivationEncoding encoding;
      encoding.type =
          producer[t] < 0 ? default_type_ : op_types_[static_cast<size_t>(producer[t])];
      encoding.params = *params_[t];
      encodings_[t] = encoding;
    }
    std::set<int32_t> float_inputs;
    if (options_.float_io) float_inputs.insert(graph_.inputs.begin(), graph_.inputs.end());
    // A converted copy carries the parameters its type's mode gives the tensor (calibrated,
    // fixed or shared), so a quantized RESHAPE after a float op, or an int8 RESHAPE after an
    // int16 op, shares exactly those.
    const ConvertedParams converted_params = [this](int32_t tensor, DataType type) {
      const auto& p = ParamsIn(type)[static_cast<size_t>(tensor)];
      if (!p) {
        throw Error("tensor '" + graph_.tensor(tensor).name + "'",
                    std::string("has no ") + model::ToString(type) + " parameters to convert to");
      }
      return *p;
    };
    InsertPrecisionBoundaries(graph_, op_types_, encodings_, converted_params, float_inputs);
  }

  void RetypeActivations() {
    for (size_t i = 0; i < graph_.tensors.size(); ++i) {
      if (!encodings_[i]) continue;
      model::Tensor& t = graph_.tensors[i];
      t.type = encodings_[i]->type;
      t.quantization =
          t.type == DataType::kFloat32 ? model::Quantization{} : PerTensor(encodings_[i]->params);
    }
  }


  // Float32 graph inputs and outputs, with QUANTIZE / DEQUANTIZE to the integer tensors inside.
  // Float ops read a float graph input directly; a graph output a float op writes is float
  // already.
  void AddFloatEdges() {
    for (int32_t& input : graph_.inputs) {
      bool read_quantized = false;
      for (size_t i = 0; i < graph_.ops.size(); ++i) {
        const std::vector<int32_t>& inputs = graph_.ops[i].inputs;
        read_quantized |= !IsFloatOp(i) && std::find(inputs.begin(), inputs.end(), input) !=
                                                inputs.end();
      }
      if (read_quantized) {
        const int32_t inner = AddTensorLike(input, TypeSuffix(graph_.tensor(input).type));
        graph_.tensor(inner).type = graph_.tensor(input).type;
        graph_.tensor(inner).quantization = graph_.tensor(input).quantization;
        for (size_t i = 0; i < graph_.ops.size(); ++i) {
          if (IsFloatOp(i)) continue;
          std::replace(graph_.ops[i].inputs.begin(), graph_.ops[i].inputs.end(), input, inner);
        }
        model::Op quantize;
        quantize.type = OpType::kQuantize;
        quantize.inputs = {input};
        quantize.outputs = {inner};
        graph_.ops.insert(graph_.ops.begin(), std::move(quantize));
        op_types_.insert(op_types_.begin(), graph_.tensor(inner).type);
      }
      model::Tensor& outer = graph_.tensor(input);
      outer.type = DataType::kFloat32;
      outer.quantization = {};
    }
    for (int32_t& output : graph_.outputs) {
      // Float already, or an index (ARG_MAX's INT32), which has no float form.
      const DataType type = graph_.tensor(output).type;
      if (type != DataType::kInt8 && type != DataType::kInt16) continue;
      const int32_t inner = AddTensorLike(output, TypeSuffix(graph_.tensor(output).type));
      graph_.tensor(inner).type = graph_.tensor(output).type;
      graph_.tensor(inner).quantization = graph_.tensor(output).quantization;
      for (model::Op& op : graph_.ops) {
        std::replace(op.outputs.begin(), op.outputs.end(), output, inner);
        std::replace(op.inputs.begin(), op.inputs.end(), output, inner);
      }
      model::Tensor& outer = graph_.tensor(output);
      outer.type = DataType::kFloat32;
      outer.quantization = {};
      model::Op dequantize;
      dequantize.type = OpType::kDequantize;
      dequantize.inputs = {inner};
      dequantize.outputs = {output};
      graph_.ops.push_back(dequantize);
      op_types_.push_back(DataType::kFloat32);
    }
  }

  model::Graph graph_;
  const CalibrationResult& calibration_;
  const Calibrator& calibrator_;
  Int8Options options_;
  std::vector<std::optional<CalibrationRange>> ranges_;
  // Each tensor's parameters in the type its producer writes (nullopt: a constant, or a float
  // op's constant copy), and in int8 and int16 as each mode's rules give them.
  std::vector<std::optional<AffineParams>> params_;
  std::vector<std::optional<AffineParams>> params_int8_;
  std::vector<std::optional<AffineParams>> params_int16_;
  std::vector<bool> constant_done_;
  // The model's activation type: kInt8, or kInt16 with int16_activations.
  DataType default_type_ = DataType::kInt8;
  // The activation type each op computes in: default_type_, kFloat32 for an op kept float, kInt16
  // for a kInt16x8 op.
  std::vector<DataType> op_types_;
  std::vector<std::optional<ActivationEncoding>> encodings_;
};

}  // namespace

model::Graph QuantizeInt8(const model::Graph& float_graph, const CalibrationResult& calibration,
                          const Calibrator& calibrator, const Int8Options& options) {
  return Int8Rewriter(float_graph, calibration, calibrator, options).Run();
}

}  // namespace harness::quant
