#pragma once
// report.md: a run for a CI log or a review comment. Regressions come first, named by result
// id, metric and delta, so the first screen says what broke; then per model its table (with the
// difference from fp32), its calibrator x method grid and what to ship (model_summary.h); then
// the deployability notes, alarms, changed inputs and the environment.

#include <string>

#include "harness/report/baseline.h"
#include "harness/runner/run_result.h"

namespace harness::report {

// `comparison` may be null (no baseline): the table then has no delta or status column values.
std::string ToMarkdown(const runner::RunReport& report, const Comparison* comparison);

// "regressed: accuracy -2.00 points (92.00 -> 90.00, tolerance 0.50)"-style lines for every
// regressed metric and alarm of a result, as Markdown, JUnit and HTML show them.
std::vector<std::string> RegressionLines(const ResultComparison& result);

}  // namespace harness::report
