#pragma once
// COCO mAP of a detector on a bootstrap resample of its validation images, fast enough for a
// thousand resamples per comparison. Greedy matching (metrics/mean_average_precision.h) pairs a
// detection only with ground truth of its own image, and each image's detections are matched in
// that image's own score order, so whether a detection is a true positive at an IoU threshold
// does not depend on the other images: it is decided once per image here. A resample then only
// ranks the drawn images' detections per class and sums the ground truth it drew, which gives
// exactly the mAP that MeanAveragePrecision computes on the resampled set (a drawn copy is a
// separate image at its draw position, so equal scores rank by draw position, then by index).

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "harness/eval/detection_decoder.h"
#include "harness/eval/metrics/mean_average_precision.h"
#include "harness/runner/run_result.h"

namespace harness::runner {

struct MapPair {
  double map = 0.0;    // COCO mAP@[.5:.95]
  double map50 = 0.0;  // mAP@0.5
};

// Matches every image's detections to its ground truth once. `detections[i]` are image i's
// detections (any order; ranked here by score, ties in the given order); truth whose sample is
// not below detections.size() is left out, as EvaluateTask leaves out samples beyond
// max_samples. Throws harness::Error on a NaN score.
std::vector<ImageOutcome> MatchDetections(
    std::span<const std::vector<eval::DecodedDetection>> detections,
    std::span<const eval::DetectionTruth> truth);

class ResampledMap {
 public:
  // From matched images (MatchDetections, or a report's per_image). Throws harness::Error on a
  // NaN score.
  explicit ResampledMap(std::span<const ImageOutcome> images);
  ResampledMap(std::span<const std::vector<eval::DecodedDetection>> detections,
               std::span<const eval::DetectionTruth> truth)
      : ResampledMap(MatchDetections(detections, truth)) {}

  size_t image_count() const { return truth_per_image_.size(); }

  // The mAP of the images `images` (indices below image_count(), repeats are copies); NaN for
  // both when the drawn images hold no ground truth (the mAP is undefined there).
  MapPair Evaluate(std::span<const size_t> images) const;

 private:
  struct ScoredDetection {
    int32_t class_id = 0;
    float score = 0.0f;
    uint32_t image = 0;
    uint32_t index = 0;          // within its image, the tie-break after the image
    uint16_t true_positive = 0;  // bit t: matched at the t-th COCO IoU threshold
  };
  // Every detection, by class, then score descending, then image and index: a resample's
  // ranking is this order with each detection repeated once per draw of its image, except among
  // equal scores of one class, which Evaluate orders by draw position.
  std::vector<ScoredDetection> ranked_;
  // Per image: (class, ground-truth boxes), by class.
  std::vector<std::vector<std::pair<int32_t, int64_t>>> truth_per_image_;
};

}  // namespace harness::runner
