// IoU against areas computed by hand.
#include "harness/eval/metrics/box.h"

#include <gtest/gtest.h>

namespace harness::eval {
namespace {

TEST(IoU, HandCases) {
  const Box a{0, 0, 10, 10};
  EXPECT_EQ(IoU(a, a), 1.0);
  EXPECT_EQ(IoU(a, Box{5, 0, 15, 10}), 50.0 / 150.0);  // half overlap: 50 / (100 + 100 - 50)
  EXPECT_EQ(IoU(Box{5, 0, 15, 10}, a), 50.0 / 150.0);  // symmetric
  EXPECT_EQ(IoU(a, Box{0, 0, 5, 5}), 0.25);            // contained: 25 / 100
  EXPECT_EQ(IoU(a, Box{0, 0, 10, 6}), 0.6);            // 60 / 100
  EXPECT_EQ(IoU(a, Box{10, 0, 20, 10}), 0.0);          // touching edges
  EXPECT_EQ(IoU(a, Box{20, 20, 30, 30}), 0.0);         // disjoint
}

TEST(IoU, DegenerateBoxesHaveNoOverlap) {
  const Box point{3, 3, 3, 3};
  EXPECT_EQ(IoU(point, point), 0.0);
  EXPECT_EQ(IoU(Box{0, 0, 10, 10}, Box{8, 8, 2, 2}), 0.0);  // inverted box has zero area
}

}  // namespace
}  // namespace harness::eval
