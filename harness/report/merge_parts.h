#pragma once
// `harness merge`: the parts of a sharded run (`harness run --shard K/N`, runner/shard_plan.h)
// put back into the report the unsharded run would have made. The parts must agree on what was
// run (suite file and digest, inputs and their digests, tolerances, the --only selection and
// the shard plan) and on what ran it (harness version, commit, compiler and flags, kernel
// variant); hosts may differ (CI runners), and the merged report then names them all, which
// also keeps latency from being gated against a baseline from one of them.

#include <string>
#include <vector>

#include "harness/runner/run_result.h"

namespace harness::report {

struct ShardPart {
  std::string dir;  // the part's output folder, as given
  runner::RunReport report;
};

// Reads DIR/report.json of each part; Error naming the file when it is missing, unreadable or
// not a part of a sharded run.
std::vector<ShardPart> ReadParts(const std::vector<std::string>& dirs);

// The merged report: results in suite order, the parts' shared inputs, the first part's
// environment with every host and the earliest start time, the reused results of every part.
// Error naming the part (its folder) and the field when parts disagree, a part is given twice
// or a part is missing (with the results it should hold).
runner::RunReport MergeParts(const std::vector<ShardPart>& parts);

// Copies each result's written model from its part's folder into `out_dir` (same relative
// path), so the merged folder holds what an unsharded run's does.
void CopyArtifacts(const std::vector<ShardPart>& parts, const std::string& out_dir);

}  // namespace harness::report
