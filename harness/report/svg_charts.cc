#include "harness/report/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "harness/report/label_placement.h"
#include "harness/report/text_format.h"
#include "harness/report/xml_escape.h"

namespace harness::report {
namespace {

std::string Num(double value) {  // SVG coordinates: one decimal is plenty
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string TickLabel(double value, bool bytes) {
  if (bytes) return FormatBytes(static_cast<int64_t>(std::llround(value)));
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

std::vector<double> LinearTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(hi > lo) || target < 1) return ticks;
  const double raw = (hi - lo) / target;
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  double step = decade;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * decade;
    if (step >= raw) break;
  }
  for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) {
    ticks.push_back(std::abs(t) < 1e-12 * step ? 0.0 : t);
  }
  return ticks;
}

std::vector<double> LogTicks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(lo > 0.0) || !(hi > lo)) return ticks;
  for (double decade = std::pow(10.0, std::floor(std::log10(lo))); decade <= hi; decade *= 10.0) {
    for (double m : {1.0, 2.0, 5.0}) {
      const double t = m * decade;
      if (t >= lo && t <= hi) ticks.push_back(t);
    }
  }
  return ticks;
}

std::string ScatterSvg(const ScatterChart& chart) {
  constexpr double kWidth = 680, kHeight = 380;
  constexpr double kLeft = 70, kRight = 150, kTop = 30, kBottom = 50;  // right: room for labels
  // How far beyond the largest point a budget line may pull the x axis.
  constexpr double kLimitReach = 4.0;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  std::ostringstream svg;
  svg << "<svg width=\"" << kWidth << "\" height=\"" << kHeight << "\" viewBox=\"0 0 " << kWidth
      << " " << kHeight << "\" class=\"chart\" role=\"img\">\n";
  svg << "<text x=\"" << kLeft << "\" y=\"18\" class=\"title\">" << XmlEscape(chart.title)
      << "</text>\n";
  if (chart.points.empty()) return svg.str() + "</svg>\n";

  double x_lo = chart.points[0].x, x_hi = x_lo, y_lo = chart.points[0].y, y_hi = y_lo;
  for (const auto& p : chart.points) {
    x_lo = std::min(x_lo, p.x);
    x_hi = std::max(x_hi, p.x);
    y_lo = std::min(y_lo, p.y);
    y_hi = std::max(y_hi, p.y);
  }
  const bool limit_drawn =
      chart.limit_x && chart.limit_x->value > 0.0 && chart.limit_x->value <= kLimitReach * x_hi;
  if (limit_drawn) {
    x_lo = std::min(x_lo, chart.limit_x->value);
    x_hi = std::max(x_hi, chart.limit_x->value);
  }
  if (chart.reference_y) {
    y_lo = std::min(y_lo, chart.reference_y->value);
    y_hi = std::max(y_hi, chart.reference_y->value);
  }
  const bool log_x = x_lo > 0.0 && x_hi / x_lo > 10.0;
  // Pad the ranges so points do not sit on the frame, and give a single value some width.
  if (log_x) {
    x_lo /= 1.3;
    x_hi *= 1.3;
  } else {
    const double pad = x_hi > x_lo ? 0.08 * (x_hi - x_lo) : std::max(std::abs(x_lo) * 0.1, 1.0);
    x_lo = std::max(0.0, x_lo - pad);
    x_hi += pad;
  }
  const double y_pad = y_hi > y_lo ? 0.1 * (y_hi - y_lo) : std::max(std::abs(y_lo) * 0.02, 0.5);
  y_lo -= y_pad;
  y_hi += y_pad;
  if (y_hi - y_lo < chart.min_y_span) {
    const double grow = chart.min_y_span - (y_hi - y_lo);
    y_lo -= grow / 2;
    y_hi += grow / 2;
    if (chart.y_ceiling && y_hi > *chart.y_ceiling) {  // shift down rather than pass 100 %
      y_lo -= y_hi - *chart.y_ceiling;
      y_hi = *chart.y_ceiling;
    }
  }
  const auto sx = [&](double x) {
    const double f = log_x ? (std::log(x) - std::log(x_lo)) / (std::log(x_hi) - std::log(x_lo))
                           : (x - x_lo) / (x_hi - x_lo);
    return kLeft + f * plot_w;
  };
  const auto sy = [&](double y) { return kTop + (1.0 - (y - y_lo) / (y_hi - y_lo)) * plot_h; };

  svg << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << plot_w << "\" height=\""
      << plot_h << "\" class=\"frame\"/>\n";
  // Byte axes tick at round numbers of KiB or MiB, not of bytes (20 KiB, not 19.5 KiB).
  double unit = 1.0;
  const char* unit_name = "";
  if (chart.x_is_bytes && x_hi >= 1024.0 * 1024.0 * 2) {
    unit = 1024.0 * 1024.0;
    unit_name = " MiB";
  } else if (chart.x_is_bytes && x_hi >= 2048.0) {
    unit = 1024.0;
    unit_name = " KiB";
  }
  std::vector<double> x_ticks =
      log_x ? LogTicks(x_lo / unit, x_hi / unit) : LinearTicks(x_lo / unit, x_hi / unit, 5);
  for (double& t : x_ticks) t *= unit;
  if (log_x && x_ticks.size() > 8) {  // keep the 1s and 2s... only the decades if crowded
    std::vector<double> decades;
    for (double t : x_ticks) {
      const double exponent = std::log10(t / unit);
      if (std::abs(exponent - std::round(exponent)) < 1e-9) decades.push_back(t);
    }
    x_ticks = decades;
  }
  const auto x_text = [&](double x) {
    return chart.x_is_bytes ? FormatBytes(static_cast<int64_t>(std::llround(x)))
                            : TickLabel(x, false);
  };
  for (double t : x_ticks) {
    const double x = sx(t);
    svg << "<line x1=\"" << Num(x) << "\" y1=\"" << Num(kTop) << "\" x2=\"" << Num(x) << "\" y2=\""
        << Num(kTop + plot_h + 5) << "\" class=\"grid\"/>\n"
        << "<text x=\"" << Num(x) << "\" y=\"" << Num(kTop + plot_h + 18)
        << "\" class=\"tick\" text-anchor=\"middle\">"
        << XmlEscape(chart.x_is_bytes && unit > 1.0 ? TickLabel(t / unit, false) + unit_name
                                                    : TickLabel(t, chart.x_is_bytes))
        << "</text>\n";
  }
  for (double t : LinearTicks(y_lo, y_hi, 5)) {
    const double y = sy(t);
    svg << "<line x1=\"" << Num(kLeft - 5) << "\" y1=\"" << Num(y) << "\" x2=\""
        << Num(kLeft + plot_w) << "\" y2=\"" << Num(y) << "\" class=\"grid\"/>\n"
        << "<text x=\"" << Num(kLeft - 8) << "\" y=\"" << Num(y + 4)
        << "\" class=\"tick\" text-anchor=\"end\">" << XmlEscape(TickLabel(t, false))
        << "</text>\n";
  }
  if (chart.reference_y) {
    const double y = sy(chart.reference_y->value);
    svg << "<line x1=\"" << Num(kLeft) << "\" y1=\"" << Num(y) << "\" x2=\"" << Num(kLeft + plot_w)
        << "\" y2=\"" << Num(y) << "\" class=\"reference\"/>\n";
  }
  if (limit_drawn) {
    const double x = sx(chart.limit_x->value);
    svg << "<line x1=\"" << Num(x) << "\" y1=\"" << Num(kTop) << "\" x2=\"" << Num(x) << "\" y2=\""
        << Num(kTop + plot_h) << "\" class=\"limit\"/>\n";
  }
  svg << "<text x=\"" << Num(kLeft + plot_w / 2) << "\" y=\"" << Num(kHeight - 8)
      << "\" class=\"axis\" text-anchor=\"middle\">" << XmlEscape(chart.x_label)
      << (log_x ? " (log scale)" : "") << "</text>\n";
  svg << "<text x=\"16\" y=\"" << Num(kTop + plot_h / 2) << "\" class=\"axis\" "
      << "text-anchor=\"middle\" transform=\"rotate(-90 16 " << Num(kTop + plot_h / 2) << ")\">"
      << XmlEscape(chart.y_label) << "</text>\n";

  // Points within a marker's radius of an earlier one share its label: "2,5,7".
  std::vector<double> px, py;
  std::vector<std::string> labels;
  std::vector<size_t> group_of(chart.points.size());
  for (size_t i = 0; i < chart.points.size(); ++i) {
    const double x = sx(chart.points[i].x), y = sy(chart.points[i].y);
    size_t group = px.size();
    for (size_t g = 0; g < px.size(); ++g) {
      if (std::hypot(px[g] - x, py[g] - y) < 2.0) group = g;
    }
    if (group == px.size()) {
      px.push_back(x);
      py.push_back(y);
      labels.push_back(std::to_string(i + 1));
    } else {
      labels[group] += ',';
      labels[group] += std::to_string(i + 1);
    }
    group_of[i] = group;
  }
  PlacementArea area;
  area.left = kLeft;
  area.width = kWidth;
  area.height = kHeight;
  const std::vector<std::optional<LabelSpot>> spots = PlaceLabels(px, py, labels, area);
  for (size_t i = 0; i < chart.points.size(); ++i) {
    const ScatterPoint& p = chart.points[i];
    svg << "<circle cx=\"" << Num(sx(p.x)) << "\" cy=\"" << Num(sy(p.y)) << "\" r=\"5\" class=\""
        << (p.highlighted ? "point bad" : "point") << "\"><title>" << XmlEscape(p.label)
        << "</title></circle>\n";
  }
  std::string unplaced;
  for (size_t g = 0; g < px.size(); ++g) {
    if (!spots[g]) {
      if (!unplaced.empty()) unplaced += "; ";
      unplaced += labels[g];
      continue;
    }
    svg << "<text x=\"" << Num(spots[g]->x) << "\" y=\"" << Num(spots[g]->y) << "\" class=\"label\""
        << (spots[g]->anchor_end ? " text-anchor=\"end\"" : "") << ">" << XmlEscape(labels[g])
        << "</text>\n";
  }
  svg << "</svg>\n";

  // The legend: every number with its result and values, then what the lines mean.
  svg << "<ol class=\"chart-legend\">\n";
  for (const auto& p : chart.points) {
    svg << "<li" << (p.highlighted ? " class=\"regressed\"" : "") << ">" << XmlEscape(p.label)
        << ": " << XmlEscape(TickLabel(p.y, false) + chart.y_unit) << ", " << XmlEscape(x_text(p.x))
        << "</li>\n";
  }
  svg << "</ol>\n";
  std::ostringstream note;
  const char* separator = "";
  if (chart.reference_y) {
    note << "Dashed line: " << XmlEscape(chart.reference_y->label) << " ("
         << XmlEscape(TickLabel(chart.reference_y->value, false) + chart.y_unit) << ").";
    separator = " ";
  }
  if (chart.limit_x) {
    note << separator << (limit_drawn ? "Red line: " : "") << XmlEscape(chart.limit_x->label)
         << " (" << XmlEscape(x_text(chart.limit_x->value)) << ")"
         << (limit_drawn ? "." : ": beyond the axis, more than 4x the largest result.");
    separator = " ";
  }
  if (std::any_of(chart.points.begin(), chart.points.end(),
                  [](const ScatterPoint& p) { return p.highlighted; })) {
    note << separator << "Red points: regressed.";
    separator = " ";
  }
  if (!unplaced.empty()) {
    note << separator << "Numbers with no room beside their points: " << XmlEscape(unplaced) << ".";
  }
  if (!note.str().empty()) svg << "<p class=\"chart-note\">" << note.str() << "</p>\n";
  return svg.str();
}

