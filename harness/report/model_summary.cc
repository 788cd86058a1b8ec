#include "harness/report/model_summary.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "harness/report/metric_policy.h"
#include "harness/report/regression_tests.h"
#include "harness/report/text_format.h"

namespace harness::report {
namespace {

using runner::PairedComparison;
using runner::ResultRecord;
using runner::RunReport;

const ResultRecord* Fp32Of(const RunReport& report, const std::string& model) {
  for (const auto& r : report.results)
    if (r.model == model && r.method == "fp32" && !r.error) return &r;
  return nullptr;
}

// The comparison of `result`'s headline metric with `other_id`, or with any result but
// `except_id` when other_id is empty.
const PairedComparison* FindComparison(const ResultRecord& result, const std::string& other_id,
                                       const std::string& except_id) {
  const std::string metric = Headline(result).name;
  for (const auto& c : result.comparisons) {
    if (c.metric != metric) continue;
    if (!other_id.empty() ? c.other_id == other_id : c.other_id != except_id) return &c;
  }
  return nullptr;
}

std::string Size(const ResultRecord& r) {
  return FormatBytes(r.size_bytes) + ", arena " + FormatBytes(r.arena_bytes);
}

// The metric's paired test of `candidate` against `best`: true when the drop is not significant
// at `level`; false when it is, or when the two results hold no paired outcomes for it.
bool IndistinguishableFrom(const ResultRecord& candidate, const ResultRecord& best, PairedTest test,
                           double level) {
  std::string why;
  PairedTestMemo memo;
  const std::optional<PairedOutcome> outcome = RunPairedTest(test, candidate, best, why, memo);
  return outcome && outcome->p_drop >= level;
}

}  // namespace

std::string FormatComparison(const PairedComparison& c) {
  std::string text = FormatSigned(100.0 * c.difference, 2);
  if (c.ci_low && c.ci_high) {
    text += " [" + FormatSigned(100.0 * *c.ci_low, 2) + ", " + FormatSigned(100.0 * *c.ci_high, 2) +
            "]";
  } else if (c.p_value) {
    text += ", p " + FormatPValue(*c.p_value);
  }
  return text;
}

SummaryCell DeltaVsFp32(const RunReport& report, const ResultRecord& result) {
  const ResultRecord* fp32 = Fp32Of(report, result.model);
  if (fp32 == nullptr || fp32 == &result || result.error) return {};
  const PairedComparison* c = FindComparison(result, fp32->id, "");
  if (c == nullptr) return {};
  return {FormatComparison(*c), c->significant};
}

CalibratorTable BuildCalibratorTable(const RunReport& report, const std::string& model) {
  CalibratorTable table;
  const ResultRecord* fp32 = Fp32Of(report, model);
  const std::string fp32_id = fp32 ? fp32->id : "";
  bool any_comparison = false;
  for (const auto& r : report.results) {
    if (r.model != model || r.calibrator == "none") continue;
    if (std::find(table.calibrators.begin(), table.calibrators.end(), r.calibrator) ==
        table.calibrators.end())
      table.calibrators.push_back(r.calibrator);
    if (std::find(table.methods.begin(), table.methods.end(), r.method) == table.methods.end())
      table.methods.push_back(r.method);
    any_comparison = any_comparison || FindComparison(r, "", fp32_id) != nullptr;
  }
  if (!any_comparison) return {};
  table.cells.assign(table.calibrators.size(), std::vector<SummaryCell>(table.methods.size()));
  for (const auto& r : report.results) {
    if (r.model != model || r.calibrator == "none") continue;
    const size_t row = static_cast<size_t>(
        std::find(table.calibrators.begin(), table.calibrators.end(), r.calibrator) -
        table.calibrators.begin());
    const size_t column = static_cast<size_t>(
        std::find(table.methods.begin(), table.methods.end(), r.method) - table.methods.begin());
    SummaryCell& cell = table.cells[row][column];
    if (r.error) {
      cell.text = "failed";
      continue;
    }
    cell.text = FormatPercent(Headline(r).value);
    if (const PairedComparison* c = FindComparison(r, "", fp32_id)) {
      cell.text += " (" + FormatComparison(*c) + ")";
      cell.significant = c->significant;
    }
  }
  return table;
}

ShipChoice ChooseWhatToShip(const RunReport& report, const std::string& model) {
  ShipChoice choice;
  std::vector<const ResultRecord*> candidates;
  for (const auto& r : report.results) {
    if (r.model != model || r.error || !r.deployable.deployable) continue;
    const HeadlineMetric headline = Headline(r);
    if (!headline.value) continue;
    if (choice.metric.empty()) choice.metric = headline.name;
    if (headline.name == choice.metric) candidates.push_back(&r);
  }
  if (candidates.empty()) return choice;
  const auto value = [](const ResultRecord* r) { return *Headline(*r).value; };
  static constexpr int64_t kUnknown = std::numeric_limits<int64_t>::max();
  const auto smaller = [](const ResultRecord* a, const ResultRecord* b) {
    const int64_t size_a = a->size_bytes.value_or(kUnknown);
    const int64_t size_b = b->size_bytes.value_or(kUnknown);
    if (size_a != size_b) return size_a < size_b;
    return a->arena_bytes.value_or(kUnknown) < b->arena_bytes.value_or(kUnknown);
  };
  choice.best = candidates.front();
  for (const ResultRecord* r : candidates) {
    if (value(r) > value(choice.best) ||
        (value(r) == value(choice.best) && smaller(r, choice.best)))
      choice.best = r;
  }
  const MetricPolicy* policy = FindMetricPolicy(choice.metric.c_str());
  const PairedTest test = policy ? policy->test : PairedTest::kNone;
  for (const ResultRecord* r : candidates) {
    if (r == choice.best || test == PairedTest::kNone) continue;
    if (IndistinguishableFrom(*r, *choice.best, test, report.tolerances.significance))
      choice.indistinguishable.push_back(r);
  }
  std::stable_sort(choice.indistinguishable.begin(), choice.indistinguishable.end(), smaller);
  return choice;
}

std::vector<const ResultRecord*> LowestSqnrResults(const RunReport& report,
                                                   const std::string& model, size_t count) {
  std::vector<const ResultRecord*> results;
  for (const auto& r : report.results) {
    if (r.model == model && !r.error && r.fidelity.sqnr_db && !r.fidelity.per_layer_sqnr.empty())
      results.push_back(&r);
  }
  std::stable_sort(results.begin(), results.end(),
                   [](const ResultRecord* a, const ResultRecord* b) {
                     return *a->fidelity.sqnr_db < *b->fidelity.sqnr_db;
                   });
  if (results.size() > count) results.resize(count);
  return results;
}

std::string LayerName(const runner::LayerSqnr& layer) {
  if (layer.op_index < 0) return layer.tensor;
  return "op " + std::to_string(layer.op_index) + " " + layer.op_type;
}

std::string DescribeShipChoice(const RunReport& report, const ShipChoice& choice) {
  if (choice.best == nullptr) {
    return "nothing: no measured result of this model is deployable within the target's budgets";
  }
  const ResultRecord& best = *choice.best;
  std::string text = "`" + LabelWithinModel(best) + "`: " + choice.metric + " " +
                     FormatPercent(Headline(best).value) + ", " + Size(best);
  if (choice.indistinguishable.empty()) {
    return text + "; every other deployable result is significantly worse or untested";
  }
  const MetricPolicy* policy = FindMetricPolicy(choice.metric.c_str());
  char level[32];
  std::snprintf(level, sizeof level, "%g", report.tolerances.significance);
  text += "; not significantly worse (" +
          std::string(policy && policy->test == PairedTest::kMcNemarTop1 ? "McNemar"
                                                                         : "paired bootstrap") +
          ", level " + level + "), smallest first:";
  std::string separator = " ";
  for (const ResultRecord* r : choice.indistinguishable) {
    text += separator + "`" + LabelWithinModel(*r) + "` " + FormatPercent(Headline(*r).value) +
            ", " + Size(*r);
    separator = "; ";
  }
  return text;
}

}  // namespace harness::report
