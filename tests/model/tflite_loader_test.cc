// Loads the six MLPerf Tiny reference models and checks facts known independently of the
// loader: the published architectures (DS-CNN, MobileNetV1 0.25, FC autoencoder), the input and
// output quantization recorded in the golden files' attributes, and values that flatc's own
// JSON dump of the model shows (flatc --json --raw-binary with the public schema).

#include "harness/model/tflite_loader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace harness::model {
namespace {

std::string ModelPath(const std::string& name) {
  return std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/" + name;
}

std::map<OpType, int> CountOps(const Graph& graph) {
  std::map<OpType, int> counts;
  for (const Op& op : graph.ops) ++counts[op.type];
  return counts;
}

std::vector<OpType> OpTypes(const Graph& graph) {
  std::vector<OpType> types;
  for (const Op& op : graph.ops) types.push_back(op.type);
  return types;
}

// `scale` as printed with 6 significant digits (h5dump of the golden attributes): equal within
// half a unit of the last digit.
void ExpectSingleTensorQuantization(const Tensor& tensor, float scale, int64_t zero_point) {
  ASSERT_EQ(tensor.quantization.scales.size(), 1u) << tensor.name;
  EXPECT_NEAR(tensor.quantization.scales[0], scale, 5e-6f * scale) << tensor.name;
  ASSERT_EQ(tensor.quantization.zero_points.size(), 1u) << tensor.name;
  EXPECT_EQ(tensor.quantization.zero_points[0], zero_point) << tensor.name;
}

// DS-CNN: conv, then four (depthwise, pointwise) blocks, average pool, flatten, dense, softmax.
const std::vector<OpType> kDsCnnOps = {
    OpType::kConv2D,          OpType::kDepthwiseConv2D, OpType::kConv2D,
    OpType::kDepthwiseConv2D, OpType::kConv2D,          OpType::kDepthwiseConv2D,
    OpType::kConv2D,          OpType::kDepthwiseConv2D, OpType::kConv2D,
    OpType::kAveragePool2D,   OpType::kReshape,         OpType::kFullyConnected,
    OpType::kSoftmax};

TEST(TfliteLoader, KwsInt8) {
  const Graph graph = LoadTfliteFile(ModelPath("kws_ref_model.tflite"));
  EXPECT_EQ(OpTypes(graph), kDsCnnOps);
  ASSERT_EQ(graph.inputs.size(), 1u);
  ASSERT_EQ(graph.outputs.size(), 1u);
  const Tensor& input = graph.tensor(graph.inputs[0]);
  EXPECT_EQ(input.type, DataType::kInt8);
  EXPECT_EQ(input.shape, (std::vector<int32_t>{1, 49, 10, 1}));
  EXPECT_FALSE(input.is_constant());
  // golden/kws_ref_model.h5 attributes input_scale, input_zero_point, output_*.
  ExpectSingleTensorQuantization(input, 0.584703f, 83);
  const Tensor& output = graph.tensor(graph.outputs[0]);
  EXPECT_EQ(output.shape, (std::vector<int32_t>{1, 12}));
  ExpectSingleTensorQuantization(output, 0.00390625f, -128);
  for (const Op& op : graph.ops) {
    if (op.type == OpType::kConv2D) {
      EXPECT_EQ(op.version, 3);
    }
  }
}

TEST(TfliteLoader, KwsHybridFloatFactsFromFlatcDump) {
  const Graph graph = LoadTfliteFile(ModelPath("kws_ref_model_float32.tflite"));
  EXPECT_EQ(OpTypes(graph), kDsCnnOps);
  EXPECT_EQ(graph.description, "MLIR Converted.");
  const Tensor& input = graph.tensor(graph.inputs[0]);
  EXPECT_EQ(input.type, DataType::kFloat32);
  EXPECT_EQ(input.shape, (std::vector<int32_t>{1, 49, 10, 1}));
  EXPECT_TRUE(input.quantization.empty());

  // This file has only the byte op code (an older converter): CONV_2D version 2.
  EXPECT_EQ(graph.ops[0].version, 2);
  EXPECT_EQ(graph.ops[11].version, 3);  // FULLY_CONNECTED

  // Op 0: stride 2x2, RELU, padding SAME (default), dilation 1 (default).
  const auto& conv = graph.ops[0].options.get<Conv2DOptions>();
  EXPECT_EQ(conv.padding, Padding::kSame);
  EXPECT_EQ(conv.stride_w, 2);
  EXPECT_EQ(conv.stride_h, 2);
  EXPECT_EQ(conv.activation, Activation::kRelu);
  EXPECT_EQ(conv.dilation_w, 1);
  EXPECT_EQ(conv.dilation_h, 1);
  // Op 9: VALID, stride 5 (w) x 25 (h), filter 5 x 25.
  const auto& pool = graph.ops[9].options.get<Pool2DOptions>();
  EXPECT_EQ(pool.padding, Padding::kValid);
  EXPECT_EQ(pool.stride_w, 5);
  EXPECT_EQ(pool.stride_h, 25);
  EXPECT_EQ(pool.filter_width, 5);
  EXPECT_EQ(pool.filter_height, 25);
  // Op 10 (RESHAPE) has no options table in the file: IR defaults.
  EXPECT_TRUE(graph.ops[10].options.get<ReshapeOptions>().new_shape.empty());
  EXPECT_EQ(graph.ops[10].inputs, (std::vector<int32_t>{31, 2}));

  // Tensor 17: the first conv filter, int8 per-tensor, scale 0.002023 (flatc prints 6
  // decimals), zero point 0.
  const Tensor& filter = graph.tensor(17);
  EXPECT_EQ(filter.name, "functional_1/conv2d/Conv2D");
  EXPECT_EQ(filter.type, DataType::kInt8);
  EXPECT_EQ(filter.shape, (std::vector<int32_t>{64, 10, 4, 1}));
  ASSERT_EQ(filter.quantization.scales.size(), 1u);
  EXPECT_NEAR(filter.quantization.scales[0], 0.002023f, 5e-7f);
  EXPECT_EQ(filter.quantization.zero_points, (std::vector<int64_t>{0}));
  const std::vector<uint8_t>& q = graph.data(17);
  ASSERT_EQ(q.size(), 2560u);
  const std::vector<int8_t> first = {-4, 12, -7, 12, 54, 14};
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(static_cast<int8_t>(q[i]), first[i]) << i;
  EXPECT_EQ(static_cast<int8_t>(q[2557]), -4);
  EXPECT_EQ(static_cast<int8_t>(q[2559]), 8);

  // Tensor 2: the flatten shape, int32 [-1, 64].
  const std::vector<uint8_t>& shape_bytes = graph.data(2);
  ASSERT_EQ(shape_bytes.size(), 8u);
  int32_t new_shape[2];
  std::memcpy(new_shape, shape_bytes.data(), sizeof(new_shape));
  EXPECT_EQ(new_shape[0], -1);
  EXPECT_EQ(new_shape[1], 64);
}

TEST(TfliteLoader, VwwInt8PerChannelWeights) {
  const Graph graph = LoadTfliteFile(ModelPath("vww_96_int8.tflite"));
  // MobileNetV1: a first conv and 13 (depthwise, pointwise) blocks, then the classifier.
  auto counts = CountOps(graph);
  EXPECT_EQ(graph.ops.size(), 31u);
  EXPECT_EQ(counts[OpType::kConv2D], 14);
  EXPECT_EQ(counts[OpType::kDepthwiseConv2D], 13);
  EXPECT_EQ(counts[OpType::kAveragePool2D], 1);
  EXPECT_EQ(counts[OpType::kReshape], 1);
  EXPECT_EQ(counts[OpType::kFullyConnected], 1);
  EXPECT_EQ(counts[OpType::kSoftmax], 1);
  const Tensor& input = graph.tensor(graph.inputs[0]);
  EXPECT_EQ(input.shape, (std::vector<int32_t>{1, 96, 96, 3}));
  ExpectSingleTensorQuantization(input, 0.00392157f, -128);
  ExpectSingleTensorQuantization(graph.tensor(graph.outputs[0]), 0.00390625f, -128);

  for (const Op& op : graph.ops) {
    if (op.type != OpType::kConv2D && op.type != OpType::kDepthwiseConv2D) continue;
    const Tensor& weights = graph.tensor(op.inputs[1]);
    const Tensor& bias = graph.tensor(op.inputs[2]);
    EXPECT_EQ(weights.type, DataType::kInt8);
    EXPECT_EQ(bias.type, DataType::kInt32);
    // Conv filters are [out, h, w, in] and quantized per output channel (dimension 0);
    // depthwise filters are [1, h, w, out] and quantized along dimension 3.
    const int32_t channel_dim = op.type == OpType::kConv2D ? 0 : 3;
    const auto channels = static_cast<size_t>(weights.shape[static_cast<size_t>(channel_dim)]);
    EXPECT_EQ(weights.quantization.quantized_dimension, channel_dim) << weights.name;
    EXPECT_EQ(weights.quantization.scales.size(), channels) << weights.name;
    EXPECT_EQ(bias.quantization.scales.size(), channels) << bias.name;
    for (int64_t zero_point : weights.quantization.zero_points) EXPECT_EQ(zero_point, 0);
  }
}

TEST(TfliteLoader, AnomalyDetectionModels) {
  for (const char* name : {"ad01_int8.tflite", "ad01_fp32.tflite"}) {
    SCOPED_TRACE(name);
    const Graph graph = LoadTfliteFile(ModelPath(name));
    // 640 -> 128 x4 -> 8 -> 128 x4 -> 640: ten dense layers.
    EXPECT_EQ(graph.ops.size(), 10u);
    EXPECT_EQ(CountOps(graph)[OpType::kFullyConnected], 10);
    EXPECT_EQ(graph.tensor(graph.inputs[0]).shape, (std::vector<int32_t>{1, 640}));
    EXPECT_EQ(graph.tensor(graph.outputs[0]).shape, (std::vector<int32_t>{1, 640}));
  }
  const Graph int8 = LoadTfliteFile(ModelPath("ad01_int8.tflite"));
  ExpectSingleTensorQuantization(int8.tensor(int8.inputs[0]), 0.391015f, 89);
  ExpectSingleTensorQuantization(int8.tensor(int8.outputs[0]), 0.364498f, 96);
}

TEST(TfliteLoader, FloatModelsHaveNoQuantizedTensors) {
  for (const char* name : {"vww_96_float.tflite", "ad01_fp32.tflite"}) {
    SCOPED_TRACE(name);
    const Graph graph = LoadTfliteFile(ModelPath(name));
    for (const Tensor& tensor : graph.tensors) {
      if (tensor.type == DataType::kInt32) continue;  // shape constants
      EXPECT_EQ(tensor.type, DataType::kFloat32) << tensor.name;
      EXPECT_TRUE(tensor.quantization.empty()) << tensor.name;
    }
  }
}

// A property of every model: constants hold exactly shape x element size bytes, activations no
// data, and every op's tensors exist.
TEST(TfliteLoader, AllModelsAreConsistent) {
  for (const char* name : {"kws_ref_model.tflite", "kws_ref_model_float32.tflite",
                           "vww_96_int8.tflite", "vww_96_float.tflite", "ad01_int8.tflite",
                           "ad01_fp32.tflite"}) {
    SCOPED_TRACE(name);
    const Graph graph = LoadTfliteFile(ModelPath(name));
    for (size_t i = 0; i < graph.tensors.size(); ++i) {
      const Tensor& tensor = graph.tensors[i];
      if (!tensor.is_constant()) continue;
      EXPECT_EQ(graph.data(static_cast<int32_t>(i)).size(),
                static_cast<size_t>(ElementCount(tensor.shape)) * ElementSize(tensor.type))
          << tensor.name;
    }
    for (const Op& op : graph.ops) {
      ASSERT_FALSE(op.outputs.empty());
      for (int32_t output : op.outputs) EXPECT_FALSE(graph.tensor(output).is_constant());
    }
  }
}

}  // namespace
}  // namespace harness::model
