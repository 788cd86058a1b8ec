#include "harness/model/weight_dequantization.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/model/tflite_loader.h"

namespace harness::model {
namespace {

std::string ModelPath(const std::string& name) {
  return std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/" + name;
}

float FloatAt(const Graph& graph, int32_t tensor, size_t index) {
  float value;
  std::memcpy(&value, graph.data(tensor).data() + index * sizeof(float), sizeof(float));
  return value;
}

TEST(WeightDequantization, OnlyTheHybridReferenceModelIsHybrid) {
  EXPECT_TRUE(IsHybrid(LoadTfliteFile(ModelPath("kws_ref_model_float32.tflite"))));
  for (const char* name : {"kws_ref_model.tflite", "vww_96_int8.tflite", "vww_96_float.tflite",
                           "ad01_int8.tflite", "ad01_fp32.tflite"}) {
    EXPECT_FALSE(IsHybrid(LoadTfliteFile(ModelPath(name)))) << name;
  }
}

TEST(WeightDequantization, KwsHybridBecomesFloat) {
  const Graph hybrid = LoadTfliteFile(ModelPath("kws_ref_model_float32.tflite"));
  const Graph graph = DequantizeHybridWeights(hybrid);
  EXPECT_FALSE(IsHybrid(graph));
  ASSERT_EQ(graph.tensors.size(), hybrid.tensors.size());
  int converted = 0;
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& before = hybrid.tensors[i];
    const Tensor& after = graph.tensors[i];
    EXPECT_NE(after.type, DataType::kInt8) << after.name;
    EXPECT_EQ(after.name, before.name);
    EXPECT_EQ(after.shape, before.shape);
    if (before.type == DataType::kInt8) {
      ++converted;
      EXPECT_EQ(after.type, DataType::kFloat32);
      EXPECT_TRUE(after.quantization.empty());
      EXPECT_EQ(graph.data(static_cast<int32_t>(i)).size(),
                hybrid.data(static_cast<int32_t>(i)).size() * sizeof(float));
    } else {
      EXPECT_EQ(graph.data(static_cast<int32_t>(i)), hybrid.data(static_cast<int32_t>(i)));
    }
  }
  EXPECT_EQ(converted, 5);  // the five CONV_2D filters (README note 1)
  ASSERT_EQ(graph.ops.size(), hybrid.ops.size());
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    EXPECT_EQ(graph.ops[i].type, hybrid.ops[i].type);
    EXPECT_EQ(graph.ops[i].version, hybrid.ops[i].version);
    EXPECT_EQ(graph.ops[i].inputs, hybrid.ops[i].inputs);
    EXPECT_EQ(graph.ops[i].outputs, hybrid.ops[i].outputs);
  }

  // Tensor 17 (first conv filter): scale 0.002023, zero point 0; q values from flatc's dump of
  // the file. w = scale * q, one float32 rounding.
  const float scale = hybrid.tensor(17).quantization.scales[0];
  EXPECT_NEAR(scale, 0.002023f, 1e-6f);
  const std::vector<std::pair<size_t, int>> samples = {{0, -4}, {1, 12}, {2, -7},
                                                       {4, 54}, {2557, -4}, {2559, 8}};
  for (const auto& [index, q] : samples) {
    EXPECT_EQ(FloatAt(graph, 17, index), scale * static_cast<float>(q)) << index;
  }
}

// A small graph where the answers are computed by hand.
class SyntheticHybrid : public ::testing::Test {
 protected:
  void SetUp() override {
    Tensor input;
    input.name = "input";
    input.shape = {1, 1, 1, 3};
    Tensor output;
    output.name = "output";
    output.shape = {1, 1, 1, 2};
    Tensor filter;
    filter.name = "filter";
    filter.type = DataType::kInt8;
    filter.shape = {2, 1, 1, 3};
    // Per output channel (dimension 0); channel 1 has a zero point to exercise q - zero_point.
    filter.quantization = {{0.5f, 0.25f}, {0, 1}, 0};
    filter.buffer = graph_.AddBuffer({1, 2, 0xFF, 4, 0x80, 0});  // 1, 2, -1 | 4, -128, 0
    graph_.tensors = {input, output, filter};
    Op conv;
    conv.type = OpType::kConv2D;
    conv.inputs = {0, 2, kNoTensor};
    conv.outputs = {1};
    conv.options = Conv2DOptions{};
    graph_.ops = {conv};
    graph_.inputs = {0};
    graph_.outputs = {1};
  }
  Graph graph_;
};

