#include "harness/eval/metrics/fidelity.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/eval/metrics/classification.h"

namespace harness::eval {

double Top1Agreement(std::span<const float> scores_a, std::span<const float> scores_b,
                     int num_classes) {
  if (scores_a.size() != scores_b.size()) {
    throw Error("top-1 agreement", std::to_string(scores_a.size()) + " scores against " +
                                       std::to_string(scores_b.size()));
  }
  const std::vector<int32_t> a = Top1Predictions(scores_a, num_classes);
  const std::vector<int32_t> b = Top1Predictions(scores_b, num_classes);
  if (a.empty()) throw Error("top-1 agreement", "no samples");
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == b[i] ? 1 : 0;
  return static_cast<double>(same) / static_cast<double>(a.size());
}

double SqnrDb(std::span<const float> reference, std::span<const float> signal) {
  if (reference.size() != signal.size()) {
    throw Error("SQNR", std::to_string(signal.size()) + " values against a reference of " +
                            std::to_string(reference.size()));
  }
  if (reference.empty()) throw Error("SQNR", "no values");
  double signal_power = 0.0;
  double noise_power = 0.0;
  for (size_t i = 0; i < reference.size(); ++i) {
    const double r = static_cast<double>(reference[i]);
    const double e = r - static_cast<double>(signal[i]);
    signal_power += r * r;
    noise_power += e * e;
  }
  if (noise_power == 0.0) return std::numeric_limits<double>::infinity();
  if (signal_power == 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal_power / noise_power);
}

}  // namespace harness::eval
