#pragma once
// The end of `harness run` and of `harness merge`, shared so that a merged sharded run writes
// and exits exactly as the unsharded run would: compare the report with the baseline, write
// the four reports (and the baseline on request) as one atomic set, print the summary and the
// regressions, and return the exit code (or throw the first failed result's error, exit 2).

#include <iosfwd>
#include <optional>
#include <string>

#include "harness/runner/run_result.h"
#include "harness/suite/suite.h"

namespace harness::cli {

struct RunOutcomeOptions {
  std::string out_dir;
  std::optional<runner::RunReport> baseline;  // absent: no comparison
  std::string baseline_path;                  // for messages, and where --update-baseline writes
  std::string only;                           // the run's --only glob; empty: every result
  suite::Tolerances tolerances;
  bool update_baseline = false;
};

int FinishRun(const runner::RunReport& run, RunOutcomeOptions options, std::ostream& out);

}  // namespace harness::cli