TEST_F(SyntheticHybrid, PerChannelAlongDimensionZero) {
  ASSERT_TRUE(IsHybrid(graph_));
  const Graph graph = DequantizeHybridWeights(graph_);
  const std::vector<float> expected = {0.5f, 1.0f, -0.5f, 0.75f, -32.25f, -0.25f};
  ASSERT_EQ(graph.tensor(2).type, DataType::kFloat32);
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(FloatAt(graph, 2, i), expected[i]) << i;
}

TEST_F(SyntheticHybrid, PerChannelAlongTheLastDimension) {
  // Depthwise layout [1, h, w, channels]: channel is the fastest-moving index.
  Tensor& filter = graph_.tensor(2);
  filter.shape = {1, 1, 3, 2};
  filter.quantization = {{0.5f, 0.25f}, {0, 1}, 3};
  graph_.ops[0].type = OpType::kDepthwiseConv2D;
  graph_.ops[0].options = DepthwiseConv2DOptions{};
  const Graph graph = DequantizeHybridWeights(graph_);
  // q = 1, 2, -1, 4, -128, 0 alternating channels 0, 1, 0, 1, 0, 1.
  const std::vector<float> expected = {0.5f, 0.25f, -0.5f, 0.75f, -64.0f, -0.25f};
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(FloatAt(graph, 2, i), expected[i]) << i;
}

TEST_F(SyntheticHybrid, IntegerOpsAndDequantizeAreNotHybrid) {
  graph_.tensor(0).type = DataType::kInt8;
  graph_.tensor(1).type = DataType::kInt8;
  EXPECT_FALSE(IsHybrid(graph_));
  graph_.ops[0].type = OpType::kDequantize;
  graph_.ops[0].inputs = {2};
  graph_.tensor(1).type = DataType::kFloat32;
  EXPECT_FALSE(IsHybrid(graph_));
  const Graph unchanged = DequantizeHybridWeights(graph_);
  EXPECT_EQ(unchanged.tensor(2).type, DataType::kInt8);
}

TEST_F(SyntheticHybrid, WeightSharedWithAnIntegerOpIsCopied) {
  Tensor int8_out;
  int8_out.name = "int8_out";
  int8_out.type = DataType::kInt8;
  int8_out.shape = {1, 1, 1, 2};
  int8_out.quantization = {{1.0f}, {0}, 0};
  graph_.tensors.push_back(int8_out);
  Tensor int8_in = graph_.tensor(0);
  int8_in.name = "int8_in";
  int8_in.type = DataType::kInt8;
  int8_in.quantization = {{1.0f}, {0}, 0};
  graph_.tensors.push_back(int8_in);
  Op int8_conv = graph_.ops[0];
  int8_conv.inputs = {4, 2, kNoTensor};
  int8_conv.outputs = {3};
  graph_.ops.push_back(int8_conv);

  const Graph graph = DequantizeHybridWeights(graph_);
  EXPECT_FALSE(IsHybrid(graph));
  ASSERT_EQ(graph.tensors.size(), 6u);
  EXPECT_EQ(graph.tensor(2).type, DataType::kInt8);  // still used by the integer op
  EXPECT_EQ(graph.ops[1].inputs[1], 2);
  EXPECT_EQ(graph.ops[0].inputs[1], 5);
  EXPECT_EQ(graph.tensor(5).type, DataType::kFloat32);
  EXPECT_EQ(graph.tensor(5).name, "filter/dequantized");
  EXPECT_EQ(FloatAt(graph, 5, 4), -32.25f);
}

}  // namespace
}  // namespace harness::model
