// The `mixed` method on the MLPerf Tiny anomaly autoencoder, whose int8 model loses several AUC
// points: the selection meets a 0.5-point budget on the calibration set (checked by scoring
// the chosen model again, independently), does at least as well as int8 on the validation set
// within a small margin, and the model it writes passes the quantization-spec lint.
#include "harness/runner/mixed_method.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "harness/eval/task_metrics.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/lint.h"
#include "harness/quant/method.h"
#include "harness/runner/mixed_scorer.h"
#include "tests/runner/model_specs.h"

namespace harness::runner {
namespace {

const std::string kShared = std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/";
constexpr int64_t kCalibrationClips = 50;

suite::ModelSpec AnomalySpec() {
  return test::ModelSpecFor("ad", kShared + "models/ad01_fp32.tflite", eval::Task::kAnomaly,
                            kShared + "data/ad01_toyadmos_car248_val.h5",
                            kShared + "data/ad01_toyadmos_car248_calib.h5", kCalibrationClips);
}

double AucPoints(const model::Graph& graph, const eval::Dataset& set, std::optional<size_t> samples) {
  const runtime::CompiledModel model{model::Graph(graph)};
  eval::EvalOptions options;
  options.task = eval::Task::kAnomaly;
  options.max_samples = samples;
  return 100.0 * eval::EvaluateTask(model, set, options).auc;
}

class MixedMethodOnAnomaly : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spec_ = new suite::ModelSpec(AnomalySpec());
    context_ = PrepareModel(*spec_, true, false).release();
  }
  static void TearDownTestSuite() {
    delete context_;
    delete spec_;
  }
  static suite::ModelSpec* spec_;
  static ModelContext* context_;
};
suite::ModelSpec* MixedMethodOnAnomaly::spec_ = nullptr;
ModelContext* MixedMethodOnAnomaly::context_ = nullptr;

TEST_F(MixedMethodOnAnomaly, MeetsTheBudgetOnCalibrationAndHoldsOnValidation) {
  suite::MethodSpec method;
  method.method = suite::Method::kMixed;
  method.calibrator = suite::Calibrator::kMinMax;
  method.accuracy_drop_budget = 0.5;
  const MixedOutcome mixed = RunMixedMethod(*context_, context_->float_graph, *context_->calibration, method, {}, suite::Target{});
  const MixedPrecision& record = mixed.record;
  const auto samples = static_cast<size_t>(kCalibrationClips);

  EXPECT_EQ(record.metric, "auc");
  EXPECT_EQ(record.unit, "points");
  // The scores the selection used, measured again here.
  const eval::Dataset& calibration = *context_->calibration_set;
  EXPECT_DOUBLE_EQ(record.fp32_score, AucPoints(context_->float_graph, calibration, samples));
  EXPECT_DOUBLE_EQ(record.final_score, AucPoints(mixed.graph, calibration, samples));
  // int8 alone misses the budget, so the test exercises the selection ...
  EXPECT_GT(record.fp32_score - record.int8_score, 0.5);
  // ... and the selection meets it, with at least one layer in float.
  EXPECT_TRUE(record.budget_met);
  EXPECT_LE(record.fp32_score - record.final_score, 0.5 + 1e-9);
  ASSERT_FALSE(record.kept_ops.empty());

  // Every FULLY_CONNECTED layer was measured; the kept ones are float32, the rest int8.
  ASSERT_EQ(record.layers.size(), context_->float_graph.ops.size());
  for (const MixedLayer& layer : record.layers) {
    EXPECT_EQ(layer.op_type, "FULLY_CONNECTED");
    const bool kept = std::find(record.kept_ops.begin(), record.kept_ops.end(), layer.op_index) !=
                      record.kept_ops.end();
    EXPECT_EQ(layer.precision, kept ? "float32" : "int8") << "op " << layer.op_index;
    if (kept) {
      EXPECT_GT(layer.sensitivity, 0.0) << "op " << layer.op_index;
    }
  }

  // On the validation set: no worse than plain int8 (same calibration) beyond 0.5 points.
  quant::QuantizeOptions int8_options;
  const model::Graph int8 = quant::Quantize(context_->float_graph, quant::Method::kInt8, int8_options,
                                            &*context_->calibration);
  const double int8_auc = AucPoints(int8, *context_->validation, std::nullopt);
  const double mixed_auc = AucPoints(mixed.graph, *context_->validation, std::nullopt);
  EXPECT_GE(mixed_auc, int8_auc - 0.5);

  const quant::LintReport lint = quant::Lint(mixed.graph);
  EXPECT_FALSE(lint.has_errors());
}

TEST_F(MixedMethodOnAnomaly, ATargetTooSmallForAnyFloatLayerKeepsInt8) {
  suite::MethodSpec method;
  method.method = suite::Method::kMixed;
  method.calibrator = suite::Calibrator::kMinMax;
  method.accuracy_drop_budget = 0.5;
  suite::Target tiny;
  // Room for the int8 model, not for any layer's float weights on top of it (the smallest FC
  // layers hold 128x8 weights: 4 KiB in float against 1 KiB in int8).
  quant::QuantizeOptions int8_options;
  const model::Graph int8 = quant::Quantize(context_->float_graph, quant::Method::kInt8, int8_options,
                                            &*context_->calibration);
  tiny.flash_bytes = static_cast<int64_t>(model::WriteTflite(int8).size()) + 64;
  const MixedOutcome mixed = RunMixedMethod(*context_, context_->float_graph, *context_->calibration, method, {}, tiny);
  EXPECT_TRUE(mixed.record.kept_ops.empty());
  EXPECT_FALSE(mixed.record.budget_met);
  EXPECT_DOUBLE_EQ(mixed.record.final_score, mixed.record.int8_score);
}

}  // namespace
}  // namespace harness::runner
