// The dynamic and fp16 methods on the MLPerf Tiny float models: which tensors change, how, with
// which op versions, and that the result writes, reloads and passes the spec check.

#include "harness/quant/dynamic_range.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/float16.h"
#include "harness/quant/lint.h"
#include "kernels/float16.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::Graph;
using model::OpType;

Graph LoadModel(const std::string& name) {
  return model::LoadTfliteFile(std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/" + name);
}

std::vector<float> Floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

Graph Reload(const Graph& graph) {
  const std::vector<uint8_t> bytes = model::WriteTflite(graph);
  return model::LoadTflite(bytes, "written");
}

TEST(QuantizeSymmetricInt8, HandComputed) {
  // max |w| = 1.27: scale 0.01; 0.5 -> 50, 0.0254 -> 2.54 -> 3, 0.025 -> 2.5 -> 3 (half away
  // from zero), -0.025 -> -3.
  const std::vector<float> w = {0.5f, -1.27f, 0.0254f, 0.025f, -0.025f};
  std::vector<int8_t> q(w.size());
  const float scale = QuantizeSymmetricInt8(w.data(), w.size(), 1, q.data());
  EXPECT_FLOAT_EQ(scale, 0.01f);
  EXPECT_EQ(q, (std::vector<int8_t>{50, -127, 3, 3, -3}));
  const std::vector<float> zeros(4, 0.0f);
  EXPECT_EQ(QuantizeSymmetricInt8(zeros.data(), zeros.size(), 1, q.data()), 1.0f);
}

TEST(DynamicRange, VwwWeightsPerChannelWithHybridVersions) {
  const Graph float_graph = LoadModel("vww_96_float.tflite");
  const Graph graph = QuantizeDynamicRange(float_graph);
  ASSERT_EQ(graph.ops.size(), float_graph.ops.size());
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const model::Op& op = graph.ops[i];
    if (op.type != OpType::kConv2D && op.type != OpType::kDepthwiseConv2D &&
        op.type != OpType::kFullyConnected) {
      EXPECT_EQ(op.version, 1);
      continue;
    }
    const model::Tensor& before = float_graph.tensor(float_graph.ops[i].inputs[1]);
    const model::Tensor& weight = graph.tensor(op.inputs[1]);
    const int64_t elements = model::ElementCount(before.shape);
    if (elements < kDynamicRangeMinWeightElements) {
      EXPECT_EQ(weight.type, DataType::kFloat32) << "op " << i;
      EXPECT_EQ(op.version, 1);
      continue;
    }
    ASSERT_EQ(weight.type, DataType::kInt8) << "op " << i;
    EXPECT_EQ(graph.tensor(op.inputs[2]).type, DataType::kFloat32);  // bias stays float
    const int32_t dim = op.type == OpType::kDepthwiseConv2D ? 3 : 0;
    ASSERT_NE(op.type, OpType::kFullyConnected);  // VWW's FC has 512 weights: skipped
    EXPECT_EQ(weight.quantization.quantized_dimension, dim);
    ASSERT_EQ(weight.quantization.scales.size(),
              static_cast<size_t>(weight.shape[static_cast<size_t>(dim)]));
    EXPECT_EQ(op.version, op.type == OpType::kConv2D ? 5 : 6);
    // Every weight is within half a step of its float value, and each channel uses +-127.
    const std::vector<float> w = Floats(float_graph.data(float_graph.ops[i].inputs[1]));
    const std::vector<uint8_t>& q = graph.data(op.inputs[1]);
    size_t inner = 1;
    for (size_t d = static_cast<size_t>(dim) + 1; d < weight.shape.size(); ++d) {
      inner *= static_cast<size_t>(weight.shape[d]);
    }
    const size_t channels = weight.quantization.scales.size();
    std::vector<int> max_q(channels, 0);
    for (size_t k = 0; k < w.size(); ++k) {
      const size_t c = (k / inner) % channels;
      const float s = weight.quantization.scales[c];
      const int value = static_cast<int8_t>(q[k]);
      EXPECT_LE(std::fabs(s * static_cast<float>(value) - w[k]), 0.5f * s * 1.0001f);
      max_q[c] = std::max(max_q[c], std::abs(value));
    }
    for (size_t c = 0; c < channels; ++c) EXPECT_EQ(max_q[c], 127) << "op " << i << " c " << c;
  }
  const Graph reloaded = Reload(graph);
  EXPECT_FALSE(Lint(reloaded).has_errors());
}

