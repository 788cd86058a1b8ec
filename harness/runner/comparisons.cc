#include "harness/runner/comparisons.h"

#include <algorithm>
#include <limits>
#include <string>

#include "harness/common/error.h"
#include "harness/eval/metrics/bootstrap.h"
#include "harness/eval/metrics/mcnemar.h"
#include "harness/eval/metrics/roc_auc.h"
#include "harness/runner/detection_bootstrap.h"

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

// Accuracy on a resample of validation samples: the share of drawn samples that were right.
eval::IndexMetric ResampledAccuracy(const std::vector<uint8_t>& correct) {
  return [&correct](std::span<const size_t> indices) {
    size_t right = 0;
    for (const size_t i : indices) right += correct[i] != 0 ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(indices.size());
  };
}

PairedComparison McNemar(const ResultRecord& a, const ResultRecord& b) {
  PairedComparison c;
  c.other_id = b.id;
  c.test = "mcnemar";
  c.metric = "accuracy";
  c.difference = a.metrics.accuracy.value_or(0.0) - b.metrics.accuracy.value_or(0.0);
  c.p_value = eval::McNemarTest(a.per_sample_correct, b.per_sample_correct).p_value;
  c.significant = *c.p_value < kSignificanceLevel;
  // The interval a report prints beside the difference; McNemar's exact p-value stays the test.
  eval::BootstrapOptions options;
  options.resamples = kBootstrapResamples;
  options.seed = kBootstrapSeed;
  const auto interval = eval::BootstrapDifference(a.per_sample_correct.size(),
                                                  ResampledAccuracy(a.per_sample_correct),
                                                  ResampledAccuracy(b.per_sample_correct), options);
  c.ci_low = interval.low;
  c.ci_high = interval.high;
  return c;
}

PairedComparison BootstrapAuc(const ResultRecord& a, const std::vector<double>& scores_a,
                              const ResultRecord& b, const std::vector<double>& scores_b,
                              const std::vector<int32_t>& labels) {
  PairedComparison c;
  c.other_id = b.id;
  c.test = "bootstrap";
  c.metric = "auc";
  c.difference = a.metrics.auc.value_or(0.0) - b.metrics.auc.value_or(0.0);
  eval::BootstrapOptions options;
  options.resamples = kBootstrapResamples;
  options.seed = kBootstrapSeed;
  const auto interval =
      eval::BootstrapDifference(scores_a.size(), eval::ResampledRocAuc(scores_a, labels),
                                eval::ResampledRocAuc(scores_b, labels), options);
  c.ci_low = interval.low;
  c.ci_high = interval.high;
  c.significant = interval.low > 0.0 || interval.high < 0.0;
  return c;
}

bool HasTruth(std::span<const ImageOutcome> images) {
  return std::any_of(images.begin(), images.end(),
                     [](const ImageOutcome& image) { return !image.truth.empty(); });
}

}  // namespace

std::vector<PairedComparison> BootstrapMap(
    const std::string& other_id, std::span<const std::vector<eval::DecodedDetection>> detections_a,
    std::span<const std::vector<eval::DecodedDetection>> detections_b,
    std::span<const eval::DetectionTruth> truth) {
  return BootstrapMap(other_id, MatchDetections(detections_a, truth),
                      MatchDetections(detections_b, truth));
}

