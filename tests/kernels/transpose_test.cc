// TRANSPOSE reference kernel: hand-computed permutations, and every permutation of a rank-4 and
// a rank-5 tensor against an independent index computation.
#include "kernels/reference/transpose.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

namespace kernels::reference {
namespace {

using ::testing::ElementsAre;

template <class T>
std::vector<T> TransposeOf(std::vector<int32_t> perm, const Shape& in_shape,
                           const std::vector<T>& input) {
  TransposeParams params;
  std::vector<int32_t> out_dims;
  for (size_t d = 0; d < perm.size(); ++d) {
    params.perm[d] = perm[d];
    out_dims.push_back(in_shape.dim(perm[d]));
  }
  const Shape out_shape(out_dims);
  std::vector<T> output(static_cast<size_t>(out_shape.FlatSize()));
  Transpose(params, in_shape, input.data(), sizeof(T), out_shape, output.data());
  return output;
}

TEST(Transpose, MatrixFloat) {
  // [[1 2 3] [4 5 6]] -> [[1 4] [2 5] [3 6]]
  EXPECT_THAT(TransposeOf<float>({1, 0}, Shape{2, 3}, {1, 2, 3, 4, 5, 6}),
              ElementsAre(1, 4, 2, 5, 3, 6));
}

TEST(Transpose, NchwToNhwcInt8) {
  // [1, 2 channels, 2, 2] -> [1, 2, 2, 2 channels]: channel values interleave.
  EXPECT_THAT(TransposeOf<int8_t>({0, 2, 3, 1}, Shape{1, 2, 2, 2}, {1, 2, 3, 4, -1, -2, -3, -4}),
              ElementsAre(1, -1, 2, -2, 3, -3, 4, -4));
}

TEST(Transpose, Int16SizeOneDimsAndIdentity) {
  const std::vector<int16_t> x = {-32768, 7, 32767};
  // Moving dimensions of extent 1 keeps the order of the data.
  EXPECT_THAT(TransposeOf<int16_t>({2, 0, 1}, Shape{1, 3, 1}, x), ElementsAre(-32768, 7, 32767));
  EXPECT_THAT(TransposeOf<int16_t>({0}, Shape{3}, x), ElementsAre(-32768, 7, 32767));
}

TEST(Transpose, EmptyTensorWritesNothing) {
  EXPECT_TRUE(TransposeOf<float>({1, 0}, Shape{0, 3}, {}).empty());
}

// The element at output index o is the input element at index i where i[perm[d]] = o[d].
template <class T>
void CheckEveryPermutation(const std::vector<int32_t>& dims) {
  const Shape in_shape(dims);
  std::vector<T> input(static_cast<size_t>(in_shape.FlatSize()));
  std::iota(input.begin(), input.end(), T{1});
  std::vector<int32_t> perm(dims.size());
  std::iota(perm.begin(), perm.end(), 0);
  int permutations = 0;
  do {
    const std::vector<T> out = TransposeOf<T>(perm, in_shape, input);
    std::vector<int32_t> out_dims;
    for (int32_t p : perm) out_dims.push_back(dims[static_cast<size_t>(p)]);
    for (size_t flat = 0; flat < out.size(); ++flat) {
      std::vector<int32_t> o(dims.size()), i(dims.size());
      size_t rest = flat;
      for (size_t d = dims.size(); d-- > 0;) {
        o[d] = static_cast<int32_t>(rest % static_cast<size_t>(out_dims[d]));
        rest /= static_cast<size_t>(out_dims[d]);
      }
      for (size_t d = 0; d < dims.size(); ++d) i[static_cast<size_t>(perm[d])] = o[d];
      size_t in_flat = 0;
      for (size_t d = 0; d < dims.size(); ++d) in_flat = in_flat * dims[d] + i[d];
      ASSERT_EQ(out[flat], input[in_flat]) << "permutation " << permutations << " index " << flat;
    }
    ++permutations;
  } while (std::next_permutation(perm.begin(), perm.end()));
  int expected = 1;
  for (size_t k = 2; k <= dims.size(); ++k) expected *= static_cast<int>(k);
  EXPECT_EQ(permutations, expected);
}

TEST(Transpose, EveryRank4PermutationFloat) { CheckEveryPermutation<float>({2, 3, 4, 5}); }
TEST(Transpose, EveryRank5PermutationInt16) { CheckEveryPermutation<int16_t>({2, 1, 3, 2, 4}); }

}  // namespace
}  // namespace kernels::reference
