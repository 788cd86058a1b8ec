#include "harness/eval/metrics/nms.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "harness/common/error.h"

namespace harness::eval {

std::vector<size_t> NonMaxSuppression(std::span<const Detection> detections, double iou_threshold,
                                      size_t max_detections) {
  for (size_t i = 0; i < detections.size(); ++i) {
    if (std::isnan(detections[i].score)) {
      throw Error("NMS", "score of detection " + std::to_string(i) + " is NaN");
    }
  }
  std::vector<size_t> order(detections.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Stable sort on score alone: equal scores keep the lower index first.
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return detections[a].score > detections[b].score; });

  // Visiting all classes in one ranked pass is the same as suppressing each class on its own
  // and merging by rank, and the kept list comes out already in rank order for the cap.
  std::vector<size_t> kept;
  for (size_t candidate : order) {
    if (kept.size() >= max_detections) break;
    const Detection& d = detections[candidate];
    const bool suppressed = std::any_of(kept.begin(), kept.end(), [&](size_t k) {
      return detections[k].class_id == d.class_id && IoU(detections[k].box, d.box) > iou_threshold;
    });
    if (!suppressed) kept.push_back(candidate);
  }
  return kept;
}

}  // namespace harness::eval
