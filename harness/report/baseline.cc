#include "harness/report/baseline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "harness/common/error.h"
#include "harness/eval/metrics/class_alarms.h"
#include "harness/eval/metrics/significance.h"
#include "harness/report/atomic_file.h"
#include "harness/report/json_report.h"
#include "harness/report/metric_policy.h"
#include "harness/report/regression_tests.h"

namespace harness::report {
namespace {

using runner::ResultRecord;
using runner::RunReport;

// Latency noise rule (see baseline.h): growth beyond every one of these bounds.
constexpr double kLatencyRelativeBound = 0.20;
constexpr double kLatencySpreadFactor = 3.0;
constexpr double kLatencyJitterUs = 20.0;

double Delta(double current, double baseline) {
  if (current == baseline) return 0.0;  // also +inf == +inf, which would give NaN
  return current - baseline;
}

// A paired test waiting for the run's Holm correction.
struct PendingTest {
  size_t result;
  size_t delta;
  PairedOutcome outcome;
};

bool SameMachine(const RunReport& a, const RunReport& b) {
  return a.environment.host == b.environment.host &&
         a.environment.cpu_features == b.environment.cpu_features;
}

MetricDelta CompareLatency(const runner::Latency& current, const runner::Latency& baseline,
                           double tolerance, bool comparable) {
  MetricDelta d;
  d.metric = "latency_us";
  d.unit = "us";
  d.current = current.median_us;
  d.baseline = baseline.median_us;
  d.delta = Delta(current.median_us, baseline.median_us);
  d.tolerance = tolerance;
  d.gates = comparable;
  if (!comparable) {
    d.verdict = Verdict::kReportedOnly;
    return d;
  }
  const double spread = std::max(baseline.p90_us - baseline.median_us, 0.0);
  const double bound = std::max({tolerance, kLatencyRelativeBound * baseline.median_us,
                                 kLatencySpreadFactor * spread, kLatencyJitterUs});
  if (d.delta > bound) {
    d.verdict = Verdict::kRegressed;
  } else if (-d.delta > bound) {
    d.verdict = Verdict::kImproved;
  } else {
    d.verdict = Verdict::kSame;
  }
  return d;
}

std::string Points(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", 100.0 * fraction);
  return text;
}

std::optional<eval::Collapse> Collapsed(const ResultRecord& r) {
  const auto& rows = r.metrics.confusion_matrix;
  if (rows.empty()) return std::nullopt;
  const int classes = static_cast<int>(rows.size());
  eval::ConfusionMatrix matrix(classes);
  for (int t = 0; t < classes; ++t) {
    if (static_cast<int>(rows[static_cast<size_t>(t)].size()) != classes) return std::nullopt;
    for (int p = 0; p < classes; ++p) {
      for (int64_t n = rows[static_cast<size_t>(t)][static_cast<size_t>(p)]; n > 0; --n) {
        matrix.Add(t, p);
      }
    }
  }
  if (matrix.total() == 0) return std::nullopt;
  return eval::CollapseAlarm(matrix);
}

// A per-class recall test waiting for the run's Holm correction.
struct PendingClassTest {
  size_t result;
  std::string alarm;
  double p_value;
};

// Classes whose recall dropped beyond the tolerance with enough support, each with its
// binomial p-value; the caller decides after the correction.
void ClassRecallTests(const ResultRecord& current, const ResultRecord& baseline, double tolerance,
                      size_t result, std::vector<PendingClassTest>& tests, int& tested) {
  const auto& now = current.metrics.per_class;
  const auto& before = baseline.metrics.per_class;
  if (now.empty() || now.size() != before.size()) return;
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i].support < kClassRecallMinSupport) continue;
    // Every class with enough support is a hypothesis of the family, tested or not: counting
    // only the ones that dropped would let the tolerance choose the family.
    ++tested;
    const double drop = 100.0 * (before[i].recall - now[i].recall);
    if (!(drop > tolerance)) continue;
    const auto correct =
        static_cast<int64_t>(std::llround(now[i].recall * static_cast<double>(now[i].support)));
    const double p = ClassRecallDropPValue(correct, now[i].support, before[i].recall);
    char text[200];
    std::snprintf(text, sizeof text,
                  "class %d recall %s -> %s (%s points, %lld of %lld samples), binomial p = %.2g",
                  now[i].class_index, Points(before[i].recall).c_str(),
                  Points(now[i].recall).c_str(), Points(now[i].recall - before[i].recall).c_str(),
                  static_cast<long long>(correct), static_cast<long long>(now[i].support), p);
    tests.push_back({result, text, p});
  }
}

