// TFLite's 16x8 mode (Int8Options::int16_activations, Method::kInt16x8): parameters, bias,
// fixed outputs, op versions and lint, on the small model and on the MLPerf Tiny KWS model.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <cstring>
#include <string>
#include <vector>

#include "harness/model/tflite_loader.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/lint.h"
#include "harness/quant/method.h"
#include "harness/quant/quantization_params.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/small_float_model.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;
using testing::SeededValues;
using testing::SmallFloatModel;
using testing::SmallModelSample;

template <class Sample>
CalibrationResult Calibrate(const model::Graph& graph, size_t samples, Sample sample) {
  const runtime::CompiledModel model(graph);
  return RunCalibration(model, samples, [&](size_t i, std::span<std::byte> input) {
    const std::vector<float> values = sample(i, input.size() / sizeof(float));
    std::memcpy(input.data(), values.data(), input.size());
  });
}

const model::Tensor& Named(const model::Graph& g, const std::string& name) {
  for (const model::Tensor& t : g.tensors) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("no tensor " + name);
}

std::vector<int64_t> Int64Values(const model::Graph& g, const model::Tensor& t) {
  const std::vector<uint8_t>& bytes = g.buffers.at(static_cast<size_t>(t.buffer));
  std::vector<int64_t> values(bytes.size() / sizeof(int64_t));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(int64_t));
  return values;
}

std::vector<float> FloatValues(const model::Graph& g, const std::string& name) {
  const model::Tensor& t = Named(g, name);
  const std::vector<uint8_t>& bytes = g.buffers.at(static_cast<size_t>(t.buffer));
  std::vector<float> values(bytes.size() / sizeof(float));
  std::memcpy(values.data(), bytes.data(), values.size() * sizeof(float));
  return values;
}

// Every activation int16 with zero point 0; every weighted op's bias int64 with scale
// s_input * s_weight[c] and zero point 0.
void ExpectSixteenByEight(const model::Graph& q) {
  for (const model::Op& op : q.ops) {
    for (int32_t index : op.outputs) {
      const model::Tensor& t = q.tensor(index);
      if (t.type == DataType::kFloat32) continue;  // float_io edges
      EXPECT_EQ(t.type, DataType::kInt16) << t.name;
      ASSERT_EQ(t.quantization.zero_points.size(), 1u) << t.name;
      EXPECT_EQ(t.quantization.zero_points[0], 0) << t.name;
    }
    if (op.type != OpType::kConv2D && op.type != OpType::kDepthwiseConv2D &&
        op.type != OpType::kFullyConnected) {
      continue;
    }
    const model::Tensor& weights = q.tensor(op.inputs[1]);
    const model::Tensor& bias = q.tensor(op.inputs[2]);
    EXPECT_EQ(weights.type, DataType::kInt8);
    EXPECT_EQ(bias.type, DataType::kInt64) << bias.name;
    const float input_scale = q.tensor(op.inputs[0]).quantization.scales[0];
    ASSERT_EQ(bias.quantization.scales.size(), weights.quantization.scales.size());
    for (size_t c = 0; c < bias.quantization.scales.size(); ++c) {
      EXPECT_EQ(bias.quantization.scales[c], input_scale * weights.quantization.scales[c]);
      EXPECT_EQ(bias.quantization.zero_points[c], 0);
    }
  }
}

class Int16x8Test : public ::testing::Test {
 protected:
  model::Graph float_graph_ = SmallFloatModel();
  CalibrationResult calibration_ =
      Calibrate(float_graph_, 64, [](size_t i, size_t) { return SmallModelSample(i); });
  std::unique_ptr<Calibrator> minmax_ = MakeCalibrator("minmax");

  model::Graph Quantize16(bool float_io = false) const {
    Int8Options options;
    options.int16_activations = true;
    options.float_io = float_io;
    return QuantizeInt8(float_graph_, calibration_, *minmax_, options);
  }
};

