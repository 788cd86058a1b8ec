// PlaceLabels: labels never cover each other or a point, stay inside the drawing, and a label
// with no free spot is left out, checked on hand-placed points and as a property on random ones.
#include "harness/report/label_placement.h"

#include <gtest/gtest.h>

#include <random>

#include "harness/report/svg_charts.h"

namespace harness::report {
namespace {

PlacementArea Area() {
  PlacementArea area;
  area.width = 400;
  area.height = 300;
  return area;
}

TEST(PlaceLabels, DistantPointsAreLabelledOnTheirRight) {
  const auto spots = PlaceLabels({50, 200}, {50, 200}, {"int8", "fp32"}, Area());
  ASSERT_TRUE(spots[0] && spots[1]);
  EXPECT_DOUBLE_EQ(spots[0]->x, 58.0);  // radius 5 + gap 3
  EXPECT_DOUBLE_EQ(spots[0]->y, 54.0);
  EXPECT_FALSE(spots[0]->anchor_end);
}

TEST(PlaceLabels, ALabelThatWouldLeaveTheDrawingGoesLeft) {
  const auto spots = PlaceLabels({395}, {100}, {"fp32"}, Area());
  ASSERT_TRUE(spots[0]);
  EXPECT_TRUE(spots[0]->anchor_end);
  EXPECT_DOUBLE_EQ(spots[0]->x, 387.0);
}

TEST(PlaceLabels, CoincidentPointsShareTheFourSpotsAndTheRestGoUnlabelled) {
  const std::vector<double> x(6, 200.0), y(6, 150.0);
  const auto spots = PlaceLabels(x, y, {"a", "b", "c", "d", "e", "f"}, Area());
  // Six labels around one spot: at most its four sides are free, so the first label is placed
  // and the sixth is not.
  int placed = 0;
  for (const auto& s : spots) placed += s ? 1 : 0;
  EXPECT_GE(placed, 1);
  EXPECT_LE(placed, 4);
  EXPECT_TRUE(spots[0].has_value());
  EXPECT_FALSE(spots[5].has_value());
}

// The property, on random clusters: no two placed label boxes overlap, none covers a point
// other than its own, all inside.
TEST(PlaceLabels, PlacedLabelsNeverOverlap) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> near(180.0, 220.0);
  std::vector<double> x, y;
  std::vector<std::string> labels;
  for (int i = 0; i < 30; ++i) {
    x.push_back(near(random));
    y.push_back(near(random) - 50.0);
    std::string label = "int8/minmax+";  // appended: GCC 12 warns falsely on "..." + std::string
    label += std::to_string(i);
    labels.push_back(label);
  }
  const PlacementArea area = Area();
  const auto spots = PlaceLabels(x, y, labels, area);
  struct Box { double x0, y0, x1, y1; };
  std::vector<Box> boxes;
  std::vector<size_t> owner;
  for (size_t i = 0; i < spots.size(); ++i) {
    if (!spots[i]) continue;
    const double w = area.char_width * static_cast<double>(labels[i].size());
    const double left = spots[i]->anchor_end ? spots[i]->x - w : spots[i]->x;
    boxes.push_back({left, spots[i]->y - area.text_height + 2.0, left + w, spots[i]->y + 2.0});
    owner.push_back(i);
  }
  ASSERT_FALSE(boxes.empty());
  const auto overlap = [](const Box& a, const Box& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  };
  for (size_t a = 0; a < boxes.size(); ++a) {
    EXPECT_GE(boxes[a].x0, 0.0);
    EXPECT_LE(boxes[a].x1, area.width);
    for (size_t b = a + 1; b < boxes.size(); ++b) EXPECT_FALSE(overlap(boxes[a], boxes[b]));
    for (size_t p = 0; p < x.size(); ++p) {
      if (p == owner[a]) continue;
      const Box circle{x[p] - 5, y[p] - 5, x[p] + 5, y[p] + 5};
      EXPECT_FALSE(overlap(boxes[a], circle)) << labels[owner[a]] << " covers point " << p;
    }
  }
}

// Results at the same size and accuracy share one number label; the legend names every
// result, so nothing needs a tooltip.
TEST(ScatterSvgLabels, CoincidentPointsShareANumberAndTheLegendNamesAll) {
  ScatterChart chart{};
  chart.title = "t";
  for (char name : std::string("012345")) {
    chart.points.push_back({1000.0, 97.8, std::string("r") + name, false});
  }
  chart.points.push_back({9000.0, 90.0, "far", false});
  const std::string html = ScatterSvg(chart);
  EXPECT_NE(html.find(">1,2,3,4,5,6</text>"), std::string::npos) << html;
  EXPECT_NE(html.find(">7</text>"), std::string::npos);
  const size_t legend = html.find("<ol class=\"chart-legend\">");
  ASSERT_NE(legend, std::string::npos);
  EXPECT_NE(html.find("<li>r5: 97.8, 1000</li>", legend), std::string::npos) << html;
  EXPECT_NE(html.find("<li>far: 90, 9000</li>", legend), std::string::npos) << html;
}

}  // namespace
}  // namespace harness::report
