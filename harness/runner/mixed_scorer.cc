#include "harness/runner/mixed_scorer.h"

#include <cmath>

#include <algorithm>

#include "harness/eval/inference.h"
#include "harness/eval/metrics/fidelity.h"

namespace harness::runner {
namespace {

// The primary metric of `task` when `set` can score it, else nothing (use SQNR).
std::optional<std::string> TaskMetricOf(eval::Task task, const eval::Dataset& set,
                                        std::optional<size_t> max_samples) {
  switch (task) {
    case eval::Task::kClassification:
      if (set.has_labels()) return "accuracy";
      break;
    case eval::Task::kDetection:
      if (set.has_boxes()) return "map50";
      break;
    case eval::Task::kAnomaly: {
      if (!set.has_labels()) break;
      // ROC AUC needs both normal (0) and anomalous (1) samples among those scored.
      const size_t used = std::min(set.labels().size(), max_samples.value_or(set.labels().size()));
      const auto first = set.labels().begin();
      const auto last = first + static_cast<std::ptrdiff_t>(used);
      if (std::count(first, last, 0) > 0 && std::count(first, last, 1) > 0) return "auc";
      break;
    }
    case eval::Task::kUnspecified:
      break;
  }
  return std::nullopt;
}

std::vector<float> FloatOutputs(const runtime::CompiledModel& model, const eval::Dataset& set,
                                const eval::EvalOptions& options) {
  const eval::OutputBatch batch =
      eval::RunOnDataset(model, set, options.max_samples, options.output);
  return eval::DequantizeOutputs(model.output(options.output), batch.data);
}

}  // namespace

MixedScorer::MixedScorer(const runtime::CompiledModel& float_model, const eval::Dataset& set,
                         eval::EvalOptions options)
    : set_(set), options_(options) {
  const eval::Task task = options_.task != eval::Task::kUnspecified ? options_.task : set.task();
  if (auto metric = TaskMetricOf(task, set, options_.max_samples)) {
    kind_ = MixedScoreKind::kTaskMetric;
    metric_ = *metric;
    options_.task = task;
    fp32_score_ = ScoreCompiled(float_model);
  } else {
    kind_ = MixedScoreKind::kOutputFidelity;
    metric_ = "output_fidelity";
    reference_outputs_ = FloatOutputs(float_model, set, options_);
    fp32_score_ = 100.0;
  }
}

double MixedScorer::Score(const model::Graph& candidate) const {
  const runtime::CompiledModel compiled{model::Graph(candidate)};
  return ScoreCompiled(compiled);
}

double MixedScorer::ScoreCompiled(const runtime::CompiledModel& model) const {
  if (kind_ == MixedScoreKind::kOutputFidelity) {
    const std::vector<float> outputs = FloatOutputs(model, set_, options_);
    // noise / signal = 10^(-SQNR / 10): 0 for a noise-free output (+inf dB).
    const double noise_to_signal = std::pow(10.0, -eval::SqnrDb(reference_outputs_, outputs) / 10.0);
    return 100.0 * (1.0 - noise_to_signal);
  }
  const eval::TaskMetrics metrics = eval::EvaluateTask(model, set_, options_);
  double fraction = 0.0;
  if (metric_ == "accuracy") fraction = metrics.accuracy;
  else if (metric_ == "map50") fraction = metrics.map50;
  else fraction = metrics.auc;
  return 100.0 * fraction;
}

}  // namespace harness::runner
