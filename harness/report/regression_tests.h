#pragma once
// The paired tests behind a regression verdict: this run's result against the same result of
// the baseline, on the per-sample outcomes both reports store (run_result.h), so anyone holding
// the two report.json files can recompute a verdict. One-sided: p_drop is the probability, with
// no real change, of a drop at least as large as the one seen; p_rise the same for a rise.

#include <optional>
#include <string>
#include <utility>

#include "harness/report/metric_policy.h"
#include "harness/runner/run_result.h"

namespace harness::report {

// Resamples of every bootstrap, from a fixed seed so a verdict is reproducible.
inline constexpr size_t kGateBootstrapResamples = 1000;
inline constexpr uint64_t kGateBootstrapSeed = 0;

struct PairedOutcome {
  double p_drop = 1.0;
  double p_rise = 1.0;
};

// What one pair of results' tests share: one mAP bootstrap gives both map and map50.
struct PairedTestMemo {
  std::optional<std::pair<PairedOutcome, PairedOutcome>> map;  // map, map50
};

// The test's p-values, or nullopt with `why` set when the two results do not hold paired
// per-sample outcomes for it (a baseline written before they were stored, or another number
// of validation samples). `memo` belongs to this pair of results.
std::optional<PairedOutcome> RunPairedTest(PairedTest test, const runner::ResultRecord& current,
                                           const runner::ResultRecord& baseline, std::string& why,
                                           PairedTestMemo& memo);

// One-sided binomial test of a class's recall: the probability of `correct` or fewer right
// among `support` samples if each were right with the baseline's recall.
double ClassRecallDropPValue(int64_t correct, int64_t support, double baseline_recall);

}  // namespace harness::report
