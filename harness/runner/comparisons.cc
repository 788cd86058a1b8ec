#include "harness/runner/comparisons.h"

#include <algorithm>
#include <limits>

#include "harness/eval/metrics/bootstrap.h"
#include "harness/eval/metrics/mcnemar.h"
#include "harness/eval/metrics/roc_auc.h"

namespace harness::runner {
namespace {

// The result this one is compared with: the same method's min-max result for another
// calibrator, else fp32 for a quantized result.
const ResultRecord* PartnerOf(const ResultRecord& r, const std::vector<ResultRecord*>& all) {
  if (r.method == "fp32") return nullptr;
  if (r.calibrator != "none" && r.calibrator != "minmax") {
    for (const ResultRecord* other : all)
      if (other->method == r.method && other->calibrator == "minmax") return other;
  } else if (r.method.find('+') != std::string::npos) {
    // An option variant is compared with the plain method under the same calibrator.
    const std::string plain = r.method.substr(0, r.method.find('+'));
    for (const ResultRecord* other : all)
      if (other->method == plain && other->calibrator == r.calibrator) return other;
  }
  for (const ResultRecord* other : all)
    if (other->method == "fp32") return other;
  return nullptr;
}

PairedComparison McNemar(const ResultRecord& a, const ResultRecord& b) {
  PairedComparison c;
  c.other_id = b.id;
  c.test = "mcnemar";
  c.metric = "accuracy";
  c.difference = a.metrics.accuracy.value_or(0.0) - b.metrics.accuracy.value_or(0.0);
  c.p_value = eval::McNemarTest(a.per_sample_correct, b.per_sample_correct).p_value;
  c.significant = *c.p_value < kSignificanceLevel;
  return c;
}

PairedComparison BootstrapAuc(const ResultRecord& a, const std::vector<double>& scores_a,
                              const ResultRecord& b, const std::vector<double>& scores_b,
                              const std::vector<int32_t>& labels) {
  // AUC of a resample; NaN when the resample lacks one of the classes (skipped by the
  // bootstrap), since AUC is undefined there.
  auto auc_of = [&](const std::vector<double>& scores) {
    return [&](std::span<const size_t> indices) {
      std::vector<double> s;
      std::vector<int32_t> l;
      s.reserve(indices.size());
      l.reserve(indices.size());
      bool normal = false, anomalous = false;
      for (size_t i : indices) {
        s.push_back(scores[i]);
        l.push_back(labels[i]);
        (labels[i] ? anomalous : normal) = true;
      }
      if (!normal || !anomalous) return std::numeric_limits<double>::quiet_NaN();
      return eval::RocAuc(std::span<const double>(s), std::span<const int32_t>(l));
    };
  };
  PairedComparison c;
  c.other_id = b.id;
  c.test = "bootstrap";
  c.metric = "auc";
  c.difference = a.metrics.auc.value_or(0.0) - b.metrics.auc.value_or(0.0);
  eval::BootstrapOptions options;
  options.resamples = 1000;
  options.seed = 0;
  const auto interval = eval::BootstrapDifference(scores_a.size(), auc_of(scores_a), auc_of(scores_b), options);
  c.ci_low = interval.low;
  c.ci_high = interval.high;
  c.significant = interval.low > 0.0 || interval.high < 0.0;
  return c;
}

}  // namespace

void AddPairedComparisons(std::vector<ResultRecord*>& results,
                          const std::vector<const std::vector<double>*>& anomaly_scores,
                          const std::vector<int32_t>& labels) {
  for (size_t i = 0; i < results.size(); ++i) {
    ResultRecord& a = *results[i];
    const ResultRecord* b = PartnerOf(a, results);
    if (b == nullptr) continue;
    const size_t j = static_cast<size_t>(std::find(results.begin(), results.end(), b) - results.begin());
    if (!a.per_sample_correct.empty() && a.per_sample_correct.size() == b->per_sample_correct.size()) {
      a.comparisons.push_back(McNemar(a, *b));
    } else if (anomaly_scores[i] && anomaly_scores[j] && !anomaly_scores[i]->empty() &&
               anomaly_scores[i]->size() == anomaly_scores[j]->size() &&
               labels.size() >= anomaly_scores[i]->size()) {
      a.comparisons.push_back(BootstrapAuc(a, *anomaly_scores[i], *b, *anomaly_scores[j], labels));
    }
  }
}

}  // namespace harness::runner
