#pragma once
// `harness run`: every selected model x method x calibrator result of a suite, in parallel
// (oneTBB), sharing per-model work (fp32 outputs, calibration statistics), into one RunReport
// in the suite's result order, so the report does not depend on the thread count.

#include <atomic>
#include <iosfwd>
#include <optional>
#include <string>

#include "harness/common/interrupt.h"
#include "harness/runner/result_cache.h"
#include "harness/runner/run_result.h"
#include "harness/runner/shard_plan.h"
#include "harness/suite/suite.h"

namespace harness::runner {

struct RunOptions {
  std::string only;     // glob over result ids (glob.h); empty: every result
  std::string out_dir;  // artifacts are written to out_dir/models/
  std::ostream* log = nullptr;  // progress; nullptr: silent
  bool interactive = false;     // a one-line progress display instead of plain lines
  bool measure_latency = true;
  // Set from a signal handler; checked between steps. A cancelled run throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  int threads = 0;  // recorded in the report; the caller limits TBB itself
  // Run only part `shard->index` of `shard->count` (shard_plan.h), balanced by the costs
  // measured in `cost_baseline` when it has them for every result.
  std::optional<ShardSpec> shard;
  const RunReport* cost_baseline = nullptr;
  // Reuse results stored under an unchanged key, store the ones computed; nullptr: no cache.
  ResultCache* cache = nullptr;
};

// What a cancelled run throws: the process-wide interrupt (common/interrupt.h).
using Cancelled = Interrupted;

RunReport RunSuite(const suite::Suite& suite, const RunOptions& options);

}  // namespace harness::runner
