// Cross-layer equalization on hand-built graphs and real models. Truths: the closed form
// sqrt(r1_c * r2_c) of the equalized ranges, the unchanged function (the original graph run
// through the runtime on the same random inputs), and unchanged bytes for the pairs that must
// be skipped (ReLU6, a tensor with two consumers, a graph output).
#include "harness/quant/cross_layer_equalization.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "harness/model/graph.h"
#include "harness/model/model_file.h"
#include "harness/quant/method.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant {
namespace {

using model::Activation;
using model::DataType;
using model::Graph;
using model::OpType;
using testing::AddConstant;
using testing::AddTensor;
using ::testing::HasSubstr;
using testing::SeededValues;

std::vector<float> FloatsOf(const Graph& g, int32_t tensor) {
  const std::vector<uint8_t>& bytes = g.data(tensor);
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

// Seeded weights whose channel k along the last axis (`last_axis`) or first axis spans
// [-(1 + 3k), 1 + 3k]: deliberately unbalanced, so equalization has work to do.
std::vector<float> UnbalancedWeights(const std::vector<int32_t>& shape, bool last_axis,
                                     uint64_t seed) {
  const size_t n = static_cast<size_t>(model::ElementCount(shape));
  std::vector<float> values = SeededValues(n, seed, -1, 1);
  const size_t channels = static_cast<size_t>(last_axis ? shape.back() : shape.front());
  for (size_t e = 0; e < n; ++e) {
    const size_t k = last_axis ? e % channels : e / (n / channels);
    values[e] *= 1.0f + 3.0f * static_cast<float>(k);
  }
  return values;
}

struct Layer {
  int32_t weights;
  int32_t bias;
  int32_t output;
};

Layer AddConv(Graph& g, const std::string& name, int32_t input, int32_t in_channels,
              int32_t out_channels, int32_t kernel, Activation activation, uint64_t seed) {
  const std::vector<int32_t> shape = {out_channels, kernel, kernel, in_channels};
  const int32_t w = AddConstant(g, name + "/weights", shape, UnbalancedWeights(shape, false, seed),
                                DataType::kFloat32);
  const int32_t b = AddConstant(g, name + "/bias", {out_channels},
                                SeededValues(static_cast<size_t>(out_channels), seed + 1, -1, 1),
                                DataType::kFloat32);
  std::vector<int32_t> out_shape = g.tensor(input).shape;
  out_shape.back() = out_channels;
  const int32_t out = AddTensor(g, name, out_shape);
  model::Op op;
  op.type = OpType::kConv2D;
  op.inputs = {input, w, b};
  op.outputs = {out};
  model::Conv2DOptions options;
  options.activation = activation;
  op.options = options;
  g.ops.push_back(op);
  return {w, b, out};
}

Layer AddDepthwise(Graph& g, const std::string& name, int32_t input, int32_t in_channels,
                   int32_t multiplier, Activation activation, uint64_t seed) {
  const int32_t channels = in_channels * multiplier;
  const std::vector<int32_t> shape = {1, 3, 3, channels};
  const int32_t w = AddConstant(g, name + "/weights", shape, UnbalancedWeights(shape, true, seed),
                                DataType::kFloat32);
  const int32_t b =
      AddConstant(g, name + "/bias", {channels},
                  SeededValues(static_cast<size_t>(channels), seed + 1, -1, 1), DataType::kFloat32);
  std::vector<int32_t> out_shape = g.tensor(input).shape;
  out_shape.back() = channels;
  const int32_t out = AddTensor(g, name, out_shape);
  model::Op op;
  op.type = OpType::kDepthwiseConv2D;
  op.inputs = {input, w, b};
  op.outputs = {out};
  model::DepthwiseConv2DOptions options;
  options.depth_multiplier = multiplier;
  options.activation = activation;
  op.options = options;
  g.ops.push_back(op);
  return {w, b, out};
}

Layer AddFullyConnected(Graph& g, const std::string& name, int32_t input, int32_t in_units,
                        int32_t out_units, Activation activation, uint64_t seed) {
  const std::vector<int32_t> shape = {out_units, in_units};
  const int32_t w = AddConstant(g, name + "/weights", shape, UnbalancedWeights(shape, false, seed),
                                DataType::kFloat32);
  const int32_t b = AddConstant(g, name + "/bias", {out_units},
                                SeededValues(static_cast<size_t>(out_units), seed + 1, -1, 1),
                                DataType::kFloat32);
  const int32_t out = AddTensor(g, name, {1, out_units});
  model::Op op;
  op.type = OpType::kFullyConnected;
  op.inputs = {input, w, b};
  op.outputs = {out};
  op.options = model::FullyConnectedOptions{activation, false, false};
  g.ops.push_back(op);
  return {w, b, out};
}

Graph NewGraph(std::vector<int32_t> input_shape, int32_t* input) {
  Graph g;
  g.AddBuffer({});
  *input = AddTensor(g, "input", std::move(input_shape));
  g.inputs = {*input};
  return g;
}

// input [1,5,5,3] -> DEPTHWISE_CONV_2D 3x3 (activation) -> CONV_2D 1x1 (4 channels).
Graph DepthwiseSeparable(Activation activation, Layer* dw = nullptr, Layer* pw = nullptr) {
  int32_t input;
  Graph g = NewGraph({1, 5, 5, 3}, &input);
  const Layer depthwise = AddDepthwise(g, "dw", input, 3, 1, activation, 10);
  const Layer pointwise = AddConv(g, "pw", depthwise.output, 3, 4, 1, Activation::kNone, 20);
  g.outputs = {pointwise.output};
  if (dw) *dw = depthwise;
  if (pw) *pw = pointwise;
  return g;
}

// Per channel max |w|: along the first axis (`first_axis`) or the last.
std::vector<double> ChannelRanges(const std::vector<float>& w, const std::vector<int32_t>& shape,
                                  bool first_axis) {
  const size_t channels = static_cast<size_t>(first_axis ? shape.front() : shape.back());
  std::vector<double> ranges(channels, 0.0);
  for (size_t e = 0; e < w.size(); ++e) {
    const size_t k = first_axis ? e / (w.size() / channels) : e % channels;
    ranges[k] = std::max(ranges[k], static_cast<double>(std::abs(w[e])));
  }
  return ranges;
}

std::vector<float> RunGraph(const Graph& g, const std::vector<float>& input) {
  const runtime::CompiledModel model(g);
  auto session = model.NewSession();
  auto in = session->input(0);
  EXPECT_EQ(in.size(), input.size() * sizeof(float));
  std::memcpy(in.data(), input.data(), std::min(in.size(), input.size() * sizeof(float)));
  session->Invoke();
  const auto out = session->output(0);
  std::vector<float> values(out.size() / sizeof(float));
  std::memcpy(values.data(), out.data(), out.size());
  return values;
}

// Runs both graphs on `samples` seeded inputs in [-range, range] and expects every output
// within `tolerance` times the largest |output| of the original.
void ExpectSameFunction(const Graph& original, const Graph& equalized, double tolerance,
                        int samples = 4, float range = 2.0f) {
  const size_t n =
      static_cast<size_t>(model::ElementCount(original.tensor(original.inputs[0]).shape));
  for (int s = 0; s < samples; ++s) {
    const std::vector<float> input =
        SeededValues(n, 1000 + static_cast<uint64_t>(s), -range, range);
    const std::vector<float> expected = RunGraph(original, input);
    const std::vector<float> actual = RunGraph(equalized, input);
    ASSERT_EQ(actual.size(), expected.size());
    double largest = 0;
    for (float v : expected) largest = std::max(largest, static_cast<double>(std::abs(v)));
    ASSERT_GT(largest, 0.0);
    for (size_t i = 0; i < expected.size(); ++i) {
      ASSERT_NEAR(actual[i], expected[i], tolerance * largest) << "sample " << s << " output " << i;
    }
  }
}

TEST(CrossLayerEqualization, BalancesTheRangesOfADepthwiseSeparablePair) {
  Layer dw, pw;
  const Graph original = DepthwiseSeparable(Activation::kRelu, &dw, &pw);
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);

  ASSERT_EQ(report.equalized.size(), 1u);
  EXPECT_EQ(report.equalized[0].first_op, 0);
  EXPECT_EQ(report.equalized[0].second_op, 1);
  EXPECT_EQ(report.equalized[0].tensor, "dw");
  EXPECT_EQ(report.equalized[0].channels, 3u);
  EXPECT_TRUE(report.skipped.empty());
  EXPECT_TRUE(report.converged);

  const auto& dw_shape = original.tensor(dw.weights).shape;
  const auto& pw_shape = original.tensor(pw.weights).shape;
  const auto r1 = ChannelRanges(FloatsOf(original, dw.weights), dw_shape, false);
  const auto r2 = ChannelRanges(FloatsOf(original, pw.weights), pw_shape, false);
  const auto r1_after = ChannelRanges(FloatsOf(equalized, dw.weights), dw_shape, false);
  const auto r2_after = ChannelRanges(FloatsOf(equalized, pw.weights), pw_shape, false);
  for (size_t c = 0; c < 3; ++c) {
    const double balanced = std::sqrt(r1[c] * r2[c]);
    EXPECT_NEAR(r1_after[c], balanced, 1e-6 * balanced) << "channel " << c;
    EXPECT_NEAR(r2_after[c], balanced, 1e-6 * balanced) << "channel " << c;
  }
  // The setup is unbalanced, or the test would prove nothing.
  EXPECT_GT(std::abs(r1[2] / r2[2] - 1.0), 0.5);

  // The bias follows its channel: b'_c / b_c == r1'_c / r1_c.
  const auto bias = FloatsOf(original, dw.bias);
  const auto bias_after = FloatsOf(equalized, dw.bias);
  for (size_t c = 0; c < 3; ++c) {
    const double b = static_cast<double>(bias[c]);
    EXPECT_NEAR(static_cast<double>(bias_after[c]), b * r1_after[c] / r1[c], 1e-6 * std::abs(b));
  }
  ExpectSameFunction(original, equalized, 1e-5);
}

TEST(CrossLayerEqualization, NoActivationIsEqualizedToo) {
  const Graph original = DepthwiseSeparable(Activation::kNone);
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  EXPECT_EQ(report.equalized.size(), 1u);
  EXPECT_NE(FloatsOf(equalized, 1), FloatsOf(original, 1));
  ExpectSameFunction(original, equalized, 1e-5);
}

TEST(CrossLayerEqualization, ChainConvergesWithEveryPairBalanced) {
  // conv 3x3 (ReLU) -> depthwise 3x3, multiplier 2 (ReLU) -> conv 1x1 -> output.
  int32_t input;
  Graph original = NewGraph({1, 6, 6, 2}, &input);
  const Layer conv = AddConv(original, "conv", input, 2, 3, 3, Activation::kRelu, 30);
  const Layer dw = AddDepthwise(original, "dw", conv.output, 3, 2, Activation::kRelu, 40);
  const Layer pw = AddConv(original, "pw", dw.output, 6, 5, 1, Activation::kNone, 50);
  original.outputs = {pw.output};

  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  ASSERT_EQ(report.equalized.size(), 2u);
  EXPECT_EQ(report.equalized[0].tensor, "conv");
  EXPECT_EQ(report.equalized[1].tensor, "dw");
  EXPECT_TRUE(report.converged);
  EXPECT_GT(report.sweeps, 1);

  // Pair conv -> dw: conv's output channel c against dw's input channel c, which feeds dw's
  // outputs 2c and 2c + 1.
  const auto conv_out =
      ChannelRanges(FloatsOf(equalized, conv.weights), equalized.tensor(conv.weights).shape, true);
  const auto dw_ranges =
      ChannelRanges(FloatsOf(equalized, dw.weights), equalized.tensor(dw.weights).shape, false);
  for (size_t c = 0; c < 3; ++c) {
    const double dw_in = std::max(dw_ranges[2 * c], dw_ranges[2 * c + 1]);
    EXPECT_NEAR(conv_out[c], dw_in, 1e-5 * dw_in) << "channel " << c;
  }
  // Pair dw -> pw: dw's output channel k against pw's input channel k.
  const auto pw_in =
      ChannelRanges(FloatsOf(equalized, pw.weights), equalized.tensor(pw.weights).shape, false);
  for (size_t k = 0; k < 6; ++k) {
    EXPECT_NEAR(dw_ranges[k], pw_in[k], 1e-5 * pw_in[k]) << "channel " << k;
  }
  ExpectSameFunction(original, equalized, 1e-5);

  // Deterministic: the same input gives the same bytes.
  EXPECT_EQ(EqualizeCrossLayer(original).buffers, equalized.buffers);
}

TEST(CrossLayerEqualization, FullyConnectedChain) {
  int32_t input;
  Graph original = NewGraph({1, 6}, &input);
  const Layer fc1 = AddFullyConnected(original, "fc1", input, 6, 5, Activation::kRelu, 60);
  const Layer fc2 = AddFullyConnected(original, "fc2", fc1.output, 5, 4, Activation::kNone, 70);
  const Layer fc3 = AddFullyConnected(original, "fc3", fc2.output, 4, 3, Activation::kNone, 80);
  original.outputs = {fc3.output};
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  ASSERT_EQ(report.equalized.size(), 2u);
  EXPECT_TRUE(report.converged);
  const auto fc1_rows = ChannelRanges(FloatsOf(equalized, fc1.weights), {5, 6}, true);
  const auto fc2_columns = ChannelRanges(FloatsOf(equalized, fc2.weights), {4, 5}, false);
  for (size_t c = 0; c < 5; ++c) EXPECT_NEAR(fc1_rows[c], fc2_columns[c], 1e-5 * fc2_columns[c]);
  ExpectSameFunction(original, equalized, 1e-5);
}

TEST(CrossLayerEqualization, LeavesADeadChannelAlone) {
  // Channel 1 of the depthwise layer has weights ~1e-12 and bias ~1: it outputs a constant.
  // Equalizing it would multiply that constant by sqrt(r2 / r1) ~ 1e6.
  Layer dw, pw;
  Graph original = DepthwiseSeparable(Activation::kRelu, &dw, &pw);
  auto& bytes = original.buffers[static_cast<size_t>(original.tensor(dw.weights).buffer)];
  std::vector<float> w = FloatsOf(original, dw.weights);
  for (size_t e = 1; e < w.size(); e += 3) w[e] *= 1e-12f;
  std::memcpy(bytes.data(), w.data(), bytes.size());
  const Graph equalized = EqualizeCrossLayer(original);
  const auto& shape = original.tensor(dw.weights).shape;
  const auto before = ChannelRanges(FloatsOf(original, dw.weights), shape, false);
  const auto after = ChannelRanges(FloatsOf(equalized, dw.weights), shape, false);
  EXPECT_EQ(after[1], before[1]);
  EXPECT_EQ(FloatsOf(equalized, dw.bias)[1], FloatsOf(original, dw.bias)[1]);
  EXPECT_NE(after[2], before[2]);  // the live channels are equalized
  ExpectSameFunction(original, equalized, 1e-5);
}

TEST(CrossLayerEqualization, LeavesRelu6PairsAlone) {
  const Graph original = DepthwiseSeparable(Activation::kRelu6);
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  EXPECT_TRUE(report.equalized.empty());
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].first_op, 0);
  EXPECT_EQ(report.skipped[0].second_op, 1);
  EXPECT_THAT(report.skipped[0].reason, HasSubstr("RELU6"));
  EXPECT_EQ(equalized.buffers, original.buffers);
}