// Alarms that need no test: a new collapse, lost deployability.
std::vector<std::string> ExactAlarms(const ResultRecord& current, const ResultRecord& baseline) {
  std::vector<std::string> alarms;
  if (const auto collapse = Collapsed(current); collapse && !Collapsed(baseline)) {
    alarms.push_back(eval::DescribeCollapse(*collapse));
  }
  if (baseline.deployable.deployable && !current.deployable.deployable) {
    std::string reasons;
    for (const auto& reason : current.deployable.reasons) {
      reasons += (reasons.empty() ? "" : "; ") + reason;
    }
    alarms.push_back("no longer deployable" + (reasons.empty() ? "" : ": " + reasons));
  }
  return alarms;
}

// The verdict of a change on its tolerance alone.
Verdict ByTolerance(double gain, double tolerance) {
  if (std::isnan(gain)) return Verdict::kReportedOnly;
  if (gain < -tolerance) return Verdict::kRegressed;
  if (gain > tolerance) return Verdict::kImproved;
  return Verdict::kSame;
}

// The deltas of one result; paired tests are queued in `tests` for the run's correction.
ResultComparison CompareResult(const ResultRecord& current, const ResultRecord& baseline,
                               const suite::Tolerances& tolerances, bool same_machine, size_t index,
                               std::vector<PendingTest>& tests) {
  ResultComparison out;
  out.id = current.id;
  PairedTestMemo memo;
  for (const MetricPolicy& policy : MetricPolicies()) {
    if (policy.gate == Gate::kTiming) {
      if (!current.latency_us || !baseline.latency_us) continue;
      out.deltas.push_back(CompareLatency(
          *current.latency_us, *baseline.latency_us,
          tolerances.Given(policy.metric).value_or(policy.default_tolerance), same_machine));
      if (!same_machine) {
        out.notes.push_back("latency not compared: the baseline was measured on another host");
      }
      continue;
    }
    const auto now = policy.get(current);
    const auto before = policy.get(baseline);
    if (!now || !before) continue;
    MetricDelta d;
    d.metric = policy.metric;
    d.unit = policy.unit;
    d.current = *now * policy.scale;
    d.baseline = *before * policy.scale;
    d.delta = Delta(d.current, d.baseline);
    d.tolerance = tolerances.Given(policy.metric).value_or(policy.default_tolerance);
    d.gates = policy.gate != Gate::kInform || tolerances.Lists(policy.metric);
    const double gain = policy.direction == Direction::kHigherIsBetter ? d.delta : -d.delta;
    d.verdict = ByTolerance(gain, d.tolerance);
    if (!d.gates) {
      d.verdict = Verdict::kReportedOnly;
    } else if (policy.gate != Gate::kExact && policy.test != PairedTest::kNone) {
      std::string why;
      if (auto outcome = RunPairedTest(policy.test, current, baseline, why, memo)) {
        d.test = ToString(policy.test);
        tests.push_back({index, out.deltas.size(), *outcome});
      } else if (d.verdict == Verdict::kRegressed || d.verdict == Verdict::kImproved) {
        out.notes.push_back(d.metric + " judged by its tolerance alone: " + why);
      }
    }
    out.deltas.push_back(std::move(d));
  }
  out.alarms = ExactAlarms(current, baseline);
  return out;
}

