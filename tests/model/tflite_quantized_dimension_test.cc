// The loader's reading of quantized_dimension, on models written by the test: a rank-1 tensor
// with one scale per element is quantized along axis 0 whatever its field says (older
// converters copied a depthwise filter's 3 onto its bias, as in TFLite-Micro's
// person_detect.tflite); a per-tensor quantization ignores the field; an axis that is out of
// range on a tensor of higher rank, where it is ambiguous, is still refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/common/error.h"
#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "tests/runtime/single_op_graph.h"

namespace harness::model {
namespace {

// input int8 [1, 8] -> RELU -> output; tensor 2 a constant with `shape` and quantization `q`.
Graph WithConstant(std::vector<int32_t> shape, Quantization q) {
  Graph graph;
  const int32_t in = test::AddTensor(graph, "in", DataType::kInt8, {1, 8}, test::PerTensor(1, 0));
  const int32_t out = test::AddTensor(graph, "out", DataType::kInt8, {1, 8}, test::PerTensor(1, 0));
  const int64_t count = ElementCount(shape);
  test::AddConstant(graph, "bias", DataType::kInt32, std::move(shape),
                    std::vector<int32_t>(static_cast<size_t>(count), 7), std::move(q));
  test::SetSingleOp(graph, OpType::kRelu, {in}, out, {});
  return graph;
}

TEST(TfliteQuantizedDimension, RankOnePerAxisOutOfRangeMeansAxisZero) {
  const std::vector<float> scales = {0.5f, 0.25f, 0.125f, 1, 2, 3, 4, 5};
  const Graph loaded =
      LoadTflite(WriteTflite(WithConstant({8}, test::PerChannel(scales, 3))), "bias3.tflite");
  const Quantization& q = loaded.tensor(2).quantization;
  EXPECT_EQ(q.quantized_dimension, 0);
  EXPECT_EQ(q.scales, scales);
}

TEST(TfliteQuantizedDimension, PerTensorIgnoresTheField) {
  const Graph loaded =
      LoadTflite(WriteTflite(WithConstant({8}, test::PerChannel({0.5f}, 3))), "pt.tflite");
  EXPECT_EQ(loaded.tensor(2).quantization.scales, std::vector<float>{0.5f});
}

TEST(TfliteQuantizedDimension, AmbiguousAxisOfHigherRankIsRefused) {
  try {
    LoadTflite(WriteTflite(WithConstant({2, 4}, test::PerChannel({1, 2}, 3))), "w.tflite");
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("w.tflite: tensor 2 'bias'"), std::string::npos) << what;
    EXPECT_NE(what.find("quantized_dimension 3 is outside shape [2, 4]"), std::string::npos)
        << what;
  }
}

TEST(TfliteQuantizedDimension, RankOneWithTheWrongScaleCountIsRefused) {
  EXPECT_THROW(LoadTflite(WriteTflite(WithConstant({8}, test::PerChannel({1, 2}, 3))), "c.tflite"),
               Error);
}

}  // namespace
}  // namespace harness::model
