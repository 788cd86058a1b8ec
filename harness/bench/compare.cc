#include "harness/bench/compare.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iomanip>
#include <map>
#include <sstream>

#include "harness/bench/mann_whitney.h"
#include "harness/common/error.h"

namespace harness::bench {
namespace {

constexpr const char* kKernelsField = "harness_kernels";

void CheckRepetitions(const BenchmarkFile& file, const BenchmarkSamples& samples) {
  if (samples.cpu_ns.size() < kMinRepetitions) {
    throw Error(file.source, "benchmarks: '" + samples.name + "' has " +
                                 std::to_string(samples.cpu_ns.size()) +
                                 " repetition(s); comparing needs at least " +
                                 std::to_string(kMinRepetitions) + " (repetitions)");
  }
}

void CheckSameKernels(const BenchmarkFile& current, const BenchmarkFile& baseline) {
  const auto ours = current.context.find(kKernelsField);
  const auto theirs = baseline.context.find(kKernelsField);
  if (ours == current.context.end() || theirs == baseline.context.end()) return;
  if (ours->second != theirs->second) {
    throw Error(baseline.source, std::string("context.") + kKernelsField + ": '" + theirs->second +
                                     "', but this run uses '" + ours->second +
                                     "'; timings of different kernels are not comparable");
  }
}

std::string Duration(double ns) {
  char text[32];
  if (ns >= 1e6) {
    std::snprintf(text, sizeof text, "%.3f ms", ns / 1e6);
  } else if (ns >= 1e3) {
    std::snprintf(text, sizeof text, "%.3f us", ns / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.1f ns", ns);
  }
  return text;
}

}  // namespace

const char* ToString(Change change) {
  switch (change) {
    case Change::kSame: return "same";
    case Change::kSlower: return "slower";
    case Change::kFaster: return "faster";
    case Change::kNew: return "new";
    case Change::kMissing: return "missing";
  }
  return "?";
}

size_t BenchComparison::Count(Change change) const {
  return static_cast<size_t>(std::count_if(rows.begin(), rows.end(),
                                           [&](const BenchmarkChange& r) { return r.change == change; }));
}

double MedianOf(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

BenchComparison CompareRuns(const BenchmarkFile& current, const BenchmarkFile& baseline,
                            const CompareOptions& options) {
  CheckSameKernels(current, baseline);
  std::map<std::string, const BenchmarkSamples*> baseline_by_name;
  for (const BenchmarkSamples& b : baseline.benchmarks) baseline_by_name[b.name] = &b;

  BenchComparison comparison;
  size_t fewest_repetitions = SIZE_MAX;
  for (const BenchmarkSamples& now : current.benchmarks) {
    BenchmarkChange row;
    row.name = now.name;
    row.current_median_ns = MedianOf(now.cpu_ns);
    row.current_repetitions = now.cpu_ns.size();
    const auto found = baseline_by_name.find(now.name);
    if (found == baseline_by_name.end()) {
      row.change = Change::kNew;
      comparison.rows.push_back(row);
      continue;
    }
    const BenchmarkSamples& before = *found->second;
    baseline_by_name.erase(found);
    CheckRepetitions(current, now);
    CheckRepetitions(baseline, before);
    fewest_repetitions = std::min({fewest_repetitions, now.cpu_ns.size(), before.cpu_ns.size()});
    row.baseline_median_ns = MedianOf(before.cpu_ns);
    row.baseline_repetitions = before.cpu_ns.size();
    // A zero baseline median (an op too fast for the clock) has no relative change to speak of.
    row.relative_change = row.baseline_median_ns > 0.0
                              ? (row.current_median_ns - row.baseline_median_ns) / row.baseline_median_ns
                              : 0.0;
    row.p_value = MannWhitneyU(now.cpu_ns, before.cpu_ns).p_value;
    const bool significant = row.p_value < options.alpha;
    if (significant && row.relative_change > options.threshold) {
      row.change = Change::kSlower;
    } else if (significant && row.relative_change < -options.threshold) {
      row.change = Change::kFaster;
    }
    comparison.rows.push_back(row);
  }
  for (const BenchmarkSamples& before : baseline.benchmarks) {
    if (!baseline_by_name.count(before.name)) continue;
    BenchmarkChange row;
    row.name = before.name;
    row.change = Change::kMissing;
    row.baseline_median_ns = MedianOf(before.cpu_ns);
    row.baseline_repetitions = before.cpu_ns.size();
    comparison.rows.push_back(row);
  }

  if (fewest_repetitions < kRecommendedRepetitions) {
    comparison.warnings.push_back(
        "only " + std::to_string(fewest_repetitions) + " repetitions on a side: the U test can "
        "hardly reject noise; " + std::to_string(kRecommendedRepetitions) + "+ recommended");
  }
  const auto host = current.context.find("host_name");
  const auto baseline_host = baseline.context.find("host_name");
  if (host != current.context.end() && baseline_host != baseline.context.end() &&
      host->second != baseline_host->second) {
    comparison.warnings.push_back("the baseline comes from host '" + baseline_host->second +
                                  "', this run from '" + host->second + "'");
  }
  return comparison;
}

std::string FormatComparison(const BenchComparison& comparison) {
  int name_width = static_cast<int>(std::string("benchmark").size());
  for (const BenchmarkChange& r : comparison.rows) name_width = std::max(name_width, static_cast<int>(r.name.size()));
  std::ostringstream out;
  auto row = [&](const std::string& name, const std::string& before, const std::string& now,
                 const std::string& change, const std::string& p, const std::string& verdict) {
    out << std::left << std::setw(name_width) << name << std::right << " " << std::setw(12) << before
        << " " << std::setw(12) << now << " " << std::setw(9) << change << " " << std::setw(7) << p
        << "  " << verdict << "\n";
  };
  row("benchmark", "baseline", "current", "change", "p", "verdict");
  for (const BenchmarkChange& r : comparison.rows) {
    const bool compared = r.change != Change::kNew && r.change != Change::kMissing;
    char change[32] = "-", p[32] = "-";
    if (compared) {
      std::snprintf(change, sizeof change, "%+.1f %%", r.relative_change * 100.0);
      std::snprintf(p, sizeof p, "%.4f", r.p_value);
    }
    row(r.name, r.change == Change::kNew ? "-" : Duration(r.baseline_median_ns),
        r.change == Change::kMissing ? "-" : Duration(r.current_median_ns), change, p, ToString(r.change));
  }
  for (const std::string& w : comparison.warnings) out << "warning: " << w << "\n";
  out << comparison.Count(Change::kSlower) << " slower, " << comparison.Count(Change::kFaster)
      << " faster, " << comparison.Count(Change::kSame) << " same, " << comparison.Count(Change::kNew)
      << " new, " << comparison.Count(Change::kMissing) << " missing\n";
  return out.str();
}

}  // namespace harness::bench
