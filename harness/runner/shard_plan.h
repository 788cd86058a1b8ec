#pragma once
// `harness run --shard K/N`: which results part K of N runs. The unit of the partition is the
// model, not the result: a model's results share its fp32 reference run and calibration (the
// most expensive step of a small suite) and are paired with each other (McNemar, bootstrap), so
// splitting a model would repeat that work on every part and lose the pairs. With tens of
// models the model granularity still balances well: the parts are filled longest first
// (greedy LPT), which stays within 4/3 of the best possible longest part.
//
// Every part computes the same plan from the same suite, selection and baseline, so the parts
// of one run agree without talking to each other; each part records the plan
// (RunReport::shard) and `harness merge` checks that they do.

#include <cstdint>
#include <string>
#include <vector>

#include "harness/runner/run_result.h"
#include "harness/suite/suite.h"

namespace harness::runner {

struct ShardSpec {
  int64_t index = 1;  // K, from 1
  int64_t count = 1;  // N
};

// "K/N" with 1 <= K <= N; Error("command line", ...) otherwise.
ShardSpec ParseShard(const std::string& text);

// The cost of each model's selected results, in the unit of `balance`:
//   "baseline": the sum over its results of the baseline's median latency times the validation
//     samples the result ran (its per-sample outcomes), when the baseline has that for every
//     selected result;
//   "macs": otherwise, the float model's MACs times the samples it runs: validation samples
//     once per result and once for the fp32 reference, plus the calibration samples.
// A model that cannot be read costs 0 (the part that runs it reports the error).
struct ModelCosts {
  std::string balance;
  std::vector<double> cost;  // per suite model; 0 for a model without selected results
};
ModelCosts CostsOf(const suite::Suite& suite, const std::vector<suite::ResultSpec>& selected,
                   const RunReport* baseline);

// The part (1..count) of each selected result: models longest first (ties: suite order) each
// to the part with the least cost so far (ties: the lowest part).
ShardRecord PlanShards(const std::vector<suite::ResultSpec>& selected, const ModelCosts& costs,
                       const ShardSpec& shard, const std::string& only);

}  // namespace harness::runner
