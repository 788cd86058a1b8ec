// Per-op int16x8 inside an int8 model (Int8Options::op_precision = kInt16x8): the int8 <-> int16
// QUANTIZE ops at its edges and their parameters, int64 bias, fixed int16 outputs, versions,
// lint, and agreement with the float model, on the small model.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "harness/model/tflite_loader.h"
#include "harness/model/tflite_writer.h"
#include "harness/quant/int8_quantizer.h"
#include "harness/quant/lint.h"
#include "harness/quant/quantization_params.h"
#include "harness/runtime/compiled_model.h"
#include "tests/quant/small_float_model.h"
#include "tests/quant/per_op_precision_fixture.h"
#include "tests/quant/small_model_runs.h"

namespace harness::quant {
namespace {

using model::DataType;
using model::OpType;
using testing::RunSmallModelSample;

// Small model ops: 0 FULLY_CONNECTED, 1 RESHAPE, 2 CONV_2D, 3 RESHAPE, 4 SOFTMAX.
constexpr size_t kOpCount = 5;

const model::Tensor& Named(const model::Graph& g, const std::string& name) {
  for (const model::Tensor& t : g.tensors) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("no tensor " + name);
}

bool Has(const model::Graph& g, const std::string& name) {
  for (const model::Tensor& t : g.tensors) {
    if (t.name == name) return true;
  }
  return false;
}

void ExpectParams(const model::Tensor& t, DataType type, const AffineParams& p) {
  EXPECT_EQ(t.type, type) << t.name;
  ASSERT_EQ(t.quantization.scales.size(), 1u) << t.name;
  EXPECT_EQ(t.quantization.scales[0], p.scale) << t.name;
  EXPECT_EQ(t.quantization.zero_points[0], p.zero_point) << t.name;
}

double SquaredError(const runtime::CompiledModel& model, const runtime::CompiledModel& reference) {
  double error = 0.0;
  for (size_t i = 0; i < 64; ++i) {
    const std::vector<float> expected = RunSmallModelSample(reference, i);
    const std::vector<float> got = RunSmallModelSample(model, i);
    for (size_t k = 0; k < expected.size(); ++k) {
      const double d = static_cast<double>(got[k]) - static_cast<double>(expected[k]);
      error += d * d;
    }
  }
  return error;
}

class Int16OpsTest : public testing::PerOpPrecisionTest {
 protected:
  CalibrationRange Range(const std::string& name) const {
    for (size_t t = 0; t < float_graph_.tensors.size(); ++t) {
      if (float_graph_.tensors[t].name == name) {
        return minmax_->Calibrate(calibration_.of(static_cast<int32_t>(t)));
      }
    }
    throw std::runtime_error("no tensor " + name);
  }
};

TEST_F(Int16OpsTest, OneInt16ConvGetsRequantizeBeforeAndAfter) {
  std::vector<LayerPrecision> precision(kOpCount, LayerPrecision::kDefault);
  precision[2] = LayerPrecision::kInt16x8;  // CONV_2D
  const model::Graph q = Quantize(precision);
  const std::vector<OpType> order = {OpType::kFullyConnected, OpType::kReshape, OpType::kQuantize,
                                     OpType::kConv2D,         OpType::kQuantize, OpType::kReshape,
                                     OpType::kSoftmax};
  ASSERT_EQ(q.ops.size(), order.size());
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(q.ops[i].type, order[i]) << i;

  // int8 -> int16 in front: the int16 copy of the RESHAPE output, symmetric over the range the
  // RESHAPE shares with the FC output.
  const CalibrationRange fc = Range("fc/relu");
  const model::Op& conv = q.ops[3];
  EXPECT_EQ(q.tensor(conv.inputs[0]).name, "reshape_int16");
  ExpectParams(q.tensor(conv.inputs[0]), DataType::kInt16, SymmetricInt16Params(fc.min, fc.max));
  ExpectParams(Named(q, "reshape"), DataType::kInt8, AsymmetricParams(fc.min, fc.max));
  // The conv: int8 per-channel weights, int64 bias at s_in16 * s_w, int16 symmetric output.
  const model::Tensor& weights = q.tensor(conv.inputs[1]);
  const model::Tensor& bias = q.tensor(conv.inputs[2]);
  EXPECT_EQ(weights.type, DataType::kInt8);
  EXPECT_EQ(weights.quantization.scales.size(), 3u);
  EXPECT_EQ(bias.type, DataType::kInt64);
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(bias.quantization.scales[c], q.tensor(conv.inputs[0]).quantization.scales[0] *
                                               weights.quantization.scales[c]);
  }
  const CalibrationRange conv_range = Range("conv");
  EXPECT_EQ(q.tensor(conv.outputs[0]).name, "conv");
  ExpectParams(q.tensor(conv.outputs[0]), DataType::kInt16,
               SymmetricInt16Params(conv_range.min, conv_range.max));
  // int16 -> int8 after: the int8 parameters the conv output has in int8 mode, which the
  // RESHAPE after it shares.
  EXPECT_EQ(q.tensor(q.ops[4].outputs[0]).name, "conv_int8");
  ExpectParams(q.tensor(q.ops[4].outputs[0]), DataType::kInt8,
               AsymmetricParams(conv_range.min, conv_range.max));
  EXPECT_EQ(q.tensor(q.ops[5].inputs[0]).name, "conv_int8");
  EXPECT_EQ(Named(q, "logits").quantization.scales,
            q.tensor(q.ops[4].outputs[0]).quantization.scales);
  // Versions: QUANTIZE to int16 2, 16x8 CONV_2D 1 (op_version.h), QUANTIZE to int8 1, int8 ops
  // as in int8 mode.
  const std::vector<int32_t> versions = {4, 1, 2, 1, 1, 1, 2};
  for (size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(q.ops[i].version, versions[i]) << i;
  // The model is int8 at its edges.
  EXPECT_EQ(q.tensor(q.inputs[0]).type, DataType::kInt8);
  EXPECT_EQ(q.tensor(q.outputs[0]).type, DataType::kInt8);

  const LintReport report = Lint(q, LintTarget::Esp32S3());
  EXPECT_EQ(report.errors(), 0u);
  EXPECT_EQ(report.warnings(), 0u);

  // Written, reloaded and run: no further from the float model than the all-int8 model.
  const runtime::CompiledModel model(model::LoadTflite(model::WriteTflite(q), "int16_conv.tflite"));
  const runtime::CompiledModel int8_model(Quantize({}));
  const runtime::CompiledModel reference(float_graph_);
  EXPECT_LE(SquaredError(model, reference), SquaredError(int8_model, reference));
}

TEST_F(Int16OpsTest, ConsecutiveInt16OpsExchangeInt16AndSoftmaxIsFixed) {
  std::vector<LayerPrecision> precision(kOpCount, LayerPrecision::kDefault);
  precision[2] = LayerPrecision::kInt16x8;  // CONV_2D
  precision[3] = LayerPrecision::kInt16x8;  // RESHAPE
  precision[4] = LayerPrecision::kInt16x8;  // SOFTMAX
  const model::Graph q = Quantize(precision);
  // FC, RESHAPE, QUANTIZE (int8 -> int16), CONV, RESHAPE, SOFTMAX: one conversion only.
  ASSERT_EQ(q.ops.size(), 6u);
  EXPECT_EQ(q.ops[2].type, OpType::kQuantize);
  EXPECT_FALSE(Has(q, "conv_int8"));
  // The int16 RESHAPE shares the conv's int16 parameters; SOFTMAX writes 1/32768, 0, and the
  // graph output it writes stays int16.
  EXPECT_EQ(Named(q, "logits").type, DataType::kInt16);
  EXPECT_EQ(Named(q, "logits").quantization.scales, Named(q, "conv").quantization.scales);
  ExpectParams(q.tensor(q.outputs[0]), DataType::kInt16, AffineParams{1.0f / 32768.0f, 0});
  EXPECT_EQ(q.ops[5].version, 3);  // int16 SOFTMAX
  EXPECT_EQ(Lint(q, LintTarget::Esp32S3()).errors(), 0u);

  const runtime::CompiledModel model(q);
  const runtime::CompiledModel int8_model(Quantize({}));
  const runtime::CompiledModel reference(float_graph_);
  EXPECT_LE(SquaredError(model, reference), SquaredError(int8_model, reference));
}

TEST_F(Int16OpsTest, Int16SoftmaxAfterInt8AndFloatIo) {
  std::vector<LayerPrecision> precision(kOpCount, LayerPrecision::kDefault);
  precision[4] = LayerPrecision::kInt16x8;  // SOFTMAX
  const model::Graph q = Quantize(precision, /*float_io=*/true);
  // The int8 logits are requantized to int16 over their int16-mode range; the int16 output is
  // dequantized to the float graph output from "probabilities_int16".
  const CalibrationRange logits = Range("logits");
  ExpectParams(Named(q, "logits_int16"), DataType::kInt16,
               SymmetricInt16Params(logits.min, logits.max));
  ExpectParams(Named(q, "probabilities_int16"), DataType::kInt16,
               AffineParams{1.0f / 32768.0f, 0});
  EXPECT_EQ(q.ops.back().type, OpType::kDequantize);
  EXPECT_EQ(q.ops.back().version, 3);  // from int16
  EXPECT_EQ(q.tensor(q.outputs[0]).type, DataType::kFloat32);
  EXPECT_EQ(Lint(q, LintTarget::Esp32S3()).errors(), 0u);
  testing::ExpectNearFloatModel(q, float_graph_, /*samples=*/8, /*tolerance=*/0.05f);
}

// input -> ADD(input, c) -> ADD(_, c) -> output with one float constant c: read by an int8 ADD
// and an int16 ADD, it becomes int8 asymmetric for the first and an int16 symmetric copy
// "c_int16" for the second.
TEST(Int16OpsShared, FloatConstantIsDuplicatedForTheInt16Op) {
  model::Graph g;
  g.AddBuffer({});
  const int32_t input = testing::AddTensor(g, "input", {1, 4});
  const int32_t c = testing::AddConstant(g, "c", {4}, std::vector<float>{-1.0f, 0.5f, 2.0f, 0.25f},
                                         DataType::kFloat32);
  const int32_t sum1 = testing::AddTensor(g, "sum1", {1, 4});
  const int32_t sum2 = testing::AddTensor(g, "sum2", {1, 4});
  model::Op add1;
  add1.type = OpType::kAdd;
  add1.inputs = {input, c};
  add1.outputs = {sum1};
  add1.options = model::AddOptions{};
  model::Op add2 = add1;
  add2.inputs = {sum1, c};
  add2.outputs = {sum2};
  g.ops = {add1, add2};
  g.inputs = {input};
  g.outputs = {sum2};
  const runtime::CompiledModel float_model(g);
  const CalibrationResult calibration =
      RunCalibration(float_model, 16, [](size_t i, std::span<std::byte> bytes) {
        const std::vector<float> x = testing::SeededValues(4, 50 + i, -2, 2);
        std::memcpy(bytes.data(), x.data(), bytes.size());
      });
  Int8Options options;
  options.op_precision = {LayerPrecision::kDefault, LayerPrecision::kInt16x8};
  const auto minmax = MakeCalibrator("minmax");
  const model::Graph q = QuantizeInt8(g, calibration, *minmax, options);
  ASSERT_EQ(q.ops.size(), 3u);  // ADD, QUANTIZE (int8 -> int16), ADD
  EXPECT_EQ(q.tensor(q.ops[0].inputs[1]).name, "c");
  ExpectParams(q.tensor(q.ops[0].inputs[1]), DataType::kInt8, AsymmetricParams(-1.0f, 2.0f));
  EXPECT_EQ(q.tensor(q.ops[2].inputs[1]).name, "c_int16");
  ExpectParams(q.tensor(q.ops[2].inputs[1]), DataType::kInt16, SymmetricInt16Params(-1.0f, 2.0f));
  EXPECT_NE(q.tensor(q.ops[2].inputs[1]).buffer, q.tensor(q.ops[0].inputs[1]).buffer);
  EXPECT_EQ(q.tensor(q.outputs[0]).type, DataType::kInt16);  // written by the int16 ADD
  EXPECT_EQ(Lint(q, LintTarget::Esp32S3()).errors(), 0u);
}

}  // namespace
}  // namespace harness::quant
