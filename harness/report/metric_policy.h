#pragma once
// What each metric means to the regression gate: its unit, which way is better, its default
// tolerance, whether it gates by default and which paired test its drop must pass. The one place
// these facts live; docs/suite-format.md prints the same table.
//
//   metric          unit    default tolerance  default policy
//   accuracy        points  0.5                gates: drop > tolerance and exact McNemar
//   top5            points  0.5                gates: drop > tolerance and exact McNemar
//   map, map50      points  0.5                gates: drop > tolerance and paired bootstrap
//   auc             points  0.5                gates: drop > tolerance and paired bootstrap
//   macro_f1        points  1.0                informs; listed: gates on its tolerance
//   top1_agreement  points  1.0                informs; listed: drop > tolerance and McNemar
//   sqnr_db         dB      1.0                informs; listed: gates on its tolerance
//   size_bytes      bytes   0                  exact: any growth regresses
//   arena_bytes     bytes   0                  exact
//   macs            MACs    0                  exact
//   latency_us      us      0                  timing rule (baseline.h), same host only
//   class_recall    points  5.0                alarm: drop > tolerance, support >= 10 and a
//                                              binomial test on the class's samples
//
// "Significant" is at the suite's `significance` level (default 0.01) after Holm's correction
// over every paired test of the run (class recall tests are a family of their own).

#include <optional>
#include <span>

#include "harness/runner/run_result.h"

namespace harness::report {

enum class Direction { kHigherIsBetter, kLowerIsBetter };

enum class Gate {
  kTask,    // gates: regressed when the drop exceeds the tolerance and its paired test agrees
  kInform,  // reported only, unless the suite lists the metric; then it gates like kTask (on
            // its tolerance alone when it has no paired test)
  kExact,   // deterministic cost: regressed when it grows by more than the tolerance
  kTiming,  // latency: the noise-aware rule of baseline.h
};

enum class PairedTest {
  kNone,
  kMcNemarTop1,       // per_sample_correct
  kMcNemarTop5,       // per_sample_top5
  kMcNemarAgreement,  // per_sample_agrees
  kBootstrapMap,      // per_image
  kBootstrapMap50,    // per_image
  kBootstrapAuc,      // per_sample_score, per_sample_label
};
const char* ToString(PairedTest test);  // "mcnemar", "bootstrap", "" for kNone

struct MetricPolicy {
  const char* metric;  // as in report.json and the suite's `tolerances`
  const char* unit;    // "points", "dB", "bytes", "MACs", "us"
  double scale;        // from the record's value to the unit: fractions x 100 = points
  Direction direction;
  Gate gate;
  double default_tolerance;  // in `unit`
  PairedTest test;
  std::optional<double> (*get)(const runner::ResultRecord&);  // null for latency
};

// Every metric a result is compared on, in report order.
std::span<const MetricPolicy> MetricPolicies();
const MetricPolicy* FindMetricPolicy(const char* metric);

// The per-class recall alarm.
inline constexpr double kClassRecallTolerance = 5.0;   // points
inline constexpr int64_t kClassRecallMinSupport = 10;  // samples of the class in this run

}  // namespace harness::report
