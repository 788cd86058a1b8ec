// STRIDED_SLICE against hand-computed slices: negative indices and strides, begin / end masks,
// shrunk axes, clamping past either end, empty and size-1 dimensions, strided inner axes, and the
// output dimensions TFLite-Micro's Prepare derives.
#include "kernels/reference/strided_slice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

template <class T>
std::vector<T> Slice(const StridedSliceSpec& spec, const Shape& shape, const std::vector<T>& in) {
  const std::vector<int32_t> dims = StridedSliceOutputDims(spec, shape);
  int64_t count = 1;
  for (int32_t d : dims) count *= d;
  std::vector<T> out(static_cast<size_t>(count));
  StridedSlice(ResolveStridedSlice(spec, shape), in.data(), sizeof(T), out.data());
  return out;
}

TEST(StridedSlice, NegativeStrideReversesWithNegativeIndices) {
  // x[-1:-5:-1] of [1, 2, 3, 4]: begin 3, end -1 (clamped below the first element).
  const StridedSliceSpec spec{{-1}, {-5}, {-1}};
  EXPECT_THAT(StridedSliceOutputDims(spec, Shape{4}), ElementsAre(4));
  EXPECT_THAT(Slice<float>(spec, Shape{4}, {1, 2, 3, 4}), ElementsAre(4, 3, 2, 1));
}

TEST(StridedSlice, MixedStridesOnAMatrix) {
  // x[1:2:2, -1:-4:-1] of [[1, 2, 3], [4, 5, 6]] = [[6, 5, 4]].
  const StridedSliceSpec spec{{1, -1}, {2, -4}, {2, -1}};
  EXPECT_THAT(StridedSliceOutputDims(spec, Shape{2, 3}), ElementsAre(1, 3));
  EXPECT_THAT(Slice<int8_t>(spec, Shape{2, 3}, {1, 2, 3, 4, 5, 6}), ElementsAre(6, 5, 4));
}

TEST(StridedSlice, BeginAndEndMasksTakeTheWholeRangeInTheStrideDirection) {
  // begin_mask on axis 0 ignores begin 5; end_mask with stride -1 runs to the first element.
  StridedSliceSpec spec{{5}, {3}, {1}};
  spec.begin_mask = 1;
  EXPECT_THAT(Slice<int16_t>(spec, Shape{4}, {10, 11, 12, 13}), ElementsAre(10, 11, 12));
  spec = StridedSliceSpec{{2}, {3}, {-1}};
  spec.end_mask = 1;
  EXPECT_THAT(Slice<int16_t>(spec, Shape{4}, {10, 11, 12, 13}), ElementsAre(12, 11, 10));
  spec.begin_mask = 1;  // and from the last element
  EXPECT_THAT(Slice<int16_t>(spec, Shape{4}, {10, 11, 12, 13}), ElementsAre(13, 12, 11, 10));
}

TEST(StridedSlice, ShrinkAxisDropsTheDimensionAndTakesBegin) {
  StridedSliceSpec spec{{-1, 0}, {0, 3}, {1, 1}};  // end of the shrunk axis does not matter
  spec.shrink_axis_mask = 1;
  EXPECT_THAT(StridedSliceOutputDims(spec, Shape{2, 3}), ElementsAre(3));
  EXPECT_THAT(Slice<int32_t>(spec, Shape{2, 3}, {1, 2, 3, 4, 5, 6}), ElementsAre(4, 5, 6));
  spec.shrink_axis_mask = 3;  // both axes: a scalar
  spec.begin = {0, -2};
  EXPECT_THAT(StridedSliceOutputDims(spec, Shape{2, 3}), IsEmpty());
  EXPECT_THAT(Slice<int32_t>(spec, Shape{2, 3}, {1, 2, 3, 4, 5, 6}), ElementsAre(2));
}

TEST(StridedSlice, ClampsPastTheEndAndRoundsTheCountUp) {
  const StridedSliceSpec spec{{-100}, {100}, {2}};
  EXPECT_THAT(StridedSliceOutputDims(spec, Shape{5}), ElementsAre(3));
  EXPECT_THAT(Slice<float>(spec, Shape{5}, {1, 2, 3, 4, 5}), ElementsAre(1, 3, 5));
}

TEST(StridedSlice, EmptyRangesAndEmptyInputs) {
  const StridedSliceSpec backwards{{3}, {1}, {1}};
  EXPECT_THAT(StridedSliceOutputDims(backwards, Shape{4}), ElementsAre(0));
  EXPECT_THAT(Slice<float>(backwards, Shape{4}, {1, 2, 3, 4}), IsEmpty());
  const StridedSliceSpec of_empty{{0, 0}, {1, 5}, {1, 1}};
  EXPECT_THAT(StridedSliceOutputDims(of_empty, Shape{0, 5}), ElementsAre(0, 5));
}

TEST(StridedSlice, FourDimensionsWithAStridedInnerAxis) {
  // [1, 2, 3, 4] holding 0..23; x[:, 1:, ::2, 1::2] = rows 1, columns 0 and 2, lanes 1 and 3.
  std::vector<int8_t> in(24);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<int8_t>(i);
  StridedSliceSpec spec{{0, 1, 0, 1}, {1, 2, 3, 4}, {1, 1, 2, 2}};
  EXPECT_THAT(StridedSliceOutputDims(spec, Shape{1, 2, 3, 4}), ElementsAre(1, 1, 2, 2));
  EXPECT_THAT(Slice<int8_t>(spec, Shape{1, 2, 3, 4}, in), ElementsAre(13, 15, 21, 23));
  // The seanet models' slice: drop the first row of a size-1 batch, inner stride 1.
  spec = StridedSliceSpec{{0, 1, 0, 0}, {1, 2, 3, 4}, {1, 1, 1, 1}};
  spec.end_mask = 0b1111;
  EXPECT_THAT(StridedSliceOutputDims(spec, Shape{1, 2, 3, 4}), ElementsAre(1, 1, 3, 4));
  const std::vector<int8_t> out = Slice<int8_t>(spec, Shape{1, 2, 3, 4}, in);
  ASSERT_EQ(out.size(), 12u);
  EXPECT_EQ(out.front(), 12);
  EXPECT_EQ(out.back(), 23);
}

}  // namespace
}  // namespace kernels::reference
