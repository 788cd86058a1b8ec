#pragma once
// The per-model answers the Markdown and HTML reports print beside each model's table, computed
// once here so the two formats agree:
//   - each result's difference from the model's fp32 result, with its paired 95 % interval;
//   - the calibrator x method grid: every calibrated result's headline metric and its difference
//     from the same method's min-max result (an option variant's from the plain method's);
//   - what to ship: the most accurate deployable result (deployability already includes the
//     target's flash and SRAM budgets) and the deployable results the paired test of the
//     headline metric cannot tell from it.

#include <string>
#include <vector>

#include "harness/runner/run_result.h"

namespace harness::report {

// A difference as a report prints it, with whether its paired comparison is significant.
struct SummaryCell {
  std::string text;
  bool significant = false;
};

// "-1.32 [-2.41, -0.52]": the comparison's difference and interval in points; "+0.60, p 0.21"
// when the comparison has a p-value and no interval.
std::string FormatComparison(const runner::PairedComparison& comparison);

// The difference of `result`'s headline metric from the model's fp32 result; empty text for the
// fp32 result itself, a failed result or a model without fp32.
SummaryCell DeltaVsFp32(const runner::RunReport& report, const runner::ResultRecord& result);

// Rows are calibrators, columns the methods that have one, both in suite order. A cell's text is
// the headline metric and, in parentheses, its comparison with its partner result; empty when the
// suite has no such result.
struct CalibratorTable {
  std::vector<std::string> calibrators;
  std::vector<std::string> methods;
  std::vector<std::vector<SummaryCell>> cells;  // [calibrator][method]
};
// Empty (no calibrators) when the model has no calibrated result with a comparison to show.
CalibratorTable BuildCalibratorTable(const runner::RunReport& report, const std::string& model);

struct ShipChoice {
  std::string metric;                          // the headline metric the choice is made on
  const runner::ResultRecord* best = nullptr;  // null: no deployable result with the metric
  // Deployable results whose drop from `best` the metric's paired test does not find
  // significant at the suite's level, smallest first.
  std::vector<const runner::ResultRecord*> indistinguishable;
};
// Highest headline metric among the model's deployable, measured results; ties go to the
// smaller model, then the smaller arena, then suite order.
ShipChoice ChooseWhatToShip(const runner::RunReport& report, const std::string& model);

// Up to `count` of the model's results with the lowest output SQNR that have per-layer figures,
// lowest first: where to look when a method loses the signal.
std::vector<const runner::ResultRecord*> LowestSqnrResults(const runner::RunReport& report,
                                                           const std::string& model,
                                                           size_t count = 2);
// A layer as the reports name it: "op 3 CONV_2D", or its tensor for reports without ops.
std::string LayerName(const runner::LayerSqnr& layer);

// One sentence: "`int8/mse`: accuracy 97.90 %, 10.2 KiB, arena 10.1 KiB; not significantly
// worse (McNemar, level 0.01): `int8/minmax` 97.80 %, 10.2 KiB ...".
std::string DescribeShipChoice(const runner::RunReport& report, const ShipChoice& choice);

}  // namespace harness::report
