#pragma once
// junit.xml: one <testcase> per result (classname = model, name = the result within its model,
// "int8/entropy"), so CI systems show a run like a test run. A regressed result is a <failure>
// whose message names each regressed metric with its delta; a result missing from this run is a
// failure too. Without a baseline every result passes.

#include <string>

#include "harness/report/baseline.h"
#include "harness/runner/run_result.h"

namespace harness::report {

std::string ToJUnit(const runner::RunReport& report, const Comparison* comparison);

}  // namespace harness::report
