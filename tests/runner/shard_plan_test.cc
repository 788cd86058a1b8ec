// The shard plan: the --shard parser's bounds, a greedy longest-first partition checked against
// a hand-computed one, models never split, every part within the greedy bound, and the
// fallback from the baseline's measured cost to MACs x samples on the shipped suite.
#include "harness/runner/shard_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "harness/common/error.h"
#include "harness/suite/suite_parser.h"

namespace harness::runner {
namespace {

// `results_per_model[m]` results of model m, in model order, ids "m<m>/r<k>".
std::vector<suite::ResultSpec> Matrix(const std::vector<int>& results_per_model) {
  std::vector<suite::ResultSpec> selected;
  for (size_t m = 0; m < results_per_model.size(); ++m)
    for (int k = 0; k < results_per_model[m]; ++k) {
      // Appended piece by piece: GCC 12 warns (-Wrestrict) on a chain of operator+ here.
      std::string id = "m";
      id += std::to_string(m);
      id += "/r";
      id += std::to_string(k);
      selected.push_back({id, m, 0});
    }
  return selected;
}

TEST(ParseShard, AcceptsKOfNAndRefusesTheRest) {
  EXPECT_EQ(ParseShard("2/4").index, 2);
  EXPECT_EQ(ParseShard("2/4").count, 4);
  EXPECT_EQ(ParseShard("1/1").count, 1);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/", "/2", "1/2x", "-1/2", ""}) {
    EXPECT_THROW(ParseShard(bad), Error) << bad;
  }
}

TEST(PlanShards, LongestFirstToTheLightestPart) {
  // Costs 3, 5, 3, 4, 3 into two parts. Longest first: 5 -> part 1, 4 -> part 2, 3 (model 0,
  // suite order among ties) -> part 2 (7), 3 (model 2) -> part 1 (8), 3 (model 4) -> part 2 (10).
  const auto selected = Matrix({1, 2, 1, 1, 3});
  const ModelCosts costs{"macs", {3, 5, 3, 4, 3}};
  const ShardRecord plan = PlanShards(selected, costs, {1, 2}, "");
  const std::vector<int64_t> part_of_model = {2, 1, 1, 2, 2};
  ASSERT_EQ(plan.result_ids.size(), selected.size());
  for (size_t i = 0; i < selected.size(); ++i) {
    EXPECT_EQ(plan.result_ids[i], selected[i].id);
    EXPECT_EQ(plan.result_shards[i], part_of_model[selected[i].model_index]) << selected[i].id;
  }
  EXPECT_EQ(plan.balance, "macs");
  // The part index changes only which part this process runs, never the plan.
  const ShardRecord other = PlanShards(selected, costs, {2, 2}, "");
  EXPECT_EQ(other.result_shards, plan.result_shards);
}

TEST(PlanShards, KeepsModelsWholeAndWithinTheGreedyBound) {
  const std::vector<int> results = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
  const std::vector<double> cost = {31, 41, 59, 26, 53, 58, 97, 93, 23, 84, 62};
  const auto selected = Matrix(results);
  const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
  const double largest = *std::max_element(cost.begin(), cost.end());
  for (int64_t n = 1; n <= 6; ++n) {
    const ShardRecord plan = PlanShards(selected, {"baseline", cost}, {1, n}, "");
    std::map<size_t, int64_t> part_of_model;
    std::vector<double> load(static_cast<size_t>(n), 0.0);
    for (size_t i = 0; i < selected.size(); ++i) {
      const int64_t part = plan.result_shards[i];
      ASSERT_GE(part, 1);
      ASSERT_LE(part, n);
      auto [it, first] = part_of_model.emplace(selected[i].model_index, part);
      EXPECT_EQ(it->second, part) << "model " << selected[i].model_index << " split";
      if (first) load[static_cast<size_t>(part - 1)] += cost[selected[i].model_index];
    }
    // Greedy list scheduling: no part exceeds the average by more than one model.
    for (double l : load) EXPECT_LE(l, total / static_cast<double>(n) + largest) << n;
    // With as many parts as models or more, every model runs alone.
    if (n >= static_cast<int64_t>(results.size())) {
      EXPECT_EQ(std::count(load.begin(), load.end(), 0.0),
                n - static_cast<int64_t>(results.size()));
    }
  }
}

TEST(CostsOf, UsesTheBaselineOnlyWhenItCoversEveryResult) {
  const suite::Suite suite =
      suite::LoadSuite(std::string(HARNESS_SOURCE_DIR) + "/suites/esp32.yaml");
  const std::vector<suite::ResultSpec> selected = suite::ExpandMethods(suite);
  // No baseline: MACs x samples, positive for every model, and the largest model costs most.
  const ModelCosts macs = CostsOf(suite, selected, nullptr);
  EXPECT_EQ(macs.balance, "macs");
  ASSERT_EQ(macs.cost.size(), suite.models.size());
  for (double c : macs.cost) EXPECT_GT(c, 0.0);

  // A baseline that measured every result: median latency x samples, summed per model.
  RunReport baseline;
  for (const suite::ResultSpec& r : selected) {
    ResultRecord record;
    record.id = r.id;
    record.latency_us = Latency{static_cast<double>(r.model_index + 1), 0.0, 1};
    record.per_sample_correct.assign(10, 1);
    baseline.results.push_back(record);
  }
  const ModelCosts measured = CostsOf(suite, selected, &baseline);
  EXPECT_EQ(measured.balance, "baseline");
  std::vector<double> expected(suite.models.size(), 0.0);
  for (const suite::ResultSpec& r : selected)
    expected[r.model_index] += static_cast<double>(r.model_index + 1) * 10.0;
  EXPECT_EQ(measured.cost, expected);

  // One result without a latency: the baseline cannot rank the models; MACs decide.
  baseline.results.back().latency_us.reset();
  EXPECT_EQ(CostsOf(suite, selected, &baseline).balance, "macs");
  EXPECT_EQ(CostsOf(suite, selected, &baseline).cost, macs.cost);
}

}  // namespace
}  // namespace harness::runner
