#include "harness/report/html_report.h"

#include <algorithm>
#include <sstream>

#include "harness/report/markdown_report.h"
#include "harness/report/mixed_summary.h"
#include "harness/report/model_summary.h"
#include "harness/report/svg_charts.h"
#include "harness/report/text_format.h"
#include "harness/report/xml_escape.h"
#include "harness/runner/comparisons.h"

namespace harness::report {
namespace {

using runner::ResultRecord;
using runner::RunReport;

// Inline style only: the page must render the same with no network.
constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; }
th { background: #f0f2f5; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { white-space: nowrap; }
.regressed { color: #b00020; font-weight: bold; } .improved { color: #1b7f3a; }
.missing { color: #b00020; } .new { color: #555; }
.summary { font-size: 15px; margin: 8px 0 16px; }
.bad { fill: #d32f2f; } .point { fill: #1f5fbf; stroke: #fff; stroke-width: 1; }
.point.bad { fill: #d32f2f; }
.frame { fill: #fafbfc; stroke: #999; } .grid { stroke: #ddd; }
.tick { font-size: 11px; fill: #444; } .axis { font-size: 12px; fill: #222; }
.label { font-size: 11px; fill: #222; } .chart-note { font-size: 12px; color: #555; max-width: 680px; } .title { font-size: 13px; font-weight: bold; }
.count { font-size: 10px; fill: #222; } .count.light { fill: #fff; }
.cell { stroke: #fff; stroke-width: 1; }
.bar { fill: #1f5fbf; } .bar.bad { fill: #d32f2f; }
.heatmaps { display: flex; flex-wrap: wrap; gap: 16px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .charts > div { max-width: 680px; }
.reference { stroke: #555; stroke-width: 1.5; stroke-dasharray: 6 4; }
.limit { stroke: #d32f2f; stroke-width: 1.5; }
.chart-legend { font-size: 12px; columns: 2; margin: 4px 0 8px; }
.env { color: #666; font-size: 12px; margin-top: 24px; }
)";

std::string StatusCell(const ResultComparison* rc) {
  if (rc == nullptr) return "<td></td>";
  const char* status = ToString(rc->status);
  return std::string("<td class=\"") + status + "\">" + status + "</td>";
}

std::string Td(const std::string& text, bool numeric = true) {
  return std::string(numeric ? "<td class=\"num\">" : "<td>") + XmlEscape(text) + "</td>";
}

// A significant difference in bold.
std::string SummaryTd(const SummaryCell& cell) {
  return std::string("<td class=\"num\">") + (cell.significant ? "<b>" : "") +
         XmlEscape(cell.text) + (cell.significant ? "</b>" : "") + "</td>";
}

void WriteCalibratorTable(std::ostream& out, const CalibratorTable& table) {
  if (table.calibrators.empty()) return;
  out << "<h3>Calibrators and methods</h3>\n<table>\n<tr><th>calibrator</th>";
  for (const auto& method : table.methods) out << "<th>" << XmlEscape(method) << "</th>";
  out << "</tr>\n";
  for (size_t row = 0; row < table.calibrators.size(); ++row) {
    out << "<tr>" << Td(table.calibrators[row], false);
    for (const auto& cell : table.cells[row]) out << SummaryTd(cell);
    out << "</tr>\n";
  }
  out << "</table>\n<p class=\"chart-note\">In parentheses: the difference from the same "
         "method's min-max result (an option variant's: from the plain method's), in points, "
         "with its 95 % paired interval; bold: significant at "
      << runner::kSignificanceLevel << ".</p>\n";
}

std::vector<std::string> Models(const RunReport& report) {
  std::vector<std::string> models;
  for (const auto& r : report.results) {
    if (std::find(models.begin(), models.end(), r.model) == models.end()) models.push_back(r.model);
  }
  return models;
}

void WriteTable(std::ostream& out, const RunReport& report, const std::string& model,
                const Comparison* comparison) {
  out << "<table>\n<tr><th>method</th><th>calibrator</th><th>metric</th><th>value</th>"
         "<th>&#916; vs fp32 [95 % CI]</th><th>&#916; vs "
         "baseline</th><th>agreement</th><th>SQNR</th><th>size</th><th>arena</th>"
         "<th>MACs</th><th>host latency (median)</th><th>deployable</th><th>status</th></tr>\n";
  for (const auto& r : report.results) {
    if (r.model != model) continue;
    const ResultComparison* rc = comparison ? comparison->Find(r.id) : nullptr;
    const HeadlineMetric headline = Headline(r);
    const MetricDelta* delta = rc && !headline.name.empty() ? rc->Delta(headline.name) : nullptr;
    out << "<tr>" << Td(r.method, false) << Td(r.calibrator, false)
        << Td(headline.name.empty() ? "-" : headline.name, false)
        << Td(FormatPercent(headline.value)) << SummaryTd(DeltaVsFp32(report, r))
        << Td(delta ? FormatDelta(*delta) : "") << Td(FormatPercent(r.fidelity.top1_agreement))
        << Td(FormatDb(r.fidelity.sqnr_db)) << Td(FormatBytes(r.size_bytes))
        << Td(FormatBytes(r.arena_bytes)) << Td(FormatCount(r.macs))
        << Td(FormatMicroseconds(r.latency_us ? std::optional<double>(r.latency_us->median_us)
                                              : std::nullopt))
        << Td(r.deployable.deployable ? "yes" : "no", false) << StatusCell(rc) << "</tr>\n";
  }
  out << "</table>\n";
}

// The headline metric against one cost, with the fp32 result as a reference line and the
// target's budget for that cost as a limit line.
void WriteChart(std::ostream& out, const RunReport& report, const std::string& model,
                const Comparison* comparison, bool arena) {
  ScatterChart chart;
  std::string metric;
  for (const auto& r : report.results) {
    const std::optional<int64_t> cost = arena ? r.arena_bytes : r.size_bytes;
    if (r.model != model || !cost) continue;
    const HeadlineMetric headline = Headline(r);
    if (!headline.value) continue;
    if (metric.empty()) metric = headline.name;
    if (headline.name != metric) continue;
    if (r.method == "fp32") chart.reference_y = ChartLine{100.0 * *headline.value, "fp32"};
    const ResultComparison* rc = comparison ? comparison->Find(r.id) : nullptr;
    chart.points.push_back({static_cast<double>(*cost), 100.0 * *headline.value,
                            LabelWithinModel(r), rc && rc->status == Status::kRegressed});
  }
  if (chart.points.empty()) return;
  chart.y_label = metric + " (%)";
  chart.y_unit = " %";
  chart.min_y_span = 5.0;  // points: a few tenths apart should look close
  chart.y_ceiling = 100.0;
  chart.title = model + ": " + metric + " vs " + (arena ? "tensor arena" : "model size");
  chart.x_label = arena ? "tensor arena (RAM)" : "model size (flash)";
  chart.x_is_bytes = true;
  if (report.target) {
    const int64_t budget = arena ? report.target->sram_bytes : report.target->flash_bytes;
    if (budget > 0) {
      chart.limit_x = ChartLine{static_cast<double>(budget),
                                report.target->name + (arena ? " SRAM" : " flash") + " budget"};
    }
  }
  out << ScatterSvg(chart);
}

void WriteHeatmaps(std::ostream& out, const RunReport& report, const std::string& model) {
  bool any = false;
  for (const auto& r : report.results) {
    if (r.model != model || r.metrics.confusion_matrix.empty()) continue;
    if (!any)
      out << "<h3>Confusion matrices (rows: true class; shade: share of the row)</h3>\n"
          << "<div class=\"heatmaps\">\n";
    any = true;
    out << ConfusionMatrixSvg(r.metrics.confusion_matrix, LabelWithinModel(r));
  }
  if (any) out << "</div>\n";
}

// Per-layer SQNR of the results that lose the most signal, the weakest layer in red.
void WriteLayerSqnr(std::ostream& out, const RunReport& report, const std::string& model) {
  const std::vector<const ResultRecord*> worst = LowestSqnrResults(report, model);
  if (worst.empty()) return;
  out << "<h3>Per-layer SQNR of the results with the lowest output SQNR</h3>\n"
      << "<div class=\"heatmaps\">\n";
  for (const ResultRecord* r : worst) {
    BarChart chart;
    chart.title = LabelWithinModel(*r) + ": output " + FormatDb(r->fidelity.sqnr_db);
    const auto& layers = r->fidelity.per_layer_sqnr;
    const auto weakest = std::min_element(
        layers.begin(), layers.end(), [](const runner::LayerSqnr& a, const runner::LayerSqnr& b) {
          return a.sqnr_db < b.sqnr_db;
        });
    for (auto it = layers.begin(); it != layers.end(); ++it) {
      chart.bars.push_back({LayerName(*it), it->sqnr_db, FormatDb(it->sqnr_db), it == weakest});
    }
    out << BarSvg(chart);
  }
  out << "</div>\n";
}

void WriteList(std::ostream& out, const std::string& heading, const std::vector<std::string>& items,
               const char* css_class = nullptr) {
  if (items.empty()) return;
  out << "<h2>" << XmlEscape(heading) << "</h2>\n<ul>\n";
  for (const auto& item : items) {
    out << (css_class ? std::string("<li class=\"") + css_class + "\">" : std::string("<li>"))
        << XmlEscape(item) << "</li>\n";
  }
  out << "</ul>\n";
}

}  // namespace

std::string ToHtml(const RunReport& report, const Comparison* comparison) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>harness report: " << XmlEscape(report.suite_name) << "</title>\n"
      << "<style>" << kStyle << "</style>\n</head>\n<body>\n"
      << "<h1>harness report: " << XmlEscape(report.suite_name) << "</h1>\n"
      << "<p class=\"summary\"><b>" << report.results.size() << " results</b>";
  if (comparison) {
    out << ": <span class=\"regressed\">" << comparison->Count(Status::kRegressed)
        << " regressed</span>, <span class=\"improved\">" << comparison->Count(Status::kImproved)
        << " improved</span>, " << comparison->Count(Status::kOk) << " ok, "
        << comparison->Count(Status::kNew) << " new, " << comparison->Count(Status::kMissing)
        << " missing, against baseline <code>" << XmlEscape(comparison->baseline_source)
        << "</code>";
  } else {
    out << " (no baseline)";
  }
  out << "</p>\n";

  if (comparison) {
    std::vector<std::string> regressions;
    for (const auto& rc : comparison->results) {
      if (rc.status == Status::kMissing) regressions.push_back(rc.id + ": missing from this run");
      if (rc.status != Status::kRegressed) continue;
      for (const auto& line : RegressionLines(rc)) regressions.push_back(rc.id + ": " + line);
    }
    WriteList(out, "Regressions", regressions, "regressed");
  }

  for (const auto& model : Models(report)) {
    out << "<h2>" << XmlEscape(model) << "</h2>\n";
    WriteTable(out, report, model, comparison);
    out << "<p><b>What to ship</b>: "
        << XmlEscape(DescribeShipChoice(report, ChooseWhatToShip(report, model))) << "</p>\n";
    WriteCalibratorTable(out, BuildCalibratorTable(report, model));
    out << "<div class=\"charts\">\n<div>\n";
    WriteChart(out, report, model, comparison, /*arena=*/false);
    out << "</div>\n<div>\n";
    WriteChart(out, report, model, comparison, /*arena=*/true);
    out << "</div>\n</div>\n";
    WriteHeatmaps(out, report, model);
    WriteLayerSqnr(out, report, model);
  }

  std::vector<std::string> failed, not_deployable, alarms, mixed;
  for (const auto& r : report.results) {
    if (r.error) failed.push_back(r.id + ": error: " + *r.error);
    if (!r.deployable.deployable) {
      std::string line = r.id + ": not deployable";
      for (const auto& reason : r.deployable.reasons) line += "; " + reason;
      not_deployable.push_back(line);
    }
    for (const auto& alarm : r.alarms) alarms.push_back(r.id + ": " + alarm);
    if (r.mixed) {
      mixed.push_back(r.id + ": " + DescribeMixedSelection(*r.mixed));
      mixed.push_back(r.id + ": " + DescribeMixedSensitivities(*r.mixed));
    }
  }
  if (comparison) {
    for (const auto& rc : comparison->results) {
      for (const auto& note : rc.notes) alarms.push_back(rc.id + ": " + note);
    }
  }
  if (report.cache) {
    std::vector<std::string> reused(report.cache->reused);
    if (reused.empty()) reused.push_back("none of " + std::to_string(report.results.size()));
    WriteList(out, "Reused from the cache", reused);
  }
  WriteList(out, "Failed results", failed);
  WriteList(out, "Not deployable", not_deployable);
  WriteList(out, "Alarms and notes", alarms);
  WriteList(out, "Mixed precision", mixed);
  if (comparison) {
    std::vector<std::string> inputs;
    if (comparison->suite_file_changed) inputs.push_back("the suite file");
    for (const auto& change : comparison->inputs_changed) {
      inputs.push_back(
          change.role + " " + change.path + ": sha256 " +
          (change.baseline_sha256.empty() ? "(none)" : change.baseline_sha256.substr(0, 12)) +
          " -> " +
          (change.current_sha256.empty() ? "(none)" : change.current_sha256.substr(0, 12)));
    }
    WriteList(out, "Inputs changed since the baseline", inputs);
  }

  const auto& env = report.environment;
  std::string features;
  for (const auto& f : env.cpu_features) features += " " + f;
  if (!env.kernel_variant.empty()) features += ", " + env.kernel_variant + " kernels";
  out << "<p class=\"env\">host " << XmlEscape(env.host) << ", harness "
      << XmlEscape(env.harness_version) << " (" << XmlEscape(env.git_commit.substr(0, 12)) << "), "
      << XmlEscape(env.compiler + " " + env.compiler_flags) << ", " << env.threads
      << " threads, CPU" << XmlEscape(features) << ", started " << XmlEscape(env.start_time)
      << "</p>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace harness::report
