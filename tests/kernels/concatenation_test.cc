// CONCATENATION on hand-made tensors along the first, a middle and the last axis.
#include "kernels/reference/concatenation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

TEST(Concatenation, LastAxisInterleavesRows) {
  const std::vector<float> a = {1, 2, 3, 4};  // [2, 2]
  const std::vector<float> b = {5, 6};        // [2, 1]
  const Shape shapes[] = {Shape{2, 2}, Shape{2, 1}};
  const void* inputs[] = {a.data(), b.data()};
  std::vector<float> out(6);
  Concatenation(1, shapes, inputs, sizeof(float), Shape{2, 3}, out.data());
  EXPECT_THAT(out, ElementsAre(1, 2, 5, 3, 4, 6));
}

TEST(Concatenation, FirstAxisAppends) {
  const std::vector<int8_t> a = {1, 2};           // [1, 2]
  const std::vector<int8_t> b = {3, 4, 5, 6};     // [2, 2]
  const std::vector<int8_t> c = {};               // [0, 2]
  const Shape shapes[] = {Shape{1, 2}, Shape{2, 2}, Shape{0, 2}};
  const void* inputs[] = {a.data(), b.data(), c.data()};
  std::vector<int8_t> out(6);
  Concatenation(0, shapes, inputs, 1, Shape{3, 2}, out.data());
  EXPECT_THAT(out, ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST(Concatenation, MiddleAxisOfThreeInputs) {
  // [2, 1, 2], [2, 2, 2] and [2, 1, 2] on axis 1 -> [2, 4, 2].
  const std::vector<int16_t> a = {1, 2, 3, 4};
  const std::vector<int16_t> b = {10, 11, 12, 13, 14, 15, 16, 17};
  const std::vector<int16_t> c = {-1, -2, -3, -4};
  const Shape shapes[] = {Shape{2, 1, 2}, Shape{2, 2, 2}, Shape{2, 1, 2}};
  const void* inputs[] = {a.data(), b.data(), c.data()};
  std::vector<int16_t> out(16);
  Concatenation(1, shapes, inputs, sizeof(int16_t), Shape{2, 4, 2}, out.data());
  EXPECT_THAT(out, ElementsAre(1, 2, 10, 11, 12, 13, -1, -2,  //
                               3, 4, 14, 15, 16, 17, -3, -4));
}

}  // namespace
}  // namespace kernels::reference
