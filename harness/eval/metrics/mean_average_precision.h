#pragma once
// COCO-style mean average precision (pycocotools' COCOeval for bounding boxes, area range
// "all", no crowd boxes). Per class and IoU threshold: detections of all images ranked by score,
// each matched greedily to a still unmatched ground-truth box of the same class in the same
// image, precision made monotone, and the 101-point interpolated AP. Deliberate differences
// from pycocotools, each below 1e-15 in the result or documented to the caller:
//  - precision is tp / (tp + fp) exactly; pycocotools adds machine epsilon to the denominator;
//  - no per-image cap of 100 detections: cap them with NonMaxSuppression's max_detections.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/eval/metrics/box.h"

namespace harness::eval {

inline constexpr int kCocoIoUThresholdCount = 10;  // 0.50, 0.55, ..., 0.95

// The IoU thresholds exactly as pycocotools builds them with np.linspace(.5, .95, 10):
// 0.5 + i * ((0.95 - 0.5) / 9), the last one set to 0.95. Bit-identical values matter because
// a match needs IoU >= threshold and hand-made boxes often hit a threshold exactly.
std::array<double, kCocoIoUThresholdCount> CocoIoUThresholds();

// 101-point interpolated AP of one ranked list: is_true_positive[k] says whether the k-th best
// detection matched. Precision at rank k is tp/(k+1), recall tp/num_ground_truth; precision is
// replaced by its running maximum from the right; for each recall point r = i * 0.01
// (i = 0..100, np.linspace's values) the precision at the first rank with recall >= r counts,
// 0 if recall never reaches r. num_ground_truth must be positive.
double AveragePrecision101(std::span<const uint8_t> is_true_positive, int64_t num_ground_truth);

struct MapResult {
  double map = 0.0;    // mean over the ten IoU thresholds of map_at_threshold
  double map50 = 0.0;  // map_at_threshold[0], IoU 0.50
  std::array<double, kCocoIoUThresholdCount> map_at_threshold{};  // mean AP over classes
  std::vector<int32_t> classes;  // the classes averaged: those with ground truth, ascending
  // ap[c][t]: AP of classes[c] at threshold t, for per-class report tables.
  std::vector<std::array<double, kCocoIoUThresholdCount>> ap;
};

// detections_per_image[i] are the detections of image i; ground_truth[j].image indexes that
// list. Classes with detections but no ground truth are left out of every mean, as COCO does
// (their AP is undefined: there is nothing to recall); a class with ground truth and no
// detections has AP 0. Detection ranking: score descending, then image index, then index within
// the image (pycocotools' stable sorts give this order). Among unmatched ground-truth boxes with
// equal best IoU the later one is taken, as pycocotools does. Error when there is no ground
// truth at all, a ground-truth image index is out of range, or a score is NaN.
MapResult MeanAveragePrecision(std::span<const std::vector<Detection>> detections_per_image,
                               std::span<const TruthBox> ground_truth);

}  // namespace harness::eval
