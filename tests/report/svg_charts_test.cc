// The scatter chart's reference and budget lines and its y axis: the fp32 line sits exactly at
// the height of a point of the same value, a budget within reach is drawn right of every point
// and one far beyond is stated instead, and results a few tenths apart get an axis of at least
// the minimum span that stops at 100 %.
#include "harness/report/svg_charts.h"

#include <gtest/gtest.h>

#include <limits>
#include <regex>
#include <string>
#include <vector>

namespace harness::report {
namespace {

// The values of attribute `name` on every element of class `css_class`, in order.
std::vector<double> Attribute(const std::string& svg, const std::string& element,
                              const std::string& css_class, const std::string& name) {
  std::vector<double> values;
  const std::regex tag("<" + element + "[^>]*>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::string text = it->str();
    if (text.find("class=\"" + css_class + "\"") == std::string::npos) continue;
    std::smatch value;
    if (std::regex_search(text, value, std::regex(" " + name + "=\"([-0-9.]+)\"")))
      values.push_back(std::stod(value[1]));
  }
  return values;
}

ScatterChart Chart() {
  ScatterChart chart{};
  chart.title = "digits: accuracy vs model size";
  chart.y_unit = " %";
  chart.x_is_bytes = true;
  chart.min_y_span = 5.0;
  chart.y_ceiling = 100.0;
  chart.points = {{18944, 97.6, "fp32", false},
                  {10445, 97.8, "int8/minmax", false},
                  {10445, 97.9, "int8/mse", false},
                  {10752, 91.4, "int8/entropy", true}};
  chart.reference_y = ChartLine{97.6, "fp32"};
  return chart;
}

TEST(ScatterSvg, TheReferenceLineIsAtTheHeightOfItsValue) {
  const std::string svg = ScatterSvg(Chart());
  const std::vector<double> line = Attribute(svg, "line", "reference", "y1");
  const std::vector<double> points = Attribute(svg, "circle", "point", "cy");
  ASSERT_EQ(line.size(), 1u);
  ASSERT_FALSE(points.empty());
  EXPECT_EQ(line[0], points[0]);  // fp32's point, at 97.6
  EXPECT_NE(svg.find("Dashed line: fp32 (97.6 %)."), std::string::npos);
}

TEST(ScatterSvg, ABudgetWithinReachIsDrawnBeyondEveryPoint) {
  ScatterChart chart = Chart();
  chart.limit_x = ChartLine{32768, "esp32-s3 flash budget"};
  const std::string svg = ScatterSvg(chart);
  const std::vector<double> limit = Attribute(svg, "line", "limit", "x1");
  ASSERT_EQ(limit.size(), 1u);
  std::vector<double> xs = Attribute(svg, "circle", "point", "cx");
  const std::vector<double> bad = Attribute(svg, "circle", "point bad", "cx");
  xs.insert(xs.end(), bad.begin(), bad.end());
  ASSERT_EQ(xs.size(), 4u);
  for (double x : xs) EXPECT_LT(x, limit[0]);
  EXPECT_NE(svg.find("Red line: esp32-s3 flash budget (32.0 KiB)."), std::string::npos) << svg;
}

TEST(ScatterSvg, ABudgetFarBeyondIsStatedNotDrawn) {
  ScatterChart chart = Chart();
  chart.limit_x = ChartLine{8 << 20, "esp32-s3 flash budget"};
  const std::string svg = ScatterSvg(chart);
  EXPECT_TRUE(Attribute(svg, "line", "limit", "x1").empty());
  EXPECT_NE(svg.find("esp32-s3 flash budget (8.00 MiB): beyond the axis"), std::string::npos)
      << svg;
}

TEST(ScatterSvg, TheYAxisSpansTheMinimumAndStopsAtTheCeiling) {
  ScatterChart chart = Chart();
  chart.points.pop_back();  // 97.6 to 97.9 only: 0.3 points of data
  const std::string svg = ScatterSvg(chart);
  // 5 points of axis ending at 100: ticks 95 to 100 and none above.
  EXPECT_NE(svg.find("text-anchor=\"end\">95</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("text-anchor=\"end\">100</text>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("text-anchor=\"end\">101</text>"), std::string::npos) << svg;
}

// Bars: the largest finite value fills the 300 px of bar width, the others in proportion; an
// infinite SQNR (an exact layer) fills it too and a negative one draws nothing.
TEST(BarSvg, LengthsAreProportionalToTheValues) {
  BarChart chart;
  chart.title = "int8/entropy: output 10.3 dB";
  chart.bars = {{"op 0 CONV_2D", 10.0, "10.0 dB", true},
                {"op 1 RELU", 20.0, "20.0 dB", false},
                {"op 2 RESHAPE", std::numeric_limits<double>::infinity(), "inf", false},
                {"op 3 FULLY_CONNECTED", -3.0, "-3.0 dB", false}};
  const std::string svg = BarSvg(chart);
  std::vector<double> widths = Attribute(svg, "rect", "bar bad", "width");
  const std::vector<double> others = Attribute(svg, "rect", "bar", "width");
  widths.insert(widths.end(), others.begin(), others.end());
  EXPECT_EQ(widths, (std::vector<double>{150.0, 300.0, 300.0, 0.0}));
  EXPECT_NE(svg.find(">op 3 FULLY_CONNECTED</text>"), std::string::npos);
}

}  // namespace
}  // namespace harness::report