std::vector<PairedComparison> BootstrapMap(const std::string& other_id,
                                           std::span<const ImageOutcome> images_a,
                                           std::span<const ImageOutcome> images_b) {
  if (images_a.size() != images_b.size() || images_a.empty()) {
    throw Error("mAP bootstrap", "the two results have " + std::to_string(images_a.size()) +
                                     " and " + std::to_string(images_b.size()) +
                                     " images; a paired comparison needs the same, at least one");
  }
  const ResampledMap a(images_a);
  const ResampledMap b(images_b);
  std::vector<size_t> all(a.image_count());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  const MapPair full_a = a.Evaluate(all);
  const MapPair full_b = b.Evaluate(all);

  eval::BootstrapOptions options;
  options.resamples = kBootstrapResamples;
  options.seed = kBootstrapSeed;
  std::vector<PairedComparison> comparisons;
  // One evaluation gives both metrics: the map bootstrap records each resample's pair and the
  // map50 bootstrap, drawing the same resamples from the same seed, replays them. A resample is
  // recognised by its indices, so a draw that differed would be evaluated afresh.
  struct Recorded {
    std::vector<size_t> images;
    MapPair pair;
  };
  std::vector<Recorded> recorded_a, recorded_b;
  for (const bool at_50 : {false, true}) {
    auto metric_of = [at_50](const ResampledMap& map, std::vector<Recorded>& recorded) {
      return [&map, &recorded, at_50, cursor = size_t{0}](std::span<const size_t> images) mutable {
        MapPair pair;
        if (!at_50) {
          pair = map.Evaluate(images);
          recorded.push_back({{images.begin(), images.end()}, pair});
        } else if (cursor < recorded.size() &&
                   std::equal(images.begin(), images.end(), recorded[cursor].images.begin(),
                              recorded[cursor].images.end())) {
          pair = recorded[cursor++].pair;
        } else {
          pair = map.Evaluate(images);
        }
        return at_50 ? pair.map50 : pair.map;
      };
    };
    const eval::ConfidenceInterval interval = eval::BootstrapDifference(
        a.image_count(), metric_of(a, recorded_a), metric_of(b, recorded_b), options);
    PairedComparison c;
    c.other_id = other_id;
    c.test = "bootstrap";
    c.metric = at_50 ? "map50" : "map";
    c.difference = at_50 ? full_a.map50 - full_b.map50 : full_a.map - full_b.map;
    c.ci_low = interval.low;
    c.ci_high = interval.high;
    c.significant = interval.low > 0.0 || interval.high < 0.0;
    comparisons.push_back(c);
  }
  return comparisons;
}

void AddPairedComparisons(std::vector<ResultRecord*>& results,
                          const std::vector<ResultSamples>& samples, const SharedTruth& truth) {
  const auto index_of = [&results](const ResultRecord* r) {
    return static_cast<size_t>(std::find(results.begin(), results.end(), r) - results.begin());
  };
  const auto compare = [&](size_t i, const ResultRecord& b) {
    ResultRecord& a = *results[i];
    const ResultSamples& sa = samples[i];
    const ResultSamples& sb = samples[index_of(&b)];
    if (!a.per_sample_correct.empty() &&
        a.per_sample_correct.size() == b.per_sample_correct.size()) {
      a.comparisons.push_back(McNemar(a, b));
    } else if (sa.anomaly_scores && sb.anomaly_scores && !sa.anomaly_scores->empty() &&
               sa.anomaly_scores->size() == sb.anomaly_scores->size() &&
               truth.labels.size() >= sa.anomaly_scores->size()) {
      const std::vector<int32_t> labels(truth.labels.begin(), truth.labels.end());
      a.comparisons.push_back(BootstrapAuc(a, *sa.anomaly_scores, b, *sb.anomaly_scores, labels));
    } else if (sa.detections && sb.detections && !sa.detections->empty() &&
               sa.detections->size() == sb.detections->size() && !truth.boxes.empty()) {
      for (PairedComparison& c : BootstrapMap(b.id, *sa.detections, *sb.detections, truth.boxes))
        a.comparisons.push_back(std::move(c));
    } else if (!a.per_image.empty() && a.per_image.size() == b.per_image.size() &&
               HasTruth(a.per_image)) {
      // A result reused from the cache has its detections only as matched per image, which
      // is what the bootstrap resamples (ResampledMap), with the same figures.
      for (PairedComparison& c : BootstrapMap(b.id, a.per_image, b.per_image))
        a.comparisons.push_back(std::move(c));
    }
  };
  const ResultRecord* fp32 = nullptr;
  for (const ResultRecord* r : results)
    if (r->method == "fp32") fp32 = r;
  for (size_t i = 0; i < results.size(); ++i) {
    const ResultRecord* partner = PartnerOf(*results[i], results);
    if (partner != nullptr) compare(i, *partner);
    // Every result is also measured against fp32, the cost of quantizing at all.
    if (fp32 != nullptr && partner != fp32 && results[i] != fp32) compare(i, *fp32);
  }
}

}  // namespace harness::runner