// Holm's correction over the run's paired tests, then each tested metric's verdict.
void ApplyPairedTests(std::vector<ResultComparison>& results, const std::vector<PendingTest>& tests,
                      double level) {
  std::vector<double> drops, rises;
  for (const PendingTest& t : tests) {
    drops.push_back(t.outcome.p_drop);
    rises.push_back(t.outcome.p_rise);
  }
  const std::vector<double> drops_adjusted = eval::HolmAdjust(drops);
  const std::vector<double> rises_adjusted = eval::HolmAdjust(rises);
  for (size_t k = 0; k < tests.size(); ++k) {
    MetricDelta& d = results[tests[k].result].deltas[tests[k].delta];
    const bool worse =
        d.verdict == Verdict::kRegressed || (d.verdict == Verdict::kSame && drops[k] <= rises[k]);
    d.p_value = worse ? drops[k] : rises[k];
    d.p_adjusted = worse ? drops_adjusted[k] : rises_adjusted[k];
    if ((d.verdict == Verdict::kRegressed || d.verdict == Verdict::kImproved) &&
        !(*d.p_adjusted < level)) {
      d.verdict = Verdict::kNotSignificant;
    }
  }
}

void SetStatus(ResultComparison& out) {
  const auto any = [&](Verdict v) {
    return std::any_of(out.deltas.begin(), out.deltas.end(),
                       [v](const MetricDelta& d) { return d.verdict == v; });
  };
  if (any(Verdict::kRegressed) || !out.alarms.empty()) {
    out.status = Status::kRegressed;
  } else if (any(Verdict::kImproved)) {
    out.status = Status::kImproved;
  } else {
    out.status = Status::kOk;
  }
  if (out.status != Status::kRegressed) return;
  out.severity = out.alarms.empty() ? 1.0 : 0.0;
  for (const auto& d : out.deltas) {
    if (d.verdict == Verdict::kRegressed)
      out.severity = std::min(out.severity, d.p_adjusted.value_or(0.0));
  }
}

std::vector<InputChange> ChangedInputs(const RunReport& current, const RunReport& baseline) {
  std::map<std::string, const runner::InputFile*> before;
  for (const auto& input : baseline.inputs) before[input.path] = &input;
  std::vector<InputChange> changes;
  for (const auto& input : current.inputs) {
    auto it = before.find(input.path);
    if (it == before.end()) {
      changes.push_back({input.path, runner::ToString(input.role), input.sha256, ""});
      continue;
    }
    if (it->second->sha256 != input.sha256) {
      changes.push_back(
          {input.path, runner::ToString(input.role), input.sha256, it->second->sha256});
    }
    before.erase(it);
  }
  for (const auto& input : baseline.inputs) {
    if (before.count(input.path)) {
      changes.push_back({input.path, runner::ToString(input.role), "", input.sha256});
    }
  }
  return changes;
}

}  // namespace

const char* ToString(Status status) {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kImproved:
      return "improved";
    case Status::kRegressed:
      return "regressed";
    case Status::kNew:
      return "new";
    case Status::kMissing:
      return "missing";
  }
  return "?";
}

const char* ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSame:
      return "same";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kRegressed:
      return "regressed";
    case Verdict::kNotSignificant:
      return "not_significant";
    case Verdict::kReportedOnly:
      return "reported";
  }
  return "?";
}

std::vector<const ResultComparison*> Comparison::Regressions() const {
  std::vector<const ResultComparison*> out;
  for (const auto& r : results) {
    if (r.status == Status::kRegressed || r.status == Status::kMissing) out.push_back(&r);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ResultComparison* a, const ResultComparison* b) {
                     return a->severity < b->severity;
                   });
  return out;
}

const MetricDelta* ResultComparison::Delta(const std::string& metric) const {
  for (const auto& d : deltas) {
    if (d.metric == metric) return &d;
  }
  return nullptr;
}

int Comparison::Count(Status status) const {
  return static_cast<int>(std::count_if(results.begin(), results.end(),
                                        [status](const auto& r) { return r.status == status; }));
}

