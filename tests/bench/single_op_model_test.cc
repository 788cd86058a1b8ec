// One-op models cut out of the shipped digits model: each, run on the inputs captured for it,
// reproduces bit for bit what that op wrote during a full inference (the full run's tensors,
// read through the after-op observer, are the truth); the last one reproduces the model output.
#include "harness/bench/single_op_model.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

#include "harness/model/model_file.h"
#include "harness/quant/method.h"

namespace harness::bench {
namespace {

const std::filesystem::path kDigits =
    std::filesystem::path(HARNESS_SOURCE_DIR) / "datasets" / "digits" / "digits.tflite";

TEST(SingleOpModel, EveryOpReproducesTheFullRun) {
  const runtime::CompiledModel full(quant::PrepareFloatGraph(model::LoadModelFile(kDigits.string())));
  std::vector<std::byte> input(full.input_bytes(0));
  std::mt19937 engine(7);
  std::uniform_real_distribution<float> value(0.0f, 1.0f);
  for (size_t i = 0; i + sizeof(float) <= input.size(); i += sizeof(float)) {
    const float v = value(engine);
    std::memcpy(input.data() + i, &v, sizeof v);
  }

  // The truth: every op's outputs as the full inference leaves them right after the op.
  const model::Graph& graph = full.graph();
  std::vector<std::vector<std::vector<std::byte>>> expected(graph.ops.size());
  auto session = full.NewSession();
  std::memcpy(session->input(0).data(), input.data(), input.size());
  session->Invoke([&](int k) {
    for (int32_t t : graph.ops[static_cast<size_t>(k)].outputs) {
      const auto bytes = session->tensor(t);
      expected[static_cast<size_t>(k)].emplace_back(bytes.begin(), bytes.end());
    }
  });

  const std::vector<SingleOpModel> ops = SplitIntoOps(full, {input});
  ASSERT_EQ(ops.size(), graph.ops.size());
  ASSERT_GE(ops.size(), 3u);
  for (size_t k = 0; k < ops.size(); ++k) {
    SCOPED_TRACE(ops[k].name);
    EXPECT_EQ(ops[k].op_index, static_cast<int>(k));
    EXPECT_EQ(ops[k].model->graph().ops.size(), 1u);
    EXPECT_EQ(ops[k].model->graph().ops[0].type, graph.ops[k].type);
    auto single = ops[k].model->NewSession();
    ASSERT_EQ(ops[k].inputs.size(), ops[k].model->graph().inputs.size());
    for (size_t i = 0; i < ops[k].inputs.size(); ++i) {
      ASSERT_EQ(single->input(i).size(), ops[k].inputs[i].size());
      std::memcpy(single->input(i).data(), ops[k].inputs[i].data(), ops[k].inputs[i].size());
    }
    single->Invoke();
    for (size_t o = 0; o < expected[k].size(); ++o) {
      const auto got = single->output(o);
      ASSERT_EQ(got.size(), expected[k][o].size());
      EXPECT_EQ(std::memcmp(got.data(), expected[k][o].data(), got.size()), 0) << "output " << o;
    }
  }
  // Names: index zero-padded, then the op type.
  EXPECT_EQ(ops[0].name.substr(0, 5), "op00_");
  EXPECT_EQ(ops[0].name.substr(5), model::ToString(graph.ops[0].type));
}

TEST(SingleOpModel, ExtractKeepsOnlyTheOpsTensors) {
  const model::Graph graph = quant::PrepareFloatGraph(model::LoadModelFile(kDigits.string()));
  const model::Graph single = ExtractOp(graph, 0);
  const model::Op& op = graph.ops[0];
  size_t used = 0;
  for (int32_t t : op.inputs) used += t != model::kNoTensor;
  EXPECT_EQ(single.tensors.size(), used + op.outputs.size());
  EXPECT_EQ(single.outputs.size(), op.outputs.size());
  for (int32_t t : single.inputs) EXPECT_FALSE(single.tensor(t).is_constant());
  // Constant inputs keep their bytes.
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    if (op.inputs[i] == model::kNoTensor || !graph.tensor(op.inputs[i]).is_constant()) continue;
    EXPECT_EQ(single.data(single.ops[0].inputs[i]), graph.data(op.inputs[i]));
  }
}

}  // namespace
}  // namespace harness::bench
