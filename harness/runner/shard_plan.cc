#include "harness/runner/shard_plan.h"

#include <algorithm>
#include <charconv>
#include <numeric>

#include "harness/common/error.h"
#include "harness/eval/hdf5_file.h"
#include "harness/model/model_file.h"
#include "harness/model/op_costs.h"

namespace harness::runner {
namespace {

std::optional<int64_t> ParsePositive(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

// The samples a result ran, as its per-sample outcomes record them.
size_t SamplesOf(const ResultRecord& r) {
  return std::max({r.per_sample_correct.size(), r.per_sample_score.size(), r.per_image.size()});
}

// Rows of a set that `spec` selects; 0 when the set cannot be read.
double RowsOf(const suite::SetSpec& spec) {
  try {
    const auto file = eval::hdf5::File::OpenReadOnly(spec.data);
    // A set of several model inputs keeps them in a group; its labels count the rows too.
    const auto shape = file.DatasetShape(file.HasDataset("/inputs") ? "/inputs" : "/labels");
    const double rows = shape.empty() ? 0.0 : static_cast<double>(shape[0]);
    return spec.samples ? std::min(rows, static_cast<double>(*spec.samples)) : rows;
  } catch (const Error&) {
    return 0.0;
  }
}

double MacsOf(const std::string& path) {
  try {
    return static_cast<double>(model::CostOf(model::LoadModelFile(path)).macs);
  } catch (const Error&) {
    return 0.0;
  }
}

// Baseline costs, or an empty vector when some selected result has no measured latency there.
std::vector<double> BaselineCosts(const suite::Suite& suite,
                                  const std::vector<suite::ResultSpec>& selected,
                                  const RunReport& baseline) {
  std::vector<double> cost(suite.models.size(), 0.0);
  for (const suite::ResultSpec& r : selected) {
    const ResultRecord* measured = baseline.Find(r.id);
    if (measured == nullptr || !measured->latency_us || SamplesOf(*measured) == 0) return {};
    cost[r.model_index] +=
        measured->latency_us->median_us * static_cast<double>(SamplesOf(*measured));
  }
  return cost;
}

}  // namespace

ShardSpec ParseShard(const std::string& text) {
  const size_t slash = text.find('/');
  const auto index = ParsePositive(std::string_view(text).substr(0, slash));
  const auto count = slash == std::string::npos
                         ? std::nullopt
                         : ParsePositive(std::string_view(text).substr(slash + 1));
  if (!index || !count || *index > *count) {
    throw Error("command line",
                "--shard '" + text + "': expected K/N, part K of N with 1 <= K <= N (e.g. 2/4)");
  }
  return {*index, *count};
}

ModelCosts CostsOf(const suite::Suite& suite, const std::vector<suite::ResultSpec>& selected,
                   const RunReport* baseline) {
  if (baseline != nullptr) {
    std::vector<double> cost = BaselineCosts(suite, selected, *baseline);
    if (!cost.empty()) return {"baseline", std::move(cost)};
  }
  std::vector<double> results(suite.models.size(), 0.0);
  for (const suite::ResultSpec& r : selected) results[r.model_index] += 1.0;
  ModelCosts costs{"macs", std::vector<double>(suite.models.size(), 0.0)};
  for (size_t m = 0; m < suite.models.size(); ++m) {
    if (results[m] == 0.0) continue;
    const suite::ModelSpec& spec = suite.models[m];
    double samples = RowsOf(spec.validation) * (results[m] + 1.0);
    if (spec.calibration) samples += RowsOf(*spec.calibration);
    costs.cost[m] = MacsOf(spec.path) * samples;
  }
  return costs;
}

ShardRecord PlanShards(const std::vector<suite::ResultSpec>& selected, const ModelCosts& costs,
                       const ShardSpec& shard, const std::string& only) {
  // Models with selected results, longest first; a stable sort keeps suite order among ties.
  std::vector<size_t> models;
  for (const suite::ResultSpec& r : selected)
    if (std::find(models.begin(), models.end(), r.model_index) == models.end())
      models.push_back(r.model_index);
  std::stable_sort(models.begin(), models.end(),
                   [&](size_t a, size_t b) { return costs.cost[a] > costs.cost[b]; });
  std::vector<double> load(static_cast<size_t>(shard.count), 0.0);
  std::vector<int64_t> part_of_model(costs.cost.size(), 0);
  for (size_t m : models) {
    const size_t lightest =
        static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[lightest] += costs.cost[m];
    part_of_model[m] = static_cast<int64_t>(lightest) + 1;
  }
  ShardRecord record;
  record.index = shard.index;
  record.count = shard.count;
  record.only = only;
  record.balance = costs.balance;
  for (const suite::ResultSpec& r : selected) {
    record.result_ids.push_back(r.id);
    record.result_shards.push_back(part_of_model[r.model_index]);
  }
  return record;
}

}  // namespace harness::runner