TEST(DynamicRange, HybridInputIsRequantizedPerChannel) {
  // kws_ref_model_float32 holds per-tensor int8 conv filters (version 2); the method
  // dequantizes them and quantizes afresh per channel (version 5). Its FC (768 weights) and
  // depthwise filters (576) stay float, with plain float versions.
  const Graph graph = QuantizeDynamicRange(LoadModel("kws_ref_model_float32.tflite"));
  for (const model::Op& op : graph.ops) {
    if (op.type == OpType::kConv2D) {
      EXPECT_EQ(graph.tensor(op.inputs[1]).quantization.scales.size(), 64u);
      EXPECT_EQ(op.version, 5);
    } else {
      EXPECT_EQ(op.version, 1) << model::ToString(op.type);
    }
  }
  EXPECT_TRUE(Lint(Reload(graph)).findings.empty());
}

TEST(DynamicRange, AutoencoderFcPerTensorAsymmetricInputs) {
  const Graph graph = QuantizeDynamicRange(LoadModel("ad01_fp32.tflite"));
  size_t hybrid = 0;
  for (const model::Op& op : graph.ops) {
    const model::Tensor& weight = graph.tensor(op.inputs[1]);
    const auto& options = op.options.get<model::FullyConnectedOptions>();
    if (weight.type == DataType::kInt8) {
      ++hybrid;
      EXPECT_EQ(weight.quantization.scales.size(), 1u);
      EXPECT_TRUE(options.asymmetric_quantize_inputs);
      EXPECT_EQ(op.version, 9);
    } else {
      EXPECT_LT(model::ElementCount(weight.shape), kDynamicRangeMinWeightElements);
    }
  }
  EXPECT_EQ(hybrid, 10u);  // even the 8x128 / 128x8 layers: 1024 weights is not "fewer"
  EXPECT_TRUE(Lint(Reload(graph)).findings.empty());
}

TEST(Float16, EveryFloatConstantBehindADequantize) {
  const Graph float_graph = LoadModel("vww_96_float.tflite");
  const Graph graph = QuantizeFloat16(float_graph);
  size_t float_constants = 0;
  for (const model::Tensor& t : float_graph.tensors) {
    float_constants += t.is_constant() && t.type == DataType::kFloat32;
  }
  ASSERT_EQ(graph.ops.size(), float_graph.ops.size() + float_constants);
  std::vector<bool> produced(graph.tensors.size(), false);
  for (const model::Op& op : graph.ops) {
    for (int32_t input : op.inputs) {
      if (input == model::kNoTensor) continue;
      const model::Tensor& t = graph.tensor(input);
      // No op but DEQUANTIZE reads a constant float; every float it reads was produced before.
      if (op.type != OpType::kDequantize) {
        EXPECT_FALSE(t.is_constant() && t.type == DataType::kFloat32) << t.name;
      }
    }
    if (op.type == OpType::kDequantize) {
      EXPECT_EQ(op.version, 3);
      const model::Tensor& half = graph.tensor(op.inputs[0]);
      const int32_t out = op.outputs[0];
      ASSERT_EQ(half.type, DataType::kFloat16);
      // The float32 values the op reads are the originals rounded to nearest-even halves.
      const std::vector<float> original = Floats(float_graph.data(out));
      const std::vector<uint8_t>& bytes = graph.data(op.inputs[0]);
      ASSERT_EQ(bytes.size(), original.size() * 2);
      for (size_t k = 0; k < original.size(); ++k) {
        uint16_t h;
        std::memcpy(&h, bytes.data() + 2 * k, 2);
        ASSERT_EQ(h, kernels::FloatToHalf(original[k]));
      }
      EXPECT_EQ(half.name, float_graph.tensor(out).name);
    }
  }
  const Graph reloaded = Reload(graph);
  EXPECT_TRUE(Lint(reloaded).findings.empty());
  // TFLite-Micro has no FLOAT16 tensors: the target check says so.
  EXPECT_TRUE(Lint(reloaded, LintTarget::Esp32S3()).has_errors());
}

}  // namespace
}  // namespace harness::quant
