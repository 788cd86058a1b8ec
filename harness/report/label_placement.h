#pragma once
// Where the labels of a scatter chart's points go so that none covers another label or a point:
// each label, in point order, takes the first free spot of right, left, above and below its
// point, inside the drawing; a label with no free spot is left out (the chart names it
// elsewhere). Results of a suite cluster at equal sizes and nearly equal accuracies, and labels
// written on top of each other read as none.

#include <optional>
#include <string>
#include <vector>

namespace harness::report {

struct LabelSpot {
  double x = 0.0;  // the text's anchor point, as SVG's <text x y>
  double y = 0.0;
  bool anchor_end = false;  // text-anchor="end" (the label sits left of its point)
};

struct PlacementArea {
  double left = 0.0;    // labels stay inside [left, width] x [0, height] (the y axis's tick
  double width = 0.0;   // labels are left of `left`)
  double height = 0.0;
  double point_radius = 5.0;
  double char_width = 6.2;   // average advance of the label font, px
  double text_height = 11.0;
};

// `x`, `y`: the points' centres in pixels; `labels`: one per point.
std::vector<std::optional<LabelSpot>> PlaceLabels(const std::vector<double>& x,
                                                  const std::vector<double>& y,
                                                  const std::vector<std::string>& labels,
                                                  const PlacementArea& area);

}  // namespace harness::report
