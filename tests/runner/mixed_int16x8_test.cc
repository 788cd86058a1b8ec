// The `mixed` method keeping layers in int16x8 (suite `keep: int16x8`) on the MLPerf Tiny
// anomaly autoencoder, whose int8 model loses several AUC points on its calibration clips: the
// layers the search keeps are int16 in the written model (int8 weights, QUANTIZE around them),
// the score it reports is the chosen model's (scored again here), the model lints clean for
// the ESP32-S3, and it is smaller than the model keeping the same layers in float.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "harness/eval/task_metrics.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/calibrators.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/lint.h"
#include "harness/runner/mixed_method.h"

namespace harness::runner {
namespace {

const std::string kShared = std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/";
constexpr int64_t kCalibrationClips = 50;
constexpr double kBudget = 0.5;

suite::ModelSpec AnomalySpec() {
  suite::ModelSpec spec;
  spec.name = "ad";
  spec.place = "test";
  spec.path = kShared + "models/ad01_fp32.tflite";
  spec.task = eval::Task::kAnomaly;
  spec.validation.data = kShared + "data/ad01_toyadmos_car248_val.h5";
  spec.calibration = suite::SetSpec{kShared + "data/ad01_toyadmos_car248_calib.h5", kCalibrationClips, std::nullopt, {}};
  return spec;
}

double AucPoints(const model::Graph& graph, const eval::Dataset& set, size_t samples) {
  const runtime::CompiledModel model{model::Graph(graph)};
  eval::EvalOptions options;
  options.task = eval::Task::kAnomaly;
  options.max_samples = samples;
  return 100.0 * eval::EvaluateTask(model, set, options).auc;
}

suite::MethodSpec Mixed(suite::MixedKeep keep) {
  suite::MethodSpec method;
  method.method = suite::Method::kMixed;
  method.calibrator = suite::Calibrator::kMinMax;
  method.accuracy_drop_budget = kBudget;
  method.keep = keep;
  return method;
}

const model::Tensor& Named(const model::Graph& graph, const std::string& name) {
  for (const model::Tensor& tensor : graph.tensors) {
    if (tensor.name == name) return tensor;
  }
  throw std::runtime_error("no tensor " + name);
}

TEST(MixedInt16x8OnAnomaly, KeptLayersAreInt16AndTheModelIsSmallerThanWithFloat) {
  const suite::ModelSpec spec = AnomalySpec();
  const auto context = PrepareModel(spec, true, false);
  const MixedOutcome wide16 = RunMixedMethod(*context, context->float_graph, *context->calibration,
                                             Mixed(suite::MixedKeep::kInt16x8), {}, suite::Target{});
  const MixedPrecision& record = wide16.record;

  EXPECT_EQ(record.metric, "auc");
  EXPECT_GT(record.fp32_score - record.int8_score, kBudget);  // the search has work to do
  EXPECT_DOUBLE_EQ(record.final_score,
                   AucPoints(wide16.graph, *context->calibration_set, kCalibrationClips));
  ASSERT_FALSE(record.kept_ops.empty());
  if (record.budget_met) {
    EXPECT_LE(record.fp32_score - record.final_score, kBudget + 1e-9);
  }

  size_t quantize_ops = 0;
  for (const model::Op& op : wide16.graph.ops) {
    EXPECT_NE(op.type, model::OpType::kDequantize) << "no float layer with keep int16x8";
    if (op.type == model::OpType::kQuantize) ++quantize_ops;
  }
  EXPECT_GE(quantize_ops, 2u);
  for (const MixedLayer& layer : record.layers) {
    const bool kept = std::find(record.kept_ops.begin(), record.kept_ops.end(), layer.op_index) !=
                      record.kept_ops.end();
    EXPECT_EQ(layer.precision, kept ? "int16x8" : "int8") << "op " << layer.op_index;
    const model::DataType type = Named(wide16.graph, layer.tensor).type;
    if (kept) {
      EXPECT_EQ(type, model::DataType::kInt16) << layer.tensor;
    } else if (layer.op_index + 1 != static_cast<int32_t>(context->float_graph.ops.size())) {
      EXPECT_EQ(type, model::DataType::kInt8) << layer.tensor;
    }
  }
  const quant::LintReport lint = quant::Lint(wide16.graph, quant::LintTarget::Esp32S3());
  EXPECT_FALSE(lint.has_errors());

  // The same layers kept in float instead carry float weights: a larger model.
  quant::Int8Options float_kept;
  float_kept.op_precision.assign(context->float_graph.ops.size(), quant::LayerPrecision::kDefault);
  for (int32_t op : record.kept_ops) float_kept.op_precision[static_cast<size_t>(op)] = quant::LayerPrecision::kFloat;
  const auto minmax = quant::MakeCalibrator("minmax");
  const model::Graph with_float = quant::QuantizeInt8(context->float_graph, *context->calibration, *minmax, float_kept);
  const size_t size16 = model::WriteTflite(wide16.graph).size();
  const size_t size32 = model::WriteTflite(with_float).size();
  EXPECT_LT(size16, size32);
  std::printf("AD mixed+int16x8/minmax, budget %.1f: kept %zu, fp32 %.2f, int8 %.2f, mixed %.2f (%s), %zu bytes; "
              "same layers float: %zu bytes\n",
              kBudget, record.kept_ops.size(), record.fp32_score, record.int8_score, record.final_score,
              record.budget_met ? "met" : "not met", size16, size32);
}

}  // namespace
}  // namespace harness::runner
