#include "harness/eval/metrics/roc_auc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

template <typename Score>
double RocAucImpl(std::span<const Score> scores, std::span<const int32_t> labels) {
  const char* place = "ROC AUC";
  if (scores.size() != labels.size()) {
    throw Error(place, std::to_string(scores.size()) + " scores for " +
                           std::to_string(labels.size()) + " labels");
  }
  int64_t positives = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) {
      throw Error(place, "label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) +
                             " is neither 0 (normal) nor 1 (anomalous)");
    }
    // NaN has no place in the order, and std::sort with it is undefined behaviour.
    if (std::isnan(scores[i]))
      throw Error(place, "score of sample " + std::to_string(i) + " is NaN");
    positives += labels[i];
  }
  const auto negatives = static_cast<int64_t>(labels.size()) - positives;
  if (positives == 0 || negatives == 0) {
    throw Error(place, std::string("no ") + (positives == 0 ? "anomalous" : "normal") +
                           " samples: the AUC is undefined");
  }

  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });

  // Ascending walk: each positive beats every negative in earlier groups and ties with the
  // negatives of its own group (worth 1/2, so twice U gains one per such pair).
  int64_t twice_u = 0;
  int64_t negatives_below = 0;
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    int64_t group_positives = 0;
    while (end < order.size() && scores[order[end]] == scores[order[begin]]) {
      group_positives += labels[order[end]];
      ++end;
    }
    const int64_t group_negatives = static_cast<int64_t>(end - begin) - group_positives;
    twice_u += group_positives * (2 * negatives_below + group_negatives);
    negatives_below += group_negatives;
    begin = end;
  }
  return static_cast<double>(twice_u) /
         (2.0 * static_cast<double>(positives) * static_cast<double>(negatives));
}

}  // namespace

double RocAuc(std::span<const float> scores, std::span<const int32_t> labels) {
  return RocAucImpl(scores, labels);
}

double RocAuc(std::span<const double> scores, std::span<const int32_t> labels) {
  return RocAucImpl(scores, labels);
}

IndexMetric ResampledRocAuc(std::span<const double> scores, std::span<const int32_t> labels) {
  return [scores, labels](std::span<const size_t> indices) {
    std::vector<double> s;
    std::vector<int32_t> l;
    s.reserve(indices.size());
    l.reserve(indices.size());
    bool normal = false, anomalous = false;
    for (size_t i : indices) {
      s.push_back(scores[i]);
      l.push_back(labels[i]);
      (labels[i] ? anomalous : normal) = true;
    }
    if (!normal || !anomalous) return std::numeric_limits<double>::quiet_NaN();
    return RocAuc(std::span<const double>(s), std::span<const int32_t>(l));
  };
}

}  // namespace harness::eval
