// PACK and UNPACK against hand-computed layouts (axis first, last and in between), their round
// trip, and size-1 dimensions.
#include "kernels/reference/pack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

template <class T>
std::vector<T> PackOf(const std::vector<std::vector<T>>& inputs, int64_t outer, int64_t copy) {
  std::vector<const std::byte*> pointers;
  for (const auto& v : inputs) pointers.push_back(reinterpret_cast<const std::byte*>(v.data()));
  std::vector<T> out(inputs.size() * inputs[0].size());
  Pack({outer, copy, sizeof(T)}, pointers, reinterpret_cast<std::byte*>(out.data()));
  return out;
}

TEST(Pack, AlongTheFirstAxisConcatenates) {
  // Three [2] tensors -> [3, 2]: outer 1, copy 2.
  EXPECT_THAT(PackOf<float>({{1, 2}, {3, 4}, {5, 6}}, 1, 2), ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST(Pack, AlongTheLastAxisInterleaves) {
  // Three [2] tensors -> [2, 3] (axis 1, or -1): outer 2, copy 1.
  EXPECT_THAT(PackOf<int16_t>({{1, 2}, {3, 4}, {5, 6}}, 2, 1), ElementsAre(1, 3, 5, 2, 4, 6));
}

TEST(Pack, AlongAMiddleAxisMovesRows) {
  // Two [2, 2] tensors -> [2, 2, 2] along axis 1: outer 2, copy 2.
  EXPECT_THAT(PackOf<int8_t>({{1, 2, 3, 4}, {5, 6, 7, 8}}, 2, 2),
              ElementsAre(1, 2, 5, 6, 3, 4, 7, 8));
}

TEST(Unpack, InvertsPackOnEveryAxis) {
  const std::vector<int32_t> packed = {1, 3, 5, 2, 4, 6};  // [2, 3]
  std::vector<std::vector<int32_t>> outputs(3, std::vector<int32_t>(2));
  std::vector<std::byte*> pointers;
  for (auto& v : outputs) pointers.push_back(reinterpret_cast<std::byte*>(v.data()));
  Unpack({2, 1, sizeof(int32_t)}, reinterpret_cast<const std::byte*>(packed.data()), pointers);
  EXPECT_THAT(outputs[0], ElementsAre(1, 2));
  EXPECT_THAT(outputs[1], ElementsAre(3, 4));
  EXPECT_THAT(outputs[2], ElementsAre(5, 6));
  // Along axis 0 of [2, 3]: two rows.
  std::vector<std::vector<int32_t>> rows(2, std::vector<int32_t>(3));
  std::vector<std::byte*> row_pointers;
  for (auto& v : rows) row_pointers.push_back(reinterpret_cast<std::byte*>(v.data()));
  Unpack({1, 3, sizeof(int32_t)}, reinterpret_cast<const std::byte*>(packed.data()), row_pointers);
  EXPECT_THAT(rows[0], ElementsAre(1, 3, 5));
  EXPECT_THAT(rows[1], ElementsAre(2, 4, 6));
}

TEST(Unpack, SizeOneAxisGivesOneCopy) {
  const std::vector<float> input = {7, 8, 9};  // [1, 3] unpacked along axis 0
  std::vector<float> out(3);
  std::byte* pointer = reinterpret_cast<std::byte*>(out.data());
  Unpack({1, 3, sizeof(float)}, reinterpret_cast<const std::byte*>(input.data()), {&pointer, 1});
  EXPECT_THAT(out, ElementsAre(7, 8, 9));
}

}  // namespace
}  // namespace kernels::reference
