#pragma once
// report.md: a run for a CI log or a review comment. Regressions come first, named by result
// id, metric and delta, so the first screen says what broke; then one table per model, the
// deployability notes, alarms, calibrator comparisons with their significance, changed inputs
// and the environment.

#include <string>

#include "harness/report/baseline.h"
#include "harness/runner/run_result.h"

namespace harness::report {

// `comparison` may be null (no baseline): the table then has no delta or status column values.
std::string ToMarkdown(const runner::RunReport& report, const Comparison* comparison);

// One paired comparison in words: "entropy vs minmax: +0.60 points accuracy, McNemar p = 0.21:
// not significant", or with a bootstrap interval "..., 95 % CI [-0.40, +1.80] points: ...".
// The method part of both labels is left out when they share it.
std::string DescribeComparison(const runner::ResultRecord& result,
                               const runner::PairedComparison& comparison);

// "regressed: accuracy -2.00 points (92.00 -> 90.00, tolerance 0.50)"-style lines for every
// regressed metric and alarm of a result, as Markdown, JUnit and HTML show them.
std::vector<std::string> RegressionLines(const ResultComparison& result);

}  // namespace harness::report
