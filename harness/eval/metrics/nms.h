#pragma once
// Class-wise greedy non-maximum suppression for the detections of one image.

#include <cstddef>
#include <span>
#include <vector>

#include "harness/eval/metrics/box.h"

namespace harness::eval {

// Indices of the kept detections, best first. Detections are visited by score descending, the
// lower index first on equal scores; a detection is dropped when its IoU with an already kept
// detection of the same class is greater than iou_threshold (so IoU exactly at the threshold
// survives). Classes never suppress each other. At most max_detections are kept over all
// classes together (the highest-ranked ones), as TFLite's detection post-process caps its
// output. NaN scores are an Error.
std::vector<size_t> NonMaxSuppression(std::span<const Detection> detections, double iou_threshold,
                                      size_t max_detections);

}  // namespace harness::eval
