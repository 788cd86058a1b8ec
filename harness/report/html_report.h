#pragma once
// report.html: one self-contained page that works offline (no external CSS, scripts, fonts or
// images): the summary and regressions, a table per model, an accuracy-versus-size chart per
// task metric and a confusion-matrix heat map per result, all as inline SVG.

#include <string>

#include "harness/report/baseline.h"
#include "harness/runner/run_result.h"

namespace harness::report {

std::string ToHtml(const runner::RunReport& report, const Comparison* comparison);

}  // namespace harness::report