std::string BarSvg(const BarChart& chart) {
  constexpr double kWidth = 560, kLabelWidth = 190, kValueWidth = 70, kTop = 28, kBarStep = 16;
  constexpr double kBarHeight = 11;
  const double bar_w = kWidth - kLabelWidth - kValueWidth;
  const double height = kTop + kBarStep * static_cast<double>(chart.bars.size()) + 8;
  double scale_max = 0.0;
  for (const auto& bar : chart.bars)
    if (std::isfinite(bar.value)) scale_max = std::max(scale_max, bar.value);
  if (!(scale_max > 0.0)) scale_max = 1.0;
  std::ostringstream svg;
  svg << "<svg width=\"" << kWidth << "\" height=\"" << Num(height) << "\" viewBox=\"0 0 " << kWidth
      << " " << Num(height) << "\" class=\"chart\" role=\"img\">\n"
      << "<text x=\"0\" y=\"16\" class=\"title\">" << XmlEscape(chart.title) << "</text>\n";
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& bar = chart.bars[i];
    const double y = kTop + kBarStep * static_cast<double>(i);
    const double fraction = std::isnan(bar.value) || bar.value <= 0.0 ? 0.0
                            : std::isinf(bar.value)                   ? 1.0
                                                    : std::min(1.0, bar.value / scale_max);
    svg << "<text x=\"" << Num(kLabelWidth - 6) << "\" y=\"" << Num(y + kBarHeight - 1)
        << "\" class=\"tick\" text-anchor=\"end\">" << XmlEscape(bar.label) << "</text>\n"
        << "<rect x=\"" << Num(kLabelWidth) << "\" y=\"" << Num(y) << "\" width=\""
        << Num(fraction * bar_w) << "\" height=\"" << Num(kBarHeight) << "\" class=\""
        << (bar.highlighted ? "bar bad" : "bar") << "\"/>\n"
        << "<text x=\"" << Num(kLabelWidth + fraction * bar_w + 4) << "\" y=\""
        << Num(y + kBarHeight - 1) << "\" class=\"tick\">" << XmlEscape(bar.value_text)
        << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

std::string ConfusionMatrixSvg(const std::vector<std::vector<int64_t>>& counts,
                               const std::string& title) {
  const size_t n = counts.size();
  const double cell = n <= 12 ? 28.0 : std::max(6.0, 336.0 / static_cast<double>(n));
  const bool numbers = n <= 12;
  constexpr double kLeft = 40, kTop = 40;
  const double size = cell * static_cast<double>(n);
  std::ostringstream svg;
  svg << "<svg width=\"" << Num(kLeft + size + 10) << "\" height=\"" << Num(kTop + size + 10)
      << "\" class=\"heatmap\" role=\"img\">\n"
      << "<text x=\"0\" y=\"14\" class=\"title\">" << XmlEscape(title) << "</text>\n"
      << "<text x=\"" << Num(kLeft) << "\" y=\"32\" class=\"tick\">predicted &#8594;</text>\n"
      << "<text x=\"12\" y=\"" << Num(kTop) << "\" class=\"tick\" transform=\"rotate(90 12 "
      << Num(kTop) << ")\">true &#8594;</text>\n";
  for (size_t t = 0; t < n; ++t) {
    int64_t row_total = 0;
    for (int64_t c : counts[t]) row_total += c;
    for (size_t p = 0; p < counts[t].size() && p < n; ++p) {
      const double share =
          row_total > 0 ? static_cast<double>(counts[t][p]) / static_cast<double>(row_total) : 0.0;
      // White to deep blue on the diagonal (correct), white to red off it (errors).
      const int fade = static_cast<int>(std::lround(255.0 * (1.0 - share)));
      char color[16];
      if (t == p) {
        std::snprintf(color, sizeof color, "#%02x%02xff", fade, fade);
      } else {
        std::snprintf(color, sizeof color, "#ff%02x%02x", fade, fade);
      }
      const double x = kLeft + cell * static_cast<double>(p);
      const double y = kTop + cell * static_cast<double>(t);
      svg << "<rect x=\"" << Num(x) << "\" y=\"" << Num(y) << "\" width=\"" << Num(cell)
          << "\" height=\"" << Num(cell) << "\" fill=\"" << color
          << "\" class=\"cell\"><title>true " << t << ", predicted " << p << ": " << counts[t][p]
          << "</title></rect>\n";
      if (numbers && counts[t][p] > 0) {
        svg << "<text x=\"" << Num(x + cell / 2) << "\" y=\"" << Num(y + cell / 2 + 4)
            << "\" class=\"count" << (share > 0.6 ? " light" : "") << "\" text-anchor=\"middle\">"
            << counts[t][p] << "</text>\n";
      }
    }
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace harness::report
