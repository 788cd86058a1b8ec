#include "harness/report/baseline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "harness/common/error.h"
#include "harness/eval/metrics/class_alarms.h"
#include "harness/report/atomic_file.h"
#include "harness/report/json_report.h"

namespace harness::report {
namespace {

using runner::ResultRecord;
using runner::RunReport;

enum class Direction { kHigherIsBetter, kLowerIsBetter };

// How a metric is read off a result, compared and shown.
struct MetricRule {
  const char* metric;     // name in report.json
  const char* tolerance;  // name in the suite's `tolerances`
  const char* unit;
  double scale;  // to the unit: fractions x 100 = points
  Direction direction;
  std::optional<double> (*get)(const ResultRecord&);
};

std::optional<double> FromInt(const std::optional<int64_t>& v) {
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

const MetricRule kRules[] = {
    {"accuracy", "accuracy", "points", 100.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.metrics.accuracy; }},
    {"top5", "top5", "points", 100.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.metrics.top5; }},
    {"macro_f1", "f1", "points", 100.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.metrics.macro_f1; }},
    {"map", "map", "points", 100.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.metrics.map; }},
    {"map50", "map50", "points", 100.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.metrics.map50; }},
    {"auc", "auc", "points", 100.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.metrics.auc; }},
    {"top1_agreement", "agreement", "points", 100.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.fidelity.top1_agreement; }},
    {"sqnr_db", "sqnr_db", "dB", 1.0, Direction::kHigherIsBetter,
     [](const ResultRecord& r) { return r.fidelity.sqnr_db; }},
    {"size_bytes", "size_bytes", "bytes", 1.0, Direction::kLowerIsBetter,
     [](const ResultRecord& r) { return FromInt(r.size_bytes); }},
    {"arena_bytes", "arena_bytes", "bytes", 1.0, Direction::kLowerIsBetter,
     [](const ResultRecord& r) { return FromInt(r.arena_bytes); }},
    {"macs", "macs", "MACs", 1.0, Direction::kLowerIsBetter,
     [](const ResultRecord& r) { return FromInt(r.macs); }},
};

// Latency noise rule (see baseline.h): growth beyond every one of these bounds.
constexpr double kLatencyRelativeBound = 0.20;
constexpr double kLatencySpreadFactor = 3.0;
constexpr double kLatencyJitterUs = 20.0;

// Collapse alarm: more than this share of predictions in one class ...
constexpr double kCollapseShare = 0.5;
// ... which holds less than 1/kCollapseRatio of that share among the true labels.
constexpr double kCollapseRatio = 2.0;

double Delta(double current, double baseline) {
  if (current == baseline) return 0.0;  // also +inf == +inf, which would give NaN
  return current - baseline;
}

MetricDelta CompareMetric(const MetricRule& rule, double current, double baseline,
                          double tolerance) {
  MetricDelta d;
  d.metric = rule.metric;
  d.unit = rule.unit;
  d.current = current * rule.scale;
  d.baseline = baseline * rule.scale;
  d.delta = Delta(d.current, d.baseline);
  d.tolerance = tolerance;
  const double gain = rule.direction == Direction::kHigherIsBetter ? d.delta : -d.delta;
  if (std::isnan(gain)) {
    d.verdict = Verdict::kReportedOnly;
  } else if (gain < -tolerance) {
    d.verdict = Verdict::kRegressed;
  } else if (gain > tolerance) {
    d.verdict = Verdict::kImproved;
  } else {
    d.verdict = Verdict::kSame;
  }
  return d;
}

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
  if (!comparable) {
    d.verdict = Verdict::kReportedOnly;
    return d;
  }
  const double spread = std::max(baseline.p90_us - baseline.median_us, 0.0);
  const double bound = std::max(
      {tolerance, kLatencyRelativeBound * baseline.median_us, kLatencySpreadFactor * spread,
       kLatencyJitterUs});
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

