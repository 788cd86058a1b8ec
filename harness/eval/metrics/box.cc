#include "harness/eval/metrics/box.h"

#include <algorithm>

namespace harness::eval {
namespace {

double Area(const Box& b) {
  const double w = std::max(0.0, static_cast<double>(b.x_max) - static_cast<double>(b.x_min));
  const double h = std::max(0.0, static_cast<double>(b.y_max) - static_cast<double>(b.y_min));
  return w * h;
}

}  // namespace

double IoU(const Box& a, const Box& b) {
  const Box overlap{std::max(a.x_min, b.x_min), std::max(a.y_min, b.y_min),
                    std::min(a.x_max, b.x_max), std::min(a.y_max, b.y_max)};
  const double intersection = Area(overlap);
  const double union_area = Area(a) + Area(b) - intersection;
  return union_area > 0.0 ? intersection / union_area : 0.0;
}

}  // namespace harness::eval
