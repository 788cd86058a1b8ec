#include "harness/quant/int8_quantizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/quantization_params.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/small_float_model.h"
#include "tests/quant/small_model_runs.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;
using testing::CalibrateOnSmallModelSamples;
using testing::RunSmallModelSample;
using testing::SmallFloatModel;

int32_t TensorNamed(const model::Graph& g, const std::string& name) {
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    if (g.tensors[i].name == name) return static_cast<int32_t>(i);
  }
  ADD_FAILURE() << "no tensor " << name;
  return 0;
}

CalibrationOptions WithChannelMeans() {
  CalibrationOptions options;
  options.collect_channel_means = true;
  return options;
}

class Int8QuantizerTest : public ::testing::Test {
 protected:
  model::Graph float_graph_ = SmallFloatModel();
  CalibrationResult calibration_ = CalibrateOnSmallModelSamples(float_graph_, 64, WithChannelMeans());
  std::unique_ptr<Calibrator> minmax_ = MakeCalibrator("minmax");
};

TEST_F(Int8QuantizerTest, FollowsTheSpec) {
  const model::Graph q = QuantizeInt8(float_graph_, calibration_, *minmax_);
  // Activations are int8 with the calibrated (nudged) parameters.
  const int32_t input = q.inputs[0];
  EXPECT_EQ(q.tensor(input).type, DataType::kInt8);
  const TensorStatistics& input_stats = calibration_.of(float_graph_.inputs[0]);
  const AffineParams expected = AsymmetricParams(input_stats.min(), input_stats.max());
  EXPECT_EQ(q.tensor(input).quantization.scales[0], expected.scale);
  EXPECT_EQ(q.tensor(input).quantization.zero_points[0], expected.zero_point);
  // Softmax output fixed at 1/256, -128.
  const model::Tensor& out = q.tensor(q.outputs[0]);
  EXPECT_EQ(out.type, DataType::kInt8);
  EXPECT_EQ(out.quantization.scales[0], 1.0f / 256.0f);
  EXPECT_EQ(out.quantization.zero_points[0], -128);
  // RESHAPE shares its input's parameters.
  const model::Tensor& relu = q.tensor(TensorNamed(q, "fc/relu"));
  const model::Tensor& reshaped = q.tensor(TensorNamed(q, "reshape"));
  EXPECT_EQ(relu.quantization.scales, reshaped.quantization.scales);
  EXPECT_EQ(relu.quantization.zero_points, reshaped.quantization.zero_points);
  // Conv weights per channel on dimension 0, FC per tensor; bias scale = s_in * s_w[c].
  const model::Tensor& conv_w = q.tensor(TensorNamed(q, "conv/weights"));
  EXPECT_EQ(conv_w.type, DataType::kInt8);
  EXPECT_EQ(conv_w.quantization.scales.size(), 3u);
  EXPECT_EQ(conv_w.quantization.quantized_dimension, 0);
  const model::Tensor& conv_b = q.tensor(TensorNamed(q, "conv/bias"));
  EXPECT_EQ(conv_b.type, DataType::kInt32);
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(conv_b.quantization.scales[c],
              reshaped.quantization.scales[0] * conv_w.quantization.scales[c]);
    EXPECT_EQ(conv_b.quantization.zero_points[c], 0);
    EXPECT_EQ(conv_w.quantization.zero_points[c], 0);
  }
  const model::Tensor& fc_w = q.tensor(TensorNamed(q, "fc/weights"));
  EXPECT_EQ(fc_w.quantization.scales.size(), 1u);
  // Op versions as TFLite assigns them for int8.
  EXPECT_EQ(q.ops[0].version, 4);  // FULLY_CONNECTED
  EXPECT_EQ(q.ops[1].version, 1);  // RESHAPE
  EXPECT_EQ(q.ops[2].version, 3);  // CONV_2D
  EXPECT_EQ(q.ops[4].version, 2);  // SOFTMAX
}

TEST_F(Int8QuantizerTest, PerChannelFullyConnectedOption) {
  Int8Options options;
  options.per_channel_fully_connected = true;
  const model::Graph q = QuantizeInt8(float_graph_, calibration_, *minmax_, options);
  EXPECT_EQ(q.tensor(TensorNamed(q, "fc/weights")).quantization.scales.size(), 4u);
  EXPECT_EQ(q.tensor(TensorNamed(q, "fc/bias")).quantization.scales.size(), 4u);
  const runtime::CompiledModel compiled(q);  // the runtime accepts it
}

