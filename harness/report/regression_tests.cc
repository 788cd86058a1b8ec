#include "harness/report/regression_tests.h"

#include <cmath>
#include <limits>
#include <vector>

#include "harness/eval/metrics/bootstrap.h"
#include "harness/eval/metrics/roc_auc.h"
#include "harness/eval/metrics/significance.h"
#include "harness/runner/detection_bootstrap.h"

namespace harness::report {
namespace {

using runner::ResultRecord;

std::optional<PairedOutcome> McNemar(const std::vector<uint8_t>& now,
                                     const std::vector<uint8_t>& before, std::string& why) {
  if (now.empty() || before.empty()) {
    why = "no per-sample results in " + std::string(now.empty() ? "this run" : "the baseline");
    return std::nullopt;
  }
  if (now.size() != before.size()) {
    why = std::to_string(now.size()) + " validation samples against the baseline's " +
          std::to_string(before.size());
    return std::nullopt;
  }
  return PairedOutcome{eval::McNemarDropPValue(before, now), eval::McNemarDropPValue(now, before)};
}

PairedOutcome FromDifferences(double observed, const std::vector<double>& differences) {
  std::vector<double> negated(differences.size());
  for (size_t i = 0; i < differences.size(); ++i) negated[i] = -differences[i];
  return {eval::BootstrapDropPValue(observed, differences),
          eval::BootstrapDropPValue(-observed, negated)};
}

std::optional<PairedOutcome> BootstrapAuc(const ResultRecord& now, const ResultRecord& before,
                                          std::string& why) {
  if (now.per_sample_score.empty() || before.per_sample_score.empty()) {
    why = "no per-sample scores in " +
          std::string(now.per_sample_score.empty() ? "this run" : "the baseline");
    return std::nullopt;
  }
  if (now.per_sample_score.size() != before.per_sample_score.size() ||
      now.per_sample_label != before.per_sample_label ||
      now.per_sample_label.size() != now.per_sample_score.size()) {
    why = "the validation samples differ from the baseline's";
    return std::nullopt;
  }
  const std::vector<uint8_t>& labels = now.per_sample_label;
  const std::vector<int32_t> labels32(labels.begin(), labels.end());
  const std::vector<double> differences = eval::BootstrapDifferences(
      labels.size(), eval::ResampledRocAuc(now.per_sample_score, labels32),
      eval::ResampledRocAuc(before.per_sample_score, labels32), kGateBootstrapResamples,
      kGateBootstrapSeed);
  return FromDifferences(now.metrics.auc.value_or(0.0) - before.metrics.auc.value_or(0.0),
                         differences);
}

// Both mAP figures from one bootstrap: each resample's map50 is recorded beside its map.
std::optional<std::pair<PairedOutcome, PairedOutcome>> BootstrapMap(const ResultRecord& now,
                                                                    const ResultRecord& before,
                                                                    std::string& why) {
  if (now.per_image.empty() || before.per_image.empty()) {
    why = "no per-image detections in " +
          std::string(now.per_image.empty() ? "this run" : "the baseline");
    return std::nullopt;
  }
  if (now.per_image.size() != before.per_image.size()) {
    why = std::to_string(now.per_image.size()) + " validation images against the baseline's " +
          std::to_string(before.per_image.size());
    return std::nullopt;
  }
  for (size_t i = 0; i < now.per_image.size(); ++i) {
    if (now.per_image[i].truth != before.per_image[i].truth) {
      why = "the ground truth of image " + std::to_string(i) + " differs from the baseline's";
      return std::nullopt;
    }
  }
  const runner::ResampledMap map_now(now.per_image);
  const runner::ResampledMap map_before(before.per_image);
  std::vector<double> map50_now, map50_before;
  auto metric_of = [](const runner::ResampledMap& map, std::vector<double>& map50) {
    return [&map, &map50](std::span<const size_t> images) {
      const runner::MapPair pair = map.Evaluate(images);
      map50.push_back(pair.map50);
      return pair.map;
    };
  };
  const std::vector<double> differences = eval::BootstrapDifferences(
      now.per_image.size(), metric_of(map_now, map50_now), metric_of(map_before, map50_before),
      kGateBootstrapResamples, kGateBootstrapSeed);
  std::vector<double> differences50;
  for (size_t r = 0; r < map50_now.size(); ++r) {
    const double d = map50_now[r] - map50_before[r];
    if (!std::isnan(d)) differences50.push_back(d);
  }
  return std::pair{
      FromDifferences(now.metrics.map.value_or(0.0) - before.metrics.map.value_or(0.0),
                      differences),
      FromDifferences(now.metrics.map50.value_or(0.0) - before.metrics.map50.value_or(0.0),
                      differences50)};
}

}  // namespace

std::optional<PairedOutcome> RunPairedTest(PairedTest test, const ResultRecord& current,
                                           const ResultRecord& baseline, std::string& why,
                                           PairedTestMemo& memo) {
  switch (test) {
    case PairedTest::kNone:
      why = "no paired test";
      return std::nullopt;
    case PairedTest::kMcNemarTop1:
      return McNemar(current.per_sample_correct, baseline.per_sample_correct, why);
    case PairedTest::kMcNemarTop5:
      return McNemar(current.per_sample_top5, baseline.per_sample_top5, why);
    case PairedTest::kMcNemarAgreement:
      return McNemar(current.per_sample_agrees, baseline.per_sample_agrees, why);
    case PairedTest::kBootstrapMap:
    case PairedTest::kBootstrapMap50: {
      if (!memo.map) memo.map = BootstrapMap(current, baseline, why);
      if (!memo.map) return std::nullopt;
      return test == PairedTest::kBootstrapMap ? memo.map->first : memo.map->second;
    }
    case PairedTest::kBootstrapAuc:
      return BootstrapAuc(current, baseline, why);
  }
  why = "unknown test";
  return std::nullopt;
}

double ClassRecallDropPValue(int64_t correct, int64_t support, double baseline_recall) {
  return eval::BinomialLowerTail(correct, support, baseline_recall);
}

}  // namespace harness::report
