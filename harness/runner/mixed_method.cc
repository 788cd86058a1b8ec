#include "harness/runner/mixed_method.h"

#include "harness/common/error.h"
#include "harness/runner/mixed_scorer.h"

namespace harness::runner {

const char* PrecisionName(quant::LayerPrecision precision) {
  switch (precision) {
    case quant::LayerPrecision::kDefault: return "int8";
    case quant::LayerPrecision::kFloat: return "float32";
    case quant::LayerPrecision::kInt16x8: return "int16x8";
  }
  return "int8";
}

quant::LayerPrecision FallbackOf(suite::MixedKeep keep) {
  switch (keep) {
    case suite::MixedKeep::kFloat32: return quant::LayerPrecision::kFloat;
    case suite::MixedKeep::kInt16x8: return quant::LayerPrecision::kInt16x8;
  }
  return quant::LayerPrecision::kFloat;
}

MixedPrecision ToRecord(const quant::MixedPrecisionResult& result, const std::string& metric,
                        const std::string& unit) {
  MixedPrecision record;
  record.metric = metric;
  record.unit = unit;
  record.budget = result.budget;
  record.budget_met = result.budget_met;
  record.fp32_score = result.fp32_score;
  record.int8_score = result.int8_score;
  record.final_score = result.final_score;
  for (const quant::LayerSensitivity& layer : result.layers) {
    record.layers.push_back({layer.op_index, model::ToString(layer.op_type), layer.output_tensor,
                             layer.sensitivity, PrecisionName(layer.precision)});
  }
  record.kept_ops = result.kept_ops;
  return record;
}

MixedOutcome RunMixedMethod(const ModelContext& context, const model::Graph& float_graph,
                            const quant::CalibrationResult& calibration,
                            const suite::MethodSpec& spec, const quant::Int8Options& int8,
                            const suite::Target& target) {
  if (!context.calibration_set) {
    throw Error("mixed", "the mixed method needs a calibration set");
  }
  eval::EvalOptions scoring;
  scoring.task = context.eval_options.task;
  scoring.output = context.eval_options.output;
  scoring.max_samples = context.calibration_samples;
  const MixedScorer scorer(*context.float_model, *context.calibration_set, scoring);

  quant::MixedPrecisionOptions options;
  options.budget = spec.accuracy_drop_budget;
  options.fallback = FallbackOf(spec.keep);
  options.flash_bytes = target.flash_bytes;
  options.sram_bytes = target.sram_bytes;
  options.int8 = int8;
  quant::CalibratorOptions calibrator_options;
  calibrator_options.percentile = spec.percentile;
  // The suite gives mixed a calibrator (minmax when the entry names none).
  const std::string calibrator_name =
      spec.calibrator == suite::Calibrator::kNone ? "minmax" : suite::ToString(spec.calibrator);
  const auto calibrator = quant::MakeCalibrator(calibrator_name, calibrator_options);

  // The fp32 score is the scorer's, computed once; every other graph is compiled and scored.
  const quant::GraphScorer score = [&](const model::Graph& graph) {
    return &graph == &float_graph ? scorer.fp32_score() : scorer.Score(graph);
  };
  quant::MixedPrecisionResult result =
      quant::SelectMixedPrecision(float_graph, calibration, *calibrator, options, score);
  MixedOutcome outcome;
  outcome.record = ToRecord(result, scorer.metric(), scorer.unit());
  outcome.graph = std::move(result.graph);
  return outcome;
}

}  // namespace harness::runner
