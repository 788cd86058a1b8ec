#pragma once
// report.json: the machine-readable record of a run (schema "harness-report/1"), also the
// format of stored baselines.
//
// The bytes are a function of the record: keys in a fixed order (the order of the structs in
// run_result.h), two-space indentation, numbers printed with the shortest digits that read back
// to the same double, so the same run gives the same file and a reader gets back exactly the
// record that was written. JSON has no infinities: non-finite doubles (an SQNR of +inf when the
// output is exact) are written as the strings "inf", "-inf" and "nan". Optional metrics that
// are absent are left out. The timing fields are `environment.start_time` and each result's
// `latency_us`; everything else is deterministic for the same inputs.

#include <string>
#include <string_view>

#include "harness/runner/run_result.h"

namespace harness::report {

struct Comparison;

struct JsonOptions {
  // Also write each result's per-sample outcomes (`per_sample`: correctness and agreement as
  // strings of '0' and '1', anomaly scores, matched detections per image), so that a later run
  // or another tool can pair with this one and check a verdict.
  bool include_per_sample = true;
  // When set, the comparison with the baseline: `baseline` at the top (the file, counts, the
  // regressions most severe first, changed inputs) and in each result (status, deltas, tests).
  const Comparison* comparison = nullptr;
};

std::string ToJson(const runner::RunReport& report, const JsonOptions& options = {});

// Parses a report. Error with place "<source>:<line>:<column>" on malformed JSON, and
// "<source>: <json path>" (e.g. "report.json: results[2].metrics.accuracy") on a missing key or
// a value of the wrong type. Checks that `schema` is present but accepts any value, so that the
// baseline comparison can say what it expected.
runner::RunReport FromJson(std::string_view text, const std::string& source);

runner::RunReport ReadJsonReport(const std::string& path);
void WriteJsonReport(const runner::RunReport& report, const std::string& path,
                     const JsonOptions& options = {});

}  // namespace harness::report
