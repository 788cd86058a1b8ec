#pragma once
// A run compared with a stored baseline: each result's status and each metric's delta.
//
// Rules (report/metric_policy.h holds each metric's default tolerance and policy; the suite's
// `tolerances` override them; fraction metrics count in points):
//   - task metrics (accuracy, top5, map, map50, auc) regress when the drop exceeds the tolerance
//     AND the paired test of this run's per-sample outcomes against the baseline's (exact
//     McNemar for accuracy and top5, paired bootstrap for mAP and AUC, report/regression_tests.h)
//     is significant at the suite's `significance` level after Holm's correction over every
//     paired test of the run. A drop beyond the tolerance that the test does not confirm is
//     `not_significant`: shown, never failing. Improvements mirror the rule. When the baseline
//     has no per-sample outcomes (or another number of samples), the tolerance alone decides
//     and a note says so.
//   - fidelity figures (top1_agreement, sqnr_db) and macro_f1 inform by default (`reported`);
//     a metric the suite lists under `tolerances` gates like a task metric (agreement with its
//     McNemar test; sqnr_db and macro_f1 on their tolerance alone).
//   - size_bytes, arena_bytes, macs are exact: regressed when they grow by more than the
//     tolerance (default 0), improved when they shrink by more.
//   - latency (median, microseconds) is a timing field and never a coin toss. It is compared
//     only when both runs come from the same host with the same CPU features (a stored baseline
//     from another machine says nothing about this one), and then it regresses only when the
//     median grew by more than all of: the tolerance `latency_us`, 20 % of the baseline median,
//     3 x the baseline's spread (p90 - median), and 20 us (the scheduling jitter of a shared
//     host: a model that runs in a few microseconds would otherwise flip on a 1 us change).
//     Improvements mirror that rule. Otherwise the delta is reported only. Timing that must
//     gate a nightly job belongs to `harness bench` and its rank test (docs/bench.md).
//   - alarms that regress a result: a class whose recall dropped by more than `class_recall`
//     points, with at least kClassRecallMinSupport samples, where a one-sided binomial test on
//     the class's samples (null: the baseline's recall) is significant after Holm's correction
//     over every class tested in the run; a collapse (eval::CollapseAlarm) the baseline did not
//     have; and a result that was deployable in the baseline and no longer is.
//   - status: `regressed` if any metric or alarm regressed, else `improved` if any metric
//     improved, else `ok`; `new` for a result absent from the baseline, `missing` for a
//     baseline result absent from this run (CI treats missing as a failure: a result that
//     silently disappears is a regression of coverage).
// A metric present on one side only is not compared.

#include <optional>
#include <string>
#include <vector>

#include "harness/runner/run_result.h"
#include "harness/suite/suite.h"

namespace harness::report {

enum class Status { kOk, kImproved, kRegressed, kNew, kMissing };
const char* ToString(Status status);

// kNotSignificant: beyond the tolerance, but the paired test does not tell it from noise.
enum class Verdict { kSame, kImproved, kRegressed, kNotSignificant, kReportedOnly };
const char* ToString(
    Verdict verdict);  // "same", "improved", "regressed", "not_significant", "reported"

struct MetricDelta {
  std::string metric;  // as in report.json: "accuracy", "sqnr_db", "latency_us" ...
  std::string unit;    // "points", "dB", "bytes", "MACs", "us"
  double current = 0.0;
  double baseline = 0.0;
  double delta = 0.0;  // current - baseline, in `unit`
  double tolerance = 0.0;
  Verdict verdict = Verdict::kSame;
  bool gates = false;  // whether this metric can regress the result (metric_policy.h)
  std::string test;    // "mcnemar", "bootstrap", or "" when none ran
  // One-sided p-value of the change in its direction (a drop or a rise), and the same after
  // Holm's correction over the run; absent when no test ran.
  std::optional<double> p_value;
  std::optional<double> p_adjusted;
};

struct ResultComparison {
  std::string id;
  Status status = Status::kOk;
  std::vector<MetricDelta> deltas;  // in a fixed metric order
  // Alarms that regress the result ("class 3 recall 91.0 -> 72.5 (-18.5 points)").
  std::vector<std::string> alarms;
  // Why some metric was reported only (e.g. latency from another host).
  std::vector<std::string> notes;
  // For ordering regressions, most severe first: the smallest adjusted p-value of a regressed
  // metric (0 for an alarm or an exact metric, which no noise explains).
  double severity = 1.0;

  const MetricDelta* Delta(const std::string& metric) const;
};

struct InputChange {
  std::string path;
  std::string role;
  std::string current_sha256;   // empty: not an input of this run
  std::string baseline_sha256;  // empty: not an input of the baseline
};

struct Comparison {
  std::string baseline_source;            // the baseline's file name, for the reports
  std::vector<ResultComparison> results;  // current results in order, then the missing ones
  std::vector<InputChange> inputs_changed;
  bool suite_file_changed = false;
  double significance = 0.01;  // the level the verdicts used
  int paired_tests = 0;        // the m of the Holm correction over metrics
  int class_tests = 0;         // ... and over per-class recall

  int Count(Status status) const;
  bool HasRegression() const { return Count(Status::kRegressed) + Count(Status::kMissing) > 0; }
  const ResultComparison* Find(const std::string& id) const;
  // The regressed and missing results, most severe first (then in report order).
  std::vector<const ResultComparison*> Regressions() const;
};

// Error (exit 2) when the baseline has another schema or belongs to another suite.
Comparison Compare(const runner::RunReport& current, const runner::RunReport& baseline,
                   const suite::Tolerances& tolerances);

suite::Tolerances ToSuiteTolerances(const runner::ToleranceRecord& record);
runner::ToleranceRecord ToToleranceRecord(const suite::Tolerances& tolerances);

// Reads a baseline (a report.json) and checks its schema; Error naming the file otherwise.
runner::RunReport ReadBaseline(const std::string& path);
// Writes the report as the new baseline, atomically; only ever called on request
// (--update-baseline). Per-sample correctness is kept so later runs can be paired with it.
void WriteBaseline(const runner::RunReport& report, const std::string& path);
// The text WriteBaseline writes, for a caller that commits it with other files.
std::string BaselineJson(const runner::RunReport& report);

}  // namespace harness::report
