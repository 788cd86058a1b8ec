#include "harness/eval/metrics/mean_average_precision.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

constexpr int kRecallPointCount = 101;

struct RankedDetection {
  float score;
  int32_t image;
  size_t index;  // within its image
};

// One class's detections and ground truth, gathered from all images.
struct ClassData {
  std::vector<RankedDetection> detections;
  std::map<int32_t, std::vector<Box>> ground_truth_by_image;  // in input order
  int64_t ground_truth_count = 0;
};

std::map<int32_t, ClassData> GroupByClass(
    std::span<const std::vector<Detection>> detections_per_image,
    std::span<const TruthBox> ground_truth) {
  std::map<int32_t, ClassData> classes;
  for (size_t j = 0; j < ground_truth.size(); ++j) {
    const TruthBox& g = ground_truth[j];
    if (g.image < 0 || static_cast<size_t>(g.image) >= detections_per_image.size()) {
      throw Error("mAP", "ground-truth box " + std::to_string(j) + " belongs to image " +
                             std::to_string(g.image) + " of " +
                             std::to_string(detections_per_image.size()));
    }
    ClassData& c = classes[g.class_id];
    c.ground_truth_by_image[g.image].push_back(g.box);
    ++c.ground_truth_count;
  }
  for (size_t i = 0; i < detections_per_image.size(); ++i) {
    for (size_t k = 0; k < detections_per_image[i].size(); ++k) {
      const Detection& d = detections_per_image[i][k];
      if (std::isnan(d.score)) {
        throw Error("mAP", "score of detection " + std::to_string(k) + " of image " +
                               std::to_string(i) + " is NaN");
      }
      // Classes without ground truth are skipped later; no need to collect their detections.
      auto it = classes.find(d.class_id);
      if (it != classes.end()) {
        it->second.detections.push_back({d.score, static_cast<int32_t>(i), k});
      }
    }
  }
  for (auto& [id, c] : classes) {
    // Collected in (image, index) order, so a stable sort on score gives the COCO ranking.
    std::stable_sort(
        c.detections.begin(), c.detections.end(),
        [](const RankedDetection& a, const RankedDetection& b) { return a.score > b.score; });
  }
  return classes;
}

// True-positive flags of a class's ranked detections at one IoU threshold. Walking the global
// ranking visits each image's detections in that image's own score order, so this is the same
// greedy matching pycocotools does image by image.
std::vector<uint8_t> MatchDetections(const ClassData& c,
                                     std::span<const std::vector<Detection>> detections_per_image,
                                     double iou_threshold) {
  std::map<int32_t, std::vector<uint8_t>> matched;
  for (const auto& [image, boxes] : c.ground_truth_by_image) matched[image].assign(boxes.size(), 0);

  std::vector<uint8_t> is_true_positive(c.detections.size(), 0);
  for (size_t r = 0; r < c.detections.size(); ++r) {
    const RankedDetection& ranked = c.detections[r];
    auto gt = c.ground_truth_by_image.find(ranked.image);
    if (gt == c.ground_truth_by_image.end()) continue;
    const Box& box = detections_per_image[static_cast<size_t>(ranked.image)][ranked.index].box;
    std::vector<uint8_t>& taken = matched[ranked.image];
    double best_iou = iou_threshold;
    int best = -1;
    for (size_t g = 0; g < gt->second.size(); ++g) {
      if (taken[g]) continue;
      const double iou = IoU(box, gt->second[g]);
      if (iou < best_iou) continue;  // >= keeps the later box on a tie, as pycocotools
      best_iou = iou;
      best = static_cast<int>(g);
    }
    if (best >= 0) {
      taken[static_cast<size_t>(best)] = 1;
      is_true_positive[r] = 1;
    }
  }
  return is_true_positive;
}

}  // namespace

std::array<double, kCocoIoUThresholdCount> CocoIoUThresholds() {
  std::array<double, kCocoIoUThresholdCount> thresholds{};
  const double step = (0.95 - 0.5) / (kCocoIoUThresholdCount - 1);
  for (int i = 0; i < kCocoIoUThresholdCount; ++i)
    thresholds[static_cast<size_t>(i)] = i * step + 0.5;
  thresholds.back() = 0.95;
  return thresholds;
}

double AveragePrecision101(std::span<const uint8_t> is_true_positive, int64_t num_ground_truth) {
  if (num_ground_truth <= 0) throw Error("AP", "no ground truth: the AP is undefined");
  const size_t n = is_true_positive.size();
  std::vector<double> precision(n);
  std::vector<double> recall(n);
  int64_t tp = 0;
  for (size_t k = 0; k < n; ++k) {
    tp += is_true_positive[k] != 0 ? 1 : 0;
    precision[k] = static_cast<double>(tp) / static_cast<double>(k + 1);
    recall[k] = static_cast<double>(tp) / static_cast<double>(num_ground_truth);
  }
  for (size_t k = n; k-- > 1;) precision[k - 1] = std::max(precision[k - 1], precision[k]);

  double sum = 0.0;
  for (int i = 0; i < kRecallPointCount; ++i) {
    // np.linspace(0, 1, 101) computes i * 0.01 (which differs from i / 100.0 in the last bit
    // for some i, enough to change ">= r" when recall lands on a point) and sets the last to 1.
    const double r = i + 1 == kRecallPointCount ? 1.0 : i * 0.01;
    const auto first = std::lower_bound(recall.begin(), recall.end(), r);
    if (first != recall.end()) sum += precision[static_cast<size_t>(first - recall.begin())];
  }
  return sum / kRecallPointCount;
}

MapResult MeanAveragePrecision(std::span<const std::vector<Detection>> detections_per_image,
                               std::span<const TruthBox> ground_truth) {
  if (ground_truth.empty()) throw Error("mAP", "no ground-truth boxes: the mAP is undefined");
  const std::map<int32_t, ClassData> classes = GroupByClass(detections_per_image, ground_truth);
  const std::array<double, kCocoIoUThresholdCount> thresholds = CocoIoUThresholds();

  MapResult result;
  for (const auto& [id, c] : classes) {
    std::array<double, kCocoIoUThresholdCount> ap{};
    for (size_t t = 0; t < thresholds.size(); ++t) {
      const std::vector<uint8_t> tp = MatchDetections(c, detections_per_image, thresholds[t]);
      ap[t] = AveragePrecision101(tp, c.ground_truth_count);
    }
    result.classes.push_back(id);
    result.ap.push_back(ap);
  }
  // Sums in class order, then threshold order: fixed, whatever produced the inputs.
  const auto class_count = static_cast<double>(result.classes.size());
  double map_sum = 0.0;
  for (size_t t = 0; t < thresholds.size(); ++t) {
    double sum = 0.0;
    for (const auto& ap : result.ap) sum += ap[t];
    result.map_at_threshold[t] = sum / class_count;
    map_sum += result.map_at_threshold[t];
  }
  result.map = map_sum / kCocoIoUThresholdCount;
  result.map50 = result.map_at_threshold[0];
  return result;
}

}  // namespace harness::eval
