// SPLIT and SPLIT_V glue: negative axes, size_splits with -1, and refusals that name the op and
// the tensor (non-constant axis, wrong counts, parts that do not add up or disagree).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/runtime/compiled_model.h"
#include "harness/runtime/ops/split.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::runtime {
namespace {

using model::DataType;

// x [2, 6] split along `axis` into outputs of `shapes`; SPLIT_V when `sizes` is given.
model::Graph SplitGraph(int32_t axis, const std::vector<std::vector<int32_t>>& shapes,
                        const std::vector<int32_t>* sizes = nullptr, bool constant_axis = true) {
  model::Graph g;
  const int32_t x = test::AddTensor(g, "x", DataType::kFloat32, {2, 6});
  const int32_t a = constant_axis
                        ? test::AddConstant(g, "axis", DataType::kInt32, {}, std::vector{axis})
                        : test::AddTensor(g, "axis", DataType::kInt32, {});
  model::Op op;
  const char* names[] = {"y0", "y1", "y2"};
  for (size_t i = 0; i < shapes.size(); ++i) {
    op.outputs.push_back(test::AddTensor(g, names[i], DataType::kFloat32, shapes[i]));
  }
  if (sizes) {
    const int32_t s = test::AddConstant(g, "size_splits", DataType::kInt32,
                                        {static_cast<int32_t>(sizes->size())}, *sizes);
    op.type = ops::kSplitV;
    op.inputs = {x, s, a};
    op.options = ops::SplitVOptions{static_cast<int32_t>(shapes.size())};
  } else {
    op.type = ops::kSplit;
    op.inputs = {a, x};
    op.options = ops::SplitOptions{static_cast<int32_t>(shapes.size())};
  }
  g.inputs = {x};
  g.outputs = op.outputs;
  g.ops.push_back(op);
  return g;
}

std::vector<std::vector<float>> RunSplit(const model::Graph& g) {
  const CompiledModel model(g);
  auto session = model.NewSession();
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::memcpy(session->input(0).data(), x.data(), sizeof(float) * x.size());
  session->Invoke();
  std::vector<std::vector<float>> outputs;
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    std::vector<float> y(model.output_bytes(o) / sizeof(float));
    std::memcpy(y.data(), session->output(o).data(), model.output_bytes(o));
    outputs.push_back(y);
  }
  return outputs;
}

std::string ErrorOf(const model::Graph& g) {
  try {
    CompiledModel model(g);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(SplitOp, NegativeAxisSplitsColumns) {
  const auto out = RunSplit(SplitGraph(-1, {{2, 3}, {2, 3}}));
  EXPECT_EQ(out[0], (std::vector<float>{1, 2, 3, 7, 8, 9}));
  EXPECT_EQ(out[1], (std::vector<float>{4, 5, 6, 10, 11, 12}));
}

TEST(SplitOp, SplitVTakesExtentsFromOutputsAndAcceptsMinusOne) {
  const std::vector<int32_t> sizes = {1, -1, 3};
  const auto out = RunSplit(SplitGraph(1, {{2, 1}, {2, 2}, {2, 3}}, &sizes));
  EXPECT_EQ(out[0], (std::vector<float>{1, 7}));
  EXPECT_EQ(out[1], (std::vector<float>{2, 3, 8, 9}));
  EXPECT_EQ(out[2], (std::vector<float>{4, 5, 6, 10, 11, 12}));
}

TEST(SplitOp, RefusesWhatTflmCannotRun) {
  const std::string dynamic = ErrorOf(SplitGraph(1, {{2, 3}, {2, 3}}, nullptr, false));
  EXPECT_NE(dynamic.find("SPLIT"), std::string::npos) << dynamic;
  EXPECT_NE(dynamic.find("needs a constant axis"), std::string::npos) << dynamic;
  const std::string unequal = ErrorOf(SplitGraph(1, {{2, 2}, {2, 4}}));
  EXPECT_NE(unequal.find("not an equal part"), std::string::npos) << unequal;
  const std::vector<int32_t> sizes = {2, 3};
  const std::string disagree = ErrorOf(SplitGraph(1, {{2, 2}, {2, 4}}, &sizes));
  EXPECT_NE(disagree.find("size_splits tensor 'size_splits' gives output 1 3 elements"),
            std::string::npos)
      << disagree;
  const std::string sum = ErrorOf(SplitGraph(1, {{2, 2}, {2, 2}}, nullptr));
  EXPECT_NE(sum.find("not an equal part"), std::string::npos) << sum;
  const std::string axis = ErrorOf(SplitGraph(2, {{2, 3}, {2, 3}}));
  EXPECT_NE(axis.find("axis 2 is outside"), std::string::npos) << axis;
}

}  // namespace
}  // namespace harness::runtime
