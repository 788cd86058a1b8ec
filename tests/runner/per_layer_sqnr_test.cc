// Per-layer SQNR on the shipped digits model: a model against itself is noise-free (+inf) at
// every layer; its fp16 version is close but not identical at every layer.
#include "harness/runner/per_layer_sqnr.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "harness/model/model_file.h"
#include "harness/quant/float16.h"
#include "harness/quant/method.h"
#include "harness/runtime/runnable_graph.h"

namespace harness::runner {
namespace {

namespace fs = std::filesystem;
const fs::path kDigits = fs::path(HARNESS_SOURCE_DIR) / "datasets" / "digits";

TEST(PerLayerSqnr, SelfIsNoiseFreeAndFloat16IsClose) {
  const model::Graph graph = quant::PrepareFloatGraph(model::LoadModelFile((kDigits / "digits.onnx").string()));
  const runtime::CompiledModel reference{model::Graph(graph)};
  const eval::Dataset set = eval::Dataset::Open((kDigits / "val.h5").string());

  const auto self = PerLayerSqnr(reference, reference, set);
  ASSERT_FALSE(self.empty());
  for (const LayerSqnr& layer : self) EXPECT_TRUE(std::isinf(layer.sqnr_db) && layer.sqnr_db > 0) << layer.tensor;
  // Each layer names the op that writes its tensor, in op order.
  int32_t previous = -1;
  for (const LayerSqnr& layer : self) {
    ASSERT_GE(layer.op_index, previous) << layer.tensor;
    ASSERT_LT(static_cast<size_t>(layer.op_index), graph.ops.size());
    const model::Op& op = graph.ops[static_cast<size_t>(layer.op_index)];
    EXPECT_EQ(layer.op_type, model::ToString(op.type)) << layer.tensor;
    bool writes = false;
    for (int32_t t : op.outputs) writes = writes || graph.tensor(t).name == layer.tensor;
    EXPECT_TRUE(writes) << layer.tensor << " is not an output of op " << layer.op_index;
    previous = layer.op_index;
  }

  const runtime::CompiledModel half{runtime::FoldFloat16Weights(quant::QuantizeFloat16(graph))};
  const auto fp16 = PerLayerSqnr(reference, half, set);
  ASSERT_EQ(fp16.size(), self.size());
  for (const LayerSqnr& layer : fp16) {
    EXPECT_TRUE(std::isfinite(layer.sqnr_db)) << layer.tensor;
    EXPECT_GT(layer.sqnr_db, 40.0) << layer.tensor;  // float16 weights keep ~11 bits
  }
}

}  // namespace
}  // namespace harness::runner
