// SPLIT / SPLIT_V against hand-computed layouts: equal and unequal parts along the first, a
// middle and the last axis, and size-1 parts.
#include "kernels/reference/split.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

template <class T>
std::vector<std::vector<T>> SplitOf(const std::vector<T>& input, int64_t outer, int64_t inner,
                                    const std::vector<int32_t>& extents) {
  std::vector<std::vector<T>> outputs;
  std::vector<std::byte*> pointers;
  for (int32_t e : extents) outputs.emplace_back(static_cast<size_t>(outer * inner * e));
  for (auto& v : outputs) pointers.push_back(reinterpret_cast<std::byte*>(v.data()));
  Split({outer, inner, sizeof(T)}, extents, reinterpret_cast<const std::byte*>(input.data()),
        pointers);
  return outputs;
}

TEST(Split, EqualPartsAlongTheLastAxis) {
  // [2, 4] into two [2, 2]: outer 2, inner 1.
  const auto out = SplitOf<float>({1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, {2, 2});
  EXPECT_THAT(out[0], ElementsAre(1, 2, 5, 6));
  EXPECT_THAT(out[1], ElementsAre(3, 4, 7, 8));
}

TEST(Split, UnequalPartsAlongTheFirstAxis) {
  // [3, 2] into [1, 2] and [2, 2]: outer 1, inner 2.
  const auto out = SplitOf<int8_t>({1, 2, 3, 4, 5, 6}, 1, 2, {1, 2});
  EXPECT_THAT(out[0], ElementsAre(1, 2));
  EXPECT_THAT(out[1], ElementsAre(3, 4, 5, 6));
}

TEST(Split, UnequalPartsAlongAMiddleAxis) {
  // [2, 3, 2] along axis 1 into extents 2 and 1: outer 2, inner 2.
  const auto out = SplitOf<int16_t>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, {2, 1});
  EXPECT_THAT(out[0], ElementsAre(1, 2, 3, 4, 7, 8, 9, 10));
  EXPECT_THAT(out[1], ElementsAre(5, 6, 11, 12));
}

TEST(Split, SizeOneParts) {
  const auto out = SplitOf<int32_t>({7, 8, 9}, 1, 1, {1, 1, 1});
  EXPECT_THAT(out[0], ElementsAre(7));
  EXPECT_THAT(out[1], ElementsAre(8));
  EXPECT_THAT(out[2], ElementsAre(9));
}

}  // namespace
}  // namespace kernels::reference