TEST_F(Int16x8Test, SymmetricActivationsInt64BiasFixedSoftmax) {
  const model::Graph q = Quantize16();
  ExpectSixteenByEight(q);
  // Input: scale max(|min|, |max|) / 32767 of the calibrated range.
  const TensorStatistics& stats = calibration_.of(float_graph_.inputs[0]);
  const float bound = std::max(std::fabs(stats.min()), std::fabs(stats.max()));
  EXPECT_EQ(q.tensor(q.inputs[0]).type, DataType::kInt16);
  EXPECT_EQ(q.tensor(q.inputs[0]).quantization.scales[0], bound / 32767.0f);
  // SOFTMAX: 1/32768, 0.
  const model::Tensor& out = q.tensor(q.outputs[0]);
  EXPECT_EQ(out.type, DataType::kInt16);
  EXPECT_EQ(out.quantization.scales[0], 1.0f / 32768.0f);
  // RESHAPE shares its input's parameters.
  EXPECT_EQ(Named(q, "reshape").quantization.scales, Named(q, "fc/relu").quantization.scales);
  // Bias values: round(b / (s_in * s_w)).
  const model::Tensor& bias = Named(q, "conv/bias");
  const std::vector<float> float_bias = FloatValues(float_graph_, "conv/bias");
  const std::vector<int64_t> values = Int64Values(q, bias);
  ASSERT_EQ(values.size(), float_bias.size());
  for (size_t c = 0; c < values.size(); ++c) {
    EXPECT_EQ(values[c], static_cast<int64_t>(std::round(
                             static_cast<double>(float_bias[c]) /
                             static_cast<double>(bias.quantization.scales[c]))));
  }
  // Versions: FULLY_CONNECTED 1, RESHAPE 1, CONV_2D 1 (op_version.h), SOFTMAX 3.
  const std::vector<int32_t> versions = {1, 1, 1, 1, 3};
  ASSERT_EQ(q.ops.size(), versions.size());
  for (size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(q.ops[i].version, versions[i]) << i;
  const LintReport report = Lint(q, LintTarget::Esp32S3());
  EXPECT_EQ(report.errors(), 0u);
  EXPECT_EQ(report.warnings(), 0u);
}

TEST_F(Int16x8Test, FloatIoAddsInt16QuantizeAndDequantize) {
  const model::Graph q = Quantize16(/*float_io=*/true);
  ExpectSixteenByEight(q);
  EXPECT_EQ(q.tensor(q.inputs[0]).type, DataType::kFloat32);
  EXPECT_EQ(q.ops.front().type, OpType::kQuantize);
  EXPECT_EQ(q.ops.front().version, 2);  // QUANTIZE to int16
  EXPECT_EQ(q.tensor(q.ops.front().outputs[0]).name, "input_int16");
  EXPECT_EQ(q.ops.back().type, OpType::kDequantize);
  EXPECT_EQ(q.ops.back().version, 3);  // DEQUANTIZE from int16
  EXPECT_EQ(Lint(q, LintTarget::Esp32S3()).errors(), 0u);
}

TEST_F(Int16x8Test, MethodInt16x8IsTheInt16Mode) {
  QuantizeOptions options;
  const model::Graph q = Quantize(float_graph_, Method::kInt16x8, options, &calibration_);
  EXPECT_EQ(q.tensor(q.inputs[0]).type, DataType::kInt16);
  EXPECT_EQ(Named(q, "fc/bias").type, DataType::kInt64);
}

TEST(Int16x8Kws, ParametersAndLint) {
  const model::Graph float_graph = PrepareFloatGraph(model::LoadTfliteFile(
      std::string(HARNESS_SHARED_DIR) + "/mlperf-tiny/models/kws_ref_model_float32.tflite"));
  // Parameters only: seeded MFCC-like inputs are enough to give every tensor a range.
  const CalibrationResult calibration = Calibrate(float_graph, 4, [](size_t i, size_t n) {
    return SeededValues(n, 7 + i, -30.0f, 30.0f);
  });
  QuantizeOptions options;
  const model::Graph q = Quantize(float_graph, Method::kInt16x8, options, &calibration);
  ExpectSixteenByEight(q);
  size_t weighted = 0;
  for (const model::Op& op : q.ops) {
    weighted += op.type == OpType::kConv2D || op.type == OpType::kDepthwiseConv2D ||
                op.type == OpType::kFullyConnected;
    if (op.type == OpType::kSoftmax) {
      EXPECT_EQ(q.tensor(op.outputs[0]).quantization.scales[0], 1.0f / 32768.0f);
      EXPECT_EQ(op.version, 3);
    }
    if (op.type == OpType::kAveragePool2D) {
      EXPECT_EQ(op.version, 3);
    }
  }
  EXPECT_GE(weighted, 10u);  // DS-CNN: 5 conv, 4 depthwise, 1 FC
  const LintReport report = Lint(q, LintTarget::Esp32S3());
  std::ostringstream findings;
  PrintLintReport(q, report, findings);
  EXPECT_EQ(report.errors(), 0u) << findings.str();
}

}  // namespace
}  // namespace harness::quant