struct CollapseInfo {
  int predicted_class;
  double predicted_share;
  double true_share;
};

std::optional<CollapseInfo> Collapsed(const ResultRecord& r) {
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
  const auto collapse = eval::CollapseCheck(matrix, kCollapseShare);
  if (!collapse || collapse->predicted_share < kCollapseRatio * collapse->true_share) {
    return std::nullopt;
  }
  return CollapseInfo{collapse->predicted_class, collapse->predicted_share, collapse->true_share};
}

std::vector<std::string> RegressingAlarms(const ResultRecord& current, const ResultRecord& baseline,
                                          const suite::Tolerances& tolerances) {
  std::vector<std::string> alarms;
  const auto& now = current.metrics.per_class;
  const auto& before = baseline.metrics.per_class;
  if (!now.empty() && now.size() == before.size()) {
    std::vector<double> recall_now, recall_before;
    for (const auto& c : now) recall_now.push_back(c.recall);
    for (const auto& c : before) recall_before.push_back(c.recall);
    const double tolerance = tolerances.For("accuracy") / 100.0;  // points -> fraction
    for (int c : eval::RecallDrops(recall_before, recall_now, tolerance)) {
      const auto i = static_cast<size_t>(c);
      alarms.push_back("class " + std::to_string(now[i].class_index) + " recall " +
                       Points(before[i].recall) + " -> " + Points(now[i].recall) + " (" +
                       Points(now[i].recall - before[i].recall) + " points)");
    }
  }
  if (const auto collapse = Collapsed(current); collapse && !Collapsed(baseline)) {
    alarms.push_back("collapse: " + Points(collapse->predicted_share) +
                     " % of predictions are class " + std::to_string(collapse->predicted_class) +
                     ", which is " + Points(collapse->true_share) + " % of the samples");
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

ResultComparison CompareResult(const ResultRecord& current, const ResultRecord& baseline,
                               const suite::Tolerances& tolerances, bool same_machine) {
  ResultComparison out;
  out.id = current.id;
  for (const MetricRule& rule : kRules) {
    const auto now = rule.get(current);
    const auto before = rule.get(baseline);
    if (now && before) {
      out.deltas.push_back(CompareMetric(rule, *now, *before, tolerances.For(rule.tolerance)));
    }
  }
  if (current.latency_us && baseline.latency_us) {
    out.deltas.push_back(CompareLatency(*current.latency_us, *baseline.latency_us,
                                        tolerances.For("latency_us"), same_machine));
    if (!same_machine) {
      out.notes.push_back("latency not compared: the baseline was measured on another host");
    }
  }
  out.alarms = RegressingAlarms(current, baseline, tolerances);
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
  return out;
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
  const bool same_machine = SameMachine(current, baseline);
  for (const ResultRecord& result : current.results) {
    const ResultRecord* before = baseline.Find(result.id);
    if (before == nullptr) {
      comparison.results.push_back({result.id, Status::kNew, {}, {}, {}});
    } else {
      comparison.results.push_back(CompareResult(result, *before, tolerances, same_machine));
    }
  }
  for (const ResultRecord& result : baseline.results) {
    if (current.Find(result.id) == nullptr) {
      comparison.results.push_back({result.id, Status::kMissing, {}, {}, {}});
    }
  }
  comparison.inputs_changed = ChangedInputs(current, baseline);
  comparison.suite_file_changed = current.suite_sha256 != baseline.suite_sha256;
  return comparison;
}

suite::Tolerances ToSuiteTolerances(const runner::ToleranceRecord& record) {
  suite::Tolerances tolerances;
  tolerances.per_metric = record.per_metric;
  tolerances.default_tolerance = record.default_tolerance;
  return tolerances;
}

runner::ToleranceRecord ToToleranceRecord(const suite::Tolerances& tolerances) {
  return {tolerances.per_metric, tolerances.default_tolerance};
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
