#pragma once
// The baseline comparison in report.json: per result its status and every metric's delta with
// its test and p-values (`baseline` in each result), and for the run the baseline file, the
// inputs that changed, the significance level and the number of tests corrected for. Written
// only; a reader recomputes a comparison from the two reports (`harness diff`).

#include <nlohmann/json.hpp>

#include "harness/report/baseline.h"

namespace harness::report {

nlohmann::ordered_json ResultComparisonJson(const ResultComparison& comparison);
nlohmann::ordered_json RunComparisonJson(const Comparison& comparison);

}  // namespace harness::report