TEST(CrossLayerEqualization, LeavesATensorWithTwoConsumersAlone) {
  // dw -> {pw1, pw2}: scaling dw's channels would need both consumers to compensate.
  int32_t input;
  Graph original = NewGraph({1, 4, 4, 3}, &input);
  const Layer dw = AddDepthwise(original, "dw", input, 3, 1, Activation::kRelu, 90);
  const Layer pw1 = AddConv(original, "pw1", dw.output, 3, 2, 1, Activation::kNone, 100);
  const Layer pw2 = AddConv(original, "pw2", dw.output, 3, 2, 1, Activation::kNone, 110);
  original.outputs = {pw1.output, pw2.output};
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  EXPECT_TRUE(report.equalized.empty());
  ASSERT_EQ(report.skipped.size(), 2u);
  EXPECT_THAT(report.skipped[0].reason, HasSubstr("2 consumers"));
  EXPECT_EQ(report.skipped[1].second_op, 2);
  EXPECT_EQ(equalized.buffers, original.buffers);
}

TEST(CrossLayerEqualization, LeavesAGraphOutputAlone) {
  int32_t input;
  Graph original = NewGraph({1, 6}, &input);
  const Layer fc1 = AddFullyConnected(original, "fc1", input, 6, 5, Activation::kRelu, 120);
  const Layer fc2 = AddFullyConnected(original, "fc2", fc1.output, 5, 4, Activation::kNone, 130);
  original.outputs = {fc2.output, fc1.output};
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_THAT(report.skipped[0].reason, HasSubstr("graph output"));
  EXPECT_EQ(equalized.buffers, original.buffers);
}

