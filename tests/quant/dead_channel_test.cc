// Dead channels (weights all zero, or ~1e-31 after training) and large biases: the quantizer
// gives them the TFLite converter's scale floor and raises a scale where the bias would not fit,
// so every accumulator stays inside what TFLite-Micro's kernels allow; lint refuses a model
// where it does not. The bounds here are computed by the test itself, not by lint.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "harness/model/tflite_loader.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/lint.h"
#include "harness/quant/quantization_params.h"
#include "tests/quant/small_float_model.h"
#include "tests/quant/small_model_runs.h"

namespace harness::quant {
namespace {

using model::DataType;
using testing::CalibrateOnSmallModelSamples;
using testing::ExpectNearFloatModel;
using testing::SmallFloatModel;

int32_t TensorNamed(const model::Graph& g, const std::string& name) {
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    if (g.tensors[i].name == name) return static_cast<int32_t>(i);
  }
  ADD_FAILURE() << "no tensor " << name;
  return 0;
}

void SetFloats(model::Graph& g, const std::string& name, const std::vector<float>& values) {
  model::Tensor& t = g.tensor(TensorNamed(g, name));
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  t.buffer = g.AddBuffer(std::move(bytes));
}

// The small model with conv channel 1 dead (weights ~1e-31) and a bias of 3 on it: after
// softmax that channel is the answer, so a lost bias shows in the outputs.
model::Graph ModelWithDeadChannel() {
  model::Graph g = SmallFloatModel();
  std::vector<float> weights = testing::SeededValues(12, 3, -2, 2);
  for (size_t k = 4; k < 8; ++k) weights[k] = (k % 2 ? 1.3e-31f : -7e-32f);
  SetFloats(g, "conv/weights", weights);
  SetFloats(g, "conv/bias", {0.25f, 3.0f, -0.5f});
  return g;
}

template <class T>
std::vector<int64_t> Values(const model::Graph& g, int32_t tensor) {
  const std::vector<uint8_t>& bytes = g.data(tensor);
  std::vector<int64_t> values(bytes.size() / sizeof(T));
  for (size_t i = 0; i < values.size(); ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    values[i] = v;
  }
  return values;
}

// max over inputs of |bias[c] + sum w * (x - zp)| <= |bias[c]| + sum |w| * max|x - zp|: a bound
// of the test's own, looser than lint's exact one, for [1, H, W, O] / [O, ...] filters.
std::vector<double> AccumulatorBounds(const model::Graph& g, const model::Op& op) {
  const model::Tensor& input = g.tensor(op.inputs[0]);
  const bool int16 = input.type == DataType::kInt16;
  const double zp = static_cast<double>(input.quantization.zero_points.at(0));
  const double max_input =
      int16 ? 32768.0 : std::max(std::fabs(-128.0 - zp), std::fabs(127.0 - zp));
  const std::vector<int64_t> w = Values<int8_t>(g, op.inputs[1]);
  const model::Tensor& bias = g.tensor(op.inputs[2]);
  const std::vector<int64_t> b = bias.type == DataType::kInt64 ? Values<int64_t>(g, op.inputs[2])
                                                               : Values<int32_t>(g, op.inputs[2]);
  const bool last = op.type == model::OpType::kDepthwiseConv2D;
  std::vector<double> bound(b.size());
  for (size_t c = 0; c < b.size(); ++c) bound[c] = std::fabs(static_cast<double>(b[c]));
  for (size_t i = 0; i < w.size(); ++i) {
    const size_t c = last ? i % b.size() : i / (w.size() / b.size());
    bound[c] += std::fabs(static_cast<double>(w[i])) * max_input;
  }
  return bound;
}

struct Mode {
  const char* name;
  bool int16;
};

class DeadChannel : public ::testing::TestWithParam<Mode> {};

TEST_P(DeadChannel, KeepsTheBiasInsideTheAccumulatorAndTheOutputs) {
  const model::Graph float_graph = ModelWithDeadChannel();
  Int8Options options;
  options.float_io = true;
  options.int16_activations = GetParam().int16;
  const model::Graph q = QuantizeInt8(float_graph, CalibrateOnSmallModelSamples(float_graph),
                                      *MakeCalibrator("minmax"), options);

  const double limit = GetParam().int16 ? std::ldexp(1.0, 47) : 2147483647.0;
  for (const model::Op& op : q.ops) {
    if (op.type != model::OpType::kConv2D && op.type != model::OpType::kFullyConnected) continue;
    const std::vector<double> bounds = AccumulatorBounds(q, op);
    for (size_t c = 0; c < bounds.size(); ++c) {
      EXPECT_LT(bounds[c], limit) << model::ToString(op.type) << " channel " << c;
    }
  }
  const int32_t conv_w = TensorNamed(q, "conv/weights");
  const float dead_scale = q.tensor(conv_w).quantization.scales.at(1);
  EXPECT_GE(dead_scale, kSmallestWeightHalfRange / 127.0f);  // not ~1e-33
  const std::vector<int64_t> w = Values<int8_t>(q, conv_w);
  for (size_t k = 4; k < 8; ++k) EXPECT_EQ(w[k], 0);
  // The bias of the dead channel survives: the softmax follows the float model.
  ExpectNearFloatModel(q, float_graph, 16, 0.02f);
  const LintReport report = Lint(q);
  EXPECT_FALSE(report.has_errors())
      << report.findings.front().rule << ": " << report.findings.front().message;
}

INSTANTIATE_TEST_SUITE_P(Modes, DeadChannel,
                         ::testing::Values(Mode{"int8", false}, Mode{"int16x8", true}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// A bias far above the weights' products: the weight scale is raised (TFLite's
// AdjustWeightsForBiasScale) instead of the bias being clamped to int32.
TEST(DeadChannel, LargeInt8BiasRaisesTheWeightScaleInsteadOfClamping) {
  model::Graph float_graph = ModelWithDeadChannel();
  SetFloats(float_graph, "conv/bias", {0.25f, 3.0e6f, -0.5f});
  Int8Options options;
  options.float_io = true;
  const model::Graph q = QuantizeInt8(float_graph, CalibrateOnSmallModelSamples(float_graph),
                                      *MakeCalibrator("minmax"), options);
  const int32_t conv_b = TensorNamed(q, "conv/bias");
  const std::vector<int64_t> b = Values<int32_t>(q, conv_b);
  EXPECT_LT(std::abs(b[1]), int64_t{1} << 31);
  EXPECT_GT(b[1], (int64_t{1} << 30) - 1000);  // lands on the budget, half the int32 range
  // The dequantized bias is the float one (no clamping lost it).
  const double s_bias = q.tensor(conv_b).quantization.scales.at(1);
  EXPECT_NEAR(static_cast<double>(b[1]) * s_bias, 3.0e6, 3.0e6 * 1e-6);
  EXPECT_FALSE(Lint(q).has_errors());
}

// Lint's accumulator-range rule on a 16x8 model whose dead channel carries the bias the
// quantizer used to write (scale ~1e-33: ~4.6e18), and on an int8 model whose int32
// accumulator can overflow.
TEST(AccumulatorRange, LintNamesTheOpAndTheChannel) {
  const model::Graph float_graph = ModelWithDeadChannel();
  Int8Options options;
  options.float_io = true;
  options.int16_activations = true;
  model::Graph q = QuantizeInt8(float_graph, CalibrateOnSmallModelSamples(float_graph),
                                *MakeCalibrator("minmax"), options);
  const int32_t conv_b = TensorNamed(q, "conv/bias");
  std::vector<int64_t> b = Values<int64_t>(q, conv_b);
  b[1] = 4611686018427387904;  // 2^62
  std::vector<uint8_t> bytes(b.size() * sizeof(int64_t));
  std::memcpy(bytes.data(), b.data(), bytes.size());
  q.tensor(conv_b).buffer = q.AddBuffer(bytes);
  const LintReport report = Lint(q);
  const auto found =
      std::find_if(report.findings.begin(), report.findings.end(),
                   [](const LintFinding& f) { return f.rule == "accumulator-range"; });
  ASSERT_NE(found, report.findings.end());
  EXPECT_EQ(found->severity, LintSeverity::kError);
  EXPECT_EQ(q.ops.at(static_cast<size_t>(found->op_index)).type, model::OpType::kConv2D);
  EXPECT_EQ(found->tensor, "conv/bias");
  EXPECT_NE(found->message.find("1 of 3 output channels"), std::string::npos) << found->message;
  EXPECT_NE(found->message.find("worst channel 1"), std::string::npos) << found->message;

  // Exactly at the edge: channel 0's bias plus its largest sum of products (filter [3, 1, 1, 4],
  // int16 input in [-32768, 32767]) = 2^47 - 1 passes, one more fails.
  const model::Op& conv = q.ops.at(static_cast<size_t>(found->op_index));
  const std::vector<int64_t> w = Values<int8_t>(q, conv.inputs[1]);
  int64_t most_positive = 0;
  for (size_t k = 0; k < 4; ++k) most_positive += std::max(w[k] * -32768, w[k] * 32767);
  auto set_bias = [&](int64_t channel0) {
    b = {channel0, 0, 0};
    std::memcpy(bytes.data(), b.data(), bytes.size());
    q.tensor(conv_b).buffer = q.AddBuffer(bytes);
  };
  set_bias(((int64_t{1} << 47) - 1) - most_positive);
  EXPECT_FALSE(Lint(q).has_errors());
  set_bias(((int64_t{1} << 47) - 1) - most_positive + 1);
  EXPECT_TRUE(Lint(q).has_errors());
}

TEST(AccumulatorRange, Int8AccumulatorOverflowIsAnError) {
  const model::Graph float_graph = ModelWithDeadChannel();
  Int8Options options;
  options.float_io = true;
  model::Graph q = QuantizeInt8(float_graph, CalibrateOnSmallModelSamples(float_graph),
                                *MakeCalibrator("minmax"), options);
  const int32_t conv_b = TensorNamed(q, "conv/bias");
  const model::Op* conv = nullptr;
  for (const model::Op& op : q.ops) {
    if (op.type == model::OpType::kConv2D) conv = &op;
  }
  ASSERT_NE(conv, nullptr);
  std::vector<int32_t> b = {2147483647 - 10, 0, 0};  // channel 0 has nonzero weights
  std::vector<uint8_t> bytes(b.size() * sizeof(int32_t));
  std::memcpy(bytes.data(), b.data(), bytes.size());
  q.tensor(conv_b).buffer = q.AddBuffer(bytes);
  const LintReport report = Lint(q);
  ASSERT_TRUE(report.has_errors());
  EXPECT_EQ(report.findings.front().rule, "accumulator-range");
  EXPECT_NE(report.findings.front().message.find("int32"), std::string::npos);
}

// A filter shape whose element count wraps around size_t, or a zero point far outside the
// type, is another rule's finding: the bound is not computed (no out-of-range channel index,
// no overflow), whatever the data.
TEST(AccumulatorRange, SkipsShapesAndZeroPointsItCannotBound) {
  const model::Graph float_graph = ModelWithDeadChannel();
  Int8Options options;
  options.float_io = true;
  model::Graph q = QuantizeInt8(float_graph, CalibrateOnSmallModelSamples(float_graph),
                                *MakeCalibrator("minmax"), options);
  const int32_t conv_w = TensorNamed(q, "conv/weights");
  const std::vector<int32_t> shape = q.tensor(conv_w).shape;
  q.tensor(conv_w).shape = {1 << 16, 1 << 16, 1 << 16, 1 << 16};  // 2^64 elements
  for (const LintFinding& f : Lint(q).findings) EXPECT_NE(f.rule, "accumulator-range");
  q.tensor(conv_w).shape = shape;
  const int32_t conv_in = TensorNamed(q, "reshape");
  q.tensor(conv_in).quantization.zero_points = {int64_t{1} << 62};
  for (const LintFinding& f : Lint(q).findings) EXPECT_NE(f.rule, "accumulator-range");
}

// The TF converter's int8 models: channel 5 of the first DEPTHWISE_CONV_2D (filter [1, H, W, C],
// channels last) and of the first FULLY_CONNECTED ([O, I]) given a bias at the int32 edge is
// named; the others stay clean.
TEST(AccumulatorRange, NamesTheChannelOfDepthwiseAndFullyConnectedOps) {
  for (const auto& [file, type] : {std::pair{"vww_96_int8.tflite", model::OpType::kDepthwiseConv2D},
                                   std::pair{"ad01_int8.tflite", model::OpType::kFullyConnected}}) {
    model::Graph g =
        model::LoadTfliteFile(std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/" + file);
    ASSERT_FALSE(Lint(g).has_errors()) << file;
    size_t op = 0;
    while (g.ops.at(op).type != type) ++op;
    const int32_t bias = g.ops[op].inputs.at(2);
    const size_t channels = Values<int32_t>(g, bias).size();
    ASSERT_GT(channels, 5u);
    std::vector<uint8_t> bytes = g.data(bias);
    const int32_t edge = 2147483647 - 1;  // any positive product overflows
    std::memcpy(&bytes.at(5 * sizeof(int32_t)), &edge, sizeof(edge));
    g.tensor(bias).buffer = g.AddBuffer(std::move(bytes));
    const LintReport report = Lint(g);
    ASSERT_EQ(report.errors(), 1u) << file;
    const LintFinding& f = report.findings.front();
    EXPECT_EQ(f.rule, "accumulator-range");
    EXPECT_EQ(f.op_index, static_cast<int32_t>(op));
    EXPECT_NE(f.message.find("1 of " + std::to_string(channels) + " output channels"),
              std::string::npos)
        << f.message;
    EXPECT_NE(f.message.find("worst channel 5:"), std::string::npos) << f.message;
  }
}

}  // namespace
}  // namespace harness::quant
