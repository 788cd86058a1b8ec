#pragma once
// The score the `mixed` method's sensitivity analysis ranks candidates by (quant/mixed_precision.h):
// a candidate graph is compiled and run on a scoring set, the model's calibration set, never the
// validation set the report measures.
//
// - When the set can score the model's task, the task's primary metric in points (100 x the
//   fraction): accuracy (classification), map50 (detection: less noisy than map on a small set),
//   auc (anomaly). The budget is then points of that metric, as the suite's `accuracy_drop`.
// - Otherwise (no /labels, no /boxes for detection, or an anomaly set holding one class only, where
//   the AUC is undefined): the output SQNR in dB against the fp32 model's outputs on the same
//   samples, capped at kSqnrCeilingDb, the fp32 model's own score. The budget then counts dB
//   below that ceiling: a budget of 20 asks for an output SQNR of at least 40 dB.

#include <optional>
#include <string>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/task_metrics.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"

namespace harness::runner {

// Output noise 60 dB below the signal changes no decision of an int8 model's consumer; counting
// SQNR above it would make the fp32 model (no noise, +inf dB) infinitely far from any candidate.
inline constexpr double kSqnrCeilingDb = 60.0;

enum class MixedScoreKind { kTaskMetric, kOutputSqnr };

class MixedScorer {
 public:
  // `float_model` is the fp32 reference (its score is computed here, once); `options` the task
  // and the number of samples of `set` to use. Both referenced objects must outlive the scorer.
  MixedScorer(const runtime::CompiledModel& float_model, const eval::Dataset& set,
              eval::EvalOptions options);

  MixedScoreKind kind() const { return kind_; }
  // "accuracy", "map50", "auc" or "sqnr_db".
  const std::string& metric() const { return metric_; }
  // The unit of scores and of the budget: "points" or "dB".
  const char* unit() const { return kind_ == MixedScoreKind::kTaskMetric ? "points" : "dB"; }
  double fp32_score() const { return fp32_score_; }

  // The score of `candidate` (compiled here). Throws harness::Error when it does not run.
  double Score(const model::Graph& candidate) const;

 private:
  double ScoreCompiled(const runtime::CompiledModel& model) const;

  const eval::Dataset& set_;
  eval::EvalOptions options_;
  MixedScoreKind kind_ = MixedScoreKind::kOutputSqnr;
  std::string metric_;
  std::vector<float> reference_outputs_;  // the fp32 outputs, SQNR mode only
  double fp32_score_ = 0.0;
};

}  // namespace harness::runner
