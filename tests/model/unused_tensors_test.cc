// DropUnusedTensors on a hand-made graph: the unused tensors and their buffers go, the rest keep
// their order, and every op, input and output (and an omitted optional input) still names the
// same tensor by name after the renumbering.
#include "harness/model/unused_tensors.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/runtime/single_op_graph.h"

namespace harness::model {
namespace {

TEST(DropUnusedTensors, RemovesOrphansAndRenumbers) {
  Graph graph;
  test::AddConstant(graph, "orphan_a", DataType::kFloat16, {2}, std::vector<uint16_t>{1, 2});
  const int32_t in = test::AddTensor(graph, "in", DataType::kFloat32, {1, 2});
  test::AddTensor(graph, "orphan_b", DataType::kFloat32, {3});
  const int32_t w =
      test::AddConstant(graph, "w", DataType::kFloat32, {2, 2}, std::vector<float>{1, 2, 3, 4});
  const int32_t out = test::AddTensor(graph, "out", DataType::kFloat32, {1, 2});
  test::SetSingleOp(graph, OpType::kFullyConnected, {in, w, kNoTensor}, out,
                    FullyConnectedOptions{});

  const Graph pruned = DropUnusedTensors(graph);
  ASSERT_EQ(pruned.tensors.size(), 3u);
  EXPECT_EQ(pruned.tensors[0].name, "in");
  EXPECT_EQ(pruned.tensors[1].name, "w");
  EXPECT_EQ(pruned.tensors[2].name, "out");
  ASSERT_EQ(pruned.buffers.size(), 1u);
  EXPECT_EQ(pruned.data(1), graph.data(w));
  ASSERT_EQ(pruned.ops.size(), 1u);
  EXPECT_EQ(pruned.ops[0].inputs, (std::vector<int32_t>{0, 1, kNoTensor}));
  EXPECT_EQ(pruned.ops[0].outputs, std::vector<int32_t>{2});
  EXPECT_EQ(pruned.inputs, std::vector<int32_t>{0});
  EXPECT_EQ(pruned.outputs, std::vector<int32_t>{2});
}

TEST(DropUnusedTensors, KeepsAGraphWithoutOrphansAsItIs) {
  Graph graph;
  const int32_t in = test::AddTensor(graph, "in", DataType::kFloat32, {1, 2});
  const int32_t out = test::AddTensor(graph, "out", DataType::kFloat32, {1, 2});
  test::SetSingleOp(graph, OpType::kRelu, {in}, out, {});
  const Graph pruned = DropUnusedTensors(graph);
  ASSERT_EQ(pruned.tensors.size(), 2u);
  EXPECT_EQ(pruned.ops[0].inputs, graph.ops[0].inputs);
  EXPECT_EQ(pruned.outputs, graph.outputs);
}

}  // namespace
}  // namespace harness::model
