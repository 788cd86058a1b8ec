// Per-op float precision in the int8 quantizer (Int8Options::op_precision = kFloat): structure
// of the rewritten graph, agreement with the float model, and lint on the small model.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/common/error.h"
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

const model::Tensor* Find(const model::Graph& g, const std::string& name) {
  for (const model::Tensor& t : g.tensors) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

size_t CountOps(const model::Graph& g, OpType type) {
  size_t n = 0;
  for (const model::Op& op : g.ops) n += op.type == type;
  return n;
}

class FloatOpsTest : public testing::PerOpPrecisionTest {};

TEST_F(FloatOpsTest, AllFloatWithFloatIoIsTheFloatModel) {
  const model::Graph q = Quantize(std::vector<LayerPrecision>(kOpCount, LayerPrecision::kFloat),
                                  /*float_io=*/true);
  // Nothing is quantized: no conversion op, no integer activation, float weights.
  EXPECT_EQ(q.ops.size(), kOpCount);
  for (const model::Tensor& t : q.tensors) {
    EXPECT_NE(t.type, DataType::kInt8) << t.name;
  }
  const runtime::CompiledModel reference(float_graph_);
  const runtime::CompiledModel model(q);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(RunSmallModelSample(model, i), RunSmallModelSample(reference, i)) << "sample " << i;
}

TEST_F(FloatOpsTest, AllFloatWithInt8InputOnlyQuantizesTheInput) {
  const model::Graph q = Quantize(std::vector<LayerPrecision>(kOpCount, LayerPrecision::kFloat));
  ASSERT_EQ(q.ops.size(), kOpCount + 1);
  EXPECT_EQ(q.ops[0].type, OpType::kDequantize);
  EXPECT_EQ(q.tensor(q.inputs[0]).type, DataType::kInt8);
  EXPECT_EQ(q.tensor(q.outputs[0]).type, DataType::kFloat32);  // written by a float op
  ASSERT_NE(Find(q, "input_dequantized"), nullptr);
  // The only error is the input's rounding: within half a step of the input scale, which the
  // float model turns into a small output change (softmax is 1/4-Lipschitz per logit).
  const float input_step = q.tensor(q.inputs[0]).quantization.scales[0];
  const runtime::CompiledModel reference(float_graph_);
  const runtime::CompiledModel model(q);
  for (size_t i = 0; i < 16; ++i) {
    const std::vector<float> expected = RunSmallModelSample(reference, i);
    const std::vector<float> got = RunSmallModelSample(model, i);
    for (size_t k = 0; k < expected.size(); ++k) {
      EXPECT_NEAR(got[k], expected[k], 20.0f * input_step) << "sample " << i << " class " << k;
    }
  }
}

TEST_F(FloatOpsTest, OneFloatConvGetsDequantizeBeforeAndQuantizeAfter) {
  std::vector<LayerPrecision> precision(kOpCount, LayerPrecision::kDefault);
  precision[2] = LayerPrecision::kFloat;  // CONV_2D
  const model::Graph q = Quantize(precision);
  ASSERT_EQ(q.ops.size(), kOpCount + 2);
  const std::vector<OpType> order = {OpType::kFullyConnected, OpType::kReshape,
                                        OpType::kDequantize,     OpType::kConv2D,
                                        OpType::kQuantize,       OpType::kReshape,
                                        OpType::kSoftmax};
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(q.ops[i].type, order[i]) << i;
  const model::Op& conv = q.ops[3];
  EXPECT_EQ(q.tensor(conv.inputs[0]).name, "reshape_dequantized");
  EXPECT_EQ(q.tensor(conv.inputs[0]).type, DataType::kFloat32);
  EXPECT_EQ(q.tensor(conv.inputs[1]).type, DataType::kFloat32);  // float weights
  EXPECT_EQ(q.tensor(conv.inputs[2]).type, DataType::kFloat32);  // float bias
  EXPECT_EQ(q.tensor(conv.outputs[0]).name, "conv");
  EXPECT_EQ(q.tensor(conv.outputs[0]).type, DataType::kFloat32);
  // The QUANTIZE writes the conv output's calibrated int8 parameters, which the RESHAPE after it
  // shares.
  const model::Tensor* quantized = Find(q, "conv_quantized");
  ASSERT_NE(quantized, nullptr);
  const TensorStatistics& stats = calibration_.of(float_graph_.ops[2].outputs[0]);
  const AffineParams p = AsymmetricParams(stats.min(), stats.max());
  EXPECT_EQ(quantized->type, DataType::kInt8);
  EXPECT_EQ(quantized->quantization.scales[0], p.scale);
  EXPECT_EQ(quantized->quantization.zero_points[0], p.zero_point);
  EXPECT_EQ(q.tensor(q.ops[5].inputs[0]).name, "conv_quantized");
  EXPECT_EQ(q.tensor(q.ops[5].outputs[0]).quantization.scales, quantized->quantization.scales);
  // Versions: float CONV_2D 1, DEQUANTIZE int8 2, QUANTIZE 1.
  EXPECT_EQ(q.ops[2].version, 2);
  EXPECT_EQ(q.ops[3].version, 1);
  EXPECT_EQ(q.ops[4].version, 1);

  const LintReport report = Lint(q, LintTarget::Esp32S3());
  EXPECT_EQ(report.errors(), 0u);
  ASSERT_EQ(report.warnings(), 1u);  // the float CONV_2D
  EXPECT_EQ(report.findings[0].rule, "float-op");

  // Reloads and runs; closer to the float model than the int8 model is, summed over samples.
  const runtime::CompiledModel model(model::LoadTflite(model::WriteTflite(q), "mixed.tflite"));
  const runtime::CompiledModel int8_model(Quantize({}));
  const runtime::CompiledModel reference(float_graph_);
  double mixed_error = 0.0, int8_error = 0.0;
  for (size_t i = 0; i < 64; ++i) {
    const std::vector<float> expected = RunSmallModelSample(reference, i);
    const std::vector<float> mixed = RunSmallModelSample(model, i);
    const std::vector<float> int8 = RunSmallModelSample(int8_model, i);
    for (size_t k = 0; k < expected.size(); ++k) {
      mixed_error += std::abs(static_cast<double>(mixed[k] - expected[k]));
      int8_error += std::abs(static_cast<double>(int8[k] - expected[k]));
    }
  }
  EXPECT_LE(mixed_error, int8_error);
}

TEST_F(FloatOpsTest, ConsecutiveFloatOpsExchangeFloat) {
  std::vector<LayerPrecision> precision(kOpCount, LayerPrecision::kDefault);
  precision[3] = LayerPrecision::kFloat;  // RESHAPE
  precision[4] = LayerPrecision::kFloat;  // SOFTMAX
  const model::Graph q = Quantize(precision, /*float_io=*/true);
  // input QUANTIZE, FC, RESHAPE, CONV, DEQUANTIZE, RESHAPE, SOFTMAX: no pair between the two
  // float ops, and no DEQUANTIZE after the float output.
  EXPECT_EQ(CountOps(q, OpType::kDequantize), 1u);
  EXPECT_EQ(CountOps(q, OpType::kQuantize), 1u);
  EXPECT_EQ(q.ops.back().type, OpType::kSoftmax);
  EXPECT_EQ(q.tensor(q.outputs[0]).name, "probabilities");
  EXPECT_EQ(q.tensor(q.outputs[0]).type, DataType::kFloat32);
  EXPECT_EQ(Lint(q, LintTarget::Esp32S3()).errors(), 0u);
  testing::ExpectNearFloatModel(q, float_graph_, /*samples=*/8, /*tolerance=*/0.05f);
}

TEST_F(FloatOpsTest, FloatFirstOpReadsAFloatInputDirectly) {
  std::vector<LayerPrecision> precision(kOpCount, LayerPrecision::kDefault);
  precision[0] = LayerPrecision::kFloat;  // FULLY_CONNECTED
  const model::Graph q = Quantize(precision, /*float_io=*/true);
  ASSERT_GE(q.ops.size(), 2u);
  EXPECT_EQ(q.ops[0].type, OpType::kFullyConnected);
  EXPECT_EQ(q.ops[0].inputs[0], q.inputs[0]);
  EXPECT_EQ(q.ops[1].type, OpType::kQuantize);
  EXPECT_EQ(q.tensor(q.ops[1].outputs[0]).name, "fc/relu_quantized");
  EXPECT_EQ(Find(q, "input_int8"), nullptr);  // no quantized op reads the input
  EXPECT_EQ(Lint(q, LintTarget::Esp32S3()).errors(), 0u);
  const runtime::CompiledModel model(q);
}

TEST_F(FloatOpsTest, WrongPrecisionCountIsAnError) {
  EXPECT_THROW(Quantize({LayerPrecision::kFloat}), Error);
}

}  // namespace
}  // namespace harness::quant
