#include "harness/report/markdown_report.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

#include "harness/report/mixed_summary.h"
#include "harness/report/model_summary.h"
#include "harness/report/text_format.h"
#include "harness/runner/comparisons.h"

namespace harness::report {
namespace {

using runner::ResultRecord;
using runner::RunReport;

std::string Fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Markdown table cells must not contain a raw '|' or a newline.
std::string Cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string DeltaCell(const ResultComparison* rc, const std::string& metric) {
  if (rc == nullptr) return "";
  const MetricDelta* d = rc->Delta(metric);
  return d ? FormatDelta(*d) : "";
}

std::string Fidelity(const ResultRecord& r) {
  std::string text = FormatPercent(r.fidelity.top1_agreement);
  if (r.fidelity.sqnr_db) text += " / " + FormatDb(r.fidelity.sqnr_db);
  return text;
}

void WriteSummary(std::ostream& out, const RunReport& report, const Comparison* comparison) {
  out << "**" << report.results.size() << " results**";
  if (comparison == nullptr) {
    out << " (no baseline)\n\n";
    return;
  }
  out << ": " << comparison->Count(Status::kRegressed) << " regressed, "
      << comparison->Count(Status::kImproved) << " improved, " << comparison->Count(Status::kOk)
      << " ok, " << comparison->Count(Status::kNew) << " new, "
      << comparison->Count(Status::kMissing) << " missing, against baseline `"
      << comparison->baseline_source << "`\n\n";
}

// A run with --cache: which results were taken from it rather than computed.
void WriteCacheUse(std::ostream& out, const RunReport& report) {
  if (!report.cache) return;
  out << "Reused from the cache: " << report.cache->reused.size() << " of " << report.results.size()
      << " results";
  for (size_t i = 0; i < report.cache->reused.size(); ++i)
    out << (i ? ", `" : ": `") << report.cache->reused[i] << "`";
  out << "\n\n";
}

// Results that could not be measured, first: their rows in the tables below are empty.
void WriteFailures(std::ostream& out, const RunReport& report) {
  if (report.FailedCount() == 0) return;
  out << "## Failed results\n\n";
  for (const auto& r : report.results) {
    if (r.error) out << "- `" << r.id << "`: error: " << Cell(*r.error) << "\n";
  }
  out << "\n";
}

// One line per regressed result, most severe first, so the first line is the one to read.
void WriteRegressions(std::ostream& out, const Comparison& comparison) {
  if (!comparison.HasRegression()) return;
  out << "## Regressions\n\n";
  for (const ResultComparison* rc : comparison.Regressions()) {
    if (rc->status == Status::kMissing) {
      out << "- `" << rc->id << "`: missing (in the baseline, not in this run)\n";
      continue;
    }
    std::string joined;
    for (const auto& line : RegressionLines(*rc)) joined += (joined.empty() ? "" : "; ") + line;
    out << "- `" << rc->id << "`: " << joined << "\n";
  }
  out << "\n";
}

// Changes beyond a tolerance that the paired test does not tell from noise: shown so nobody
// wonders, never failing.
void WriteWithinNoise(std::ostream& out, const Comparison& comparison) {
  std::vector<std::string> lines;
  for (const auto& rc : comparison.results) {
    for (const auto& d : rc.deltas) {
      if (d.verdict != Verdict::kNotSignificant) continue;
      lines.push_back("- `" + rc.id + "`: " + d.metric + " " + FormatDelta(d) + ", " + d.test +
                      " p = " + FormatPValue(d.p_adjusted.value_or(1.0)) + " (Holm-adjusted)");
    }
  }
  if (lines.empty()) return;
  out << "## Changes within noise\n\n";
  out << "Beyond the tolerance but not significant at " << comparison.significance << " over "
      << comparison.paired_tests << " paired tests (Holm):\n\n";
  for (const auto& line : lines) out << line << "\n";
  out << "\n";
}

// A significant difference in bold, so the eye finds the ones that matter.
std::string Emphasis(const SummaryCell& cell) {
  if (cell.text.empty()) return "";
  return cell.significant ? "**" + Cell(cell.text) + "**" : Cell(cell.text);
}

void WriteCalibratorTable(std::ostream& out, const CalibratorTable& table) {
  if (table.calibrators.empty()) return;
  out << "| calibrator |";
  for (const auto& method : table.methods) out << " " << Cell(method) << " |";
  out << "\n|---|";
  for (size_t i = 0; i < table.methods.size(); ++i) out << "---:|";
  out << "\n";
  for (size_t row = 0; row < table.calibrators.size(); ++row) {
    out << "| " << Cell(table.calibrators[row]) << " |";
    for (const auto& cell : table.cells[row]) out << " " << Emphasis(cell) << " |";
    out << "\n";
  }
  out << "\nIn parentheses: the difference from the same method's min-max result (an option "
         "variant's: from the plain method's), in points, with its 95 % paired interval; bold: "
         "significant at "
      << runner::kSignificanceLevel << ".\n\n";
}

// The three layers with the lowest SQNR in each of the results that lose the most signal.
void WriteWeakestLayers(std::ostream& out, const RunReport& report, const std::string& model) {
  constexpr size_t kLayers = 3;
  for (const ResultRecord* r : LowestSqnrResults(report, model)) {
    std::vector<runner::LayerSqnr> layers = r->fidelity.per_layer_sqnr;
    std::stable_sort(layers.begin(), layers.end(),
                     [](const auto& a, const auto& b) { return a.sqnr_db < b.sqnr_db; });
    if (layers.size() > kLayers) layers.resize(kLayers);
    out << "Weakest layers of `" << LabelWithinModel(*r) << "` (output "
        << FormatDb(r->fidelity.sqnr_db) << "):";
    std::string separator = " ";
    for (const auto& layer : layers) {
      out << separator << Cell(LayerName(layer)) << " " << FormatDb(layer.sqnr_db);
      separator = ", ";
    }
    out << "\n\n";
  }
}

// The rows of each set a model's results used, so a `defaults` count larger than a set is
// not silent: "Samples used: validation 300, calibration 100."
void WriteSamplesUsed(std::ostream& out, const RunReport& report, const std::string& model) {
  std::optional<int64_t> validation, calibration;
  for (const auto& r : report.results) {
    if (r.model != model) continue;
    if (!validation) validation = r.validation_samples;
    if (!calibration) calibration = r.calibration_samples;
  }
  if (!validation) return;
  out << "Samples used: validation " << *validation;
  if (calibration) out << ", calibration " << *calibration;
  out << ".\n\n";
}

void WriteModelTables(std::ostream& out, const RunReport& report, const Comparison* comparison) {
  std::vector<std::string> models;
  for (const auto& r : report.results) {
    if (std::find(models.begin(), models.end(), r.model) == models.end()) models.push_back(r.model);
  }
  for (const auto& model : models) {
    out << "## " << model << "\n\n";
    WriteSamplesUsed(out, report, model);
    out << "| method | calibrator | metric | value | Δ vs fp32 [95 % CI] | Δ vs baseline | "
           "agreement / SQNR | size | arena | MACs | host latency (median) | status |\n";
    out << "|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|\n";
    for (const auto& r : report.results) {
      if (r.model != model) continue;
      const ResultComparison* rc = comparison ? comparison->Find(r.id) : nullptr;
      const HeadlineMetric headline = Headline(r);
      const std::optional<double> latency =
          r.latency_us ? std::optional<double>(r.latency_us->median_us) : std::nullopt;
      out << "| " << Cell(r.method) << " | " << Cell(r.calibrator) << " | "
          << (headline.name.empty() ? "-" : headline.name) << " | " << FormatPercent(headline.value)
          << " | " << Emphasis(DeltaVsFp32(report, r)) << " | " << DeltaCell(rc, headline.name)
          << " | " << Fidelity(r) << " | " << FormatBytes(r.size_bytes) << " | "
          << FormatBytes(r.arena_bytes) << " | " << FormatCount(r.macs) << " | "
          << FormatMicroseconds(latency) << " | "
          << (rc ? (rc->status == Status::kRegressed ? "**regressed**" : ToString(rc->status)) : "")
          << " |\n";
    }
    out << "\nΔ vs fp32: the paired difference in points with its 95 % interval; bold: "
           "significant at "
        << runner::kSignificanceLevel << ".\n\n";
    WriteCalibratorTable(out, BuildCalibratorTable(report, model));
    WriteWeakestLayers(out, report, model);
    out << "**What to ship**: " << Cell(DescribeShipChoice(report, ChooseWhatToShip(report, model)))
        << "\n\n";
  }
  // Host timing says little about an MCU; say so rather than let it pass for device latency.
  out << "Latency is host latency: this machine, one inference at a time, measured after every "
         "other job finished. Device latency on the target is not measured (unknown).\n\n";
  if (comparison) {
    bool any_missing = false;
    for (const auto& rc : comparison->results) {
      if (rc.status != Status::kMissing) continue;
      if (!any_missing) out << "Missing from this run: ";
      out << (any_missing ? ", `" : "`") << rc.id << "`";
      any_missing = true;
    }
    if (any_missing) out << "\n\n";
  }
}

void WriteDeployability(std::ostream& out, const RunReport& report) {
  bool header = false;
  for (const auto& r : report.results) {
    if (r.deployable.deployable) continue;
    if (!header) out << "## Not deployable\n\n";
    header = true;
    out << "- `" << r.id << "`";
    std::string separator = ": ";
    for (const auto& reason : r.deployable.reasons) {
      out << separator << reason;
      separator = "; ";
    }
    out << "\n";
  }
  if (header) out << "\n";
}

void WriteAlarms(std::ostream& out, const RunReport& report, const Comparison* comparison) {
  std::vector<std::string> lines;
  for (const auto& r : report.results) {
    for (const auto& alarm : r.alarms) lines.push_back("- `" + r.id + "`: " + alarm);
  }
  if (comparison) {
    for (const auto& rc : comparison->results) {
      for (const auto& note : rc.notes) lines.push_back("- `" + rc.id + "`: " + note);
    }
  }
  if (lines.empty()) return;
  out << "## Alarms and notes\n\n";
  for (const auto& line : lines) out << line << "\n";
  out << "\n";
}

// The layers each `mixed` result keeps wide and the sensitivity of every analysed layer.
void WriteMixedPrecision(std::ostream& out, const RunReport& report) {
  bool header = false;
  for (const auto& r : report.results) {
    if (!r.mixed) continue;
    if (!header) out << "## Mixed precision\n\n";
    header = true;
    out << "- `" << r.id << "`: " << DescribeMixedSelection(*r.mixed) << "\n  - "
        << DescribeMixedSensitivities(*r.mixed) << "\n";
  }
  if (header) out << "\n";
}

void WriteInputs(std::ostream& out, const Comparison& comparison) {
  if (comparison.inputs_changed.empty() && !comparison.suite_file_changed) return;
  out << "## Inputs changed since the baseline\n\n";
  if (comparison.suite_file_changed) out << "- the suite file\n";
  const auto short_hash = [](const std::string& h) {
    return h.empty() ? "(none)" : h.substr(0, 12);
  };
  for (const auto& change : comparison.inputs_changed) {
    out << "- " << change.role << " `" << change.path << "`: sha256 "
        << short_hash(change.baseline_sha256) << " -> " << short_hash(change.current_sha256)
        << "\n";
  }
  out << "\n";
}

void WriteEnvironment(std::ostream& out, const RunReport& report) {
  const auto& env = report.environment;
  out << "<sub>host " << env.host << ", harness " << env.harness_version << " ("
      << (env.git_commit.empty() ? "unknown commit" : env.git_commit.substr(0, 12)) << "), "
      << env.compiler << " " << env.compiler_flags << ", " << env.threads << " threads";
  if (!env.cpu_features.empty()) {
    out << ", CPU";
    for (const auto& feature : env.cpu_features) out << " " << feature;
  }
  if (!env.kernel_variant.empty()) out << ", " << env.kernel_variant << " kernels";
  out << ", started " << env.start_time << "</sub>\n";
}

}  // namespace

std::vector<std::string> RegressionLines(const ResultComparison& result) {
  std::vector<std::string> lines;
  for (const auto& d : result.deltas) {
    if (d.verdict != Verdict::kRegressed) continue;
    const int decimals = d.unit == "points" ? 2 : d.unit == "dB" ? 1 : 0;
    std::string line = d.metric + " " + FormatDelta(d) + " (" + Fixed(d.baseline, decimals) +
                       " -> " + Fixed(d.current, decimals) + ", tolerance " +
                       Fixed(d.tolerance, decimals == 0 ? 0 : 2);
    if (d.p_adjusted) line += ", " + d.test + " p = " + FormatPValue(*d.p_adjusted) + " adjusted";
    lines.push_back(line + ")");
  }
  for (const auto& alarm : result.alarms) lines.push_back(alarm);
  return lines;
}

std::string ToMarkdown(const RunReport& report, const Comparison* comparison) {
  std::ostringstream out;
  out << "# harness report: " << report.suite_name << "\n\n";
  WriteSummary(out, report, comparison);
  WriteCacheUse(out, report);
  WriteFailures(out, report);
  if (comparison) WriteRegressions(out, *comparison);
  if (comparison) WriteInputs(out, *comparison);
  WriteModelTables(out, report, comparison);
  WriteDeployability(out, report);
  WriteAlarms(out, report, comparison);
  WriteMixedPrecision(out, report);
  if (comparison) WriteWithinNoise(out, *comparison);
  WriteEnvironment(out, report);
  return out.str();
}

}  // namespace harness::report
