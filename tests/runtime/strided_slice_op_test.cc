// STRIDED_SLICE's glue: a float graph runs, and what TFLite-Micro refuses (or would run wrongly)
// is refused with a message that names the op and the tensor or mask.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/ops/strided_slice.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::runtime {
namespace {

using model::DataType;

model::Graph SliceGraph(std::vector<int32_t> input_shape, std::vector<int32_t> begin,
                        std::vector<int32_t> end, std::vector<int32_t> strides,
                        std::vector<int32_t> output_shape, ops::StridedSliceOptions options = {}) {
  model::Graph g;
  const int32_t x = test::AddTensor(g, "x", DataType::kFloat32, std::move(input_shape));
  const auto n = static_cast<int32_t>(begin.size());
  const int32_t b = test::AddConstant(g, "begin", DataType::kInt32, {n}, begin);
  const int32_t e = test::AddConstant(g, "end", DataType::kInt32, {n}, end);
  const int32_t s = test::AddConstant(g, "strides", DataType::kInt32, {n}, strides);
  const int32_t y = test::AddTensor(g, "y", DataType::kFloat32, std::move(output_shape));
  test::SetSingleOp(g, ops::kStridedSlice, {x, b, e, s}, y, options);
  return g;
}

std::string ErrorOf(model::Graph g) {
  try {
    CompiledModel model(std::move(g));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(StridedSliceOp, RunsAFloatGraph) {
  ops::StridedSliceOptions options;
  options.shrink_axis_mask = 2;
  const CompiledModel model(SliceGraph({2, 3}, {0, 1}, {2, 2}, {1, 1}, {2}, options));
  auto session = model.NewSession();
  const std::vector<float> x = {1, 2, 3, 4, 5, 6};
  std::memcpy(session->input(0).data(), x.data(), sizeof(float) * x.size());
  session->Invoke();
  std::vector<float> y(2);
  std::memcpy(y.data(), session->output(0).data(), sizeof(float) * y.size());
  EXPECT_EQ(y, (std::vector<float>{2, 5}));
}

TEST(StridedSliceOp, RefusesWhatTflmCannotRun) {
  EXPECT_NE(ErrorOf(SliceGraph({4}, {0}, {4}, {0}, {4})).find("strides must be non-zero"),
            std::string::npos);
  EXPECT_NE(ErrorOf(SliceGraph({1, 1, 1, 1, 4}, {0, 0, 0, 0, 0}, {1, 1, 1, 1, 4}, {1, 1, 1, 1, 1},
                               {1, 1, 1, 1, 4}))
                .find("runs at most 4"),
            std::string::npos);
  ops::StridedSliceOptions shrink;
  shrink.shrink_axis_mask = 1;
  EXPECT_NE(ErrorOf(SliceGraph({4}, {4}, {5}, {1}, {}, shrink)).find("shrink_axis_mask"),
            std::string::npos);
  const std::string shape = ErrorOf(SliceGraph({4}, {0}, {4}, {2}, {4}));
  EXPECT_NE(shape.find("STRIDED_SLICE"), std::string::npos) << shape;
  EXPECT_NE(shape.find("output tensor 'y' has shape [4], expected [2]"), std::string::npos)
      << shape;
  ops::StridedSliceOptions ellipsis;
  ellipsis.ellipsis_mask = 1;
  EXPECT_NE(ErrorOf(SliceGraph({4}, {0}, {4}, {2}, {4}, ellipsis)).find("ignores ellipsis_mask"),
            std::string::npos);
}

}  // namespace
}  // namespace harness::runtime
