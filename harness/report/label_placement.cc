#include "harness/report/label_placement.h"

#include <array>

namespace harness::report {
namespace {

struct Box {
  double x0, y0, x1, y1;

  bool Overlaps(const Box& other) const {
    return x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1;
  }
};

// The box a label's text covers when anchored at `spot`.
Box TextBox(const LabelSpot& spot, double text_width, double text_height) {
  const double left = spot.anchor_end ? spot.x - text_width : spot.x;
  // SVG's y is the baseline: the glyphs sit above it, a little descends below.
  return {left, spot.y - text_height + 2.0, left + text_width, spot.y + 2.0};
}

}  // namespace

std::vector<std::optional<LabelSpot>> PlaceLabels(const std::vector<double>& x,
                                                  const std::vector<double>& y,
                                                  const std::vector<std::string>& labels,
                                                  const PlacementArea& area) {
  const size_t n = x.size();
  std::vector<Box> taken;
  taken.reserve(2 * n);
  const double r = area.point_radius;
  for (size_t i = 0; i < n; ++i) taken.push_back({x[i] - r, y[i] - r, x[i] + r, y[i] + r});

  std::vector<std::optional<LabelSpot>> spots(n);
  for (size_t i = 0; i < n; ++i) {
    const double width = area.char_width * static_cast<double>(labels[i].size());
    const double gap = r + 3.0;
    const std::array<LabelSpot, 4> candidates = {{
        {x[i] + gap, y[i] + 4.0, false},                     // right
        {x[i] - gap, y[i] + 4.0, true},                      // left
        {x[i] - width / 2.0, y[i] - gap, false},             // above
        {x[i] - width / 2.0, y[i] + gap + area.text_height - 2.0, false},  // below
    }};
    for (const LabelSpot& candidate : candidates) {
      const Box box = TextBox(candidate, width, area.text_height);
      if (box.x0 < area.left || box.y0 < 0.0 || box.x1 > area.width || box.y1 > area.height) continue;
      bool free = true;
      for (size_t k = 0; k < taken.size() && free; ++k) {
        if (k == i) continue;  // its own point
        free = !box.Overlaps(taken[k]);
      }
      if (!free) continue;
      spots[i] = candidate;
      taken.push_back(box);
      break;
    }
  }
  return spots;
}

}  // namespace harness::report
