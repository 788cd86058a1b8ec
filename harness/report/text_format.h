#pragma once
// How numbers look in the human-readable reports (Markdown, HTML, JUnit messages), in one place
// so the three agree: fractions as percentages with two decimals, SQNR in dB ("inf" for an exact
// output), sizes in bytes or KiB, MAC counts with an SI suffix, deltas with an explicit sign.

#include <optional>
#include <string>
#include <string_view>

#include "harness/report/baseline.h"
#include "harness/runner/run_result.h"

namespace harness::report {

std::string FormatPercent(std::optional<double> fraction);  // 0.9125 -> "91.25 %"; none -> "-"
std::string FormatDb(std::optional<double> db);             // "34.1 dB", "inf", "-inf"
std::string FormatBytes(std::optional<int64_t> bytes);      // "812 B", "12.3 KiB", "1.50 MiB"
std::string FormatCount(std::optional<int64_t> count);      // "950", "1.23 M", "4.10 G"
std::string FormatMicroseconds(std::optional<double> us);   // "812 us", "12.3 ms"
std::string FormatSigned(double value, int decimals);       // "+0.60", "-2.00", "+inf"
std::string FormatPValue(double p);                         // "0.21", "0.003", "< 0.001"
// A delta in its unit: "-2.00 points", "+1024 bytes", "+3.1 dB", "+250 us".
std::string FormatDelta(const MetricDelta& delta);

// The headline metric of a task: accuracy for classification, AUC for anomaly, mAP for
// detection; whichever is present, in that order. Name empty when there is none.
struct HeadlineMetric {
  std::string name;  // "accuracy", "auc", "map"
  std::optional<double> value;
};
HeadlineMetric Headline(const runner::ResultRecord& result);

// A result's name within its model: the id without "<model>/" ("int8/entropy").
std::string LabelWithinModel(const runner::ResultRecord& result);
std::string LabelWithinModel(std::string_view id, std::string_view model);

}  // namespace harness::report
