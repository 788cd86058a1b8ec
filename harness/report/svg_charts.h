#pragma once
// Inline SVG for report.html: a scatter chart with labelled points and axes with ticks, and a
// confusion-matrix heat map. Plain strings, no scripts, so the page works offline and prints.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace harness::report {

struct ScatterPoint {
  double x = 0.0;
  double y = 0.0;
  std::string label;
  bool highlighted = false;  // drawn in the alarm color (a regressed result)
};

// A straight line across the plot at one value, with its name.
struct ChartLine {
  double value = 0.0;
  std::string label;
};

struct ScatterChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ScatterPoint> points;
  bool x_is_bytes = false;  // tick labels as B / KiB / MiB
  std::optional<ChartLine> reference_y;  // horizontal, dashed: the fp32 result
  std::optional<ChartLine> limit_x;      // vertical, in the alarm color: the target's budget
  // The y axis spans at least this much, so results a few tenths apart do not look miles apart;
  // and never goes beyond y_ceiling (100 % for a percentage) when the data leave room.
  double min_y_span = 0.0;
  std::optional<double> y_ceiling;
  std::string y_unit;  // after each value in the legend: " %"
};

// x on a log scale when every x is positive and max / min > 10 (model sizes from fp32 to int8
// span 4x, several models 100x and more); otherwise linear. Ticks at 1-2-5 steps. Every point
// carries a number, drawn beside it (points on the same spot share one label, "2,5,7"), and a
// legend after the drawing (HTML) names each number with its values, so nothing needs hovering;
// a number label with no free spot is named in a note instead. The x axis reaches the budget
// line when it is within 4x of the largest point; a budget further away is stated in the legend.
std::string ScatterSvg(const ScatterChart& chart);

// A horizontal bar chart: one labelled bar per entry, in the given order, lengths proportional
// to the finite values (the largest fills the width; an infinite value fills it too, a negative
// one draws no bar), each bar's value printed after it.
struct Bar {
  std::string label;  // left of the bar: "op 3 CONV_2D"
  double value = 0.0;
  std::string value_text;    // after the bar: "12.1 dB"
  bool highlighted = false;  // drawn in the alarm color
};

struct BarChart {
  std::string title;
  std::vector<Bar> bars;
};

std::string BarSvg(const BarChart& chart);

// Rows = true class, columns = predicted class; a cell's shade is its share of its row (recall
// on the diagonal), so a small class's errors stay visible next to a large class.
std::string ConfusionMatrixSvg(const std::vector<std::vector<int64_t>>& counts,
                               const std::string& title);

// Tick positions between lo and hi at a 1-2-5 step giving about `target` ticks.
std::vector<double> LinearTicks(double lo, double hi, int target);
// 1-2-5 ticks per decade between lo and hi (both > 0).
std::vector<double> LogTicks(double lo, double hi);

}  // namespace harness::report
