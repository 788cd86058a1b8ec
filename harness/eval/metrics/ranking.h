#pragma once
// The one ranking rule shared by every classification metric, so that top-1, top-5, the
// confusion matrix and fidelity agreement never disagree about a tie: a higher score ranks
// first; equal scores rank the lower class index first (numpy's argmax and std::max_element do
// the same); NaN ranks below every number, so a model that produced NaN is never right by luck.

#include <cmath>

namespace harness::eval {

// True when (score_a, class a) ranks strictly before (score_b, class b).
inline bool RanksBefore(float score_a, int class_a, float score_b, int class_b) {
  const bool a_nan = std::isnan(score_a);
  const bool b_nan = std::isnan(score_b);
  if (a_nan || b_nan) return a_nan == b_nan ? class_a < class_b : b_nan;
  if (score_a != score_b) return score_a > score_b;
  return class_a < class_b;
}

}  // namespace harness::eval