TEST_F(Int8QuantizerTest, WrittenModelReloadsAndRunsCloseToFloat) {
  const model::Graph q = QuantizeInt8(float_graph_, calibration_, *minmax_);
  const std::vector<uint8_t> bytes = model::WriteTflite(q);
  EXPECT_EQ(bytes, model::WriteTflite(QuantizeInt8(float_graph_, calibration_, *minmax_)));
  const runtime::CompiledModel reloaded(model::LoadTflite(bytes, "int8.tflite"));
  const runtime::CompiledModel in_memory(q);
  const runtime::CompiledModel reference(float_graph_);
  for (size_t i = 0; i < 32; ++i) {
    const std::vector<float> expected = RunSmallModelSample(reference, i);
    const std::vector<float> got = RunSmallModelSample(reloaded, i);
    EXPECT_EQ(got, RunSmallModelSample(in_memory, i));  // write + reload changes nothing
    for (size_t k = 0; k < expected.size(); ++k) {
      EXPECT_NEAR(got[k], expected[k], 0.05f) << "sample " << i << " class " << k;
    }
  }
}

TEST_F(Int8QuantizerTest, FloatIoAddsQuantizeAndDequantize) {
  Int8Options options;
  options.float_io = true;
  const model::Graph q = QuantizeInt8(float_graph_, calibration_, *minmax_, options);
  EXPECT_EQ(q.ops.front().type, OpType::kQuantize);
  EXPECT_EQ(q.ops.front().version, 1);
  EXPECT_EQ(q.ops.back().type, OpType::kDequantize);
  EXPECT_EQ(q.ops.back().version, 2);
  EXPECT_EQ(q.tensor(q.inputs[0]).type, DataType::kFloat32);
  EXPECT_EQ(q.tensor(q.inputs[0]).name, "input");
  EXPECT_EQ(q.tensor(q.outputs[0]).type, DataType::kFloat32);
  const runtime::CompiledModel float_io(model::LoadTflite(model::WriteTflite(q), "io.tflite"));
  const runtime::CompiledModel int_io(QuantizeInt8(float_graph_, calibration_, *minmax_));
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(RunSmallModelSample(float_io, i), RunSmallModelSample(int_io, i));
}

TEST_F(Int8QuantizerTest, BiasCorrectionRemovesTheMeanShiftOfTheWeights) {
  Int8Options options;
  options.bias_correction = true;
  const model::Graph corrected = QuantizeInt8(float_graph_, calibration_, *minmax_, options);
  const model::Graph plain = QuantizeInt8(float_graph_, calibration_, *minmax_);
  // Independent truth for the FC bias: b - sum_k (Wq - W)[c, k] * mean[k].
  const int32_t w_index = TensorNamed(float_graph_, "fc/weights");
  const auto& w_bytes = float_graph_.data(w_index);
  std::vector<float> w(32);
  std::memcpy(w.data(), w_bytes.data(), 128);
  const model::Tensor& wq = plain.tensor(TensorNamed(plain, "fc/weights"));
  const auto* wq_values =
      reinterpret_cast<const int8_t*>(plain.data(TensorNamed(plain, "fc/weights")).data());
  std::vector<float> b(4);
  std::memcpy(b.data(), float_graph_.data(TensorNamed(float_graph_, "fc/bias")).data(), 16);
  const std::vector<double>& mean = calibration_.channel_means[0];
  const model::Tensor& bias_q = corrected.tensor(TensorNamed(corrected, "fc/bias"));
  const auto* corrected_values =
      reinterpret_cast<const int32_t*>(corrected.data(TensorNamed(corrected, "fc/bias")).data());
  for (size_t c = 0; c < 4; ++c) {
    double shift = 0;
    for (size_t k = 0; k < 8; ++k) {
      shift += (static_cast<double>(wq_values[c * 8 + k]) *
                    static_cast<double>(wq.quantization.scales[0]) -
                static_cast<double>(w[c * 8 + k])) *
               mean[k];
    }
    const double expected =
        (static_cast<double>(b[c]) - shift) / static_cast<double>(bias_q.quantization.scales[0]);
    EXPECT_NEAR(corrected_values[c], expected, 0.5 + 1e-3) << "channel " << c;
  }
}

}  // namespace
}  // namespace harness::quant
