#include "harness/runner/detection_bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "harness/common/error.h"
#include "harness/eval/metrics/box.h"

namespace harness::runner {
namespace {

static_assert(eval::kCocoIoUThresholdCount <= 16, "true-positive flags are 16 bits");

eval::Box BoxOf(const eval::DecodedDetection& d) { return {d.x_min, d.y_min, d.x_max, d.y_max}; }
eval::Box BoxOf(const eval::DetectionTruth& t) { return {t.x_min, t.y_min, t.x_max, t.y_max}; }

// Greedy matching of one image's detections of one class, in score order (ties by index), to
// that image's ground truth of the class, as MeanAveragePrecision does: the unmatched box of
// highest IoU >= threshold, the later one on equal IoU.
uint16_t MatchAtEveryThreshold(const eval::Box& box, const std::vector<eval::Box>& truth,
                               std::vector<std::vector<uint8_t>>& taken,
                               const std::array<double, eval::kCocoIoUThresholdCount>& thresholds) {
  uint16_t flags = 0;
  for (size_t t = 0; t < thresholds.size(); ++t) {
    double best_iou = thresholds[t];
    int best = -1;
    for (size_t g = 0; g < truth.size(); ++g) {
      if (taken[t][g]) continue;
      const double iou = eval::IoU(box, truth[g]);
      if (iou < best_iou) continue;
      best_iou = iou;
      best = static_cast<int>(g);
    }
    if (best >= 0) {
      taken[t][static_cast<size_t>(best)] = 1;
      flags = static_cast<uint16_t>(flags | (1u << t));
    }
  }
  return flags;
}

}  // namespace

ResampledMap::ResampledMap(std::span<const std::vector<eval::DecodedDetection>> detections,
                           std::span<const eval::DetectionTruth> truth) {
  const auto thresholds = eval::CocoIoUThresholds();
  // Ground truth per image and class, in input order.
  std::vector<std::map<int32_t, std::vector<eval::Box>>> truth_by_image(detections.size());
  for (const eval::DetectionTruth& t : truth) {
    if (t.sample < 0 || static_cast<size_t>(t.sample) >= detections.size()) continue;
    truth_by_image[static_cast<size_t>(t.sample)][t.class_id].push_back(BoxOf(t));
  }
  images_.resize(detections.size());
  for (size_t i = 0; i < detections.size(); ++i) {
    ImageData& image = images_[i];
    for (const auto& [class_id, boxes] : truth_by_image[i])
      image.truth_per_class.emplace_back(class_id, static_cast<int64_t>(boxes.size()));

    std::vector<uint32_t> order(detections[i].size());
    for (size_t k = 0; k < order.size(); ++k) {
      if (std::isnan(detections[i][k].score)) {
        throw Error("mAP bootstrap", "score of detection " + std::to_string(k) + " of image " +
                                         std::to_string(i) + " is NaN");
      }
      order[k] = static_cast<uint32_t>(k);
    }
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return detections[i][a].score > detections[i][b].score;
    });
    // Matched flags per class and threshold, one per ground-truth box.
    std::map<int32_t, std::vector<std::vector<uint8_t>>> taken;
    for (const auto& [class_id, boxes] : truth_by_image[i])
      taken[class_id].assign(thresholds.size(), std::vector<uint8_t>(boxes.size(), 0));
    for (uint32_t k : order) {
      const eval::DecodedDetection& d = detections[i][k];
      ScoredDetection scored{d.class_id, d.score, k, 0};
      auto gt = truth_by_image[i].find(d.class_id);
      if (gt != truth_by_image[i].end())
        scored.true_positive = MatchAtEveryThreshold(BoxOf(d), gt->second, taken[d.class_id], thresholds);
      image.detections.push_back(scored);
    }
  }
}

MapPair ResampledMap::Evaluate(std::span<const size_t> images) const {
  // Ground truth drawn per class; only these classes enter the means (COCO leaves out classes
  // without ground truth).
  std::map<int32_t, int64_t> truth_count;
  for (size_t i : images)
    for (const auto& [class_id, count] : images_.at(i).truth_per_class) truth_count[class_id] += count;
  if (truth_count.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
  }

  struct Ranked {
    int32_t class_id;
    float score;
    size_t position;  // in the resample
    uint32_t index;
    uint16_t true_positive;
  };
  std::vector<Ranked> ranked;
  for (size_t position = 0; position < images.size(); ++position) {
    for (const ScoredDetection& d : images_[images[position]].detections) {
      if (truth_count.count(d.class_id))
        ranked.push_back({d.class_id, d.score, position, d.index, d.true_positive});
    }
  }
  // Per class: score descending, then draw position, then index: MeanAveragePrecision's ranking.
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.class_id != b.class_id) return a.class_id < b.class_id;
    if (a.score != b.score) return a.score > b.score;
    if (a.position != b.position) return a.position < b.position;
    return a.index < b.index;
  });

  // AP per class and threshold, summed in class order then threshold order, as
  // MeanAveragePrecision sums, so a resample that draws every image once gives its bits.
  std::array<double, eval::kCocoIoUThresholdCount> sum_over_classes{};
  std::vector<uint8_t> flags;
  size_t begin = 0;
  for (const auto& [class_id, count] : truth_count) {
    size_t end = begin;
    while (end < ranked.size() && ranked[end].class_id == class_id) ++end;
    for (size_t t = 0; t < sum_over_classes.size(); ++t) {
      flags.clear();
      for (size_t r = begin; r < end; ++r) flags.push_back((ranked[r].true_positive >> t) & 1u);
      sum_over_classes[t] += eval::AveragePrecision101(flags, count);
    }
    begin = end;
  }
  const auto class_count = static_cast<double>(truth_count.size());
  double map_sum = 0.0;
  double map50 = 0.0;
  for (size_t t = 0; t < sum_over_classes.size(); ++t) {
    const double at_threshold = sum_over_classes[t] / class_count;
    if (t == 0) map50 = at_threshold;
    map_sum += at_threshold;
  }
  return {map_sum / eval::kCocoIoUThresholdCount, map50};
}

}  // namespace harness::runner
