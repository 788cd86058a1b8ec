#pragma once
// Inline SVG for report.html: a scatter chart with labelled points and axes with ticks, and a
// confusion-matrix heat map. Plain strings, no scripts, so the page works offline and prints.

#include <cstdint>
#include <string>
#include <vector>

namespace harness::report {

struct ScatterPoint {
  double x = 0.0;
  double y = 0.0;
  std::string label;
  bool highlighted = false;  // drawn in the alarm color (a regressed result)
};

struct ScatterChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ScatterPoint> points;
  bool x_is_bytes = false;  // tick labels as B / KiB / MiB
};

// x on a log scale when every x is positive and max / min > 10 (model sizes from fp32 to int8
// span 4x, several models 100x and more); otherwise linear. Ticks at 1-2-5 steps. Labels that
// would overlap are left out of the drawing and listed in a paragraph after it (HTML), and every
// point keeps its name as a tooltip.
std::string ScatterSvg(const ScatterChart& chart);

// Rows = true class, columns = predicted class; a cell's shade is its share of its row (recall
// on the diagonal), so a small class's errors stay visible next to a large class.
std::string ConfusionMatrixSvg(const std::vector<std::vector<int64_t>>& counts,
                               const std::string& title);

// Tick positions between lo and hi at a 1-2-5 step giving about `target` ticks.
std::vector<double> LinearTicks(double lo, double hi, int target);
// 1-2-5 ticks per decade between lo and hi (both > 0).
std::vector<double> LogTicks(double lo, double hi);

}  // namespace harness::report
