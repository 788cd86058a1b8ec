#include "harness/report/comparison_json.h"

#include <cmath>

namespace harness::report {
namespace {

using nlohmann::ordered_json;

ordered_json Number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

ordered_json DeltaJson(const MetricDelta& d) {
  ordered_json j = {{"metric", d.metric},
                    {"unit", d.unit},
                    {"current", Number(d.current)},
                    {"baseline", Number(d.baseline)},
                    {"delta", Number(d.delta)},
                    {"tolerance", Number(d.tolerance)},
                    {"gates", d.gates},
                    {"verdict", ToString(d.verdict)}};
  if (!d.test.empty()) j["test"] = d.test;
  if (d.p_value) j["p_value"] = Number(*d.p_value);
  if (d.p_adjusted) j["p_adjusted"] = Number(*d.p_adjusted);
  return j;
}

}  // namespace

ordered_json ResultComparisonJson(const ResultComparison& comparison) {
  ordered_json deltas = ordered_json::array();
  for (const auto& d : comparison.deltas) deltas.push_back(DeltaJson(d));
  return {{"status", ToString(comparison.status)},
          {"deltas", std::move(deltas)},
          {"alarms", comparison.alarms},
          {"notes", comparison.notes}};
}

ordered_json RunComparisonJson(const Comparison& comparison) {
  ordered_json inputs = ordered_json::array();
  for (const auto& change : comparison.inputs_changed) {
    inputs.push_back({{"path", change.path},
                      {"role", change.role},
                      {"sha256", change.current_sha256},
                      {"baseline_sha256", change.baseline_sha256}});
  }
  ordered_json missing = ordered_json::array();
  for (const auto& r : comparison.results) {
    if (r.status == Status::kMissing) missing.push_back(r.id);
  }
  ordered_json regressions = ordered_json::array();
  for (const ResultComparison* r : comparison.Regressions()) regressions.push_back(r->id);
  return {{"file", comparison.baseline_source},
          {"counts",
           {{"regressed", comparison.Count(Status::kRegressed)},
            {"improved", comparison.Count(Status::kImproved)},
            {"ok", comparison.Count(Status::kOk)},
            {"new", comparison.Count(Status::kNew)},
            {"missing", comparison.Count(Status::kMissing)}}},
          {"regressions", std::move(regressions)},
          {"missing", std::move(missing)},
          {"significance", Number(comparison.significance)},
          {"paired_tests", comparison.paired_tests},
          {"class_recall_tests", comparison.class_tests},
          {"suite_file_changed", comparison.suite_file_changed},
          {"inputs_changed", std::move(inputs)}};
}

}  // namespace harness::report
