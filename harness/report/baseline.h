#pragma once
// A run compared with a stored baseline: each result's status and each metric's delta.
//
// Rules (tolerances are the suite's: the absolute change allowed before a result counts as
// regressed; fraction metrics count in points):
//   - higher is better: accuracy, top5, macro_f1 (tolerance `f1`), map, map50, auc,
//     top1_agreement (`agreement`), in points; sqnr_db in dB. Regressed when the value drops by
//     more than the tolerance, improved when it rises by more than it. +inf == +inf is no change.
//   - lower is better: size_bytes, arena_bytes, macs, in bytes / MACs. Regressed when the value
//     grows by more than the tolerance, improved when it shrinks by more than it.
//   - latency (median, microseconds) is a timing field and never a coin toss. It is compared
//     only when both runs come from the same host with the same CPU features (a stored baseline
//     from another machine says nothing about this one), and then it regresses only when the
//     median grew by more than all of: the tolerance `latency_us`, 20 % of the baseline median,
//     3 x the baseline's spread (p90 - median), and 20 us (the scheduling jitter of a shared
//     host: a model that runs in a few microseconds would otherwise flip on a 1 us change).
//     Improvements mirror that rule. Otherwise the delta is reported only. Timing that must
//     gate a nightly job belongs to `harness bench` and its rank test (docs/bench.md).
//   - alarms that regress a result: a class whose recall dropped by more than the `accuracy`
//     tolerance (points), a collapse (more than half of all predictions in one class that holds
//     less than half that share of the samples) the baseline did not have, and a result that
//     was deployable in the baseline and no longer is.
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

enum class Verdict { kSame, kImproved, kRegressed, kReportedOnly };

struct MetricDelta {
  std::string metric;  // as in report.json: "accuracy", "sqnr_db", "latency_us" ...
  std::string unit;    // "points", "dB", "bytes", "MACs", "us"
  double current = 0.0;
  double baseline = 0.0;
  double delta = 0.0;  // current - baseline, in `unit`
  double tolerance = 0.0;
  Verdict verdict = Verdict::kSame;
};

struct ResultComparison {
  std::string id;
  Status status = Status::kOk;
  std::vector<MetricDelta> deltas;  // in a fixed metric order
  // Alarms that regress the result ("class 3 recall 91.0 -> 72.5 (-18.5 points)").
  std::vector<std::string> alarms;
  // Why some metric was reported only (e.g. latency from another host).
  std::vector<std::string> notes;

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

  int Count(Status status) const;
  bool HasRegression() const { return Count(Status::kRegressed) + Count(Status::kMissing) > 0; }
  const ResultComparison* Find(const std::string& id) const;
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