const ResultComparison* Comparison::Find(const std::string& id) const {
  for (const auto& r : results) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

Comparison Compare(const RunReport& current, const RunReport& baseline,
                   const suite::Tolerances& tolerances) {
  if (baseline.schema != runner::kReportSchema) {
    throw Error("baseline", "schema '" + baseline.schema + "', expected '" + runner::kReportSchema +
                                "': the baseline was written by another "
                                "version of harness; write a new one with --update-baseline");
  }
  if (current.schema != runner::kReportSchema) {
    throw Error("report",
                "schema '" + current.schema + "', expected '" + runner::kReportSchema + "'");
  }
  if (baseline.suite_name != current.suite_name) {
    throw Error("baseline", "belongs to suite '" + baseline.suite_name + "', not '" +
                                current.suite_name +
                                "': compare a run with its own suite's "
                                "baseline");
  }
  Comparison comparison;
  comparison.significance = tolerances.significance;
  const bool same_machine = SameMachine(current, baseline);
  std::vector<PendingTest> tests;
  std::vector<PendingClassTest> class_tests;
  const double class_tolerance = tolerances.Given("class_recall").value_or(kClassRecallTolerance);
  for (const ResultRecord& result : current.results) {
    const ResultRecord* before = baseline.Find(result.id);
    if (before == nullptr) {
      ResultComparison added;
      added.id = result.id;
      added.status = Status::kNew;
      comparison.results.push_back(std::move(added));
      continue;
    }
    const size_t index = comparison.results.size();
    comparison.results.push_back(
        CompareResult(result, *before, tolerances, same_machine, index, tests));
    ClassRecallTests(result, *before, class_tolerance, index, class_tests, comparison.class_tests);
  }
  ApplyPairedTests(comparison.results, tests, tolerances.significance);
  comparison.paired_tests = static_cast<int>(tests.size());
  // The class family: every class with enough support counts, only the dropped ones carry a
  // p-value; the untested ones enter the correction as p = 1, which changes nothing below them.
  std::vector<double> class_p;
  for (const auto& t : class_tests) class_p.push_back(t.p_value);
  class_p.resize(static_cast<size_t>(std::max<int>(comparison.class_tests, 0)), 1.0);
  const std::vector<double> class_adjusted = eval::HolmAdjust(class_p);
  for (size_t k = 0; k < class_tests.size(); ++k) {
    if (class_adjusted[k] < tolerances.significance) {
      comparison.results[class_tests[k].result].alarms.push_back(class_tests[k].alarm);
    }
  }
  for (ResultComparison& r : comparison.results) {
    if (r.status != Status::kNew) SetStatus(r);
  }
  for (const ResultRecord& result : baseline.results) {
    if (current.Find(result.id) == nullptr) {
      ResultComparison missing;
      missing.id = result.id;
      missing.status = Status::kMissing;
      missing.severity = 0.0;
      comparison.results.push_back(std::move(missing));
    }
  }
  comparison.inputs_changed = ChangedInputs(current, baseline);
  comparison.suite_file_changed = current.suite_sha256 != baseline.suite_sha256;
  return comparison;
}

suite::Tolerances ToSuiteTolerances(const runner::ToleranceRecord& record) {
  suite::Tolerances tolerances;
  // Reports written before the keys took the report's metric names used the short forms.
  for (const auto& [metric, value] : record.per_metric)
    tolerances.per_metric[suite::CanonicalToleranceName(metric)] = value;
  tolerances.default_tolerance = record.default_tolerance;
  tolerances.significance = record.significance;
  return tolerances;
}

runner::ToleranceRecord ToToleranceRecord(const suite::Tolerances& tolerances) {
  return {tolerances.per_metric, tolerances.default_tolerance, tolerances.significance};
}

RunReport ReadBaseline(const std::string& path) {
  RunReport baseline = ReadJsonReport(path);
  if (baseline.schema != runner::kReportSchema) {
    throw Error(path, "schema '" + baseline.schema + "', expected '" + runner::kReportSchema +
                          "': not a baseline this version of harness can read");
  }
  return baseline;
}

std::string BaselineJson(const RunReport& report) {
  JsonOptions options;
  options.include_per_sample = true;
  return ToJson(report, options);
}

void WriteBaseline(const RunReport& report, const std::string& path) {
  WriteFileAtomically(path, BaselineJson(report));
}

}  // namespace harness::report
