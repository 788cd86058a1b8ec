#pragma once
// The score the `mixed` method's sensitivity analysis ranks candidates by (quant/mixed_precision.h):
// a candidate graph is compiled and run on a scoring set, the model's calibration set, never the
// validation set the report measures.
//
// - When the set can score the model's task, the task's primary metric in points (100 x the
//   fraction): accuracy (classification), map50 (detection: less noisy than map on a small set),
//   auc (anomaly). The budget is then points of that metric, as the suite's `accuracy_drop`.
// - Otherwise (no /labels, no /boxes for detection, or an anomaly set holding one class only, where
//   the AUC is undefined): the output fidelity against the fp32 model's outputs on the same
//   samples, in points too: 100 x (1 - noise energy / signal energy), so the fp32 model scores
//   100 and a budget of 0.5 points lets the quantization noise reach 0.5 % of the output's
//   energy (an output SQNR of 23 dB). A budget in dB of SQNR below some ceiling was tried
//   first: with the ceiling any noise-free model reaches, every useful budget asked for a
//   nearly float model, and the same budget could not mean the same thing for every task.

#include <optional>
#include <string>
#include <vector>

#include "harness/eval/dataset.h"
#include "harness/eval/task_metrics.h"
#include "harness/model/graph.h"
#include "harness/runtime/compiled_model.h"

namespace harness::runner {

enum class MixedScoreKind { kTaskMetric, kOutputFidelity };

class MixedScorer {
 public:
  // `float_model` is the fp32 reference (its score is computed here, once); `options` the task
  // and the number of samples of `set` to use. Both referenced objects must outlive the scorer.
  MixedScorer(const runtime::CompiledModel& float_model, const eval::Dataset& set,
              eval::EvalOptions options);

  MixedScoreKind kind() const { return kind_; }
  // "accuracy", "map50", "auc" or "output_fidelity".
  const std::string& metric() const { return metric_; }
  // The unit of scores and of the budget.
  const char* unit() const { return "points"; }
  double fp32_score() const { return fp32_score_; }

  // The score of `candidate` (compiled here). Throws harness::Error when it does not run.
  double Score(const model::Graph& candidate) const;

 private:
  double ScoreCompiled(const runtime::CompiledModel& model) const;

  const eval::Dataset& set_;
  eval::EvalOptions options_;
  MixedScoreKind kind_ = MixedScoreKind::kOutputFidelity;
  std::string metric_;
  std::vector<float> reference_outputs_;  // the fp32 outputs, output-fidelity mode only
  double fp32_score_ = 0.0;
};

}  // namespace harness::runner
