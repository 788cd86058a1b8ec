// NMS against a hand case and a second implementation (per class, then merged and capped).
#include "harness/eval/metrics/nms.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "harness/common/error.h"

namespace harness::eval {
namespace {

TEST(NonMaxSuppression, SuppressesWithinAClassOnly) {
  const std::vector<Detection> d = {
      {{1, 0, 11, 10}, 0, 0.8f},    // 0: IoU 90/110 with 1 -> suppressed
      {{0, 0, 10, 10}, 0, 0.9f},    // 1: best
      {{1, 0, 11, 10}, 1, 0.7f},    // 2: same box, other class -> kept
      {{20, 20, 30, 30}, 0, 0.6f},  // 3: far away -> kept
  };
  EXPECT_EQ(NonMaxSuppression(d, 0.5, 100), (std::vector<size_t>{1, 2, 3}));
  // Above 90/110 nothing overlaps enough.
  EXPECT_EQ(NonMaxSuppression(d, 0.9, 100), (std::vector<size_t>{1, 0, 2, 3}));
  // The cap keeps the best ranked over all classes.
  EXPECT_EQ(NonMaxSuppression(d, 0.5, 2), (std::vector<size_t>{1, 2}));
  EXPECT_TRUE(NonMaxSuppression(d, 0.5, 0).empty());
}

TEST(NonMaxSuppression, IoUAtTheThresholdSurvivesAndTiesKeepTheLowerIndex) {
  const std::vector<Detection> d = {
      {{5, 0, 15, 10}, 0, 0.5f},  // IoU exactly 1/3 with detection 1
      {{0, 0, 10, 10}, 0, 0.5f},
      {{0, 0, 10, 10}, 0, 0.5f},  // duplicate of 1, same score: the later index goes
  };
  EXPECT_EQ(NonMaxSuppression(d, 1.0 / 3.0, 10), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(NonMaxSuppression(d, 0.3, 10), (std::vector<size_t>{0}));
}

// Second implementation: NMS class by class, merge the survivors by (score desc, index asc),
// cap at the end.
std::vector<size_t> PerClassThenMerge(const std::vector<Detection>& d, double threshold,
                                      size_t cap) {
  std::map<int32_t, std::vector<size_t>> by_class;
  for (size_t i = 0; i < d.size(); ++i) by_class[d[i].class_id].push_back(i);
  std::vector<size_t> merged;
  for (auto& [id, members] : by_class) {
    std::sort(members.begin(), members.end(), [&](size_t a, size_t b) {
      return d[a].score != d[b].score ? d[a].score > d[b].score : a < b;
    });
    std::vector<size_t> kept;
    for (size_t i : members) {
      bool keep = true;
      for (size_t k : kept) keep = keep && IoU(d[k].box, d[i].box) <= threshold;
      if (keep) kept.push_back(i);
    }
    merged.insert(merged.end(), kept.begin(), kept.end());
  }
  std::sort(merged.begin(), merged.end(), [&](size_t a, size_t b) {
    return d[a].score != d[b].score ? d[a].score > d[b].score : a < b;
  });
  if (merged.size() > cap) merged.resize(cap);
  return merged;
}

TEST(NonMaxSuppression, MatchesPerClassImplementationOnRandomBoxes) {
  std::mt19937 engine(5);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<Detection> d(60);
    for (Detection& x : d) {
      const float x0 = static_cast<float>(engine() % 40);
      const float y0 = static_cast<float>(engine() % 40);
      x.box = {x0, y0, x0 + 5 + static_cast<float>(engine() % 15),
               y0 + 5 + static_cast<float>(engine() % 15)};
      x.class_id = static_cast<int32_t>(engine() % 3);
      x.score = static_cast<float>(engine() % 10) * 0.1f;  // ties on purpose
    }
    const size_t cap = 5 + static_cast<size_t>(trial);
    EXPECT_EQ(NonMaxSuppression(d, 0.45, cap), PerClassThenMerge(d, 0.45, cap)) << trial;
  }
}

TEST(NonMaxSuppression, RejectsNaNScores) {
  const std::vector<Detection> d = {{{0, 0, 1, 1}, 0, std::numeric_limits<float>::quiet_NaN()}};
  EXPECT_THROW(NonMaxSuppression(d, 0.5, 10), Error);
}

}  // namespace
}  // namespace harness::eval