TEST(CrossLayerEqualization, SkipsQuantizedWeights) {
  Layer dw, pw;
  Graph original = DepthwiseSeparable(Activation::kRelu, &dw, &pw);
  model::Tensor& w = original.tensor(pw.weights);
  w.type = DataType::kInt8;
  original.buffers[static_cast<size_t>(w.buffer)].resize(12);
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_THAT(report.skipped[0].reason, HasSubstr("not a float32 constant"));
  EXPECT_EQ(equalized.buffers, original.buffers);
}

// Real models: the equalized float model computes the same outputs. The KWS model is hybrid,
// so it goes through PrepareFloatGraph first, as every method's float model does.
void ExpectRealModelUnchanged(const std::string& path, float input_range) {
  const Graph original = PrepareFloatGraph(model::LoadModelFile(path));
  EqualizationReport report;
  const Graph equalized = EqualizeCrossLayer(original, &report);
  ASSERT_FALSE(report.equalized.empty()) << path;
  EXPECT_TRUE(report.converged) << path << " after " << report.sweeps << " sweeps";
  EXPECT_NE(equalized.buffers, original.buffers);
  ExpectSameFunction(original, equalized, 1e-4, 3, input_range);
}

TEST(CrossLayerEqualization, KeywordSpottingModelComputesTheSame) {
  ExpectRealModelUnchanged(
      std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/kws_ref_model_float32.tflite", 30.0f);
}

TEST(CrossLayerEqualization, DigitsModelComputesTheSame) {
  ExpectRealModelUnchanged(std::string(HARNESS_SOURCE_DIR) + "/datasets/digits/digits.onnx", 1.0f);
}

}  // namespace
}  // namespace harness::quant
