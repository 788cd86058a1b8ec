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

std::vector<ImageOutcome> MatchDetections(
    std::span<const std::vector<eval::DecodedDetection>> detections,
    std::span<const eval::DetectionTruth> truth) {
  const auto thresholds = eval::CocoIoUThresholds();
  // Ground truth per image and class, in input order.
  std::vector<std::map<int32_t, std::vector<eval::Box>>> truth_by_image(detections.size());
  for (const eval::DetectionTruth& t : truth) {
    if (t.sample < 0 || static_cast<size_t>(t.sample) >= detections.size()) continue;
    truth_by_image[static_cast<size_t>(t.sample)][t.class_id].push_back(BoxOf(t));
  }
  std::vector<ImageOutcome> images(detections.size());
  for (size_t i = 0; i < detections.size(); ++i) {
    for (const auto& [class_id, boxes] : truth_by_image[i])
      images[i].truth.emplace_back(class_id, static_cast<int64_t>(boxes.size()));

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
      MatchedDetection matched{d.class_id, d.score, 0};
      auto gt = truth_by_image[i].find(d.class_id);
      if (gt != truth_by_image[i].end())
        matched.true_positive =
            MatchAtEveryThreshold(BoxOf(d), gt->second, taken[d.class_id], thresholds);
      images[i].detections.push_back(matched);
    }
  }
  return images;
}

ResampledMap::ResampledMap(std::span<const ImageOutcome> images) {
  truth_per_image_.resize(images.size());
  for (size_t i = 0; i < images.size(); ++i) {
    truth_per_image_[i] = images[i].truth;
    // Stored by score, ties in decoder order, so the position is the tie-break index.
    for (size_t k = 0; k < images[i].detections.size(); ++k) {
      const MatchedDetection& d = images[i].detections[k];
      if (std::isnan(d.score)) {
        throw Error("mAP bootstrap", "score of detection " + std::to_string(k) + " of image " +
                                         std::to_string(i) + " is NaN");
      }
      ranked_.push_back({d.class_id, d.score, static_cast<uint32_t>(i), static_cast<uint32_t>(k),
                         d.true_positive});
    }
  }
  std::sort(ranked_.begin(), ranked_.end(), [](const ScoredDetection& a, const ScoredDetection& b) {
    if (a.class_id != b.class_id) return a.class_id < b.class_id;
    if (a.score != b.score) return a.score > b.score;
    if (a.image != b.image) return a.image < b.image;
    return a.index < b.index;
  });
}

MapPair ResampledMap::Evaluate(std::span<const size_t> images) const {
  // Draw positions of every image (a counting sort), and the ground truth drawn per class; only
  // classes with drawn ground truth enter the means (COCO leaves out the others).
  const size_t image_count = truth_per_image_.size();
  std::vector<size_t> first_position(image_count + 1, 0);
  for (size_t i : images) ++first_position.at(i + 1);
  for (size_t i = 0; i < image_count; ++i) first_position[i + 1] += first_position[i];
  std::vector<size_t> positions(images.size());
  {
    std::vector<size_t> next(first_position.begin(), first_position.end() - 1);
    for (size_t p = 0; p < images.size(); ++p) positions[next[images[p]]++] = p;
  }
  std::map<int32_t, int64_t> truth_count;
  for (size_t i : images)
    for (const auto& [class_id, count] : truth_per_image_[i]) truth_count[class_id] += count;
  if (truth_count.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
  }

  // AP per class and threshold, summed in class order then threshold order, as
  // MeanAveragePrecision sums, so a resample that draws every image once gives its bits.
  std::array<double, eval::kCocoIoUThresholdCount> sum_over_classes{};
  std::vector<uint16_t> ranked_flags;
  std::vector<uint8_t> flags;
  struct Copy {
    size_t position;
    uint32_t index;
    uint16_t true_positive;
  };
  std::vector<Copy> ties;
  size_t begin = 0;
  for (const auto& [class_id, count] : truth_count) {
    while (begin < ranked_.size() && ranked_[begin].class_id < class_id) ++begin;
    ranked_flags.clear();
    size_t end = begin;
    while (end < ranked_.size() && ranked_[end].class_id == class_id) {
      // A run of equal scores: copies rank by draw position, then index (one detection's copies
      // carry the same flags, so a run of one needs no ordering).
      size_t run_end = end + 1;
      while (run_end < ranked_.size() && ranked_[run_end].class_id == class_id &&
             ranked_[run_end].score == ranked_[end].score)
        ++run_end;
      if (run_end == end + 1) {
        const ScoredDetection& d = ranked_[end];
        const size_t copies = first_position[d.image + 1] - first_position[d.image];
        ranked_flags.insert(ranked_flags.end(), copies, d.true_positive);
      } else {
        ties.clear();
        for (size_t r = end; r < run_end; ++r) {
          const ScoredDetection& d = ranked_[r];
          for (size_t q = first_position[d.image]; q < first_position[d.image + 1]; ++q)
            ties.push_back({positions[q], d.index, d.true_positive});
        }
        std::sort(ties.begin(), ties.end(), [](const Copy& a, const Copy& b) {
          return a.position != b.position ? a.position < b.position : a.index < b.index;
        });
        for (const Copy& c : ties) ranked_flags.push_back(c.true_positive);
      }
      end = run_end;
    }
    for (size_t t = 0; t < sum_over_classes.size(); ++t) {
      flags.resize(ranked_flags.size());
      for (size_t r = 0; r < ranked_flags.size(); ++r)
        flags[r] = static_cast<uint8_t>((ranked_flags[r] >> t) & 1u);
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
